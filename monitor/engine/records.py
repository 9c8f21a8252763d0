"""Records the engine takes and returns (frozen, slotted: safe to share and to cache)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .labels import Verdict


@dataclass(frozen=True, slots=True)
class ArticleIn:
    id: str
    url: str
    title: str
    summary: str
    body: str
    published: datetime | None
    source: str


@dataclass(frozen=True, slots=True)
class Prepared:
    """What `Engine.prepare` computes of an article's body ahead of `Engine.analyse`: its sentence spans and each
    sentence's own verdict. Picklable, so a worker process can compute it."""
    spans: tuple[tuple[int, int], ...]
    verdicts: tuple[Verdict, ...]


@dataclass(frozen=True, slots=True)
class SentenceResult:
    start: int
    end: int
    text: str
    label: str  # known | new | update | background | offtopic
    development: str | None  # id for new/update, e.g. "d-7"
    baseline_fact: str | None  # text of the matched baseline fact for known/update
    fact_id: str | None = None  # id of that fact (e.g. "F03")

    def to_json(self) -> dict:
        return {
            "start": self.start, "end": self.end, "text": self.text, "label": self.label,
            "development": self.development, "baseline_fact": self.baseline_fact,
        }


@dataclass(frozen=True, slots=True)
class ArticleResult:
    id: str
    relevant: bool
    duplicate_of: str | None
    sentences: tuple[SentenceResult, ...]

    def to_json(self) -> dict:
        """Exactly the object shared/eval/README.md specifies."""
        return {
            "id": self.id,
            "relevant": self.relevant,
            "duplicate_of": self.duplicate_of,
            "sentences": [s.to_json() for s in self.sentences],
        }


@dataclass(frozen=True, slots=True)
class DevelopmentView:
    """A development as callers see it: its id, first sentence and how widely it is reported."""

    id: str
    label: str
    text: str
    fact_id: str | None
    mentions: int
    sources: tuple[str, ...]
