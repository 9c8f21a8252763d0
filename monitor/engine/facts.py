"""Baseline stage: the baseline text -> clause-level facts with status, polarity and event frames.

Why clause level: one baseline sentence often holds a settled part and a pending
part ("The Kremlin has rejected the move ... and Putin has yet to comment"); the
pending part is what a later article updates, so status belongs to the clause.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .lexicon import (
    ALLEGED_CUES,
    FRAMES,
    GENERIC_ANCHORS,
    HYPOTHETICAL_CUES,
    NEGATION,
    NOT_YET_CUES,
    OPINION_CUES,
    PLANNED_CUES,
)
from .text import content_stems, normalise, split_sentences
from .topic import Topic

PLANNED, NOT_YET, REALIZED = "PLANNED", "NOT_YET", "REALIZED"
HYPOTHETICAL, ALLEGED, OPINION = "HYPOTHETICAL", "ALLEGED", "OPINION"
OPEN_STATUSES = frozenset({PLANNED, NOT_YET})

# where a sentence splits into clauses that carry their own predicate
_CLAUSE_BREAK = re.compile(
    r"""(?:;\s+|,?"?\s+while\s+|,"?\s+but\s+|\s+but\s+(?=(?:did|does|has|have|had|was|is|will|would|could|not)\b)|"""
    r""","?\s+and\s+(?=(?:that\s+)?[A-Z]|that\s)|"""
    r""""?\s+and\s+(?=(?:he|she|it|they|[A-Z][a-z]+)\s+(?:has|have|had|is|was|will|did|does)\b)|"""
    r"""\s+and\s+(?=(?:sees|views|regards|considers|treats|wants)\s)|,\s+in what is\s+|\s+who is\s+|,\s+which\s+|"""
    r""",\s+(?=[a-z]+ing\s))"""
)
_LEADING_WHILE = re.compile(r"^(while|although|though|as)\s+([^,]+),\s+(.*)$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class Fact:
    """One clause-level assertion of the baseline."""

    id: str
    text: str  # the clause as written
    sentence: str  # the whole baseline sentence it comes from
    status: str  # PLANNED | NOT_YET | REALIZED | HYPOTHETICAL | ALLEGED | OPINION
    polarity: str  # POS | NEG
    open: bool  # PLANNED or NOT_YET: something a later report can resolve
    entities: tuple[str, ...]  # canonical entities of the clause (agents first)
    frames: tuple[str, ...]  # event frames triggered in the clause
    anchors: tuple[str, ...]  # distinctive content stems of the clause and its context

    def to_json(self) -> dict:
        return {
            "id": self.id, "text": self.text, "status": self.status, "polarity": self.polarity,
            "open": self.open, "entities": list(self.entities), "frames": list(self.frames),
        }


def split_clauses(sentence: str) -> list[str]:
    """Cut a sentence at coordinated or contrastive predicates; pieces too short to stand are merged back."""
    text = normalise(sentence).strip()
    pieces: list[str] = []
    m = _LEADING_WHILE.match(text)
    if m:
        pieces.append(m.group(2))
        text = m.group(3)
    pieces.extend(p for p in _CLAUSE_BREAK.split(text) if p)
    merged: list[str] = []
    for piece in pieces:
        piece = piece.strip(' ,;"')
        if merged and len(piece.split()) < 4:
            merged[-1] = f"{merged[-1]} {piece}"
        elif piece:
            merged.append(piece)
    return merged or [text]


def detect_status(clause: str) -> tuple[str, str]:
    """Status and polarity of a clause from cue words (first match wins, most specific first)."""
    low = normalise(clause).lower()
    polarity = "NEG" if NEGATION.search(low) else "POS"
    if NOT_YET_CUES.search(low):
        return NOT_YET, "NEG"
    if PLANNED_CUES.search(low):
        return PLANNED, polarity
    if ALLEGED_CUES.search(low):
        return ALLEGED, polarity
    if HYPOTHETICAL_CUES.search(low):
        return HYPOTHETICAL, polarity
    if OPINION_CUES.search(low):
        return OPINION, polarity
    return REALIZED, polarity


def detect_frames(clause: str, status: str = REALIZED) -> tuple[str, ...]:
    """Event frames of a clause. For a pending clause only the predicate the status cue governs
    counts ("has not disclosed what Xi hopes to achieve through this meeting" is DISCLOSE, not MEET):
    the first trigger after the cue, plus one coordinated with it by "and"."""
    low = normalise(clause).lower()
    hits: list[tuple[int, str]] = []
    for name, frame in FRAMES.items():
        m = frame.trigger.search(low)
        if m and (frame.obj is None or frame.obj.search(low)):
            hits.append((m.start(), name))
    if status not in OPEN_STATUSES:
        return tuple(name for _, name in sorted(hits))
    cue = (NOT_YET_CUES if status == NOT_YET else PLANNED_CUES).search(low)
    after = sorted((pos, name) for pos, name in hits if cue is None or pos >= cue.start())
    if not after:
        return tuple(name for _, name in sorted(hits))[:1]
    chosen = [after[0][1]]
    for pos, name in after[1:]:
        if re.search(r"\band\s+\w+\s*(?:\w+\s+)?$", low[:pos]) and name not in chosen:
            chosen.append(name)
    return tuple(chosen)


def split_baseline(baseline_text: str) -> tuple[str, str]:
    """(title, body): the first non-empty line is the title."""
    lines = baseline_text.strip().split("\n", 1)
    title = lines[0].strip()
    body = lines[1].strip() if len(lines) > 1 else ""
    if not body:  # a baseline without a separate title line
        body, title = title, ""
    return title, body


def baseline_sentences(body: str) -> list[str]:
    return [body[s:e] for s, e in split_sentences(body)]


def extract_facts(body: str, topic: Topic) -> tuple[Fact, ...]:
    """Baseline body -> facts F01, F02, ... in reading order."""
    sentences = baseline_sentences(body)
    # stems that appear in many baseline sentences say nothing about which fact is meant
    stem_df = Counter(s for sent in sentences for s in content_stems(sent))
    common = {s for s, n in stem_df.items() if n > 2}
    core_words = set(topic.core_name_words)
    facts: list[Fact] = []
    for i, sentence in enumerate(sentences):
        previous = sentences[i - 1] if i else ""
        context_stems = content_stems(sentence + " " + previous)
        subject: tuple[str, ...] = ()
        for clause in split_clauses(sentence):
            status, polarity = detect_status(clause)
            mentions = [m.canonical for m in topic.find(clause)]
            entities = tuple(dict.fromkeys(mentions))
            if entities and topic.find(clause)[0].start < 3:
                subject = entities[:1]
            elif subject:
                entities = tuple(dict.fromkeys(subject + entities))
            frames = detect_frames(clause, status)
            anchors = tuple(
                sorted(
                    s for s in context_stems
                    if s not in common and s not in core_words and s not in GENERIC_ANCHORS and len(s) > 2
                )
            )
            facts.append(
                Fact(
                    id=f"F{len(facts) + 1:02d}",
                    text=clause,
                    sentence=sentence,
                    status=status,
                    polarity=polarity,
                    open=status in OPEN_STATUSES,
                    entities=entities,
                    frames=frames,
                    anchors=anchors,
                )
            )
    return tuple(facts)
