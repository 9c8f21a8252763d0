"""Near-copy stage: word-shingle containment between articles (syndicated copies, partial reprints).

Why containment rather than Jaccard: a partial reprint holds a fraction of the
original, so their Jaccard is low while almost all of the reprint is contained
in the original. Shingles are sampled by hash value (the same shingles are kept
in every article), which keeps fingerprints small without biasing containment.
"""
from __future__ import annotations

import re
import zlib
from collections import deque
from dataclasses import dataclass

from .text import normalise

SHINGLE_WORDS = 4
SAMPLE_MODULUS = 2  # keep shingles whose hash % SAMPLE_MODULUS == 0
MAX_SHINGLES = 400
CONTAINED = 0.325  # share of one article's shingles found in the other: over the 278 labelled sets, near-copies
# measure 0.356 and up (a reprint reworded sentence by sentence), other articles 0.295 at most (two reports of
# joint air patrols six months apart, alike in form); the bar sits between the two
MIN_SHARED = 6
FURNITURE_EDGE = 3  # sentences at either end of a body checked for newsroom furniture
_TOKEN = re.compile(r"[a-z0-9]+")
# syndication notes, credits and sign-up lines: the part of lexicon.BOILERPLATE a reprint adds, as plain
# substrings (fingerprinting runs on every gate candidate, where even one regex per sentence shows)
_FURNITURE = ("first published", "first appeared", "republish", "reprint", "syndicat", "distributed by",
              "supplied by", "abridged", "content-sharing", "content sharing", "contributed", "reporting by",
              "editing by", "sign up", "subscribe", "newsletter", "your inbox", "all rights reserved", "copyright")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")  # a cheap cut, good enough to drop furniture lines


def fingerprint(text: str) -> tuple[int, ...]:
    """Sorted sampled hashes of the word 4-shingles of `text`, newsroom furniture at either end left out (a
    reprint's "This report first appeared in ..." is no part of the story it copies)."""
    pieces = _SENTENCE_END.split(normalise(text))
    edge = set(range(FURNITURE_EDGE)) | set(range(len(pieces) - FURNITURE_EDGE, len(pieces)))  # where it sits
    text = " ".join(p for i, p in enumerate(pieces) if not (i in edge and _is_furniture(p)))
    tokens = _TOKEN.findall(text.lower())
    hashes = set()
    for i in range(max(len(tokens) - SHINGLE_WORDS + 1, 0)):
        h = zlib.crc32(" ".join(tokens[i : i + SHINGLE_WORDS]).encode())
        if h % SAMPLE_MODULUS == 0:
            hashes.add(h)
    return tuple(sorted(hashes)[:MAX_SHINGLES])


def _is_furniture(sentence: str) -> bool:
    low = sentence.lower()
    return any(phrase in low for phrase in _FURNITURE)


@dataclass(frozen=True, slots=True)
class Seen:
    id: str
    relevant: bool
    shingles: tuple[int, ...]


class NearCopyIndex:
    """The last `capacity` articles' fingerprints with an inverted index for candidate lookup."""

    def __init__(self, capacity: int = 5000):
        self.capacity = capacity
        self.articles: deque[Seen] = deque()
        self._postings: dict[int, list[str]] = {}
        self._by_id: dict[str, Seen] = {}
        self._seq: dict[str, int] = {}
        self._counter = 0

    def find_original(self, shingles: tuple[int, ...]) -> Seen | None:
        """The earliest stored article this one is a near-copy of (either contains the other)."""
        if not shingles:
            return None
        shared: dict[str, int] = {}
        for h in shingles:
            for article_id in self._postings.get(h, ()):
                shared[article_id] = shared.get(article_id, 0) + 1
        best: Seen | None = None
        for article_id, count in shared.items():
            other = self._by_id[article_id]
            if count < MIN_SHARED:
                continue
            contained = count / len(shingles) >= CONTAINED or count / max(len(other.shingles), 1) >= 0.8
            if contained and (best is None or self._order(other) < self._order(best)):
                best = other
        return best

    def _order(self, seen: Seen) -> int:
        return self._seq[seen.id]

    def add(self, seen: Seen) -> None:
        if seen.id in self._by_id:
            return
        self.articles.append(seen)
        self._by_id[seen.id] = seen
        self._seq[seen.id] = self._counter
        self._counter += 1
        for h in seen.shingles:
            self._postings.setdefault(h, []).append(seen.id)
        while len(self.articles) > self.capacity:
            old = self.articles.popleft()
            del self._by_id[old.id]
            del self._seq[old.id]
            for h in old.shingles:
                ids = self._postings.get(h)
                if ids:
                    ids.remove(old.id)
                    if not ids:
                        del self._postings[h]

    def get(self, article_id: str) -> Seen | None:
        return self._by_id.get(article_id)

    def export(self) -> list[dict]:
        return [{"id": s.id, "relevant": s.relevant, "shingles": list(s.shingles)} for s in self.articles]

    @classmethod
    def load(cls, rows: list[dict], capacity: int = 5000) -> NearCopyIndex:
        index = cls(capacity)
        for row in rows:
            index.add(Seen(row["id"], bool(row["relevant"]), tuple(row["shingles"])))
        return index
