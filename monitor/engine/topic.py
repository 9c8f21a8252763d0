"""Topic stage: the story's entities and their aliases, derived from the baseline and the config.

Why: relevance, fact agents and update rules all need to know that "Xi",
"Xi Jinping" and "the Chinese leader" are one actor, and that "Beijing" and
"the Chinese government" speak for China. Nothing is hard-coded per story:
names come from the baseline, countries from a generic gazetteer, and the
config's terms and aliases are added on top.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .lexicon import COUNTRIES, TITLES
from .text import STOPWORDS, alternation, content_stems, normalise, split_sentences, whole_words

_CAP_SEQ = re.compile(r"\b(?:[A-Z][\w'\-.]*[A-Za-z]|[A-Z]{2,})"
                      r"(?:\s+(?:of\s+|the\s+)?(?:[A-Z][\w'\-.]*[A-Za-z]|[A-Z]{2,}))*")
_TITLE_WORDS = {w for t in TITLES for w in t.split()}
_LEADING_NOISE = {
    "The", "A", "An", "In", "On", "At", "For", "But", "And", "While", "Yet", "As", "After", "Before",
    "Some", "Countries", "His", "Her", "Its", "Their", "This", "That", "These", "Those", "He", "She",
    "It", "They", "We", "If", "When", "Meets", "Meet", "According",
}


_DEMONYMS = {d for ds, _ in COUNTRIES.values() for d in ds}
_CALENDAR = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
    "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
}


def _clean_name(name: str) -> str:
    tokens = name.split()
    while tokens and (
        tokens[0] in _LEADING_NOISE
        or tokens[0] in _TITLE_WORDS
        or (tokens[0] in _DEMONYMS and len(tokens) > 1 and tokens[1] in _TITLE_WORDS)
        or tokens[0] in _CALENDAR
        or tokens[0].lower() in STOPWORDS
    ):
        tokens.pop(0)
    while tokens and tokens[-1].lower() in STOPWORDS:
        tokens.pop()
    return " ".join(tokens).rstrip("'s").strip()


@dataclass(frozen=True, slots=True)
class Mention:
    canonical: str
    start: int
    end: int


def _words(names: Sequence[str]) -> re.Pattern[str]:
    """Any of `names` as a whole word or phrase, in any case (blanks left out; with none, nothing)."""
    names = [n.strip() for n in names if n.strip()]
    if not names:
        return re.compile(r"(?!)")
    return whole_words(names, re.IGNORECASE)


class Topic:
    """Entity surfaces -> canonical names, the core actors and their 'sides'."""

    def __init__(
        self,
        title: str,
        body: str,
        *,
        terms: Sequence[str] = (),
        aliases: Mapping[str, Sequence[str]] = {},
        exclude: Sequence[str] = (),
        threads: Sequence[tuple[str, Sequence[str], Sequence[str]]] = (),
    ):
        title, body = normalise(title), normalise(body)
        self.surface_to_canonical: dict[str, str] = {}
        self.country_of: dict[str, str] = {}  # canonical -> country canonical

        # 1. countries from the generic gazetteer (all of them: hard negatives mention others)
        for country, (demonyms, places) in COUNTRIES.items():
            for surface in (country, *demonyms, *places):
                self.surface_to_canonical.setdefault(surface, country)
            self.country_of[country] = country

        # 2. names found in the baseline; a token used on its own elsewhere is the short form
        raw_names = Counter()
        for m in _CAP_SEQ.finditer(body):
            name = _clean_name(m.group(0))
            if "-" in name and any(part in self.surface_to_canonical for part in name.split("-")):
                continue
            if name and name not in self.surface_to_canonical and name.lower() not in STOPWORDS:
                raw_names[name] += 1
        single_tokens = {n for n in raw_names if " " not in n}
        for name in sorted(raw_names, key=len, reverse=True):
            parts = name.split()
            canonical = name
            if len(parts) > 1:
                shorts = [p for p in parts if p in single_tokens and p not in self.surface_to_canonical]
                if shorts:
                    canonical = shorts[-1]
                    # "Chinese President Xi Jinping" style names were cleaned already
                elif all(p[:1].isupper() for p in parts) and len(parts) >= 3:
                    acronym = "".join(p[0] for p in parts if p not in ("of", "the", "and"))
                    self.surface_to_canonical.setdefault(acronym, name)
            self.surface_to_canonical.setdefault(name, canonical)
            if len(parts) > 1 and canonical != name:
                self.surface_to_canonical.setdefault(canonical, canonical)
        # explicit acronyms "International Criminal Court (ICC)"
        for m in re.finditer(r"([A-Z][\w]+(?:\s+(?:of\s+)?[A-Z][\w]+)+)\s+\(([A-Z]{2,})\)", body):
            self.surface_to_canonical[m.group(2)] = self.surface_to_canonical.get(m.group(1), m.group(1))

        # 3. persons' countries from appositions: "Chinese President Xi Jinping"
        demonym_to_country = {d: c for c, (ds, _) in COUNTRIES.items() for d in ds}
        title_alt = alternation(TITLES)
        for m in re.finditer(rf"\b([A-Z][a-z]+) (?:{title_alt}) ((?:[A-Z][\w\-]+ ?){{1,3}})", body):
            country = demonym_to_country.get(m.group(1))
            name = m.group(2).strip()
            canonical = self.surface_to_canonical.get(name)
            if country and canonical and canonical not in COUNTRIES:
                self.country_of.setdefault(canonical, country)
                for role in ("leader", "president", "President"):
                    self.surface_to_canonical.setdefault(f"{m.group(1)} {role}", canonical)

        # 4. config aliases and terms on top
        for canonical, names in aliases.items():
            target = self.surface_to_canonical.get(canonical, canonical)
            self.surface_to_canonical.setdefault(canonical, target)
            for alias in names:
                self.surface_to_canonical[alias] = target
        for term in terms:
            self.surface_to_canonical.setdefault(term, self.surface_to_canonical.get(term, term))

        self._regex = whole_words(self.surface_to_canonical)
        self.baseline_entities = Counter(m.canonical for m in self.find(title + "\n" + body))

        # 5. core actors: entities named in the title and the configured terms
        core = {m.canonical for m in self.find(title)}
        core |= {self.surface_to_canonical.get(t, t) for t in terms}
        if len(core) < 2:
            core |= {c for c, _ in self.baseline_entities.most_common(2)}
        self.core: frozenset[str] = frozenset(core)
        # a 'side' groups a core actor with its country: co-occurring sides mark the topic
        self.side_of: dict[str, str] = {}
        for actor in self.core:
            side = self.country_of.get(actor, actor)
            self.side_of[actor] = side
            self.side_of.setdefault(side, side)
        self.sides = frozenset(self.side_of.values())
        self.core_persons = frozenset(a for a in self.core if a not in COUNTRIES and a not in self.sides - {a})
        # what else the lede names (not a country, not a side, not a core actor): "... Putin, who is facing charges
        # by the International Criminal Court": a headline naming a core person and one of these is the story
        first = split_sentences(body)[:1]
        lede = body[first[0][0]:first[0][1]] if first else ""
        self.story_entities = frozenset(
            e for e in self.entities(lede)
            if e not in COUNTRIES and e not in self.core and e not in self.side_of and e not in self.country_of)
        # the baseline's content words: an article speaking the story's language shares a fair part of its own
        self.story_words = frozenset(content_stems(f"{title}\n{body}"))
        self.exclude = tuple(exclude)
        self._exclude_regex = _words(exclude)
        self.threads = tuple(self.resolve_thread(side, party, about) for side, party, about in threads)
        # words of the core actors' names: masked out of similarity vectors (they are in every sentence)
        self.core_name_words = frozenset(
            w.lower()
            for surface, canonical in self.surface_to_canonical.items()
            if canonical in self.core_persons
            for w in surface.split()
            if w[:1].isupper() and w not in _TITLE_WORDS and w not in demonym_to_country
        )

    def resolve_thread(self, side: str, party: Sequence[str],
                       about: Sequence[str]) -> tuple[str, re.Pattern[str], re.Pattern[str]]:
        """A configured thread as (the side, its party's names, its words); ValueError when `side` is not a side."""
        canonical = self.side_of.get(self.surface_to_canonical.get(side, side))
        if canonical is None:
            raise ValueError(f"thread side {side!r} is not one of the story's sides ({', '.join(sorted(self.sides))}) "
                             "or a core actor")
        return canonical, _words(party), _words(about)

    def names_thread(self, headline: str) -> bool:
        """The headline (with its summary) names a configured thread: one of the story's sides, the party it deals
        with there, and a word of what they deal over ("Chinese envoy Li Hui returns to Kyiv"): the story, though
        the other side is absent."""
        sides = self.sides_in(headline) if self.threads else set()
        return any(side in sides and party.search(headline) and about.search(headline)
                   for side, party, about in self.threads)

    def find(self, text: str) -> list[Mention]:
        text = normalise(text)
        return [Mention(self.surface_to_canonical[m.group(0)], m.start(), m.end()) for m in self._regex.finditer(text)]

    def story_share(self, text: str) -> float:
        """Share of the text's content words that the baseline uses too."""
        stems = content_stems(text)
        return len(stems & self.story_words) / len(stems) if stems else 0.0

    def entities(self, text: str) -> set[str]:
        return {m.canonical for m in self.find(text)}

    def sides_in(self, text: str) -> set[str]:
        return {self.side_of[e] for e in self.entities(text) if e in self.side_of}

    def ties_to_story(self, text: str) -> bool:
        """The text names one of the story's sides, core persons or the baseline lede's other entities."""
        entities = self.entities(text)  # one scan: a side is the side of one of these (sides_in)
        return any(e in self.side_of for e in entities) or bool(entities & (self.core_persons | self.story_entities))

    def is_excluded(self, text: str) -> bool:
        return bool(self._exclude_regex.search(text))

    def gate_pattern(self) -> re.Pattern[str]:
        """Surfaces of the core actors and their sides: the cheap candidate gate looks for these."""
        surfaces = [s for s, c in self.surface_to_canonical.items() if c in self.side_of]
        surfaces += [s for s, c in self.surface_to_canonical.items() if self.baseline_entities.get(c, 0) >= 3]
        return whole_words(surfaces)
