"""Small articles written for the engine tests, and the real baseline they diff against."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from monitor.engine import ArticleIn

REPO = Path(__file__).resolve().parents[2]
BASELINE = REPO / "config" / "baselines" / "xi-jinping-meets-putin.txt"
BASELINE_PUBLISHED = datetime(2023, 3, 17, 12, 0, tzinfo=UTC)


def make_article(article_id: str, body: str, *, title: str = "", summary: str = "", day: int = 20,
                 month: int = 3, year: int = 2023, source: str = "Test Wire") -> ArticleIn:
    return ArticleIn(
        id=article_id, url=f"https://example.test/{article_id}", title=title, summary=summary, body=body,
        published=datetime(year, month, day, 12, 0, tzinfo=UTC), source=source,
    )


def labels(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.label for s in result.sentences]
