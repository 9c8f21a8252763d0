"""Labelling stage: one sentence of a relevant article -> known | new | update | background | offtopic.

Ordered rules, as the design note recommends: boilerplate first, then status
moves of open baseline facts (update), reversals (update), restatements
(known, by char n-gram similarity to the baseline's clauses, stricter when the
sentence carries signs of a fresh event), history (background), else new.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from .facts import NOT_YET, PLANNED, Fact, detect_frames, detect_status, split_clauses
from .lexicon import (
    BACKGROUND_CUES,
    BOILERPLATE,
    EVENT_VERBS,
    FRAMES,
    NEGATION,
    NOT_YET_CUES,
    PLANNED_CUES,
    REVERSAL_CUES,
    WEEKDAY_OR_DATE,
    YEAR,
)
from .text import CharNgramSpace, content_stems, normalise, stem
from .topic import Topic

KNOWN_SIMILARITY = 0.28  # a restatement of a baseline clause
WEAK_KNOWN_SIMILARITY = 0.18  # ... enough when nothing in the sentence looks fresh
EVENTFUL_KNOWN_SIMILARITY = 0.45  # ... needed when the sentence names new actors or figures
UPDATE_ANCHOR_SIMILARITY = 0.2  # a status move needs this much lexical tie to the fact, or an anchor word
REVERSAL_SIMILARITY = 0.3
MIN_SHARED_CONTENT = 1.5  # content words a restatement below the 'eventful' threshold must share
PLANNED_WINDOW = timedelta(days=14)  # a scheduled event reported 'done' later than this is another event
PENDING_WINDOW = timedelta(days=200)  # how long 'has not yet ...' stays resolvable

_NEW_SPEAKER = re.compile(
    r"\b(spokes(?:man|woman|person)|foreign ministry|state media|news agency|white house|state department|"
    r"pentagon|secretary general|secretary-general|press secretary)\b"
)
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:[A-Z][a-z]+)?\b")
_NUMBER = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Verdict:
    label: str
    fact: Fact | None
    similarity: float
    weak: bool = False  # a 'known' that rests on the low threshold: weaker evidence of relevance


class Labeller:
    def __init__(self, topic: Topic, facts: tuple[Fact, ...], space: CharNgramSpace, baseline_words: set[str]):
        self.topic = topic
        self.facts = facts
        self.space = space
        self.clause_matrix = np.stack([space.dense(f.text) for f in facts]) if facts else np.zeros((0, space.dim), np.float32)
        self.sentence_matrix = (
            np.stack([space.dense(f.sentence) for f in facts]) if facts else np.zeros((0, space.dim), np.float32)
        )
        self.baseline_words = baseline_words
        self.open_facts = [(i, f) for i, f in enumerate(facts) if f.open and f.frames]
        self._entity_words = {stem(w) for surface in topic.surface_to_canonical for w in surface.split()}

    # --- similarity -------------------------------------------------------------------------------
    def fact_similarities(self, vector: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        clause = self.space.similarities(self.clause_matrix, vector)
        sentence = self.space.similarities(self.sentence_matrix, vector)
        return np.maximum(clause, 0.85 * sentence)

    # --- cues ----------------------------------------------------------------------------------------
    def novel_names(self, text: str) -> list[str]:
        """Capitalised words that are neither in the baseline nor known aliases: new actors or places."""
        known_spans = [(m.start, m.end) for m in self.topic.find(text)]
        out = []
        for m in _CAPITALISED.finditer(normalise(text)):
            if any(s <= m.start() < e for s, e in known_spans):
                continue
            word = m.group(0)
            if word.lower() in self.baseline_words or WEEKDAY_OR_DATE.fullmatch(word.lower()):
                continue
            out.append(word)
        return out

    def is_eventful(self, text: str) -> bool:
        low = normalise(text).lower()
        return bool(self.novel_names(text) or _NUMBER.search(low) or _NEW_SPEAKER.search(low))

    def has_fresh_cues(self, text: str) -> bool:
        low = normalise(text).lower()
        return self.is_eventful(text) or bool(EVENT_VERBS.search(low))

    # --- updates --------------------------------------------------------------------------------------
    def find_update(
        self, text: str, sims: np.ndarray, published: datetime | None, baseline_date: datetime | None
    ) -> tuple[Fact, float] | None:
        """An open baseline fact (scheduled / not yet) that this sentence reports as done."""
        low = normalise(text).lower()
        entities = self.topic.entities(text)
        clauses = [normalise(c).lower() for c in split_clauses(text)]
        stems = content_stems(text)
        best: tuple[Fact, float] | None = None
        age = (published - baseline_date) if (published and baseline_date) else None
        for i, fact in self.open_facts:
            window = PLANNED_WINDOW if fact.status == PLANNED else PENDING_WINDOW
            if age is not None and (age > window or age < -timedelta(days=2)):
                continue
            if not set(fact.entities[:2]) & entities:
                continue
            if not any(self._realised(frame, clauses) for frame in fact.frames):
                continue
            tie = float(sims[i])
            anchored = bool(stems & set(fact.anchors)) or any(FRAMES[f].obj is not None for f in fact.frames)
            if tie < UPDATE_ANCHOR_SIMILARITY and not anchored:
                continue
            if best is None or tie > best[1]:
                best = (fact, tie)
        if best is None and REVERSAL_CUES.search(low):
            i = int(np.argmax(sims)) if sims.size else -1
            if i >= 0 and sims[i] >= REVERSAL_SIMILARITY and set(self.facts[i].entities) & entities:
                best = (self.facts[i], float(sims[i]))
        return best

    @staticmethod
    def _realised(frame_name: str, clauses: list[str]) -> bool:
        frame = FRAMES[frame_name]
        physical = frame_name in ("ARRIVE", "MEET", "SIGN")
        for clause in clauses:
            m = frame.realised.search(clause)
            if not m:
                continue
            if frame.obj is not None and not frame.obj.search(clause):
                continue
            if NOT_YET_CUES.search(clause) or NEGATION.search(clause[: m.start()][-25:]):
                continue
            if physical and PLANNED_CUES.search(clause):
                continue
            return True
        return False

    # --- the decision --------------------------------------------------------------------------------
    def label(
        self,
        text: str,
        published: datetime | None,
        baseline_date: datetime | None,
    ) -> Verdict:
        if BOILERPLATE.search(text) or not any(ch.isalpha() for ch in text):
            return Verdict("offtopic", None, 0.0)
        vector = self.space.sparse(text)
        sims = self.fact_similarities(vector)
        update = self.find_update(text, sims, published, baseline_date)
        if update:
            return Verdict("update", update[0], update[1])
        best = int(np.argmax(sims)) if sims.size else -1
        similarity = float(sims[best]) if best >= 0 else 0.0
        fact = self.facts[best] if best >= 0 else None
        if fact is not None and not self._status_moved(fact, text):
            if similarity >= WEAK_KNOWN_SIMILARITY and self._still_pending(fact, text):
                return Verdict("known", fact, similarity)
            if similarity >= EVENTFUL_KNOWN_SIMILARITY:
                return Verdict("known", fact, similarity)
            shared = self.shared_content(text, fact.text)
            low = normalise(text).lower()
            fresh_event = bool(EVENT_VERBS.search(low)) and shared < 2
            if similarity >= KNOWN_SIMILARITY and shared >= 1 and not self.is_eventful(text) and not fresh_event:
                return Verdict("known", fact, similarity)
            if similarity >= WEAK_KNOWN_SIMILARITY and shared >= MIN_SHARED_CONTENT and not self.has_fresh_cues(text):
                return Verdict("known", fact, similarity, weak=True)
        if self.is_background(text, published):
            return Verdict("background", None, similarity)
        return Verdict("new", None, similarity)

    def shared_content(self, text: str, fact_text: str) -> float:
        """Content words in common (entities by canonical name, at half weight: they recur everywhere)."""
        a_entities, b_entities = self.topic.entities(text), self.topic.entities(fact_text)
        a_words = content_stems(text) - self._entity_words
        b_words = content_stems(fact_text) - self._entity_words
        return len(a_words & b_words) + 0.5 * len((a_entities & b_entities) - self.topic.core_persons)

    def _still_pending(self, fact: Fact, text: str) -> bool:
        """Same actor, same event, same pending status: a restatement that nothing has happened yet."""
        if fact.status not in (PLANNED, NOT_YET):
            return False
        status, _ = detect_status(text)
        if status != fact.status or not set(fact.entities[:2]) & self.topic.entities(text):
            return False
        return bool(set(detect_frames(text, status)) & set(fact.frames))

    def _status_moved(self, fact: Fact, text: str) -> bool:
        """The best-matching fact was pending and the sentence reports it (or an event like it) as
        having happened, at a stated time: not a restatement even when the words are close."""
        if fact.status not in (PLANNED, NOT_YET):
            return False
        low = normalise(text).lower()
        if PLANNED_CUES.search(low) or NOT_YET_CUES.search(low):
            return False
        clauses = [normalise(c).lower() for c in split_clauses(text)]
        if any(self._realised(frame, clauses) for frame in fact.frames):
            return True
        return bool(EVENT_VERBS.search(low) and WEEKDAY_OR_DATE.search(low))

    @staticmethod
    def is_background(text: str, published: datetime | None) -> bool:
        """History and standing context: only earlier years, or durative / 'previous' phrasing."""
        low = normalise(text).lower()
        years = [int(y) for y in YEAR.findall(low)]
        if years and published and all(y < published.year for y in years) and "this year" not in low:
            return True
        return bool(BACKGROUND_CUES.search(low))
