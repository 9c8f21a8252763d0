"""Development stage: group new/update sentences into developments, within and across articles.

Online, against each development's centroid (never single-link, which chains
unrelated items through one shared word). Inside an article, a sentence that
continues the previous one (a pronoun subject, a trailing "..., he said", a
shared new name) stays in its development even when the words differ.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import numpy as np

from .lexicon import (
    ANAPHORA,
    CONTRADICTION_CUES,
    COUNTRIES,
    DISCOURSE_CUES,
    EVENT_KINDS,
    LATER_RUN_BREAKS,
    NEW_ITEM_CUES,
    PLANNED_CUES,
    SHORTFALL_CUES,
    SPEAKER_INTRO,
    UPPER,
)
from .text import STOPWORDS, CharNgramSpace, alternation, content_stems, entry_text, normalise
from .when import SINCE_PHRASE, happening_times, planned_days, referred_times

JOIN_SIMILARITY = 0.32  # sentence -> existing development
STALE_JOIN_SIMILARITY = 0.4  # ... last seen more than STALE_AFTER_DAYS before
STALE_AFTER_DAYS = 7.0
CONTINUE_MARGIN = 0.1  # prefer the latest running development unless the one before fits clearly better
IN_ARTICLE_JOIN_SIMILARITY = 0.12  # an article returning to a development it reported earlier
STRONG_SIMILARITY = 0.5  # beats an in-article continuation
KEPT_MEMBERS = 16  # the centroid is built from the first members only, so it can be rebuilt from state
# cross-article join on content words (core actors and reporting verbs left out), event kind and event date
CONTENT_JOIN_SIMILARITY = 0.25  # cosine of content-word sets
CONTENT_JOIN_CHAR_SIMILARITY = 0.12  # ... with at least this much character n-gram similarity
KIND_JOIN_CHAR_SIMILARITY = 0.25  # same kind of happening, same days, other content words: wording this close
EVENT_DATE_SLACK_DAYS = 2
EARLIER_SLACK_DAYS = 7  # a sentence dated this much before its run's happening looks back to another one
LATER_SLACK_DAYS = 7  # in a run on a later happening, a day named this much after it is a happening of its own



def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@dataclass(slots=True)
class Development:
    id: str
    label: str  # label of its first sentence: new | update
    fact_id: str | None
    texts: list[str]
    count: int = 1
    sources: set[str] = field(default_factory=set)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    # not exported: rebuilt from texts and sightings on load
    content: dict[str, float] = field(default_factory=dict)  # content stem -> weight, summed over members
    event_spans: list[tuple[date, date]] = field(default_factory=list)  # when its members say it happened
    plan_days: list[date] = field(default_factory=list)  # the days its members say it is still to happen on

    @property
    def representative(self) -> str:
        return self.texts[0]

    @property
    def happening(self) -> str:
        """What it reports happening: its first report, or, when that announced it as a plan (a visit joined with
        the plan that announced it, see Engine._fulfilled_plan), its first report of it happening."""
        return next((t for t in self.texts if not planned(t)), self.representative)

    def to_json(self) -> dict:
        return {
            "id": self.id, "label": self.label, "fact_id": self.fact_id, "texts": self.texts,
            "count": self.count, "sources": sorted(self.sources),
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
        }


class DevelopmentStore:
    """Developments with a dense centroid matrix (hashed n-gram space) for fast nearest lookup."""

    def __init__(self, space: CharNgramSpace, capacity: int = 1000):
        self.space = space
        self.capacity = capacity
        self.items: list[Development] = []
        self._sums = np.zeros((0, space.dim), dtype=np.float32)
        self._centroids = np.zeros((0, space.dim), dtype=np.float32)
        self._counter = 0
        self.by_fact: dict[str, int] = {}
        self.content_exclude: frozenset[str] = frozenset()  # the story's core actors, set by the engine

    # --- lookup -----------------------------------------------------------------------------------
    def nearest(self, vector: tuple[np.ndarray, np.ndarray]) -> tuple[int, float]:
        if not self.items:
            return -1, 0.0
        sims = CharNgramSpace.similarities(self._centroids[: len(self.items)], vector)
        i = int(np.argmax(sims))
        return i, float(sims[i])

    def best_similarity(self, rows: list[int], vector: tuple[np.ndarray, np.ndarray]) -> float:
        """The highest similarity of `vector` to the developments at `rows` (0.0 for none)."""
        if not rows:
            return 0.0
        return float(CharNgramSpace.similarities(self._centroids[rows], vector).max())

    def similarity(self, index: int, vector: tuple[np.ndarray, np.ndarray]) -> float:
        idx, val = vector
        return float(self._centroids[index, idx] @ val) if idx.size else 0.0

    # --- changes ----------------------------------------------------------------------------------
    def create(self, text: str, vector, label: str, fact_id: str | None, source: str, when: datetime | None) -> int:
        self._counter += 1
        dev = Development(f"d-{self._counter}", label, fact_id, [text], 1, {source} if source else set(), when, when)
        self._reserve(len(self.items) + 1)
        row = len(self.items)
        idx, val = vector
        self._sums[row] = 0.0
        self._sums[row, idx] = val
        self._centroids[row] = self._sums[row]
        self._remember(dev, text, when)
        self.items.append(dev)
        if fact_id:
            self.by_fact.setdefault(fact_id, len(self.items) - 1)
        self._evict()
        return self.index_of(dev.id)

    def add(self, index: int, text: str, vector, fact_id: str | None, source: str, when: datetime | None) -> None:
        dev = self.items[index]
        dev.count += 1
        if source:
            dev.sources.add(source)
        if when is not None and (dev.last_seen is None or when > dev.last_seen):
            dev.last_seen = when
        if fact_id:
            self.by_fact.setdefault(fact_id, index)
        if len(dev.texts) < KEPT_MEMBERS:
            dev.texts.append(text)
            self._remember(dev, text, when)
            idx, val = vector
            self._sums[index, idx] += val
            norm = float(np.linalg.norm(self._sums[index]))
            self._centroids[index] = self._sums[index] / norm if norm else self._sums[index]

    def fold(self, index: int, into: int, vector, source: str, when: datetime | None) -> None:
        """Move a one-member development into another (Engine._fold_lone_items): its row goes, and its one
        sentence becomes a member of `into`, with the baseline fact it resolves if any."""
        dev = self.items[index]
        text, fact_id = dev.texts[0], dev.fact_id
        into_id = self.items[into].id
        n = len(self.items)
        del self.items[index]
        self._sums[index: n - 1] = self._sums[index + 1: n]
        self._centroids[index: n - 1] = self._centroids[index + 1: n]
        self.by_fact = {f: i - (i > index) for f, i in self.by_fact.items() if i != index}
        self.add(self.index_of(into_id), text, vector, fact_id, source, when)

    def _remember(self, dev: Development, text: str, when: datetime | None) -> None:
        """Keep the member's content stems and event time for cross-article joins."""
        for stem_ in content_profile(text, self.content_exclude):
            dev.content[stem_] = dev.content.get(stem_, 0.0) + 1.0
        span = event_span(text, when)
        if span is not None:
            dev.event_spans.append(span)
        dev.plan_days.extend(planned_days(text, when))

    def _reserve(self, rows: int) -> None:
        """Grow the matrices geometrically so that adding a development is amortised O(1)."""
        if rows <= self._sums.shape[0]:
            return
        new_rows = max(rows, 2 * self._sums.shape[0], 16)
        for name in ("_sums", "_centroids"):
            old = getattr(self, name)
            grown = np.zeros((new_rows, self.space.dim), dtype=np.float32)
            grown[: old.shape[0]] = old
            setattr(self, name, grown)

    def index_of(self, dev_id: str) -> int:
        for i, dev in enumerate(self.items):
            if dev.id == dev_id:
                return i
        return -1

    def _evict(self) -> None:
        """Keep the newest `capacity` developments (by last sighting order of creation)."""
        if len(self.items) <= self.capacity:
            return
        drop = len(self.items) - self.capacity
        n = len(self.items)
        self.items = self.items[drop:]
        self._sums[: n - drop] = self._sums[drop:n]
        self._centroids[: n - drop] = self._centroids[drop:n]
        self.by_fact = {f: i - drop for f, i in self.by_fact.items() if i >= drop}

    # --- state ------------------------------------------------------------------------------------
    def export(self) -> dict:
        return {"counter": self._counter, "items": [d.to_json() for d in self.items], "by_fact": {
            f: self.items[i].id for f, i in self.by_fact.items()}}

    def load(self, state: dict) -> None:
        self.items, self.by_fact = [], {}
        sums = []
        for row in state.get("items", []):
            dev = Development(row["id"], row["label"], row.get("fact_id"), list(row["texts"]), int(row["count"]),
                              set(row.get("sources", [])), _time(row.get("first_seen")), _time(row.get("last_seen")))
            acc = np.zeros(self.space.dim, dtype=np.float32)
            for text in dev.texts:
                for stem_ in content_profile(text, self.content_exclude):
                    dev.content[stem_] = dev.content.get(stem_, 0.0) + 1.0
            if dev.first_seen is not None:
                seen = [dev.first_seen.date(), (dev.last_seen or dev.first_seen).date()]
                dev.event_spans.append((min(seen) - timedelta(days=1), max(seen)))
                # weekdays read from the first sighting: exact for the opening report, which states the plan
                dev.plan_days.extend(d for text in dev.texts for d in planned_days(text, dev.first_seen))
            for text in dev.texts:
                idx, val = self.space.sparse(text)
                acc[idx] += val
            sums.append(acc)
            self.items.append(dev)
        self._sums = np.stack(sums) if sums else np.zeros((0, self.space.dim), dtype=np.float32)
        norms = np.linalg.norm(self._sums, axis=1, keepdims=True) if sums else np.zeros((0, 1), np.float32)
        self._centroids = np.divide(self._sums, norms, out=np.zeros_like(self._sums), where=norms > 0)
        ids = {d.id: i for i, d in enumerate(self.items)}
        self.by_fact = {f: ids[d] for f, d in state.get("by_fact", {}).items() if d in ids}
        self._counter = int(state.get("counter", len(self.items)))


_SKIP_SUBJECT_WORDS = frozenset(
    "the a an in on at for with after asked secretary state spokesman spokeswoman spokesperson president prime "
    "minister foreign general chinese russian american us u.s. british french german japanese ukrainian".split()
)
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)




def leading_subject(text: str) -> frozenset[str]:
    """Who a sentence opens with: the name words of "Zelensky told reporters ...", or of its first name."""
    stripped = normalise(text).strip().strip('"')
    m = SPEAKER_INTRO.match(stripped)
    phrase = m.group(0) if m else stripped
    names: list[str] = []
    for token in phrase.replace(",", " ").split()[:8]:
        word = token.lower().removesuffix("'s")
        if word in ("he", "she", "they", "it", "we", "i"):
            break
        if token[:1].isupper() and word not in _SKIP_SUBJECT_WORDS:
            names.append(word)
        elif names or (not m and not token[:1].isupper() and word not in _SKIP_SUBJECT_WORDS):
            break
    return frozenset(names)


def event_kinds(text: str) -> frozenset[str]:
    low = normalise(text).lower()
    return frozenset(kind for kind, rx in EVENT_KINDS.items() if rx.search(low))


_PLACE_NAMES = {s: c for c, (ds, ps) in COUNTRIES.items() for s in (c, *ps)}
_PLACE_RX = re.compile(rf"\b({alternation(_PLACE_NAMES)})\b")


def places(text: str) -> frozenset[str]:
    return frozenset(_PLACE_NAMES[m.group(1)] for m in _PLACE_RX.finditer(normalise(text)))


_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")
ROUNDING = 0.005  # figures this close are one figure, rounded differently


# a summit's texts by kind: the main declaration (however named) and the plans, memoranda and treaties beside it
_TEXT_KINDS = {"declaration": "main", "statement": "main", "communique": "main", "communiqué": "main", "plan": "plan",
               "programme": "plan", "roadmap": "plan", "memorandum": "memorandum", "treaty": "treaty"}
# "A second statement set out plans ...", "a separate joint declaration": a text beside the main one, not it
_TEXT_NAMES = re.compile(r"\b((?:second|third|separate|companion|another)\s+(?:[\w\-]+\s+)?)?("
                         + "|".join(_TEXT_KINDS) + r")s?\b", re.IGNORECASE)


def texts_named(text: str) -> frozenset[str]:
    """The kinds of text a sentence names ("the joint statement", "a plan for economic cooperation"); a second or
    separate one is "other"."""
    return frozenset("other" if m.group(1) else _TEXT_KINDS[m.group(2).lower()] for m in _TEXT_NAMES.finditer(text))


def figures(text: str) -> frozenset[str]:
    """Amounts and years a sentence states (one-digit counts and days of the month left out)."""
    return frozenset(m.group(0).replace(",", "") for m in _FIGURE.finditer(text) if len(m.group(0)) > 2)


def amounts(text: str) -> frozenset[str]:
    """The figures a sentence states other than years: what identifies a reported total or count."""
    return frozenset(f for f in figures(text) if not _YEAR_LIKE.fullmatch(f))


def figures_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Do two sets of stated figures share one, allowing for rounding ("240.1 billion" and "240 billion")? Years
    must match exactly: 2023 and 2024 are close as numbers but not as times."""
    for x in a:
        for y in b:
            if x == y:
                return True
            if _YEAR_LIKE.fullmatch(x) or _YEAR_LIKE.fullmatch(y):
                continue
            try:
                fx, fy = float(x), float(y)
            except ValueError:  # "1.234.567": a grouping this reading does not take apart
                continue
            if abs(fx - fy) <= ROUNDING * max(abs(fx), abs(fy)):
                return True
    return False


def scene(text: str) -> frozenset[str]:
    """The place a sentence opens on ("In Kyiv, ..."): it sets the scene of what follows."""
    m = _PLACE_OPENER.match(normalise(text).strip().strip('"'))
    return places(m.group(1)) if m else frozenset()


def planned(text: str) -> bool:
    """The sentence announces something still to happen ("would sign", "is due to travel")."""
    return bool(PLANNED_CUES.search(normalise(text).lower()))


def shortfall(text: str) -> bool:
    """The sentence reports a claim falling short ("the joint statement only promised further study", "no contract
    was signed"): a report in its own right, not more of the claim it answers."""
    return bool(SHORTFALL_CUES.search(normalise(text).lower()))


def contradicts(text: str) -> bool:
    """The sentence says another report is wrong: a denial of a report, or an outlet's retraction of a claim. A
    development with such a report is one of conflicting reports."""
    return bool(CONTRADICTION_CUES.search(normalise(text)))


def compatible(text: str, other: str, by_place: bool = True) -> bool:
    """Two reports can be one development only if they report the same kind of happening (when
    both report one), do not happen in wholly different places (unless not `by_place`: a call's
    report names both countries, "according to Chinese state media ..." after "Xi spoke to
    Zelensky ..."), and are not one a plan and the other the happening itself (a plan announced
    and carried out are two items of news)."""
    a, b = event_kinds(text), event_kinds(other)
    if a and b and not a & b:
        return False
    if planned(text) != planned(other) or shortfall(text) != shortfall(other):
        return False
    na, nb = figures(text), figures(other)
    if na and nb and not figures_agree(na, nb):  # a record of 240.1 billion and one of 244.8 billion are two reports
        return False
    pa, pb = places(text), places(other)
    return not (by_place and pa and pb and not pa & pb)


# kinds of happening that one summit strings together: greeting, talks, signing are one development
CEREMONY_KINDS = frozenset({"arrive", "meet", "sign"})
_PLACE_OPENER = re.compile(rf"^In ((?:[{UPPER}][\w\-]+)(?:\s[{UPPER}][\w\-]+)?),")


@dataclass(slots=True)
class Run:
    """The running block of flagged sentences inside one article: who it is about, what kind of
    happening it reports, where, and whether it opened on a meeting of the story's core persons."""

    subject: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()
    places: frozenset[str] = frozenset()
    meeting: bool = False  # the opening sentence names two or more core persons: their remarks belong to it
    speakers: frozenset[str] = frozenset()  # name words of the sources the run quotes by name
    names: frozenset[str] = frozenset()  # every name word the run's sentences mention (its participants)
    start: date | None = None  # the first day its opening sentence's happening can have taken place
    # it reports a happening after the baseline's own (a later visit, a call a month on): such a happening is one
    # development with the voices that react to it, where the baseline's own is itemised reaction by reaction
    later: bool = False


def kind_change(kinds: frozenset[str], run_kinds: frozenset[str]) -> bool:
    """A sentence reporting another kind of happening than the run (an invitation after a departure,
    trade figures after a call) starts a new item; a summit's greeting, talks and signing do not."""
    if not kinds or not run_kinds or kinds & run_kinds:
        return False
    if run_kinds == {"call"} and kinds <= {"meet"}:
        return False  # "welcomed", "greeted" in a call's readout: words exchanged on the call
    return not (kinds <= CEREMONY_KINDS and run_kinds <= CEREMONY_KINDS)


# the kinds of happening that break a run on a later happening: what a visit's arrival, talks, signing, signed
# text ("plans to deploy missiles") and departure are not; a leader's article in the host's paper is apart from them
LATER_BREAK_KINDS = frozenset({"trade", "call", "invite", "shortfall", "send", "write"})
# the voice the run quotes, going on by pronoun ("He said two-thirds of trade was already settled in yuan")
_PRONOUN_GOES_ON = re.compile(r"^(?:he|she) (?:said|added)\b", re.IGNORECASE)
# the happening just reported, counted among its kind ("It was Xi's first visit to Russia since ...", "It is their
# third meeting this year")
_COUNTED_OCCASION = re.compile(r"^(?:it|this|that) (?:was|is|marked|marks) (?:\w+'s |his |her |their |the )"
                               r"(?:\w+ ){0,2}(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
                               r"\d+th|last|latest)\b", re.IGNORECASE)
# a party that sent someone, said in the past at the sentence's opening ("Beijing sent Li Hui, its envoy, ...")
_SENT_TO_IT = re.compile(r"^(?:the )?[A-Z][\w'\-]*(?: [A-Z][\w'\-]*)? (?:sent|dispatched)\b")


def continues(text: str, run_subject: frozenset[str] | Run, published: datetime | None = None,
              core_words: frozenset[str] = frozenset(), side_words: frozenset[str] = frozenset()) -> bool:
    """Does `text` carry on the development of the flagged sentences just before it?

    Default yes (coverage of one event comes in blocks); no when the sentence opens a
    further item ("They also adopted ...", but not "Kirby also urged ..." from a voice the run named, "however",
    "last month", an earlier month, a time a week or
    more before the run's own ("Zelensky had invited Xi late last month"), in a run on a later happening
    a day more than a week after it, "A second document ..."), moves to another place ("In Kyiv, ..."),
    reports another kind of happening,
    opens on the press occasion after a meeting ("Speaking to reporters afterwards, Putin said ..."),
    or a new named voice takes the floor ("Zelensky told reporters ...", "..., Kirby said") -- unless
    one of the story's core persons is speaking at their meeting (not of an invitation, nor parting words) or on what
    the run reports them doing, their side gives its account of it ("Putin toured the fair, the Kremlin said") or one
    of its officials speaks on the leaders' meeting ("Kremlin aide X said the two ..."), the voice is
    someone the run already named (a short remark, a quote closed by "..., X said"), speaks to the
    run's subject ("X told him ..."), or is a party to the story (`side_words`: "the Kremlin said
    the talks also ...") referring back to what was just reported. "He said ..." after a quoted voice, and a line
    counting the happening just reported among its kind ("It was their third meeting this year"), carry on whatever
    they name. In a run on a happening after the baseline's own (`run.later`: a visit a year on, a phone call a month
    on) a new voice opens no item unless it reports a signing as none of the story's parties (a company's deal), a
    further-item cue none unless it is one of `LATER_RUN_BREAKS` (more news from the same occasion, another
    happening set beside or dated from it), and another kind of happening none unless it is one a visit does not
    hold (`LATER_BREAK_KINDS`: trade figures, a call, an invitation, a shortfall, an envoy sent, a signed article): the
    reactions to such a happening and its days are part of its development, as in the labelled sets,
    where the baseline's own visit is itemised reaction by reaction."""
    run = run_subject if isinstance(run_subject, Run) else Run(subject=run_subject)
    stripped = normalise(text).strip().strip('"')
    low = stripped.lower()
    if "meet" in run.kinds and _SENT_TO_IT.match(stripped) and event_kinds(stripped) - run.kinds == {"send"}:
        return True  # "Beijing sent Li Hui, its envoy, after staying away from a meeting in June" after "Officials from
        # 40 countries, including China, met in Jeddah": who a party sent to the meeting is part of it, whatever
        # earlier time the line recalls
    if _PRONOUN_GOES_ON.match(stripped) and run.speakers and not NEW_ITEM_CUES.search(stripped):
        return True  # "He said two-thirds of trade was already settled in roubles and yuan" after Putin's word on the
        # yuan: the voice the run quotes, going on, whatever kind of happening it speaks of
    if _COUNTED_OCCASION.match(stripped):
        return True  # "It was Putin's first trip outside the former Soviet Union since the warrant in March", "It was
        # their third meeting this year": what the happening just reported was, whatever earlier times it counts from
    # "his first trip abroad since the court's warrant in March" is not dated to March
    low_dated = SINCE_PHRASE.sub("", low)
    if published is not None:
        # a happening in another, earlier month is another item; a later month is what the run looks ahead to
        # ("invited him to the summit in October")
        if any(re.search(rf"\b(?:in|last) {month}\b", low_dated) for month in _MONTHS[:published.month - 1]) \
                or any(re.search(rf"\blast {month}\b", low_dated) for month in _MONTHS):
            return False
    if published is not None and run.start is not None:
        times = happening_times(stripped, published)
        if times and max(hi for _, hi in times) < run.start - timedelta(days=EARLIER_SLACK_DAYS):
            return False  # "Zelensky had invited Xi late last month", "Last week's statement said ...": earlier
        days = [lo for lo, hi in times if (hi - lo).days <= 1]
        if run.later and days and min(days) > run.start + timedelta(days=LATER_SLACK_DAYS):
            return False  # "Blinken closed the month, meeting Xi on 26 April" after Lavrov's visit on 9 April: a later
            # happening takes in its reactions and days, not a happening on a day named weeks after it
    if _PRESS_OCCASION.match(stripped):
        return False  # "Speaking to reporters after the talks, Putin said ...": what a leader says to the press is an
        # item apart from the talks and texts reported before it, even at their meeting
    speaker = named_speaker(stripped)
    kinds = event_kinds(stripped)
    # a core person's word of an invitation, or parting words ("As he left the Kremlin, Xi told Putin ..."), are an item
    # of their own in the labelled sets, not more of the meeting the run reports
    own_item = bool({"invite", "depart"} & (kinds - run.kinds))
    if speaker and core_words and speaker <= core_words and (run.meeting or run.names & core_words) \
            and not own_item and not (DISCOURSE_CUES if run.meeting else NEW_ITEM_CUES).search(stripped):
        return True  # a core person's remarks at their meeting (whatever times they speak of), or on what the run
        # reports them doing
    if speaker and speaker <= side_words and core_words and name_words(stripped) & core_words & run.names \
            and not own_item and not NEW_ITEM_CUES.search(stripped):
        return True  # "..., the Kremlin said": a side's own account of what its leader did in the run
    if speaker and speaker & side_words and run.meeting and not own_item and not NEW_ITEM_CUES.search(stripped):
        return True  # a side's official on the leaders' meeting ("Kremlin aide Yuri Ushakov said the two ...")
    where = scene(stripped)
    if where and not where & run.places:
        return False
    if "shortfall" in kinds - run.kinds:
        return False  # a claim and the word that it fell short are two items ("Putin said all was agreed" / "The
        # statement, however, only promised further study"), even when the claim names no kind of happening
    if run.later and "sign" in kinds and speaker and speaker != PRONOUN_SPEAKER \
            and not speaker & (core_words | side_words | run.names):
        return False  # "Gazprom chief executive Alexei Miller said the two sides had signed a legally binding
        # memorandum" during a later visit: a deal another party reports signed is its own item, not the visit's
    if kind_change(kinds, run.kinds) and not (run.later and not kinds & LATER_BREAK_KINDS):
        return False
    # someone the run already named, in a short remark or a quote closed by the attribution ("..., Peskov said.")
    # or one of the story's core persons taking part in what the run reports
    participant = speaker <= run.names and (len(stripped.split()) <= SHORT_SENTENCE or bool(_TRAIL_NP.search(stripped))
                                            or (bool(core_words) and speaker <= core_words))
    if speaker and not run.later and not speaker & (run.subject | run.speakers) and not participant \
            and not _ADDRESSED.search(stripped) \
            and not _same_body(stripped, speaker, run) \
            and not ((speaker <= side_words | run.names or _OPENS_ON_REFERENCE.match(stripped))
                     and _BACK_REFERENCE.search(stripped)) \
            and not _LEADING_ANAPHOR.match(stripped):
        return False  # another named voice takes the floor, at the start or in a trailing "..., Kirby said"
    also = _ALSO_SUBJECT.match(stripped)
    if also and not NEW_ITEM_CUES.search(stripped[also.end():]):
        subject = name_words(also.group(1)) - core_words
        if subject and subject <= run.names:
            return True  # "Kirby also urged Xi to call Zelensky" after Kirby's first remark: the voice just reported,
            # saying more, as "He also said ..." does; not the story's core persons, whose further acts are items
    opener = leading_subject(stripped)
    party = places(" ".join(stripped.split()[:4])) if opener and not opener & side_words else frozenset()
    if party and not party & run.places and len(stripped.split()) <= SHORT_SENTENCE:
        return False  # "The White House was unmoved.": a short word from a party the run has not involved
    if len(stripped.split()) <= 6 or ANAPHORA.search(stripped):
        return not NEW_ITEM_CUES.search(stripped) or bool(re.match(r"^(?:he|she|they)\s+said\b", stripped, re.I))
    # a further-item cue in a run on a later happening is what its reactions and days say; more news from the same
    # occasion (a plan for Belarus, then "In the same interview, Putin said ..."), a line set beside another
    # happening ("The announcement came as Putin held talks with Xi") or dated from it ("Only days earlier, ...") is
    # an item of its own there too (LATER_RUN_BREAKS)
    return not (NEW_ITEM_CUES.search(stripped)
                and (not run.later or LATER_RUN_BREAKS.match(stripped)))


def _same_body(text: str, speaker: frozenset[str], run: Run) -> bool:
    """The new voice speaks for the body the run quotes: "Investigators accused ..." after "Russia's Investigative
    Committee said ...", or an official titled by no other body ("Chief executive Alexei Miller said ..." after
    "Gazprom said ...", "Foreign ministry spokeswoman Maria Zakharova said ..." after "Russia said ..."), or a body
    inside the one quoted (`_PART_OF`: "National Security Council spokesman John Kirby ..." after "The White House
    said ...")."""
    voices = run.speakers | run.subject
    if not run.speakers:
        return False
    if any(len(w) >= 6 and w[:6] == v[:6] and w[:6] not in _NATION_STEMS for w in speaker for v in voices):
        return True
    opening = " ".join(text.split()[:12]).lower()
    if any(part in opening and whole <= voices for part, whole in _PART_OF.items()):
        return True
    m = _ROLE_TITLE.match(text)
    if not m:
        return False
    body = {w.lower().removesuffix("'s") for w in m.group(1).split()} - _GENERIC_BODY
    return body <= voices | run.names


# "Chief executive Alexei Miller", "Foreign ministry spokeswoman ...": the words before the title name the body
_ROLE_TITLE = re.compile(r"^(?:the\s|an?\s)?((?:[\w'\-]+\s){0,3}?)(?:spokes(?:man|woman|person)|chief executive|"
                         r"chairman|chairwoman|aide|official)\s", re.IGNORECASE)
# "Russia" and "Russian", "Ukraine" and "Ukrainian" name a country, not one body in it
_NATION_STEMS = frozenset(w.lower()[:6] for country, (demonyms, _) in COUNTRIES.items() for w in (country, *demonyms))
# a body inside another, whose officials speak for the whole: the name in the opening, the whole's name words
_PART_OF = {"national security council": frozenset({"white", "house"})}
# words that title an official without saying whose: any government has a foreign ministry
_GENERIC_BODY = frozenset("foreign defence defense ministry company government state press".split())


_ALSO_SUBJECT = re.compile(rf"^((?:[{UPPER}][\w'\-]*\s){{1,3}})also\s")  # "John Kirby also ...": who says more
# the new voice speaks to or receives the run's subject: "Foreign Minister X told him ...",
# "Deputy Prime Minister X welcomed him on the tarmac"
_ADDRESSED = re.compile(r"\b(?:told|assured|asked|warned|informed|thanked|urged|reminded|welcomed|greeted|received|"
                        r"hosted|congratulated|embraced) (?:him|her|them)\b")
# the sentence is about what was just reported: "The call lasted an hour, according to Kyiv."
_OPENS_ON_REFERENCE = re.compile(r"^(?:the|this|that) \w+ (?!said|says|told)", re.IGNORECASE)
# an opening on the press occasion after a meeting ("Speaking to reporters afterwards", "At a news conference")
_PRESS_OCCASION = re.compile(r"^(?:speaking (?:to|with) (?:reporters|journalists|the press|the media)|"
                             r"speaking (?:after|at the end of) the (?:talks|signing|meeting)|"
                             r"(?:at|in) (?:a|the|his|their) (?:joint )?(?:news|press) (?:conference|briefing))\b",
                             re.IGNORECASE)
_LEADING_ANAPHOR = re.compile(r"^(?:he|she|they|it|his|her|their|its|this|that|these|those)\b", re.IGNORECASE)
# an early definite reference to what was just reported: "Critics said the move ...", "Asked about the plan, ..."
_BACK_REFERENCE = re.compile(
    r"^(?:\S+\s){0,4}(?:the|this|that) (?:move|plan|decision|announcement|step|talks|meeting|call|deal|remarks|"
    r"comments|pledge|offer|invitation|proposal|agreement|statement|declaration)\b", re.IGNORECASE)


# --- attribution: who a sentence quotes --------------------------------------------------------------
PRONOUN_SPEAKER = frozenset({"<pronoun>"})
ATTRIBUTION_VERB = (r"(?:said|says|told|tells|added|adds|stated|announced|warned|argued|noted|stressed|insisted|"
                    r"repeated|responded|replied|wrote|described|called|quoted|accused|praised|welcomed|urged)")
# an opening adverbial before the subject: "In remarks to the press, ", "On Ukraine, ", "Had he gone, "
_OPENER = re.compile(r"^[^,\"]{2,60},\s+(?=\S)")
_LEAD_NP = re.compile(rf"^((?:[\w'\-.]+,?\s){{1,9}}?)(?:also\s|later\s|then\s|has\s|had\s|have\s|again\s)?"
                      rf"{ATTRIBUTION_VERB}\b")
_TRAIL_NP = re.compile(rf",\s*((?:[\w'\-.]+\s){{1,6}}?){ATTRIBUTION_VERB}(?:\s(?:reporters|journalists))?"
                       rf"(?:\s(?:on|in|last|this|late|early|earlier|later)(?:\s[\w\-]+){{1,3}}?)?(?:\.?\"?$|,)")
_ACCORDING = re.compile(r"\baccording to ((?:[\w'\-.]+\s?){1,6}?)[.,]?\"?$|^according to ((?:[\w'\-.]+\s){1,6}?)[,]")
# words no speaker's noun phrase contains: "Putin will skip it, Pretoria said ..." is not Putin speaking
_NP_STOP = frozenset("and that to which who because if when as but or not no will would can could should may might "
                     "must is are was were".split())
_ROLES = frozenset("spokesman spokeswoman spokesperson spokespeople aide aides official officials".split())
# sources named by kind, not by name, capitalised only at the start of a sentence ("Critics said ...")
_GENERIC_SOURCES = frozenset("critics analysts observers experts diplomats sources officials residents lawmakers "
                             "economists commentators witnesses".split())
_OPENER_WORDS = frozenset("asked earlier later before after during despite while".split())
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})


def _speaker_key(phrase: str) -> frozenset[str] | None:
    if "," in phrase:  # an apposition: "Antony Blinken, the US secretary of state," / "NATO's chief, Jens Stoltenberg,"
        for part in phrase.split(","):
            key = _speaker_key(part)
            if key and any(w[:1].isupper() for w in part.split()):
                return key
        return None
    tokens = [t.strip(",.\"'") for t in phrase.split()]
    tokens = [t for t in tokens if t]
    if not tokens:
        return None
    if tokens[0].lower() in _PRONOUNS:
        return PRONOUN_SPEAKER
    low = [t.lower() for t in tokens]
    if len(low) == 1 and low[0] in _GENERIC_SOURCES:
        return frozenset({"~" + low[0]})
    if low[0] in _ROLES or (len(low) > 1 and low[0] in ("a", "an", "its", "his", "her", "their") and low[1] in _ROLES):
        return frozenset({"~" + low[0]})  # "Spokesman John Kirby", "Its spokeswoman": the voice of the body just named
    if any(w in _NP_STOP for w in low) or any(w.endswith("ed") and not tokens[i][:1].isupper() for i, w in
                                              enumerate(low)):
        return None  # a clause, not a noun phrase ("Xi praised Putin's leadership and said")
    names = [w.removesuffix("'s") for t, w in zip(tokens, low, strict=True)
             if t[:1].isupper() and w.removesuffix("'s") not in _SKIP_SUBJECT_WORDS and w not in STOPWORDS
             and w.removesuffix("'s") not in _CALENDAR]
    if names:
        return frozenset(names)
    head = low[-1].removesuffix("'s")
    return frozenset({"~" + head}) if head.isalpha() and head not in STOPWORDS else None


@lru_cache(maxsize=4096)
def speaker_of(text: str) -> frozenset[str] | None:
    """Who the sentence attributes its claim to: name words ("Jens Stoltenberg said" -> {jens, stoltenberg}),
    the head noun of an unnamed source marked with "~" ("critics said" -> {~critics}), PRONOUN_SPEAKER for
    "he said", else None."""
    stripped = normalise(text).strip().strip('"')
    m = _ACCORDING.search(stripped)
    if m:
        return _speaker_key(m.group(1) or m.group(2))
    m = _TRAIL_NP.search(stripped)
    if m and _speaker_key(m.group(1)) is not None:
        return _speaker_key(m.group(1))
    first = stripped.split(" ", 1)[0].lower().strip(",")
    opened = first in STOPWORDS or first.endswith("ing") or first in _OPENER_WORDS  # "On Ukraine, ...", "Asked ..., "
    without_opener = _OPENER.sub("", stripped, count=1)
    candidates = (without_opener, stripped) if opened else (stripped, without_opener)
    for candidate in candidates:
        m = _LEAD_NP.match(candidate)
        if m:
            key = _speaker_key(m.group(1))
            if key is not None:
                return key
    return None


def named_speaker(text: str) -> frozenset[str]:
    """The name words of the source a sentence quotes by name (empty for "he said", "officials said", none)."""
    who = speaker_of(text)
    if not who or who == PRONOUN_SPEAKER or any(w.startswith("~") for w in who):
        return frozenset()
    return who


_PLACE_WORDS = frozenset(w.lower() for name in _PLACE_NAMES for w in name.split())
_CALENDAR = frozenset(_MONTHS) | frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_NAME_WORD = re.compile(rf"\b[{UPPER}][\w\-]+")


@lru_cache(maxsize=4096)
def name_words(text: str) -> frozenset[str]:
    """Lower-cased capitalised words of a sentence, the sentence's first word left out unless it is a name."""
    out = set()
    for m in _NAME_WORD.finditer(normalise(text)):
        word = m.group(0).lower().removesuffix("'s")
        if word in STOPWORDS or word in _SKIP_SUBJECT_WORDS or word in _PLACE_WORDS or word in _CALENDAR:
            continue  # places and countries are named everywhere: they make nobody a participant
        out.add(word)
    return frozenset(out)


SHORT_SENTENCE = 8  # words: a sentence this short says little of its own; the article's context places it


# a sentence that leans on the one before it: "They also signed ...", "But the statement ..."
_LEANS_BACK = re.compile(r"^(?:he|she|they|it|his|her|their|its|this|that|these|those|also|but|however|meanwhile|"
                         r"still|yet|and|so|then|there|here)\b", re.IGNORECASE)


def headline(texts: Sequence[str]) -> str:
    """The member that reads best as a development's heading, where it stands alone: the first that leans on no
    sentence before it ("They also signed a statement on ..." is a quote, not a heading), without a live page's
    clock; the first member when none does."""
    plain = [entry_text(t).strip() for t in texts if t and t.strip()]
    if not plain:
        return ""
    return next((t for t in plain if not _LEANS_BACK.match(t.lstrip('"\'\u201c\u2018'))), plain[0])


def back_reference(text: str) -> bool:
    """An early definite reference to something already reported ("Critics said the move ...")."""
    return bool(_BACK_REFERENCE.search(normalise(text).strip().strip('"')))


# --- cross-article joins on what happened, not on who is named ----------------------------------------
# verbs and nouns of reporting that every story uses: they say nothing about which happening it is
REPORTING_WORDS = frozenset(
    "said says say told tells tell added adds stated announced according reported reports report noted "
    "statement statements comments remarks quoted media news agency agencies reporters journalists state "
    "spokesman spokeswoman spokesperson official officials aide president presidents leader leaders minister "
    "counterpart two both side sides country countries also would could will year years day days week weeks "
    "month months time first new".split()
)
REPORTING_STEMS = frozenset(content_stems(" ".join(REPORTING_WORDS)))
_CALENDAR_WORDS = frozenset(_MONTHS) | frozenset("monday tuesday wednesday thursday friday saturday sunday "
                                                 "yesterday today earlier later last next".split())


def content_profile(text: str, exclude: frozenset[str] = frozenset()) -> frozenset[str]:
    """Content stems of a sentence without the story's core actors (`exclude`, lower-cased name words and their
    stems), place names, calendar words and generic reporting vocabulary: what the sentence says happened."""
    stems = {s[:-5] if s.endswith("ation") and len(s) > 8 else s  # "invitation" meets "invited"
             for s in content_stems(text, _CALENDAR_WORDS | _PLACE_WORDS)}
    return frozenset(s for s in stems if s not in exclude and s not in REPORTING_STEMS and len(s) > 2)


def content_similarity(profile: frozenset[str], weights: dict[str, float]) -> float:
    """Cosine between a sentence's content stems (binary) and a development's summed stem weights."""
    if not profile or not weights:
        return 0.0
    dot = sum(weights.get(s, 0.0) for s in profile)
    if not dot:
        return 0.0
    norm = sum(v * v for v in weights.values()) ** 0.5
    return dot / (norm * len(profile) ** 0.5)


def dated_span(text: str, published: datetime | None) -> tuple[date, date] | None:
    """When the happening a sentence reports took place, if it names a time; None for a plan, an undated report
    or a sentence that names no time."""
    if published is None or planned(text):
        return None
    return _named_span(text, published)


def event_span(text: str, published: datetime | None) -> tuple[date, date] | None:
    """When the happening a sentence reports took place: the past time it names, else the day of publication and
    the day before; None for a plan or an undated report."""
    if published is None or planned(text):
        return None
    today = published.date()
    return _named_span(text, published) or (today - timedelta(days=1), today)


def _named_span(text: str, published: datetime) -> tuple[date, date] | None:
    """The span of the times a sentence names (resolved by when.py), if it names any."""
    times = referred_times(text, published)
    return (min(lo for lo, _ in times), max(hi for _, hi in times)) if times else None


def spans_agree(span: tuple[date, date] | None, spans: list[tuple[date, date]],
                slack_days: int = EVENT_DATE_SLACK_DAYS) -> bool:
    """Does a sentence's event time lie within `slack_days` of one of a development's event times?"""
    if span is None:
        return False
    slack = timedelta(days=slack_days)
    lo, hi = span
    return any(lo - slack <= b and a - slack <= hi for a, b in spans)
