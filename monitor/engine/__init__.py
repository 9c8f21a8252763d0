"""The diff engine: label each sentence of follow-up coverage against a baseline article.

Stages (one module each): text (splitting, n-gram vectors), topic (entities and
aliases), facts (baseline -> clause facts), relevance, dedup (near-copies),
labels (known/new/update/background/offtopic), cluster (developments), engine.
"""
from __future__ import annotations

import json
import multiprocessing
import sys
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from .cluster import contradicts, headline
from .engine import Engine
from .facts import Fact
from .records import ArticleIn, ArticleResult, DevelopmentView, Prepared, SentenceResult

if TYPE_CHECKING:
    from monitor.config import Config, TopicConfig

__all__ = [
    "ArticleIn", "ArticleResult", "DevelopmentView", "Engine", "Fact", "SentenceResult", "article_from_json",
    "contradicts", "diff_articles", "headline", "make_engine", "parse_published",
]


def parse_published(value) -> datetime | None:
    """An input article's `published` (ISO 8601, "Z" allowed); None when it is missing or not a time: the article
    is then taken as undated."""
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def article_from_json(obj: dict) -> ArticleIn:
    """An input object as in the devset's articles.jsonl; label keys are ignored."""
    return ArticleIn(
        id=str(obj["id"]),
        url=str(obj.get("url") or ""),
        title=str(obj.get("title") or ""),
        summary=str(obj.get("summary") or ""),
        body=str(obj.get("body") or ""),
        published=parse_published(obj.get("published")),
        source=str(obj.get("source") or ""),
    )


PARALLEL_MIN_ARTICLES = 64  # below this, starting the workers costs more than they save
PARALLEL_CHUNK = 8  # articles per task sent to a worker
_worker_engine: Engine | None = None


def diff_articles(engine: Engine, articles: Iterable[dict], workers: int = 1) -> Iterator[dict]:
    """Analyse articles in input order; yield one eval-contract JSON object per article.

    With `workers` > 1 (and enough articles, on Linux), the part of the work that does not depend on the stream
    (`Engine.prepare`: splitting and each sentence's own label, two thirds of the time) runs ahead in that many
    forked worker processes, while this one applies each article to the stream in order; the output is the
    same as with one process."""
    items = [article_from_json(obj) for obj in articles]
    if workers < 2 or len(items) < PARALLEL_MIN_ARTICLES or not sys.platform.startswith("linux"):
        for article in items:
            yield engine.analyse(article).to_json()
        return
    dates = engine.baseline_dates(article.published for article in items)
    jobs = [(article.body or "", article.published, date) for article, date in zip(items, dates, strict=True)]
    # fork: the workers inherit the engine as built here, with nothing to pickle or rebuild
    with multiprocessing.get_context("fork").Pool(workers, initializer=_adopt, initargs=(engine,)) as pool:
        for article, prepared in zip(items, pool.imap(_prepare, jobs, chunksize=PARALLEL_CHUNK), strict=True):
            yield engine.analyse(article, prepared=prepared).to_json()


def _adopt(engine: Engine) -> None:
    global _worker_engine
    _worker_engine = engine


def _prepare(job: tuple[str, datetime | None, datetime | None]) -> Prepared:
    assert _worker_engine is not None
    return _worker_engine.prepare(*job)


def make_engine(config: Config, topic: TopicConfig, state_json: str | None = None, *,
                learned: bool = True) -> Engine:
    """The topic's diff engine, with its memory from earlier polls loaded (`learned=False`: without the shipped
    models, for refitting them). Here rather than beside the poll, so that `monitor diff` and `monitor baseline`
    start without importing the database and network layers."""
    published = datetime.fromisoformat(topic.baseline_published) if topic.baseline_published else None
    engine = Engine(config.resolve(topic.baseline).read_text(encoding="utf-8"),
                    published=published, terms=topic.terms, aliases=topic.aliases,
                    exclude=topic.exclude, threads=[(t.side, t.party, t.about) for t in topic.threads],
                    learned=learned)
    if state_json:
        state = json.loads(state_json)
        if state:
            engine.load_state(state)
    return engine
