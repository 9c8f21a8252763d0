"""The command line: ``monitor [--config PATH] COMMAND`` (DESIGN §5).

Each command loads the config once, opens the database once and calls one
step of the pipeline. Problems the user can fix come out as one line on stderr
and a non-zero exit; a traceback means a bug.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from monitor.config import Config, load_config
from monitor.errors import ConfigError, ConfigProblem, MonitorError

log = logging.getLogger("monitor")


class Context:
    def __init__(self, config_path: str | None) -> None:
        self.config_path = config_path
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path)
        return self._config

    def database(self) -> Any:
        from monitor.store import open_database

        return open_database(self.config.database_url)


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(message)s",
                        datefmt="%Y-%m-%dT%H:%M:%S", stream=sys.stderr)
    for noisy in ("apscheduler", "trafilatura", "htmldate", "courlan", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose < 2 else logging.INFO)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", metavar="PATH", default=None,
              help="Config file (default: $MONITOR_CONFIG, else config/monitor.toml).")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors.")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, verbose: int, quiet: bool) -> None:
    """Watch a news story: diff follow-up coverage against a baseline article, email what changed."""
    _setup_logging(verbose, quiet)
    ctx.obj = Context(config_path)


@main.command()
@click.pass_obj
def check(obj: Context) -> None:
    """Validate the config; print every problem with its file, key and fix."""
    config = obj.config  # raises ConfigError, reported by run_cli
    if config.templates_dir is not None:  # a user's own templates must render before we rely on them
        from monitor.digest import check_templates

        try:
            check_templates(config.templates_dir)
        except Exception as e:  # any template error is the user's to fix
            raise ConfigError([ConfigProblem(str(config.path), "templates",
                                             f"templates in {config.templates_dir} do not render: "
                                             f"{type(e).__name__}: {e}",
                                             "fix the template, or remove the key to use the shipped ones")]) from None
    feeds = sum(len(t.feeds) for t in config.topic)
    click.echo(f"{config.path}: OK — {len(config.topic)} topic(s), {feeds} feed(s), "
               f"database {config.database.url}, email by {config.email.method}")


@main.command()
@click.pass_obj
def run(obj: Context) -> None:
    """Run the daemon: poll and send digests on schedule until SIGTERM/SIGINT."""
    from monitor.daemon import Daemon, sync_topics_retrying

    config = obj.config
    database = obj.database()
    database.lock_for_daemon()
    sync_topics_retrying(database, config, datetime.now(UTC))
    Daemon(config, database).run()


@main.command()
@click.option("--topic", "topic_id", metavar="ID", help="Only this topic (default: every topic).")
@click.pass_obj
def poll(obj: Context, topic_id: str | None) -> None:
    """Poll every feed once now, whatever its schedule, and store what it brings."""
    from monitor.poll import poll_topic, sync_topics

    config = obj.config
    topics = [config.get_topic(topic_id)] if topic_id else config.topic
    database = obj.database()
    sync_topics(database, config, datetime.now(UTC))
    for topic in topics:
        bar = _progress(f"{topic.id}: polling")
        report = poll_topic(database, config, topic, progress=bar)
        if bar:
            click.echo("", err=True)
        statuses: dict[str, int] = {}
        for feed in report.feeds:
            statuses[feed.status] = statuses.get(feed.status, 0) + 1
        click.echo(f"{topic.id}: {len(report.feeds)} feeds polled in {report.seconds:.1f}s "
                   f"({', '.join(f'{n} {s}' for s, n in sorted(statuses.items()))}); "
                   f"{sum(f.new_entries for f in report.feeds)} new entries, "
                   f"{report.articles_analysed} relevant articles, {report.new_developments} new developments")
        for feed in report.failed[:20]:
            click.echo(f"  failed: {feed.url}: {feed.error}")
        if len(report.failed) > 20:
            click.echo(f"  … and {len(report.failed) - 20} more failed feeds (see `monitor status`)")


def _progress(label: str) -> Any:
    """A one-line progress counter on a terminal; nothing when piped."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        click.echo(f"\r{label} {done}/{total} feeds", nl=False, err=True)

    return show


@main.command()
@click.option("--topic", "topic_id", metavar="ID", help="Only this topic (default: every topic).")
@click.option("--dry-run", is_flag=True, help="Print the digest; store, send and mark nothing.")
@click.option("--since", metavar="DATE", help="Rebuild the digest of everything fetched since DATE "
              "(ISO 8601); marks nothing.")
@click.option("--html", "html_path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="With --dry-run/--since: also write the HTML part to FILE (default: digest-<topic>.html).")
@click.pass_obj
def digest(obj: Context, topic_id: str | None, dry_run: bool, since: str | None, html_path: Path | None) -> None:
    """Build and deliver now the digest of everything not yet reported."""
    from monitor.digests import create_digest, deliver_pending, preview
    from monitor.poll import sync_topics

    config = obj.config
    topics = [config.get_topic(topic_id)] if topic_id else config.topic
    database = obj.database()
    now = datetime.now(UTC)
    sync_topics(database, config, now)
    if dry_run or since:
        start = None
        if since:
            try:
                start = datetime.fromisoformat(since)
            except ValueError:
                raise click.BadParameter(f"{since!r} is not a date; write e.g. 2023-03-20 or "
                                         "2023-03-20T07:00:00+00:00", param_hint="--since") from None
            start = start if start.tzinfo else start.replace(tzinfo=UTC)
        for topic in topics:
            _gathered, rendered = preview(database, config, topic, now, start)
            click.echo(f"Subject: {rendered.subject}\n\n{rendered.text}")
            out = html_path or Path(f"digest-{topic.id}.html")
            out.write_text(rendered.html, encoding="utf-8")
            click.echo(f"(HTML written to {out.resolve()}; nothing was stored, sent or marked)", err=True)
        return
    for line in deliver_pending(database, config, now, {t.id for t in topics}, due_only=False):
        click.echo(line)
    for topic in topics:
        row = create_digest(database, config, topic, now, f"manual-{now:%Y%m%dT%H%M%S.%fZ}")
        if row is None:
            continue
        if row.status == "skipped":
            click.echo(f"{topic.id}: nothing new since the last digest; no email (topic.digest.quiet = \"skip\")")
    for line in deliver_pending(database, config, datetime.now(UTC), {t.id for t in topics}):
        click.echo(line)


@main.command()
@click.option("--topic", "topic_id", required=True, metavar="ID", help="The topic whose baseline to use.")
@click.option("--articles", "articles_path", required=True, metavar="FILE",
              type=click.Path(exists=True, dir_okay=False, path_type=Path), help="JSON Lines of articles.")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Processes that split and label ahead (default: one per CPU, at most 4; 1: this process only). "
                   "The output is the same.")
@click.pass_obj
def diff(obj: Context, topic_id: str, articles_path: Path, workers: int | None) -> None:
    """Analyse a JSON Lines file of articles against the baseline; one JSON object per article.

    Fresh in-memory state; the database is not touched.
    """
    from monitor.engine import diff_articles, make_engine

    config = obj.config
    articles = _read_articles(articles_path)
    engine = make_engine(config, config.get_topic(topic_id))
    out = sys.stdout
    if workers is None:
        workers = min(os.cpu_count() or 1, 4)
    terminal = sys.stderr.isatty()
    started = time.monotonic()
    relevant = copies = 0
    developments: set[str] = set()
    for done, result in enumerate(diff_articles(engine, articles, workers=workers), 1):
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
        if terminal:  # the summary and the progress are for a person watching, not for a pipe
            relevant += bool(result["relevant"])
            copies += bool(result["duplicate_of"])
            developments.update(s["development"] for s in result["sentences"] if s["development"])
            click.echo(f"\ranalysing {done}/{len(articles)} articles", nl=False, err=True)
    out.flush()
    if terminal:
        click.echo(f"\r{len(articles)} articles in {time.monotonic() - started:.1f}s: {relevant} relevant, "
                   f"{copies} near-copies, {len(developments)} developments", err=True)


def _read_articles(path: Path) -> list[dict]:
    """The articles of a JSON Lines file, all checked before any is analysed, so that a bad line costs no work:
    each must be an object with an id of its own. A `published` that is not an ISO 8601 time is only warned of
    (the article is taken as undated)."""
    from monitor.engine import parse_published

    articles: list[dict] = []
    first_line: dict[str, int] = {}
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                article = json.loads(line)
            except json.JSONDecodeError as e:
                raise MonitorError(f"{where}: not a JSON object: {e}") from None
            if not isinstance(article, dict):
                raise MonitorError(f"{where}: not an article: expected an object such as "
                                   f'{{"id": "a1", "title": "...", "body": "..."}}, got {type(article).__name__}')
            article_id = article.get("id")
            if not isinstance(article_id, str | int) or isinstance(article_id, bool) or not str(article_id).strip():
                raise MonitorError(f'{where}: the article has no "id" (a string or a number that names it)')
            if str(article_id) in first_line:
                raise MonitorError(f"{where}: id {str(article_id)!r} is already used on line "
                                   f"{first_line[str(article_id)]}; each article needs its own id")
            first_line[str(article_id)] = number
            published = article.get("published")
            if published and parse_published(published) is None:
                click.echo(f"warning: {where}: published {published!r} is not an ISO 8601 time "
                           "(e.g. 2023-03-21T09:30:00+00:00); the article is taken as undated", err=True)
            articles.append(article)
    return articles


@main.command()
@click.option("--topic", "topic_id", required=True, metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def baseline(obj: Context, topic_id: str, as_json: bool) -> None:
    """List the baseline's facts with their status; open ones are what later coverage may resolve."""
    from monitor.engine import make_engine

    engine = make_engine(obj.config, obj.config.get_topic(topic_id))
    if as_json:
        for fact in engine.facts:
            click.echo(json.dumps({"id": fact.id, "status": fact.status, "polarity": fact.polarity,
                                   "open": fact.open, "text": fact.text}, ensure_ascii=False))
        return
    for fact in engine.facts:
        mark = "OPEN" if fact.open else "    "
        click.echo(f"{fact.id:>4} {mark} {fact.status:<12} {fact.text}")
    click.echo(f"\n{len(engine.facts)} facts, {sum(f.open for f in engine.facts)} open")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.pass_obj
def status(obj: Context, as_json: bool) -> None:
    """Topics (feeds, articles, developments, digests) and feeds (health, schedule)."""
    from monitor.status import collect_status, format_status

    data = collect_status(obj.database(), obj.config, datetime.now(UTC))
    click.echo(json.dumps(data, indent=2, default=str) if as_json else format_status(data))


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(obj: Context) -> None:
    """Apply pending migrations (also done at every start)."""
    database = obj.database()
    click.echo(f"database {database.display_url} at revision {database.current_revision()}")


def run_cli() -> None:
    """Entry point: turn expected errors into one line and exit status 1."""
    try:
        main.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except ConfigError as e:
        for problem in e.problems:
            click.echo(f"config error: {problem}", err=True)
        click.echo(f"{len(e.problems)} problem(s) in the config; nothing was started.", err=True)
        sys.exit(1)
    except MonitorError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(1)
