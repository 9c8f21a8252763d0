"""The diff engine: label each sentence of follow-up coverage against a baseline article.

Stages (one module each): text (splitting, n-gram vectors), topic (entities and
aliases), facts (baseline -> clause facts), relevance, dedup (near-copies),
labels (known/new/update/background/offtopic), cluster (developments), engine.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from .cluster import headline
from .engine import Engine
from .facts import Fact
from .records import ArticleIn, ArticleResult, DevelopmentView, SentenceResult

__all__ = [
    "ArticleIn", "ArticleResult", "DevelopmentView", "Engine", "Fact", "SentenceResult", "article_from_json",
    "diff_articles", "headline",
]


def _parse_time(value) -> datetime | None:
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
        published=_parse_time(obj.get("published")),
        source=str(obj.get("source") or ""),
    )


def diff_articles(engine: Engine, articles: Iterable[dict]) -> Iterator[dict]:
    """Analyse articles in input order; yield one eval-contract JSON object per article."""
    for obj in articles:
        yield engine.analyse(article_from_json(obj)).to_json()
