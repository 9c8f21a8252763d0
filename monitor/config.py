"""Load and validate the TOML config: one file, every problem reported at once.

The file is validated by pydantic models (``extra="forbid"``, so a misspelt key
is an error, not a silent default), then by checks that need the file system
or a library (cron, time zone, baseline file). Relative paths resolve against
the config file's folder. Secrets come only from the environment.
"""
from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from monitor.errors import ConfigError, ConfigProblem

DEFAULT_CONFIG = Path("config/monitor.toml")
DURATION = re.compile(r"^\s*(\d+)\s*(s|m|h|d)\s*$")
DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
TOPIC_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def parse_duration(text: str) -> timedelta:
    """'30s', '15m', '2h', '1d' → timedelta; ValueError otherwise."""
    match = DURATION.match(text)
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"{text!r} is not a duration")
    return timedelta(seconds=int(match.group(1)) * DURATION_UNITS[match.group(2)])


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatabaseConfig(_Strict):
    url: str = "sqlite:///data/monitor.db"
    # How long a worker holds the feeds it claimed; a worker that dies (kill -9, power
    # loss) leaves its feeds to the others after this long. Longer than one poll takes.
    lease: str = "15m"


class FetchConfig(_Strict):
    allow_private_networks: bool = False
    concurrency: int = Field(32, ge=1, le=1000)
    per_host: int = Field(4, ge=1, le=100)
    timeout: float = Field(60.0, gt=0, le=600)
    max_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    full_text: bool = True
    user_agent: str = "monitor/0.1 (news monitor; +https://example.org/monitor)"


class SmtpConfig(_Strict):
    host: str = "localhost"
    port: int = Field(25, ge=1, le=65535)
    security: Literal["none", "starttls", "tls"] = "none"
    username: str = ""
    timeout: float = Field(30.0, gt=0)


class EmailConfig(_Strict):
    method: Literal["outbox", "smtp"] = "outbox"
    outbox: str = "data/outbox"
    sender: str = "monitor@localhost"
    sender_name: str = "monitor"
    smtp: SmtpConfig = SmtpConfig()


class DigestConfig(_Strict):
    schedule: str = "0 7 * * *"
    timezone: str = "UTC"
    recipients: list[str] = []
    quiet: Literal["skip", "note"] = "skip"
    sender_name: str | None = None


class ThreadConfig(_Strict):
    """A side's dealings with another party that stay the story without the other side: a headline (with its
    summary) naming the side, the party and one of the words is on topic (see Topic.names_thread)."""
    side: str
    party: list[str]
    about: list[str]


class TopicConfig(_Strict):
    id: str
    name: str
    baseline: str
    baseline_published: str | None = None  # ISO 8601; dates in the baseline resolve against it
    feeds: list[str] = []
    poll_every: str = "15m"
    terms: list[str] = []
    aliases: dict[str, list[str]] = {}
    exclude: list[str] = []
    threads: list[ThreadConfig] = []
    digest: DigestConfig = DigestConfig()

    @field_validator("id")
    @classmethod
    def _id_is_slug(cls, value: str) -> str:
        if not TOPIC_ID.match(value):
            raise ValueError("must be lowercase letters, digits, '-' or '_' (at most 64)")
        return value


class Config(_Strict):
    database: DatabaseConfig = DatabaseConfig()
    fetch: FetchConfig = FetchConfig()
    email: EmailConfig = EmailConfig()
    templates: str | None = None
    topic: list[TopicConfig] = []

    # Set by load_config, not read from the file.
    path: Path = Path("monitor.toml")
    smtp_password: str = ""

    @property
    def folder(self) -> Path:
        return self.path.parent

    def resolve(self, relative: str) -> Path:
        """A path from the file, relative to the file's folder."""
        candidate = Path(relative).expanduser()
        return candidate if candidate.is_absolute() else self.folder / candidate

    @property
    def database_url(self) -> str:
        """The URL with a relative SQLite path made absolute against the config folder."""
        url = self.database.url
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite://":
            rest = url[len(prefix):]
            if rest and rest != ":memory:":
                return prefix + str(self.resolve(rest).resolve())
        return url

    @property
    def outbox_dir(self) -> Path:
        return self.resolve(self.email.outbox)

    @property
    def templates_dir(self) -> Path | None:
        return self.resolve(self.templates) if self.templates else None

    def get_topic(self, topic_id: str) -> TopicConfig:
        for topic in self.topic:
            if topic.id == topic_id:
                return topic
        known = ", ".join(t.id for t in self.topic) or "none"
        raise ConfigError([ConfigProblem(str(self.path), "topic", f"no topic with id {topic_id!r}",
                                         f"use one of: {known}")])


FIXES = {
    "extra_forbidden": "remove it or check its spelling against config/monitor.toml",
    "missing": "add this key",
    "literal_error": "use one of the allowed values",
    "int_parsing": "write a whole number",
    "int_type": "write a whole number",
    "bool_parsing": "write true or false",
    "bool_type": "write true or false",
    "float_parsing": "write a number",
    "string_type": "write a quoted string",
    "list_type": "write a list, e.g. [\"a\", \"b\"]",
    "greater_than_equal": "raise the value",
    "less_than_equal": "lower the value",
    "greater_than": "raise the value",
}


def _key(loc: tuple[Any, ...], raw: Mapping[str, Any]) -> str:
    """('topic', 0, 'digest', 'schedule') → 'topic[0].digest.schedule' (with the topic id)."""
    parts: list[str] = []
    for i, item in enumerate(loc):
        if isinstance(item, int):
            label = f"[{item}]"
            if i == 1 and loc[0] == "topic":
                topics = raw.get("topic")
                if isinstance(topics, list) and item < len(topics) and isinstance(topics[item], dict):
                    topic_id = topics[item].get("id")
                    if isinstance(topic_id, str):
                        label = f"[{item}] (id={topic_id!r})"
            parts.append(label)
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def load_config(path: Path | str | None = None, environ: Mapping[str, str] | None = None) -> Config:
    """Read, validate and return the config; raise ConfigError listing every problem.

    The path defaults to $MONITOR_CONFIG, else config/monitor.toml. Environment
    overrides: MONITOR_DATABASE_URL, MONITOR_SMTP_HOST, MONITOR_SMTP_PORT,
    MONITOR_EMAIL_METHOD; MONITOR_SMTP_PASSWORD is the only place for the password.
    """
    env = os.environ if environ is None else environ
    path = Path(path or env.get("MONITOR_CONFIG") or DEFAULT_CONFIG)
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([ConfigProblem(shown, "(file)", "file not found",
                                         "pass --config PATH or set MONITOR_CONFIG")]) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError([ConfigProblem(shown, "(file)", f"cannot read: {e}",
                                         "check the file's permissions and encoding (UTF-8)")]) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError([ConfigProblem(shown, "(syntax)", f"not valid TOML: {e}",
                                         "fix the TOML syntax at that line")]) from None
    raw = _apply_environment(raw, env)
    problems: list[ConfigProblem] = []
    extra = {"path": path.resolve(), "smtp_password": env.get("MONITOR_SMTP_PASSWORD", "")}
    config = None
    for _attempt in range(10):  # report schema problems, drop the bad keys, check the rest too
        try:
            config = Config.model_validate({**raw, **extra})
            break
        except ValidationError as e:
            for err in e.errors():
                problems.append(_problem(shown, err, raw))
                _drop(raw, tuple(err["loc"]))
    if config is not None:
        problems += check_semantics(config)
    if problems:
        raise ConfigError(_unique(problems))
    assert config is not None
    return config


def _problem(shown: str, err: Any, raw: Mapping[str, Any]) -> ConfigProblem:
    loc = tuple(err["loc"])
    if loc and loc[0] in ("path", "smtp_password"):
        loc = ("(reserved key)",)
    given = err.get("input")
    shown_value = f" (got {given!r})" if not isinstance(given, (dict, list)) else ""
    message = err["msg"][0].lower() + err["msg"][1:]
    if err["type"] == "extra_forbidden":
        message = "unknown key"
    return ConfigProblem(shown, _key(loc, raw), message + shown_value,
                         FIXES.get(err["type"], "see the comments in config/monitor.toml"))


_PLACEHOLDERS = {"id": "invalid-id", "name": "(missing)", "baseline": ""}


def _drop(raw: dict[str, Any], loc: tuple[Any, ...]) -> None:
    """Remove (or, for a required key, stub) the value at ``loc`` so the rest can be checked."""
    node: Any = raw
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return
    last = loc[-1] if loc else None
    if isinstance(node, dict):
        if last in node:
            del node[last]
        elif last in _PLACEHOLDERS:
            node[last] = _PLACEHOLDERS[last]
    elif isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = None
        node[:] = [item for item in node if item is not None]


def _unique(problems: list[ConfigProblem]) -> list[ConfigProblem]:
    seen, out = set(), []
    for problem in problems:
        if str(problem) not in seen:
            seen.add(str(problem))
            out.append(problem)
    return out


def _apply_environment(raw: dict[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    raw = dict(raw)
    if env.get("MONITOR_DATABASE_URL"):
        raw["database"] = {**raw.get("database", {}), "url": env["MONITOR_DATABASE_URL"]}
    email = dict(raw.get("email", {}))
    smtp = dict(email.get("smtp", {}))
    if env.get("MONITOR_EMAIL_METHOD"):
        email["method"] = env["MONITOR_EMAIL_METHOD"]
    if env.get("MONITOR_SMTP_HOST"):
        smtp["host"] = env["MONITOR_SMTP_HOST"]
    if env.get("MONITOR_SMTP_PORT"):
        smtp["port"] = env["MONITOR_SMTP_PORT"]
    if smtp:
        email["smtp"] = smtp
    if email:
        raw["email"] = email
    return raw


ADDRESS = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+$")


def check_semantics(config: Config) -> list[ConfigProblem]:
    """Checks pydantic cannot do alone: cron, zone, files, URLs, cross-key rules."""
    from apscheduler.triggers.cron import CronTrigger  # only needed here

    shown = str(config.path)
    problems: list[ConfigProblem] = []

    def add(key: str, problem: str, fix: str) -> None:
        problems.append(ConfigProblem(shown, key, problem, fix))

    url = config.database.url
    if not (url.startswith("sqlite://") or url.startswith("postgresql")):
        add("database.url", f"unsupported database URL {url!r}",
            "use sqlite:///path/to/file.db or postgresql+psycopg://user@host/db")
    try:
        if parse_duration(config.database.lease) < timedelta(seconds=5):
            add("database.lease", f"{config.database.lease!r} is shorter than 5 seconds",
                "a lease must outlast one poll; \"15m\" is safe")
    except ValueError:
        add("database.lease", f"{config.database.lease!r} is not a duration",
            "write a number and a unit: \"30s\", \"15m\" or \"1h\"")
    if not ADDRESS.match(config.email.sender):
        add("email.sender", f"{config.email.sender!r} is not an email address",
            "write an address such as monitor@example.org")
    if config.templates and not config.templates_dir.is_dir():  # type: ignore[union-attr]
        add("templates", f"folder {str(config.templates_dir)!r} does not exist",
            "create it or remove the key to use the shipped templates")
    if not config.topic:
        add("topic", "no [[topic]] defined", "add a [[topic]] table with id, name, baseline and feeds")
    seen: set[str] = set()
    for i, topic in enumerate(config.topic):
        at = f"topic[{i}] (id={topic.id!r})"
        if topic.id in seen:
            add(f"{at}.id", f"duplicate topic id {topic.id!r}", "give every topic its own id")
        seen.add(topic.id)
        baseline = config.resolve(topic.baseline)
        if topic.baseline and not baseline.is_file():
            add(f"{at}.baseline", f"file {str(baseline)!r} not found",
                "point it at the baseline article's text file (relative to the config file)")
        if topic.baseline_published:
            from datetime import datetime
            try:
                datetime.fromisoformat(topic.baseline_published)
            except ValueError:
                add(f"{at}.baseline_published", f"{topic.baseline_published!r} is not an ISO 8601 time",
                    "write e.g. \"2023-03-17T12:00:00+00:00\"")
        if topic.threads and topic.baseline and baseline.is_file():
            problems.extend(_thread_problems(shown, at, topic, baseline))
        if not topic.feeds:
            add(f"{at}.feeds", "no feeds", "list at least one RSS/Atom feed URL")
        for j, feed in enumerate(topic.feeds):
            parts = urlsplit(feed)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                add(f"{at}.feeds[{j}]", f"{feed!r} is not an http(s) URL",
                    "write a full URL such as https://example.org/rss.xml")
        try:
            if parse_duration(topic.poll_every) < timedelta(seconds=10):
                add(f"{at}.poll_every", f"{topic.poll_every!r} is shorter than 10 seconds",
                    "poll at most every 10s; 15m is polite for news feeds")
        except ValueError:
            add(f"{at}.poll_every", f"{topic.poll_every!r} is not a duration",
                "write a number and a unit: \"30s\", \"15m\", \"2h\" or \"1d\"")
        digest = topic.digest
        zone_ok = True
        try:
            ZoneInfo(digest.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            zone_ok = False
            add(f"{at}.digest.timezone", f"unknown time zone {digest.timezone!r}",
                "use an IANA name such as \"Europe/London\" or \"UTC\"")
        try:
            CronTrigger.from_crontab(digest.schedule, timezone="UTC" if not zone_ok else digest.timezone)
        except ValueError as e:
            add(f"{at}.digest.schedule", f"{digest.schedule!r} is not a cron expression ({e})",
                "write five fields: minute hour day-of-month month day-of-week, e.g. \"0 7 * * *\"")
        for j, address in enumerate(digest.recipients):
            if not ADDRESS.match(address):
                add(f"{at}.digest.recipients[{j}]", f"{address!r} is not an email address",
                    "write a plain address such as analyst@example.org")
        if config.email.method == "smtp" and not digest.recipients:
            add(f"{at}.digest.recipients", "email.method is \"smtp\" but there are no recipients",
                "list at least one address, or set email.method = \"outbox\"")
    if config.email.method == "smtp" and not config.email.smtp.host.strip():
        add("email.smtp.host", "email.method is \"smtp\" but no host is set",
            "set the SMTP server's host name (or MONITOR_SMTP_HOST)")
    return problems


def _thread_problems(shown: str, at: str, topic: TopicConfig, baseline: Path) -> list[ConfigProblem]:
    """A thread's side must be one of the story's sides, which only the baseline tells."""
    from monitor.engine.facts import split_baseline
    from monitor.engine.topic import Topic

    title, body = split_baseline(baseline.read_text(encoding="utf-8"))
    story = Topic(title, body, terms=topic.terms, aliases=topic.aliases)
    problems = []
    for k, thread in enumerate(topic.threads):
        for key, names in (("party", thread.party), ("about", thread.about)):
            if not [name for name in names if name.strip()]:
                problems.append(ConfigProblem(shown, f"{at}.threads[{k}].{key}", "no names",
                                              "list at least one name or word"))
        try:
            story.resolve_thread(thread.side, thread.party, thread.about)
        except ValueError as e:
            problems.append(ConfigProblem(shown, f"{at}.threads[{k}].side", str(e),
                                          "name a side of the story, e.g. a country whose leader the baseline names"))
    return problems
