"""Labelling stage: one sentence of a relevant article -> known | new | update | background | offtopic.

Ordered rules, as the design note recommends: boilerplate first, then status
moves of open baseline facts (update), reversals (update), restatements
(known, by char n-gram similarity to the baseline's clauses, stricter when the
sentence carries signs of a fresh event), history (background), else new.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import pairwise

import numpy as np

from .cluster import ATTRIBUTION_VERB, leading_subject, named_speaker
from .facts import HYPOTHETICAL, NOT_YET, PLANNED, REALIZED, Fact, detect_frames, detect_status, split_clauses
from .lexicon import (
    BACKGROUND_CUES,
    BOILERPLATE,
    COUNTRIES,
    EVENT_VERBS,
    FIRST_SINCE,
    FRAMES,
    NEGATION,
    NOT_YET_CUES,
    OTHER_STORY,
    PAST_PERFECT_MAIN,
    PLANNED_CUES,
    REPORTING,
    REVERSAL_CUES,
    STANCE_CHANGED,
    STANCE_KEPT,
    WEEKDAY_OR_DATE,
    YEAR,
)
from .paraphrase import ConceptSpace, fold_stems
from .text import LIVE_CLOCK, CharNgramSpace, content_stems, entry_text, normalise, stem, words
from .topic import Mention, Topic
from .when import happened_before, planned_days, referred_times

KNOWN_SIMILARITY = 0.28  # a restatement of a baseline clause
WEAK_KNOWN_SIMILARITY = 0.18  # ... enough when nothing in the sentence looks fresh
EVENTFUL_KNOWN_SIMILARITY = 0.45  # ... needed when the sentence names new actors or figures
UPDATE_ANCHOR_SIMILARITY = 0.2  # a status move needs this much lexical tie to the fact, or an anchor word
REVERSAL_SIMILARITY = 0.3
STANCE_CHANGE_SIMILARITY = 0.18  # a stance said to have changed: the sentence recalls it, in its own words
# the paraphrase channel (concept overlap, see paraphrase.py): a restatement in other words
PARAPHRASE_KNOWN = 0.27  # ... when nothing in the sentence looks fresh
PARAPHRASE_FRESH_KNOWN = 0.42  # ... when it has an event verb but no new names, figures or speakers
PENDING_MIN_SIMILARITY = 0.03  # a fact still pending told in other words: same agent, same awaited event
PENDING_PARAPHRASE_KNOWN = 0.2  # ... when it says the fact's agent still has not done what the fact awaits
REPEATED_KNOWN = 0.14  # ... when it says the position is held again ("has repeatedly urged", "had always")
PARAPHRASE_EVENTFUL_KNOWN = 0.58  # ... when it names new actors or figures
RESTATEMENT_PIECE_SIMILARITY = 0.17  # inside a restatement piece (see Engine), for sentences with no fresh cues
MIN_SHARED_CONTENT = 2.5  # content words a restatement below the 'eventful' threshold must share (entities
# count half): two words in common are chance as often as not (1.5 until blind132: see docs/quality.md)
PLANNED_WINDOW = timedelta(days=14)  # a scheduled event reported 'done' later than this is another event
RECAP_AFTER = timedelta(days=45)  # a happening since the baseline this long before publication is recalled, not news
EVIDENCE_MEMO_SIZE = 256  # sentences whose evidence is remembered (more than an article holds)
QUESTION_WORDS = 10  # a question this short is an explainer's heading, not a claim
PENDING_WINDOW = timedelta(days=200)  # how long 'has not yet ...' stays resolvable
MEMO_SIZE = 4096  # texts whose concept similarities are remembered

_NEW_SPEAKER = re.compile(
    r"\b(spokes(?:man|woman|person)|foreign ministry|state media|news agency|white house|state department|"
    r"pentagon|secretary general|secretary-general|press secretary)\b"
)
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:[A-Z][a-z]+)?\b")
_SPEAKS = re.compile(rf"(?:\s\w+)?\s(?:has |had |also )?{ATTRIBUTION_VERB}\b")  # "[ Jinping] wrote", "has said"
_JOINED = re.compile(r"\s(?:\w+\s)?(?:and|with)\s*$")  # "Xi and", "Xi Jinping and": a joint subject
_COUNTERFACTUAL = re.compile(r"\bwould (?:in principle )?have (?:been|had)\b|"
                             r"\bhad (?:he|she|they|it) (?:come|gone|been|travell?ed)\b")
# a trailing relative clause (", which ...", ", who ..."): context about a noun, not the sentence's claim
_RELATIVE_CLAUSE = re.compile(r",\s+(?:which|who|whose|where)\b[^,;]*")
# world regions and blocs: like the gazetteer's countries, they name no new actor ("relations with the West")
_REGIONS = frozenset(
    "West Western Westerners East Eastern Europe European Europeans Asia Asian Africa African Pacific Atlantic "
    "Arctic".split()
)
# "Foreign ministry spokeswoman Maria Zakharova said (that) ...": a spokesperson or unnamed officials
# relaying a side's position; who relays it is no news, what is relayed is compared with the baseline
_ATTRIBUTION = re.compile(
    r"^(?:[\w'\-]+,?\s){0,5}?(?:spokes(?:man|woman|person)|officials|aide|diplomats)\s(?:[A-Z][\w'\-]+\s){0,3}"
    r"(?:said|says|told reporters|stated|added|noted)\s(?:that\s)?"
)


# "..., says Joseph Torigian, a scholar of ... ." / "..., according to X.": who is quoted closes the sentence
_TRAILING_ATTRIBUTION = re.compile(
    r",\s+(?:says|said|according to|(?:[A-Z][\w'\-]+\s){1,3}(?:says|said))\s(?:[A-Z][\w'\-]+\s?){1,3}"
    r"(?:,\s[^,]*)?\.?\"?$"
)


# "Beijing, Xi said, had always ...": an attribution set off by commas inside the claim
_INNER_ATTRIBUTION = re.compile(r"(?<=\w),\s(?:[A-Z][\w'\-]+\s){1,3}(?:said|says|added|insisted|argued),\s(?=[a-z])")


def strip_attribution(text: str) -> str:
    m = _ATTRIBUTION.match(normalise(text))
    if m and len(text) - m.end() > 20:
        return text[m.end():]
    t = _TRAILING_ATTRIBUTION.search(normalise(text))
    if t and t.start() > 30:
        return text[: t.start()]
    inner = _INNER_ATTRIBUTION.search(normalise(text))
    if inner:
        return text[: inner.start()] + " " + text[inner.end():]
    return text


_NUMBER = re.compile(r"\d")
_IN_PERSON = frozenset({"ARRIVE", "MEET", "SIGN", "COMMENT"})  # what a leader does in person, not through a government
_NEGATED_OBJECT = re.compile(r"\s+(?:\w+\s+)?(?:no|nothing|none|neither)\b")
# the sentence reports something as of now, whatever years it names ("figures released this month ... 2024")
_RECENT = re.compile(r"\b(this (?:year|month|week)|today|yesterday|on (?:monday|tuesday|wednesday|thursday|friday|"
                     r"saturday|sunday))\b")
# a statement made at a given moment (simple past of a reporting verb), not a standing claim
_REPORTED_NOW = re.compile(r"(?<!has )(?<!have )(?<!had )\b(said|told|wrote|added|stated|announced|declared)\b")


# a pending fact recalled as it was, and the change since (see find_update)
_RESOLVED_SINCE = re.compile(r"\b(has since|have since|now|finally|at last|this time|no longer|leaves with|left with|"
                             r"c(?:a|o)me away with|comes away with|went home with|turned out|in the end)\b")
_RECALLS_PENDING = re.compile(r"\b(had|before|beforehand|in advance|going in|until (?:then|now)|previously|without)\b")
_BEFOREHAND = re.compile(r"\b(?:before|beforehand|in advance|ahead of|advance)\b")
# the texts signed at the summit, which answer what was kept back before it
_ANSWERING_TEXTS = re.compile(r"\b(?:statements?|documents?|declarations?|texts?|communiqu\w*|plan)\b")
# an answer told as coming after the question the article recalled ("The answer came in two documents ...", "answered
# that question"), and the texts it came in as the leaders' own
_THE_ANSWER = re.compile(r"^\W*the answer (?:came|turned out|was|lay|arrived)\b|"
                         r"\banswer(?:s|ed)? (?:that|the|this|a) (?:\w+ )?question\b")
_SIGNED = re.compile(r"\b(?:signed|joint|declarations?)\b")
# the pending state recalled in other words: "had kept quiet about", "declined to describe", "the blanks it left"
_KEPT_QUIET = re.compile(r"\b(kept (?:quiet|silent|mum)|kept (?:\w+ ){0,2}to (?:itself|himself|themselves)|"
                         r"said (?:almost |next to )?(?:little|nothing)|declined|refused|blanks?|under wraps|"
                         r"gave little|given little|kept (?:\w+ )?vague)\b")
# "a month after the summit": a look back counted from the happening the baseline awaited
_AFTER_THE_EVENT = re.compile(r"\b(a|one|two|three|four|five|six|a few|several) (day|week|month)s? after the "
                             r"(?:summit|visit|trip|talks|meeting)\b")
# an envoy sent on the mission the baseline waited for, not to a later meeting: "sent Li on the mission after his call"
_SENT_ON_THE_MISSION = re.compile(r"\b(?:mission|initiative|after (?:his|the|their|xi's) (?:\w+ )?(?:phone )?call|"
                                  r"to (?:ukraine|kyiv)|to talk to all|all (?:sides|parties))\b")
# a negation at most three words before what follows it ("without a peace initiative", "had not commented")
_NEGATED_BEFORE = re.compile(r"\b(?:not|no|never|without|nothing|yet to|n't)(?:\s+[\w'-]+){0,3}\s+$")
# the plan recalled as kept: "as the Kremlin had announced", "on the day the Kremlin had given", "as scheduled"
_KEPT_TO_PLAN = re.compile(r"\b(?:as|(?:on )?the (?:day|date|\w+day)(?: that)?) (?:[\w-]+ ){0,3}?had "
                           r"(?:announced|said|given|named|set|promised|scheduled|planned)\b|"
                           r"\bas (?:planned|scheduled|announced)\b|\bon schedule\b")
# a sentence opening as a question does ("Does the ministry see ...?"), not a statement before one ("X said Y, so
# why ...?")
_ASKS = re.compile(r"^\W*(?:what|why|how|when|where|who|which|whose|is|are|was|were|do|does|did|has|have|had|can|"
                   r"could|will|would|should|may|might|shall)\b", re.IGNORECASE)
_COUNT_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "a few": 3, "several": 4}
# the texts the leaders signed, speaking for them: "The documents set out the goals of the visit"
_TEXTS_SPEAKING = re.compile(r"^(?:the|their|both) (?:\w+ )?(?:documents|texts|statements?|declarations?|"
                             r"communiques?|agreements)\b")
# prepositions and light verbs that carry no topic of their own
_FUNCTION_CONCEPTS = frozenset("after against between before during since until among through across meet plac "
                               "take propose".split())
# a position stated before and stated again
_REPEATED = re.compile(r"\b(always|consistently|repeatedly|again|reiterated|reiterates|repeated|repeats|restated|"
                       r"(?:has|have|had) long)\b")
_SINCE = re.compile(r"\bsince\b", re.IGNORECASE)
# arriving at a building of the city, not in the city: "Xi's motorcade has arrived at the Kremlin"
_VENUE = re.compile(r"^ (?:at|in|to) the (?:kremlin|great hall|(?:\w+ )?palace|white house|ministry|residence|"
                    r"headquarters)\b")
# a happening named only to date another: "as Xi held talks ...", "on the same day that Xi held talks ..."; the
# clause splitter drops an opening "As", so an opening "As Xi sat down with Putin, ..." is taken off first
_OPENING_SCENE = re.compile(r"^\W*(?:as|while) [^,;]{1,80}[,;]\s*", re.IGNORECASE)
_SCENE_SETTING = re.compile(r"\b(?:as|while|before|until|on the (?:same )?day(?: that)?|the same day(?: that)?) "
                            r"(?:[\w'-]+ ){1,4}$")
# "he and Vladimir Putin ...", "Putin and he ...": see Labeller._paired_with (the first, a cheap test)
_PRONOUN_PAIR = re.compile(r"\b(?:he|she) and \b|\band (?:he|she)\b", re.IGNORECASE)
_PRONOUN_AND = re.compile(r"\b(?:he|she) and $", re.IGNORECASE)
_AND_PRONOUN = re.compile(r" and (?:he|she)\b", re.IGNORECASE)
# a stance recalled as it was (see Labeller.changed_stance), or as where a change set out from ("from warning that
# a cease-fire would ... to pressing for one")
_STANCE_BEFORE = re.compile(r"\b(?:earlier|previous|former|once|used to|originally|back then|at the time|"
                            r"from (?:warning|arguing|insisting|saying|claiming))\b")
# a mention as the place where something happens ("shook hands in the Kremlin"), not as who does it
_LOCATIVE = re.compile(r"\b(?:in|at|inside|outside|from|to|into)(?: the)? $", re.IGNORECASE)
# "ten days earlier" in the past perfect: counted back from the story's own time, not from publication
_EARLIER_THAN_THAT = re.compile(r"\b(?:\w+ )(?:days?|weeks?|months?) earlier\b")
# a baseline clause pointing at the clause before it
_THIS_MOVE = re.compile(r"\b(?:this|that|such a) (?:move|step|call|approach|proposal|plan|idea)\b")
# an annual total or rate: "a record 240.1 billion dollars", "by 2 per cent"
_ANNUAL_FIGURE = re.compile(r"\b(record|\d[\d.,]*\s?(?:bn|billion|trillion|million|per ?cent|%))|\$\s?\d")
# a standing state of affairs ("China insists", "Washington keeps arguing", "has said nothing")
_PRESENT = re.compile(r"\b(is|are|remains?|keeps?|wants?|says|sees|insists|continues?|goes on|still)\b")
# an entry dated by its opening clock time or calendar date ("13:00 - ...", "March 20, 2023: ...", "20 March: ..."):
# live blogs and timelines tell what happened in the present tense, "Xi lands at Vnukovo"
_DATED_ENTRY = re.compile(LIVE_CLOCK.pattern + r"|^\s*(?:\d{1,2} )?(?:january|february|march|april|may|june|july|"
                          r"august|september|october|november|december)(?: \d{1,2})?"
                          r"(?:,? \d{4}\s*[:\-\u2013\u2014]|:)\s", re.IGNORECASE)
_HISTORICAL_PRESENT = ((re.compile(r"\barrives\b"), "arrived"), (re.compile(r"\blands\b"), "landed"),
                       (re.compile(r"\btouches down\b"), "touched down"),
                       (re.compile(r"\bshake hands\b"), "shook hands"),
                       (re.compile(r"\bmeet\b"), "met"), (re.compile(r"\bsit down\b"), "sat down"),
                       (re.compile(r"\bgets under way\b"), "got under way"), (re.compile(r"\bbegins\b"), "began"))
# a count of happenings over the years, not one of them: "the two have met more than 40 times"
_COUNTED = re.compile(r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|dozens? of|several|many) "
                      r"(?:\w+ )?(?:times|occasions)\b")
# a meeting with someone named by an office other than head of state: "met Prime Minister Mikhail Mishustin"
_OTHER_COUNTERPART = re.compile(r"\b(?:met|meets|meeting with|talks with)\s+(?:(?:the|his|its|their|[a-z]+n)\s+)?"
                                r"(?:prime minister|premier|(?:foreign|defen[cs]e|finance|deputy) minister|deputy|"
                                r"speaker|chairman|governor|mayor)\b")
# what a named side owns, speaking for itself: "Russia's Investigative Committee", "Moscow's defence ministry"
_OWNED_BODY = re.compile(r"['\u2019]s\s+(?!(?:spokes\w*|press secretary|president|leader|government)\b)\w",
                         re.IGNORECASE)
# a participle describing a noun by its author: "the peace plan put forward by China", "the proposals made by Beijing"
_DESCRIBED_BY = re.compile(r"\s+by\b")
# where a verb's own predicate ends: "..., and is due to leave on Wednesday", "...; ..."; and a relative clause set
# off by commas ("Xi, who had announced no initiative, later dispatched an envoy"): what they say is not said of it
_NEXT_PREDICATE = re.compile(r",?\s+(?:and|but)\s+(?=(?:is|are|was|were|has|have|had|will|would)\b)|;\s*")
_ASIDE = re.compile(r",\s*(?:who|which|whose)\b[^,]*,")
_NOUN_BEFORE = re.compile(r"\b(?:the|its|their|a|an|this|that)\s+(?:[\w'-]+\s+){0,2}?[a-z]+s?\s+$")
_AUXILIARY_BEFORE = re.compile(r"\b(?:was|were|is|are|been|be|being|has|have|had)\s+(?:\w+\s+)?$")  # a passive
_RELATIVE_AFTER = re.compile(r"\s(?:that|which)\s[^,;]*")  # "... on a visit that will last until Wednesday"
# the newsroom's own voice ("This is our half-year letter on Russian markets", "Thanks to all who sent questions; I am
# working through them", "Our map of the routes now shows the new crossings"): a first person outside any quote, any
# speaker's label ("Kirby: We would like ...") and any reported speech ("..., so far we see no readiness, he added";
# "We asked her about ...", which the labels call background as often as not)
_NEWSROOM_VOICE = re.compile(r"\b(?:[Oo]ur|[Ww]e|us|I)\b")
_SPOKEN = re.compile(rf"[\"\u201c\u201d\u2018]|(?<!\w)'|^[^:]{{1,40}}:\s|\b{ATTRIBUTION_VERB}\b|"
                     r"\b(?:asked|answered)\b")  # and the attribution verbs: "replied", "responded", ...
_QUOTE = re.compile(r"[\"\u201c\u201d]|(?<!\w)'(?=\w)")


def _in_past(clause: str) -> str:
    """A dated entry's historical present put in the past tense the frames read ("lands" -> "landed")."""
    for present, past in _HISTORICAL_PRESENT:
        clause = present.sub(past, clause)
    return clause


def _predicate_of(clause: str, verb: re.Match[str]) -> tuple[str, int]:
    """The part of `clause` that says something of `verb`: up to the next coordinated predicate, from the one before,
    without the relative clauses around it that do not hold it; and where the verb ends in that part."""
    bounds = list(_NEXT_PREDICATE.finditer(clause))
    start = max((b.end() for b in bounds if b.end() <= verb.start()), default=0)
    end = min((b.start() for b in bounds if b.start() >= verb.end()), default=len(clause))
    part, at = clause[start:end], verb.start() - start
    removed_before = 0  # what the asides before the verb shrink by, to find it again in the part

    def keep_or_drop(aside: re.Match[str]) -> str:
        nonlocal removed_before
        if aside.start() <= at < aside.end():
            return aside.group(0)
        if aside.end() <= at:
            removed_before += len(aside.group(0)) - 1
        return ","

    part = _ASIDE.sub(keep_or_drop, part)
    return part, at - removed_before + len(verb.group(0))


def _without_relatives_after(scope: str, verb_end: int) -> str:
    """The predicate without what a relative clause after the verb says of a noun there: "arrived on a state visit
    that will last until March 22" reports the arrival done; the plan is the visit's length."""
    return scope[:verb_end] + _RELATIVE_AFTER.sub("", scope[verb_end:])


@dataclass(frozen=True, slots=True)
class Verdict:
    label: str
    fact: Fact | None
    similarity: float
    weak: bool = False  # a 'known' that rests on the low threshold: weaker evidence of relevance
    paraphrase: float = 0.0  # best concept-overlap similarity to a fact (paraphrase channel)
    paraphrase_fact: Fact | None = None
    fresh: bool = False  # the sentence carries cues of a fresh event (event verb, new name, figure, speaker)
    demoted: bool = False  # taken back from news by the learned second look (Engine._second_look)
    familiar: bool = False  # news for the text it quotes, its line a baseline position (Engine._documents_said)


class Labeller:
    def __init__(self, topic: Topic, facts: tuple[Fact, ...], space: CharNgramSpace, baseline_words: set[str],
                 concept_space: ConceptSpace | None = None):
        self.topic = topic
        self.concept_space = concept_space or ConceptSpace([f.sentence for f in facts], space.masked)
        self._fact_concepts = [
            (self.concept_space.concepts(f.text), self.concept_space.concepts(f.sentence)) for f in facts
        ]
        # "..., calling for a cease-fire, while the US argues that this move would ...": the clause's "this move"
        # is the clause before it, whose concepts it takes along
        for i in range(1, len(facts)):
            if facts[i].sentence == facts[i - 1].sentence and _THIS_MOVE.search(facts[i].text.lower()):
                clause, sentence = self._fact_concepts[i]
                self._fact_concepts[i] = (clause | self._fact_concepts[i - 1][0], sentence)
        self._fact_norms = [(self.concept_space.norm(clause), self.concept_space.norm(sentence))
                            for clause, sentence in self._fact_concepts]
        # the labels and the second look ask for the same texts
        self.paraphrase_similarities = lru_cache(maxsize=MEMO_SIZE)(self._paraphrase_similarities)
        self._remembered_evidence = lru_cache(maxsize=EVIDENCE_MEMO_SIZE)(self._evidence)
        self.facts = facts
        self.space = space
        self.clause_matrix = (
            np.stack([space.dense(f.text) for f in facts]) if facts else np.zeros((0, space.dim), np.float32)
        )
        self.sentence_matrix = (
            np.stack([space.dense(f.sentence) for f in facts]) if facts else np.zeros((0, space.dim), np.float32)
        )
        self.baseline_words = baseline_words
        self.open_facts = [(i, f) for i, f in enumerate(facts) if f.open and f.frames]
        # what each fact is about, synonym-folded: a status move reported in other words still anchors
        self._anchor_concepts = [fold_stems(f.anchors) for f in facts]
        self._entity_words = {stem(w) for surface in topic.surface_to_canonical for w in surface.split()}
        # what a pending comment would be about ("Putin has yet to comment on the announcement": the court's charges)
        self._comment_topics = {i: self._referent_concepts(i) for i, f in self.open_facts if "COMMENT" in f.frames}
        self._fact_agents: dict[str, str | None] = {}  # fact id -> the core person it has speak or act

    def _referent_concepts(self, index: int) -> frozenset[str]:
        """The concepts of the earlier fact a comment fact points to with its object ("on the announcement" ->
        the fact that says what was announced), without the story's core persons, countries and function words;
        empty when there is no such fact (then any comment by the agent counts)."""
        fact = self.facts[index]
        m = re.search(r"\b(?:on|about|to) (?:the|this|that|its|his|her) (\w+)", fact.text.lower())
        if not m:
            return frozenset()
        key = stem(m.group(1))[:6]
        core = {w.lower() for name in self.topic.core_persons for w in name.split()}
        # a country is no topic of its own: "Putin said China's plan for the war in Ukraine ..." says nothing on
        # the court's charges over children taken from Ukraine
        core |= self.concept_space.concepts(" ".join(c + " " + " ".join(d) for c, (d, _) in COUNTRIES.items()))
        for earlier in reversed(self.facts[:index]):
            if any(stem(w).startswith(key) for w in words(earlier.text.lower())):
                return frozenset(c for c in self.concept_space.concepts(earlier.text)
                                 if c not in core and c not in _FUNCTION_CONCEPTS and c != m.group(1))
        return frozenset()

    # --- similarity -------------------------------------------------------------------------------
    def fact_similarities(self, vector: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        clause = self.space.similarities(self.clause_matrix, vector)
        sentence = self.space.similarities(self.sentence_matrix, vector)
        return np.maximum(clause, 0.85 * sentence)

    def _paraphrase_similarities(self, text: str) -> np.ndarray:
        """Concept-overlap similarity of `text` to each fact: its clause, or (slightly discounted) its sentence;
        read-only, since `paraphrase_similarities` hands the same array to every caller."""
        cs = self.concept_space
        c = cs.concepts(text)
        n = cs.norm(c)
        out = np.array(
            [max(cs.similarity(c, clause, n, clause_norm), 0.85 * cs.similarity(c, sentence, n, sentence_norm))
             for (clause, sentence), (clause_norm, sentence_norm)
             in zip(self._fact_concepts, self._fact_norms, strict=True)],
            dtype=np.float32,
        )
        out.setflags(write=False)
        return out

    def paraphrase_overlap(self, text: str, index: int) -> int:
        """Concepts a sentence shares with a fact (clause or sentence): one shared word is not a restatement."""
        c = self.concept_space.concepts(text)
        clause, sentence = self._fact_concepts[index]
        return max(len(c & clause), len(c & sentence))

    # --- cues ----------------------------------------------------------------------------------------
    def novel_names(self, text: str) -> list[str]:
        """Capitalised words that are neither in the baseline nor known aliases: new actors or places."""
        known_spans = [(m.start, m.end) for m in self.topic.find(text)]
        out = []
        for m in _CAPITALISED.finditer(normalise(text)):
            if any(s <= m.start() < e for s, e in known_spans):
                continue
            word = m.group(0)
            if word.lower() in self.baseline_words or word in _REGIONS or WEEKDAY_OR_DATE.fullmatch(word.lower()):
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
        self, text: str, sims: np.ndarray, published: datetime | None, baseline_date: datetime | None,
        any_age: bool = False, dated_entry: bool = False,
    ) -> tuple[Fact, float] | None:
        """An open baseline fact (scheduled / not yet) that this sentence reports as done. `any_age`: however
        long after the baseline it is published; `dated_entry`: a live blog's or timeline's entry, told in the
        historical present."""
        if happened_before(text, published, baseline_date) and not _SINCE.search(text):
            # "Xi and Putin last met in Samarkand in September": done before the baseline was written ("for the
            # first time since Friday" names when the wait began, not when it ended)
            return None
        low = normalise(text).lower()
        entities = self.topic.entities(text) | self._paired_with(text)
        clauses = [_in_past(normalise(c).lower()) if dated_entry else normalise(c).lower()
                   for c in split_clauses(_OPENING_SCENE.sub("", normalise(text), count=1))]
        stems = content_stems(text)
        best: tuple[Fact, float] | None = None
        best_rank: tuple[bool, float] = (False, 0.0)
        age = (published - baseline_date) if (published and baseline_date) else None
        for i, fact in self.open_facts:
            window = PLANNED_WINDOW if fact.status == PLANNED else PENDING_WINDOW
            if age is not None and not any_age and (age < -timedelta(days=2) or (age > window and not self._dated_back(
                    text, published, baseline_date, window) and not self._recalls_the_wait(low, fact))):
                continue
            if not self._agents(fact) & entities and not ("DISCLOSE" in fact.frames and _TEXTS_SPEAKING.match(low)):
                continue  # (the texts the leaders signed speak for them: "The documents set out the goals ...")
            realised = [self._realised(frame, clauses) for frame in fact.frames]
            if not any(realised):
                continue
            if "MEET" in fact.frames and _OTHER_COUNTERPART.search(low):
                continue  # "Xi met Prime Minister Mishustin": a meeting, but not the one the fact awaits
            if "COMMENT" in fact.frames:
                if self._restates_a_said_fact(sims):
                    continue  # "The Kremlin has called the warrant outrageous": the baseline's own reply, restated
                if not self._speaker_is_agent(text, fact):
                    continue
            elif not self._done_by_agent(text, fact):
                continue
            about = self._comment_topics.get(i)
            if about and not self.concept_space.concepts(text) & about:
                continue  # the agent speaking, but not about what the fact waits for him to comment on
            tie = float(sims[i])
            anchored = bool(stems & set(fact.anchors)) or any(FRAMES[f].obj is not None for f in fact.frames)
            anchored = anchored or len(self.concept_space.concepts(text) & self._anchor_concepts[i]) >= 2
            persons = set(fact.entities) & self.topic.core_persons
            anchored = anchored or (len(persons) >= 2 and persons <= entities)  # "Xi and Putin sat down for talks"
            if tie < UPDATE_ANCHOR_SIMILARITY and not anchored:
                continue
            # "Xi and Putin sat down for talks" answers the meeting awaited alone (B01), not the arrival awaited with a
            # meeting after it (B13), however close the wording: a sentence that does not report an awaited arrival
            # answers a fact awaiting it last
            arrival_missing = "ARRIVE" in fact.frames and not realised[fact.frames.index("ARRIVE")]
            rank = (not arrival_missing, tie)
            if best is None or rank > best_rank:
                best, best_rank = (fact, tie), rank
        # "Beijing, which had said nothing in advance about its aims, leaves with a road map to 2030", "the
        # declaration spelled out goals Beijing had declined to describe": the sentence recalls a pending fact as it
        # was and reports that it has changed since (asked only when nothing above answered, as it reads every wait)
        recalled = best is None and bool(_RECALLS_PENDING.search(low))
        kept_quiet = recalled and bool(_KEPT_QUIET.search(low))
        # the change since told after the wait recalled in its own words ("had said nothing ..., leaves with",
        # "had offered no word on what Xi wanted; the declarations now ..."), not after any negation ("did not trust
        # China to broker peace now had an answer")
        since = recalled and bool(_RESOLVED_SINCE.search(low)) and (kept_quiet or any(
            self._recalls_the_wait(low, fact, objects=True) for _, fact in self.open_facts if fact.status == NOT_YET))
        # "Beijing had said little about its goals before the trip; the documents signed then set the agenda": the
        # aims kept back beforehand, and the texts signed since, answer the wait whatever verb tells it
        answered = recalled and bool(_BEFOREHAND.search(low) and _ANSWERING_TEXTS.search(low)
                                     and FRAMES["DISCLOSE"].obj.search(low))
        if since or answered or kept_quiet:
            for i, fact in self.open_facts:
                if fact.status != NOT_YET or not self._agents(fact) & entities:
                    continue
                if not since and not (answered and "DISCLOSE" in fact.frames) and not any(
                        FRAMES[f].realised.search(low) for f in fact.frames):
                    continue
                anchored = bool(stems & set(fact.anchors)) or len(
                    self.concept_space.concepts(text) & self._anchor_concepts[i]) >= 2 or any(
                    FRAMES[f].obj is not None and FRAMES[f].obj.search(low) for f in fact.frames)
                tie = float(sims[i])
                if (anchored or tie >= UPDATE_ANCHOR_SIMILARITY) and (best is None or tie > best[1]):
                    best = (fact, tie)
        if best is None and _THE_ANSWER.search(low) and _ANSWERING_TEXTS.search(low) and _SIGNED.search(low):
            # "The answer came in two documents signed in the Kremlin", "the declaration they signed answered that
            # question": the question the article has just recalled (what Beijing wanted from the trip) answered by
            # the texts the leaders signed
            waits = [(float(sims[i]), i) for i, fact in self.open_facts
                     if fact.status == NOT_YET and "DISCLOSE" in fact.frames]
            if waits:
                tie, i = max(waits)
                best = (self.facts[i], tie)
        if best is None and REVERSAL_CUES.search(low):
            i = int(np.argmax(sims)) if sims.size else -1
            if i >= 0 and sims[i] >= REVERSAL_SIMILARITY and set(self.facts[i].entities) & entities:
                best = (self.facts[i], float(sims[i]))
        return best

    def changed_stance(self, text: str, sims: np.ndarray, published: datetime | None,
                       baseline_date: datetime | None) -> tuple[Fact, float] | None:
        """A stance or state the baseline reports, recalled as it was and said to have changed since ("Washington,
        which argued two years ago that a cease-fire would lock in Russia's gains, has changed course under
        Trump"): the fact it recalls, updated. Only after the baseline's week, about a fact that is neither a plan
        nor a wait (those move by happening, see find_update), and with a party of the fact named."""
        if published is None or baseline_date is None or published - baseline_date <= PLANNED_WINDOW:
            return None
        low = normalise(text).lower()
        if not STANCE_CHANGED.search(low) or STANCE_KEPT.search(low) or not sims.size:
            return None
        # the stance as it was, recalled: dated to the baseline's time ("two years ago", "in 2023") or "earlier"
        then = (baseline_date + PENDING_WINDOW).date()
        if not _STANCE_BEFORE.search(low) and not any(lo <= then for lo, _ in referred_times(text, published)):
            return None
        named = self.topic.entities(text)
        wsims = self.paraphrase_similarities(text)  # the stance recalled in other words ("would only reward Moscow")
        held = [(max(float(sims[i]), float(wsims[i])), i) for i, f in enumerate(self.facts)
                if f.status not in (PLANNED, NOT_YET) and set(f.entities) & named]
        if not held or max(held)[0] < STANCE_CHANGE_SIMILARITY:
            return None
        similarity, i = max(held)
        return self.facts[i], similarity

    def _paired_with(self, text: str) -> set[str]:
        """ "he and Vladimir Putin sat down ...": the pronoun paired with one of the story's two core persons is the
        other one, whatever sentence named him last."""
        if len(self.topic.core_persons) != 2 or not _PRONOUN_PAIR.search(text):
            return set()
        low = normalise(text)
        for m in self.topic.find(low):
            if m.canonical in self.topic.core_persons and (_PRONOUN_AND.search(low[:m.start]) or
                                                            _AND_PRONOUN.match(low[m.end:])):
                return set(self.topic.core_persons) - {m.canonical}
        return set()

    def _restates_a_said_fact(self, sims: np.ndarray) -> bool:
        """Is the sentence a close restatement of something the baseline reports already said?"""
        return any(sims[j] >= EVENTFUL_KNOWN_SIMILARITY for j, f in enumerate(self.facts)
                   if f.status == REALIZED and "REJECT" in f.frames)

    @staticmethod
    def recalls_pending_state(text: str) -> bool:
        """Does the sentence recall the wait as it was ("the aims Beijing had kept to itself", "had said almost
        nothing beforehand")?"""
        low = normalise(text).lower()
        return bool(_RECALLS_PENDING.search(low) and _KEPT_QUIET.search(low))

    @staticmethod
    def past_pending_window(published: datetime | None, baseline_date: datetime | None) -> bool:
        """Published after the window in which a fresh report may resolve a pending fact (see find_update)."""
        return published is not None and baseline_date is not None and published - baseline_date > PENDING_WINDOW

    @staticmethod
    def _dated_back(text: str, published: datetime | None, baseline_date: datetime | None,
                    window: timedelta) -> bool:
        """A late article dating what it reports to the days the baseline was waiting for ("on 20 March 2023",
        "twelve months ago"): a look back at the resolution itself, not a later happening of the same kind."""
        if published is None or baseline_date is None:
            return False
        start, end = baseline_date.date() - timedelta(days=2), (baseline_date + window).date()
        m = _AFTER_THE_EVENT.search(normalise(text).lower())
        if m:  # "a month after the summit": counted from the happening the baseline looked ahead to
            n = _COUNT_WORDS.get(m.group(1), 1)
            return baseline_date + timedelta(days=n * {"day": 1, "week": 7, "month": 30}[m.group(2)]) <= \
                baseline_date + window
        return any(lo >= start and hi <= end for lo, hi in referred_times(text, published))

    @staticmethod
    def _recalls_the_wait(low: str, fact: Fact, objects: bool = False) -> bool:
        """A late look back that recalls the wait in the fact's own words before telling how it ended ("He
        arrived with no initiative of his own, but a month later ...", "Putin, who had not commented on the
        warrant, later said ...") or the plan as kept ("as the Kremlin had announced"): the resolution it tells is
        the one the baseline waited for, however long ago."""
        if fact.status == PLANNED:
            return bool(_KEPT_TO_PLAN.search(low))  # "Xi landed on 20 March 2023, as the Kremlin had said he would"
        if fact.status != NOT_YET:
            return False
        # the wait in its own words: the frame's word negated just before it ("no initiative", "had not commented"),
        # with `objects` what it awaits too ("no word on what Xi wanted")
        words = [FRAMES[f].trigger for f in fact.frames]
        if objects:
            words += [FRAMES[f].obj for f in fact.frames if FRAMES[f].obj is not None]
        return any(_NEGATED_BEFORE.search(low, 0, m.start()) for rx in words for m in rx.finditer(low))

    def _agents(self, fact: Fact) -> set[str]:
        """Who can resolve an open fact: its first entities, and for what a government does on a leader's behalf
        (announcing, disclosing) the leader's country too ("Beijing announced" for "Xi did not announce").
        Arriving, meeting, signing and commenting are done in person (a spokesman's word is not the leader's)."""
        agents = set(fact.entities[:2])
        if not set(fact.frames) & _IN_PERSON:
            agents |= {self.topic.country_of[e] for e in fact.entities[:2] if e in self.topic.country_of}
        return agents

    def _speaker_is_agent(self, text: str, fact: Fact) -> bool:
        """For 'X has yet to comment': the nearest topic entity before the reporting verb must be X or
        its side (the Kremlin speaking for Putin), not someone talking to X ("Xi told Putin ...")."""
        if not fact.entities:
            return True
        agent = fact.entities[0]
        nearest = self._mention_before_verb(text, ("COMMENT",))
        if nearest is None or _OWNED_BODY.match(normalise(text)[nearest.end:]):
            return False  # no one, or "Russia's Investigative Committee said ...": a body of the side, not its voice
        return self._on_side(nearest.canonical, {agent, self.topic.country_of.get(agent, agent)})

    def _done_by_agent(self, text: str, fact: Fact) -> bool:
        """The nearest of the story's entities before the verb that reports the awaited thing done must be the
        fact's agent or on their side: "Japan's prime minister has arrived in Kyiv" does not resolve "Xi is
        scheduled to arrive", nor "Putin announced plans" "Xi did not announce any initiatives". A sentence that
        names no one before the verb ("He duly landed", "The talks took place") passes."""
        nearest = self._entity_before_verb(text, fact.frames)
        return nearest is None or self._on_side(nearest, self._agents(fact) | set(fact.entities[:2]))

    def _entity_before_verb(self, text: str, frames: Sequence[str]) -> str | None:
        """The nearest of the story's entities before the first verb realising one of `frames` (who does it),
        else None (no such verb, or no one named before it)."""
        mention = self._mention_before_verb(text, frames)
        return mention.canonical if mention else None

    def _mention_before_verb(self, text: str, frames: Sequence[str]) -> Mention | None:
        """The mention behind `_entity_before_verb`, with its place in the normalised text."""
        low = normalise(text)
        starts = [m.start() for m in (FRAMES[f].realised.search(low.lower()) for f in frames) if m]
        if not starts:
            return None
        asides = [(a.start(), a.end()) for a in _ASIDE.finditer(low.lower()) if a.end() <= min(starts)]
        before = [mention for mention in self.topic.find(low) if mention.end <= min(starts)
                  and not _LOCATIVE.search(low[max(0, mention.start - 12):mention.start])
                  and not any(a <= mention.start < b for a, b in asides)]  # "Xi, who left Moscow last month, ..."
        return before[-1] if before else None

    def _on_side(self, name: str, agents: set[str]) -> bool:
        """`name` is one of `agents`, or belongs to a country among them (the Kremlin to Russia)."""
        return name in agents or self.topic.country_of.get(name) in agents

    def realises(self, frame_name: str, text: str) -> bool:
        """Does `text` report the frame's happening as done ("held talks" for MEET)?"""
        return self._realised(frame_name, [normalise(c).lower() for c in split_clauses(text)])

    def realised_frames(self, fact: Fact, text: str) -> frozenset[str]:
        """Which of the happenings `fact` awaits `text` reports as done (the arrival, the meeting, or both)."""
        return frozenset(f for f in fact.frames if self.realises(f, text))

    @staticmethod
    def _realised(frame_name: str, clauses: list[str]) -> bool:
        frame = FRAMES[frame_name]
        physical = frame_name in ("ARRIVE", "MEET", "SIGN")
        whole = " ".join(clauses)
        for clause in clauses:
            # the object may sit in the clause before ("vague about its goals; the texts ... list them")
            if frame.obj is not None and not frame.obj.search(clause) and not frame.obj.search(whole):
                continue
            if _COUNTED.search(clause):
                continue
            # each mention of the verb: "Xi, who had put forward no initiative, said China would send an envoy"
            for m in frame.realised.finditer(clause):
                scope, verb_end = _predicate_of(clause, m)
                planned_here = physical and PLANNED_CUES.search(_without_relatives_after(scope, verb_end))
                if NOT_YET_CUES.search(scope) or planned_here:
                    continue
                if frame_name == "ANNOUNCE" and m.group(0) in ("sent", "dispatched", "sending", "dispatching") and \
                        not _SENT_ON_THE_MISSION.search(whole) and not _AUXILIARY_BEFORE.search(clause[: m.start()]):
                    continue  # "China sent Li Hui to the talks in Jeddah": the envoy sent to a later meeting
                if NEGATION.search(clause[: m.start()][-25:]):
                    continue
                if _DESCRIBED_BY.match(clause[m.end():]) and _NOUN_BEFORE.search(clause[: m.start()]) \
                        and not _AUXILIARY_BEFORE.search(clause[: m.start()]):
                    continue  # "the peace plan put forward by China": a thing described, not the deed reported
                if _NEGATED_OBJECT.match(clause[m.end():]):  # "has put forward no initiative"
                    continue
                if _SCENE_SETTING.search(clause[: m.start()]):
                    continue  # "Kishida was in Kyiv on the same day that Xi held talks": the time of another report
                if frame_name == "ARRIVE" and _VENUE.match(clause[m.end():]):
                    continue  # "Xi's motorcade has arrived at the Kremlin": at a building of the city, not the city
                return True
        return False

    # --- the decision --------------------------------------------------------------------------------
    def label(
        self,
        text: str,
        published: datetime | None,
        baseline_date: datetime | None,
    ) -> Verdict:
        dated_entry = bool(_DATED_ENTRY.match(text))
        newsroom = bool(_NEWSROOM_VOICE.search(text)) and not _SPOKEN.search(text)  # before a speaker's label goes
        text = entry_text(text)
        if BOILERPLATE.search(text) or OTHER_STORY.match(text) or not any(ch.isalpha() for ch in text) or newsroom:
            return Verdict("offtopic", None, 0.0)
        if text.rstrip().endswith("?") and (len(text.split()) <= QUESTION_WORDS or _ASKS.match(text)):
            # an explainer's heading ("What has Beijing said?"), a reporter's question in a transcript ("Could you
            # sum up the results of the visit?"): asked, not reported
            return Verdict("background", None, 0.0)
        vector = self.space.sparse(text)
        sims = self.fact_similarities(vector)
        update = self.find_update(text, sims, published, baseline_date, dated_entry=dated_entry) or \
            self.changed_stance(text, sims, published, baseline_date)
        if update:
            return Verdict("update", update[0], update[1])
        relayed = strip_attribution(text)
        if relayed is not text:
            text = relayed
            vector = self.space.sparse(text)
            sims = self.fact_similarities(vector)
        best = int(np.argmax(sims)) if sims.size else -1
        similarity = float(sims[best]) if best >= 0 else 0.0
        fact = self.facts[best] if best >= 0 else None
        agent = self.core_agent(text)
        if fact is not None and self.other_agent(fact, agent):
            fact = None  # another of the story's persons saying or doing it is not what the baseline said
        if fact is not None and self._beyond_plans(fact, text, published, baseline_date):
            fact = None
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
            if similarity >= WEAK_KNOWN_SIMILARITY and shared >= MIN_SHARED_CONTENT and not self.has_fresh_cues(text) \
                    and not self._not_theirs(fact, agent):
                return Verdict("known", fact, similarity, weak=True)
        # the main clause says the fact's agent still has not done it, in other words ("Putin has still said
        # nothing", "has avoided the subject"); a later clause's "but gave no details" is about something else
        main_clause = split_clauses(text)[0] if NOT_YET_CUES.search(normalise(text).lower()) else ""
        for i, open_fact in enumerate(self.facts if main_clause else ()):
            if open_fact.status == NOT_YET and sims[i] >= PENDING_MIN_SIMILARITY \
                    and self._still_pending(open_fact, main_clause) and not self.other_agent(open_fact, agent):
                return Verdict("known", open_fact, float(sims[i]), weak=True)
        planned_fact = self._planned_restatement(text, published, baseline_date)
        if planned_fact is not None:
            i = self.facts.index(planned_fact)
            return Verdict("known", planned_fact, float(sims[i]), weak=True)
        # paraphrase channel: the same claim in other words
        wsims = self.paraphrase_similarities(text)
        wbest = int(np.argmax(wsims)) if wsims.size else -1
        wsim = float(wsims[wbest]) if wbest >= 0 else 0.0
        wfact = self.facts[wbest] if wbest >= 0 else None
        if wfact is not None and (self.other_agent(wfact, agent) or self._beyond_plans(wfact, text, published,
                                                                                        baseline_date)):
            wfact = None
        eventful = self.is_eventful(text)
        fresh = eventful or bool(EVENT_VERBS.search(normalise(text).lower())) or self._later_plan(text, published,
                                                                                                    baseline_date)
        if wfact is not None and not self._status_moved(wfact, text):
            needed = PARAPHRASE_EVENTFUL_KNOWN if eventful else PARAPHRASE_FRESH_KNOWN if fresh else PARAPHRASE_KNOWN
            if eventful and self._conditional_restatement(wfact, text):
                needed = PARAPHRASE_FRESH_KNOWN
            elif not eventful and _REPEATED.search(normalise(text).lower()):
                needed = REPEATED_KNOWN  # "Xi said China had always ...", "has repeatedly urged ...": a standing line
            elif not eventful and fresh and wfact.status == REALIZED and self.paraphrase_overlap(text, wbest) >= 4:
                needed = PARAPHRASE_KNOWN  # a happening the baseline already reports, told again at length
            pending = wfact.status in (PLANNED, NOT_YET) and detect_status(text)[0] == wfact.status and bool(
                set(wfact.entities[:1]) & self.topic.entities(text))
            if pending and not eventful:
                needed = min(needed, PENDING_PARAPHRASE_KNOWN)  # "Putin has still not said a word": still pending
            if wsim >= needed and (self.paraphrase_overlap(text, wbest) >= 2 or pending):
                return Verdict("known", wfact, wsim, weak=wsim < PARAPHRASE_FRESH_KNOWN, paraphrase=wsim,
                               paraphrase_fact=wfact, fresh=fresh)
        if happened_before(text, published, baseline_date):
            # what it reports was the case when the baseline was written: a restatement when it ties to a
            # fact, else history
            if fact is not None and similarity >= WEAK_KNOWN_SIMILARITY and self.shared_content(text, fact.text) >= 1:
                return Verdict("known", fact, similarity, weak=True)
            if wfact is not None and wsim >= PARAPHRASE_KNOWN and self.paraphrase_overlap(text, wbest) >= 2:
                return Verdict("known", wfact, wsim, weak=True, paraphrase=wsim, paraphrase_fact=wfact)
            return Verdict("background", None, similarity, paraphrase=wsim, paraphrase_fact=wfact, fresh=fresh)
        if self.is_background(text, published, baseline_date):
            return Verdict("background", None, similarity, paraphrase=wsim, paraphrase_fact=wfact, fresh=fresh)
        # the closer of the two channels, for a second look once the whole article is known (Engine)
        if fact is not None and similarity >= wsim:
            wfact, wsim = fact, similarity
        return Verdict("new", None, similarity, paraphrase=wsim, paraphrase_fact=wfact, fresh=fresh)

    def evidence(self, text: str, verdict: Verdict, published: datetime | None,
                 baseline_date: datetime | None) -> tuple[list[float], Fact | None]:
        """The sentence's own features for the learned second look (the first of learned.FEATURES, in
        order; the engine adds the article's), and the baseline fact it is closest to by either channel.
        `text` is the entry's own words (text.entry_text), as the engine's article stages read it. Remembered,
        as it depends on nothing else: the look at lone items asks again for lines the second look has read."""
        row, fact = self._remembered_evidence(text, verdict, published, baseline_date)
        return list(row), fact  # a copy: callers extend their row with the article's features

    def _evidence(self, text: str, verdict: Verdict, published: datetime | None,
                  baseline_date: datetime | None) -> tuple[list[float], Fact | None]:
        relayed = strip_attribution(text)
        sims = self.fact_similarities(self.space.sparse(relayed))
        wsims = self.paraphrase_similarities(relayed)
        best = int(np.argmax(sims)) if sims.size else -1
        wbest = int(np.argmax(wsims)) if wsims.size else -1
        sim = float(sims[best]) if best >= 0 else 0.0
        wsim = float(wsims[wbest]) if wbest >= 0 else 0.0
        low = normalise(text).lower()
        status = detect_status(text)[0]
        times = referred_times(text, published)
        cutoff = baseline_date.date() if baseline_date else None
        later = bool(times and cutoff and any(hi > cutoff for _, hi in times))
        earlier = bool(times and cutoff and all(hi <= cutoff for _, hi in times))
        closest = self.facts[best] if best >= 0 and sim >= wsim else self.facts[wbest] if wbest >= 0 else None
        row = [
            sim, wsim,
            self.shared_content(relayed, self.facts[best].text) if best >= 0 else 0.0,
            float(self.paraphrase_overlap(relayed, wbest)) if wbest >= 0 else 0.0,
            float(len(self.novel_names(text))), float(bool(_NUMBER.search(low))),
            float(bool(_NEW_SPEAKER.search(low))), float(bool(EVENT_VERBS.search(low))),
            float(bool(_REPORTED_NOW.search(low))), float(status == PLANNED), float(status == NOT_YET),
            float(status == HYPOTHETICAL), float(bool(NEGATION.search(low))), float(later), float(earlier),
            float(bool(_PRESENT.search(low))), float(bool(_QUOTE.search(text))), float(len(text.split())),
            float(verdict.label == "known"), float(verdict.label == "new"), float(verdict.label == "background"),
            float(verdict.weak),
        ]
        return row, closest

    def core_agent(self, text: str) -> str | None:
        """The one core person a sentence has speak or act ("Putin said ...", "Putin set out his view ..."),
        else None."""
        low = normalise(text)
        persons = [m for m in self.topic.find(low) if m.canonical in self.topic.core_persons]
        if not persons:
            return None
        who = named_speaker(text) or leading_subject(text)
        agents = {m.canonical for m in persons if set(low[m.start:m.end].lower().split()) & who}
        if any(_JOINED.match(low, a.end, b.start) for a, b in pairwise(persons) if a.canonical in agents):
            return None  # "Xi and Putin ...": the two together are no one person's word or deed
        if not agents:  # "In an article published in ..., Xi wrote that ...": the person right before the verb
            agents = {m.canonical for m in persons if _SPEAKS.match(low, m.end)}
        return agents.pop() if len(agents) == 1 else None

    def other_agent(self, fact: Fact, agent: str | None) -> bool:
        """Does the fact have another core person as its agent than the sentence ("Putin said the plan could
        serve as a basis" against "Xi has said China actively promoted peace talks")? Then it is another
        person's word or deed, not a restatement of that fact."""
        if agent is None:
            return False
        if fact.id not in self._fact_agents:
            named = self.core_agent(fact.text)
            if named is None:  # a clause that leaves its agent to the sentence ("..., but did not announce any
                # initiatives"): the one core person among its entities, if there is one
                persons = {e for e in fact.entities if e in self.topic.core_persons}
                named = persons.pop() if len(persons) == 1 else None
            self._fact_agents[fact.id] = named
        other = self._fact_agents[fact.id]
        return other is not None and other != agent

    def _not_theirs(self, fact: Fact, agent: str | None) -> bool:
        """A core person's word or deed against a fact about someone else ("Putin said the plan could serve as a
        basis" against "China has been trying to portray itself as neutral"): not a restatement on a weak tie.
        Their own country's line told by them ("Xi said China took an impartial position") still is."""
        if agent is None or not fact.entities:
            return False
        subject = fact.entities[0]
        return subject != agent and subject != self.topic.country_of.get(agent)

    def _conditional_restatement(self, fact: Fact, text: str) -> bool:
        """A conditional told again ("member states would have to detain him if he came"): a hypothetical
        reports no happening, so a figure in it ("the court's 123 members") is detail, not news. New names
        still count as fresh."""
        if fact.status != HYPOTHETICAL or detect_status(text)[0] != HYPOTHETICAL:
            return False
        low = normalise(text).lower()
        return not self.novel_names(text) and not _NEW_SPEAKER.search(low) and not EVENT_VERBS.search(low)

    def restatement(self, verdict: Verdict, text: str) -> Verdict | None:
        """Inside a restatement piece (an article that mostly repeats the baseline), a `new` sentence with
        no fresh cues and a moderate tie to a fact is one more restatement."""
        if verdict.label != "new" or verdict.fresh or verdict.paraphrase_fact is None:
            return None
        if _REPORTED_NOW.search(normalise(text).lower()):
            return None
        if verdict.paraphrase < RESTATEMENT_PIECE_SIMILARITY or self._status_moved(verdict.paraphrase_fact, text):
            return None
        return Verdict("known", verdict.paraphrase_fact, verdict.paraphrase, weak=True)

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

    @staticmethod
    def _beyond_plans(fact: Fact, text: str, published: datetime | None, baseline_date: datetime | None) -> bool:
        """A plan of the baseline is restated only about its own time. Months on, a plan or a happening dated past
        the baseline's planning window is a later event of the same kind ("Xi is due to leave Russia on Saturday",
        "Xi arrived in Moscow on Wednesday" in May 2025), and a plan naming no time is too (see _later_plan)."""
        if fact.status != PLANNED or published is None or baseline_date is None \
                or published - baseline_date <= PLANNED_WINDOW:
            return False
        horizon = (baseline_date + PLANNED_WINDOW).date()
        days = planned_days(text, published) or [hi for _, hi in referred_times(text, published)]
        if days:
            return min(days) > horizon
        return Labeller._later_plan(text, published, baseline_date)

    @staticmethod
    def _later_plan(text: str, published: datetime | None, baseline_date: datetime | None) -> bool:
        """A plan announced after the baseline's plans have had their time ("is expected to attend the
        summit", months on) is about a later event: a fresh cue, whatever words it shares with the baseline."""
        if published is None or baseline_date is None or published - baseline_date <= PLANNED_WINDOW:
            return False
        if _COUNTERFACTUAL.search(normalise(text).lower()):
            return False  # "would have been expected to arrest him had he come": what would have happened, no plan
        return detect_status(text)[0] == PLANNED

    def _planned_restatement(self, text: str, published: datetime | None,
                             baseline_date: datetime | None) -> Fact | None:
        """A plan of the baseline told again before it could have happened: the sentence announces the same
        kind of event (meet, arrive, ...) by the same core person, in the baseline's planning window, and names
        no new actor or figure and no happening ("He is due to meet Putin at the Kremlin in the afternoon")."""
        if published is None or baseline_date is None \
                or not timedelta(0) <= published - baseline_date <= PLANNED_WINDOW:
            return None
        if detect_status(text)[0] != PLANNED or self.has_fresh_cues(text):  # "has invited X to visit later"
            return None
        persons = self.topic.entities(text) & self.topic.core_persons
        if not persons:
            return None
        frames = set(detect_frames(text, PLANNED))
        for fact in self.facts:
            if fact.status == PLANNED and frames & set(fact.frames) and persons & set(fact.entities[:2]):
                return fact
        return None

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
    def recalled_time(text: str, published: datetime | None, baseline_date: datetime | None):
        """The time of a happening since the baseline that the sentence looks back to from well after it ("Putin
        came to Beijing that October" in a review a year on), as (first day, last day), else None."""
        if published is None or baseline_date is None:
            return None
        times = referred_times(text, published)
        if not times:
            return None
        lo, hi = min(lo for lo, _ in times), max(hi for _, hi in times)
        if lo <= baseline_date.date() < hi and (hi - lo).days <= 31:
            # "in March" when the baseline was written on 17 March: the part of the month after it (the visit that
            # followed), not history before it; a year that takes in the baseline is still too long to name a time
            lo = baseline_date.date() + timedelta(days=1)
        return (lo, hi) if lo > baseline_date.date() and hi < published.date() - RECAP_AFTER else None

    @staticmethod
    def is_background(text: str, published: datetime | None, baseline_date: datetime | None = None) -> bool:
        """History and standing context: only earlier years, durative / 'previous' phrasing in the main
        clause (not in a trailing relative clause: "no deal on the pipeline, which X has sought for years"
        is news), or a main predicate in the past perfect that names no time after the baseline."""
        norm = normalise(text)
        low = norm.lower()
        if Labeller.recalled_time(text, published, baseline_date) is not None:
            return False  # a look back to a happening since the baseline: a development told again (see Engine)
        years = [int(y) for y in YEAR.findall(low)]
        if years and published and all(y < published.year for y in years) and not _RECENT.search(low):
            # last year's totals come out early this year ("trade grew ... in 2023, to a record $240bn"): news
            return not (set(years) == {published.year - 1} and _ANNUAL_FIGURE.search(low))
        if FIRST_SINCE.match(low):
            return True  # "It was Xi's first trip abroad since he secured a third term earlier this month"
        if BACKGROUND_CUES.search(_RELATIVE_CLAUSE.sub("", low)) and not _RECENT.search(low):
            # "for months", "previously" set the context; a happening dated to this week ("on Wednesday") is news
            return True
        m = PAST_PERFECT_MAIN.match(norm.strip().strip('"'))
        if m and not REPORTING.search(m.group(0).lower()):
            if _EARLIER_THAN_THAT.search(low):
                return True  # "He had been confirmed ... ten days earlier": earlier than the story's own time
            times = referred_times(text, published)
            cutoff = baseline_date.date() if baseline_date else None
            return not (times and cutoff and any(hi > cutoff for _, hi in times))
        return False
