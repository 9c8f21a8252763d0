"""Relevance stage: the cheap feed-entry gate and the per-article topic decision.

Why two steps: the gate sees only title and summary and must be fast and
forgiving (>= 2,000 entries/s, high recall); the article decision sees the body
and the engine's verdicts, and must reject hard negatives (one of the actors in
another context) by asking for both sides of the story together, or for ties to
baseline facts and earlier developments.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .topic import Topic

# share of an article's content words the baseline uses too, below which a headline naming the story's sides
# together does not make it the story. Of the articles in the labelled sets that such a headline alone made relevant,
# those off topic ("Chinese brands take half of Russia's car market") have 0.04 to 0.21, ten of fourteen below this;
# those on topic ("Russia tops China's oil suppliers as bilateral trade hits new high") 0.17 to 0.38
MIN_STORY_SHARE = 0.16
MIN_TIES = 1  # baseline facts / earlier developments an article naming at most one core person must touch
OPENING_SENTENCES = 3  # the opening paragraph, where an article says what its headline is about


@dataclass(frozen=True, slots=True)
class RelevanceEvidence:
    core_actors: frozenset[str]  # core actors named anywhere in the article
    max_sides_together: int  # most topic sides named in one unit (title, summary or a sentence)
    ties: int  # sentences that restate/update baseline facts or join earlier developments
    excluded: bool
    headline: bool = False  # the title names the story's sides together ("Putin ends China visit") and the article
    #                        speaks the story's language (MIN_STORY_SHARE), or the title names a core person and
    #                        what the baseline's lede is about ("Putin skips summit over ICC warrant")


class RelevanceGate:
    def __init__(self, topic: Topic):
        self.topic = topic
        self._gate = topic.gate_pattern()
        # a sentence names a side only where the whole body does, unless a name could span a sentence break
        # ("U.S. House"): then the body as one unit stands for its sentences in `cannot_be_relevant`
        self.body_decides = not any(re.search(r"[.!?]\s", s) for s in topic.surface_to_canonical)

    def is_candidate(self, title: str, summary: str) -> bool:
        """True when the entry might be on topic: any core actor or its side is named."""
        text = f"{title}\n{summary}"
        return bool(self._gate.search(text))

    def evidence(self, title: str, summary: str, sentences: Sequence[str], ties: int) -> RelevanceEvidence:
        units = [title, summary, *sentences]
        actors: set[str] = set()
        most_sides = 0
        for unit in units:
            entities = self.topic.entities(unit)
            actors |= entities & self.topic.core
            sides = {self.topic.side_of[e] for e in entities if e in self.topic.side_of}
            most_sides = max(most_sides, len(sides))
        # the `exclude` phrases read the headline only: a summary's passing word ("Russian bombers flew over the Sea of
        # Japan the same day" under "Kishida makes secret trip to Kyiv as Xi meets Putin") is not what it is about
        excluded = self.topic.is_excluded(title)
        # the headline names the story's sides together ("US sanctions Chinese firms over drones for Russia"),
        # a core person and what the baseline's lede is about, or a configured thread (Topic.names_thread): what
        # the article is about, by its own account
        headline = ((len(self.topic.sides_in(title)) >= min(2, len(self.topic.sides))
                     and self.topic.story_share(" ".join(sentences)) >= MIN_STORY_SHARE)
                    or self.names_story(title, summary, sentences) or self.topic.names_thread(f"{title}\n{summary}"))
        return RelevanceEvidence(frozenset(actors), most_sides, ties, excluded, headline)

    def names_story(self, title: str, summary: str, sentences: Sequence[str] = ()) -> bool:
        """The headline names a core person and the headline, summary or opening paragraph names what the
        baseline's lede is about ("Putin visits Mongolia without arrest despite ICC warrant"; "Putin will not
        travel to the BRICS summit" with the court named in the third sentence): the story's thread, even with
        one side."""
        if not self.topic.story_entities or not self.topic.entities(title) & self.topic.core_persons:
            return False
        opening = "\n".join((title, summary, *sentences[:OPENING_SENTENCES]))
        return bool(self.topic.entities(opening) & self.topic.story_entities)

    def cannot_be_relevant(self, title: str, summary: str, sentences: Sequence[str]) -> bool:
        """Cheap and exact: True only when `decide` must say no whatever the sentences' labels are,
        i.e. the headline is excluded, or it names neither the story (`names_story`) nor a thread and no unit
        (title, summary, sentence) names two topic sides together. Ties to the baseline never make up
        for that, so labelling can be skipped."""
        if self.topic.is_excluded(title):
            return True
        if self.names_story(title, summary, sentences) or self.topic.names_thread(f"{title}\n{summary}"):
            return False
        needed = min(2, len(self.topic.sides))
        if needed <= 0:
            return False
        return all(len(self.topic.sides_in(unit)) < needed for unit in (title, summary, *sentences))

    def decide(self, ev: RelevanceEvidence) -> bool:
        if ev.excluded:
            return False
        n_sides = len(self.topic.sides)
        together = ev.max_sides_together >= min(2, n_sides)
        persons = ev.core_actors & self.topic.core_persons
        if together and len(persons) >= min(2, len(self.topic.core_persons)):
            return True
        if ev.headline:  # what the article is about, by its own account
            return True
        # at most one core person: the story's sides together and a tie to the baseline or to an earlier
        # development ("China's envoy Li Hui hears Kyiv's red lines", a month after Xi promised the envoy; "China stays
        # away from the peace summit in Switzerland"); a person in another story names one side only ("Modi and Xi
        # held talks") or ties to nothing the story reported
        return together and ev.ties >= MIN_TIES
