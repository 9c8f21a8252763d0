"""The engine: wires the stages together and keeps the state that makes the stream online."""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta

import numpy as np

from .cluster import (
    CEREMONY_KINDS,
    CONTENT_JOIN_CHAR_SIMILARITY,
    CONTENT_JOIN_SIMILARITY,
    CONTINUE_MARGIN,
    EARLIER_SLACK_DAYS,
    IN_ARTICLE_JOIN_SIMILARITY,
    JOIN_SIMILARITY,
    KIND_JOIN_CHAR_SIMILARITY,
    LATER_BREAK_KINDS,
    SHORT_SENTENCE,
    STALE_AFTER_DAYS,
    STALE_JOIN_SIMILARITY,
    STRONG_SIMILARITY,
    DevelopmentStore,
    Run,
    amounts,
    back_reference,
    compatible,
    content_profile,
    content_similarity,
    continues,
    dated_span,
    event_kinds,
    event_span,
    figures_agree,
    kind_change,
    leading_subject,
    name_words,
    named_speaker,
    places,
    planned,
    scene,
    shortfall,
    spans_agree,
    texts_named,
)
from .dedup import NearCopyIndex, Seen, fingerprint
from .facts import PLANNED, Fact, baseline_sentences, extract_facts, split_baseline
from .labels import PLANNED_WINDOW, RECAP_AFTER, Labeller, Verdict
from .learned import FOLD_FEATURES, FOLD_MODEL_PATH, LogisticModel, days_feature
from .lexicon import DOCUMENT_SAYS, ITEM_HEADING, NEW_ITEM_CUES, OTHER_STORY
from .records import ArticleIn, ArticleResult, DevelopmentView, Prepared, SentenceResult
from .relevance import RelevanceGate
from .text import (
    CharNgramSpace,
    content_stems,
    entry_text,
    headline_items,
    normalise,
    split_sentences,
    stem,
    whole_words,
    words,
)
from .topic import Topic
from .when import happening_times, planned_days, referred_times

STATE_VERSION = 1
COPY_LINE_MATCH = 0.6  # word overlap (Jaccard) from which a near-copy's line is its original's line, a few words edited
COPY_LINES_KEPT = 1000  # relevant articles whose flagged lines are kept for their copies, which follow within days
MAX_EVENT_SPAN_DAYS = 31  # a content join needs the happening dated to a month or closer
VOICED_RETURN_SIMILARITY = 0.25  # ... when a named voice goes back to a development nobody was quoted on
APART_DAYS = 30  # happenings dated this far apart are two, however alike the wording
# a happening more than this many days after the baseline's own (its last planned day, else its publication) is a
# later one: reported as one development with its plan and reactions, not itemised like the baseline's own
LATER_EVENT_DAYS = 2
DOCUMENT_DAYS = 14  # a signed text's contents reported this long after its signing belong to the signing
VISIT_DAYS = 3  # a later visit's next days reported this long after its start belong to the visit
RECALL_MAX_DAYS = 92  # a look back naming a longer time (a year) is not tied to a happening by its time
RECALL_JOIN_SIMILARITY = 0.12  # a look back joins the development reported at the time it names at this wording
# a late recall of a pending fact's resolution is worded this close to the development that reported it (or shares
# its content words, CONTENT_JOIN_SIMILARITY)
RESOLUTION_RECALL_SIMILARITY = 0.24
# a look back at a claim falling short ("the joint statement from that summit promised only further study") joins
# an earlier shortfall on fewer shared content words: the kind is rare and says most of what the two share
SHORTFALL_LOOK_BACK_SIMILARITY = 0.15
SAME_REPORT_HOURS = 24.0  # an update to a baseline fact joins that fact's development when reported this close
# a reported figure set against all before it: "a record", "an all-time high", "China's largest supplier"
_NEW_HIGH = re.compile(r"\brecord\b|\ball-time (?:high|low)\b|\b(?:largest|biggest) (?:\w+ )?(?:supplier|source|"
                       r"partner|buyer|importer|exporter)\b", re.IGNORECASE)
# what a signing produced, named in a later sentence: "the documents", "the signed texts", "the declaration's"
_SIGNED_TEXTS = re.compile(r"\b(?:the|these|those|both|two|signed|joint)\s+(?:signed\s+|joint\s+|two\s+)?"
                           r"(?:agreement|declaration|document|statement|text)s?(?:'s?)?\b", re.IGNORECASE)
_DEALS = re.compile(r"the agreements?\b")
# a look back that names no time: "at the time", "signed since", "the statement from that visit"
_LOOK_BACK = re.compile(r"\b(?:at the time|back then|since then|(?:has|have|had) (?:\w+ ){0,2}since\b|"
                        r"(?:from|during|at|of) that (?:visit|summit|trip|meeting|call)\b)", re.IGNORECASE)
# a stay abroad: "his state visit to China", "the second day of her trip"
_VISIT = re.compile(r"\b(?:state )?(?:visit|trip)\b", re.IGNORECASE)
# the story's meeting named in the past: "during his state visit to Moscow", "when they met", "at the Moscow summit"
_PAST_MEETING = re.compile(r"\b(?:during|on|at|from|of) (?:his|her|their|the|that|\w+'s) (?:own )?(?:\w+ )?"
                           r"(?:visit|trip|summit|talks|meeting)\b|\bwhen (?:he|she|they|the two|\w+) "
                           r"(?:visited|met|travell?ed|came)\b", re.IGNORECASE)
# "The two last met in October at the summit in Kazan": an occasion named as context (see _recaps)
_LAST_OCCASION = re.compile(r"\blast (?:met|spoke|talked|travell?ed|visited|came|went|hosted|saw)\b", re.IGNORECASE)
# "He warned ...", "She added ...": the person the last sentence named, so the development that sentence is in
_PERSONAL_PRONOUN = re.compile(r"^\W*(?:he|she)\b", re.IGNORECASE)
_RETROSPECTIVE = re.compile(r"\b(last (?:week|month|year)|(?:a|one|two|three|a few|several) (?:weeks?|months?) "
                            r"after the (?:summit|visit|trip|talks|meeting)|(?:days?|weeks?|months?) (?:earlier|ago)|"
                            r"earlier this (?:week|month|year)|had (?:promised|announced|said|pledged)|"
                            # the pending state recalled: "Before the visit, Beijing had given no indication ..."
                            r"(?:has|have) since|before the (?:visit|trip|summit|talks)|in advance|beforehand)\b")
# the speaker of the sentence before, by pronoun: "She said ...", "..., he said."
_PRONOUN_SPEAKER = re.compile(r"^(?:he|she|they) (?:said|added|told|noted|argued|warned|stressed|insisted)\b|"
                              r",\s*(?:he|she|they) (?:said|added|noted|argued|warned)\.?\"?$", re.IGNORECASE)
# someone sent or named to carry the initiative ("would send an envoy", "named a special envoy"), unlike a later
# initiative proposed in words ("proposed a Global Governance Initiative")
_MISSION_SENT = re.compile(r"\b(?:would|will|to) (?:send|dispatch)\b|\b(?:named|appointed) (?:a |an |its |his |her )?"
                           r"(?:special )?(?:envoy|representative)\b")
RESTATEMENT_SHARE = 0.4  # share of an article's known/new/update sentences that are known: a restatement piece
RESTATEMENT_MIN_SENTENCES = 3
FLAGGED = ("new", "update")
LATER_RESOLUTION = timedelta(days=14)  # a happening this long after the first reported resolution is another one
BEFORE_EVENTS_DAYS = 3.0  # published this soon after the baseline: what it planned may not have happened yet


class Engine:
    """Diffs follow-up articles against one baseline, one article at a time, in stream order."""

    def __init__(
        self,
        baseline_text: str,
        *,
        published: datetime | None = None,
        terms: Sequence[str] = (),
        aliases: Mapping[str, Sequence[str]] = {},
        exclude: Sequence[str] = (),
        threads: Sequence[tuple[str, Sequence[str], Sequence[str]]] = (),
        fingerprint_capacity: int = 5000,
        development_capacity: int = 1000,
        early_exit: bool = True,
        learned: bool = True,
    ):
        title, body = split_baseline(baseline_text)
        self.topic = Topic(title, body, terms=terms, aliases=aliases, exclude=exclude, threads=threads)
        self.facts: tuple[Fact, ...] = extract_facts(body, self.topic)
        self._facts_by_id = {f.id: f for f in self.facts}
        masked = set(self.topic.core_name_words) | {"president", "prime", "minister", "leader"}
        self.space = CharNgramSpace(baseline_sentences(body), masked=masked)
        baseline_words = {w.lower() for w in words(baseline_text)}
        self.labeller = Labeller(self.topic, self.facts, self.space, baseline_words)
        self.gate = RelevanceGate(self.topic)
        self._baseline_places = places(body)  # the countries the story is set in, by the baseline's own account
        # name words of the story's parties (core persons, their countries, capitals, governments)
        self._side_words = frozenset(w.lower() for s, c in self.topic.surface_to_canonical.items()
                                     if c in self.topic.side_of for w in s.split())
        self.baseline_published = published
        # the days the baseline's own plans name ("scheduled to arrive in Moscow on Monday")
        self._baseline_plan_days = sorted({d for f in self.facts if f.status == PLANNED
                                           for d in planned_days(f.sentence, published)})
        own_days = self._baseline_plan_days or ([published.date()] if published else [])
        self._later_than: date | None = own_days[-1] + timedelta(days=LATER_EVENT_DAYS) if own_days else None
        # skip sentence labelling for entries that cannot be relevant (same results, see analyse)
        self.early_exit = early_exit
        # the learned second look at new vs restatement (learned.py); None: the rules alone
        self.news_model = LogisticModel.load() if learned else None
        self.evidence_log: list | None = None  # for training (train.py): (article id, sentence index, features)
        # the learned look at lone items (learned.py): fold a line into the article's main development
        self.fold_model = LogisticModel.load(FOLD_MODEL_PATH, FOLD_FEATURES) if learned else None
        self.fold_log: list | None = None  # for training (train.py): (article id, lone id, main id, features)
        self._fingerprint_capacity = fingerprint_capacity
        self._development_capacity = development_capacity
        self._reset_state()

    def _reset_state(self) -> None:
        self.near_copies = NearCopyIndex(self._fingerprint_capacity)
        self.store = DevelopmentStore(self.space, self._development_capacity)
        actors = set(self.topic.core_name_words) | set(self._side_words)
        self.store.content_exclude = frozenset(actors | {stem(w) for w in actors})
        self.first_published: datetime | None = None
        self.counters = {"articles": 0, "relevant": 0, "duplicates": 0}
        self._flagged_lines: dict[str, tuple[tuple[str, str], ...]] = {}  # article id -> (development id, line)

    # --- public API ----------------------------------------------------------------------------------
    @property
    def developments(self) -> tuple[DevelopmentView, ...]:
        return tuple(
            DevelopmentView(d.id, d.label, d.representative, d.fact_id, d.count, tuple(sorted(d.sources)))
            for d in self.store.items
        )

    def is_candidate(self, title: str, summary: str) -> bool:
        return self.gate.is_candidate(title, summary)

    def prepare(self, body: str, published: datetime | None, baseline_date: datetime | None) -> Prepared:
        """The part of `analyse` that does not depend on what the stream taught: the body's sentences and each
        one's own label, before the stages that read the article as a whole. About two thirds of the time of
        `analyse`; `diff_articles` computes it ahead in worker processes. `baseline_date` is what `analyse` will
        take it to be: the baseline's publication time, or else the stream's first."""
        spans = split_sentences(body)
        verdicts = self._own_verdicts([body[s:e] for s, e in spans], published, baseline_date)
        return Prepared(tuple(spans), tuple(verdicts))

    def baseline_dates(self, times: Iterable[datetime | None]) -> list[datetime | None]:
        """The baseline date `analyse` will take for each of the articles published at `times`, analysed next and
        in this order: the baseline's publication time, or else the stream's first (what `prepare` is given when it
        runs ahead)."""
        first, out = self.first_published, []
        for published in times:
            first = first or published
            out.append(self.baseline_published or first)
        return out

    def _own_verdicts(self, texts: Sequence[str], published: datetime | None,
                      baseline_date: datetime | None) -> list[Verdict]:
        """Each sentence's label on its own, before the stages that read the article as a whole."""
        return [self.labeller.label(t, published, baseline_date) for t in texts]

    def analyse(self, article: ArticleIn, sentences: bool = True, prepared: Prepared | None = None) -> ArticleResult:
        """Diff one article against the baseline and what the stream taught so far.

        `sentences=False` lets a caller that only needs the verdict (the daemon, for entries that cannot be
        relevant) skip splitting the body: on the early exit the result then has no sentences. State, counters
        and every other field are exactly as with `sentences=True`; a relevant article always has its sentences.
        `prepared`: what `prepare` gave for this article's body, computed elsewhere; the result is the same.
        """
        body = article.body or ""
        published = article.published
        if self.first_published is None and published is not None:
            self.first_published = published
        baseline_date = self.baseline_published or self.first_published

        shingles = fingerprint(body)
        original = self.near_copies.find_original(shingles)
        if (not sentences and original is None and self.early_exit and self.gate.body_decides
                and self.gate.cannot_be_relevant(article.title, article.summary, (body,))):
            # the whole body names no two sides together, so none of its sentences does: the early exit below
            # would be taken, and without sentences to return the body need not be split
            self.counters["articles"] += 1
            self.near_copies.add(Seen(article.id, False, shingles))
            return ArticleResult(article.id, False, None, ())
        spans = list(prepared.spans) if prepared is not None else split_sentences(body)
        texts = [body[s:e] for s, e in spans]
        if original is None and self.early_exit and self.gate.cannot_be_relevant(article.title, article.summary, texts):
            # most gate candidates in a world-news poll name only one side of the story: the relevance
            # decision is 'no' whatever the labels would be, so the labels are not computed
            self.counters["articles"] += 1
            self.near_copies.add(Seen(article.id, False, shingles))
            if not sentences:
                return ArticleResult(article.id, False, None, ())
            results = _offtopic(spans, texts)
            return ArticleResult(article.id, False, None, results)
        verdicts = list(prepared.verdicts) if prepared is not None else \
            self._own_verdicts(texts, published, baseline_date)
        # a live page's clock ("15:10 - ...") is when the entry was posted: the stages below read the entry itself
        # (who speaks first, what it reports), and the developments keep it as written without the clock
        plain = [entry_text(t) for t in texts]
        verdicts = self._restatement_prior(plain, verdicts, published)
        verdicts = self._speaker_continuation(plain, verdicts)
        verdicts = _own_outlet(plain, verdicts, article.source)
        verdicts = self._other_story(plain, verdicts)
        verdicts = self._briefing_items(plain, verdicts, article.title)
        vectors = [self.space.sparse(t) for t in plain]
        nearest = [self.store.nearest(v) for v in vectors]

        if original is not None:
            relevant = original.relevant
        else:
            ties = sum(1 for v in verdicts if v.label in ("known", "update") and not v.weak)
            joins = sum(1 for v, (_, s) in zip(verdicts, nearest, strict=True)
                        if v.label == "new" and s >= JOIN_SIMILARITY)
            evidence = self.gate.evidence(article.title, article.summary, texts, ties + joins)
            relevant = self.gate.decide(evidence)

        self.counters["articles"] += 1
        self.counters["duplicates"] += original is not None
        if not relevant:
            results = _offtopic(spans, texts)
        else:
            self.counters["relevant"] += 1
            if self.news_model is not None or self.evidence_log is not None:
                verdicts = self._second_look(plain, verdicts, article, baseline_date)
            verdicts = self._documents_said(plain, verdicts)
            verdicts = self._another_day(plain, verdicts, article.published)
            verdicts = self._resolved_once(plain, verdicts)
            verdicts = self._recalled_resolutions(plain, verdicts, vectors, article.published, baseline_date)
            verdicts = self._recaps(plain, verdicts, article.published, baseline_date)
            copied = self._flagged_lines.get(original.id, ()) if original is not None else ()
            developments = self._assign_developments(plain, verdicts, vectors, article, copied)
            self._remember_flagged_lines(article.id, plain, developments)
            results = tuple(
                SentenceResult(
                    s, e, t, v.label, dev,
                    v.fact.text if v.fact and v.label in ("known", "update") else None,
                    v.fact.id if v.fact and v.label in ("known", "update") else None,
                )
                for (s, e), t, v, dev in zip(spans, texts, verdicts, developments, strict=True)
            )
        self.near_copies.add(Seen(article.id, relevant, shingles))
        return ArticleResult(article.id, relevant, original.id if original else None, results)

    # --- stages that need the article as a whole ------------------------------------------------------
    def _restatement_prior(self, texts, verdicts, published: datetime | None):
        """An article whose sentences mostly restate the baseline (a preview, an opinion piece) is a
        restatement piece: its remaining sentences without fresh cues are more likely restatements too. A plan
        for a day after every day the baseline's plans name ("formal talks are scheduled for Tuesday") is such a
        cue."""
        scored = [v for v in verdicts if v.label in ("known", "new", "update")]
        known = sum(1 for v in scored if v.label == "known")
        if len(scored) < RESTATEMENT_MIN_SENTENCES or known < RESTATEMENT_SHARE * len(scored):
            return verdicts
        out = []
        for text, verdict in zip(texts, verdicts, strict=True):
            again = self.labeller.restatement(verdict, text)
            out.append(verdict if again is None or self._plan_beyond_baseline(text, published) else again)
        return out

    def _second_look(self, texts, verdicts, article: ArticleIn, baseline_date: datetime | None):
        """The learned model's word on each sentence the rules called new (learned.py): news, or a restatement
        in other words (known, to its closest fact). It only ever takes a flag away: letting it flag what the
        rules call known or background lowered the mean development F1 over the sets left out."""
        # fitted on every sentence the rules called known, new or background (more evidence than the rules'
        # `new` alone, and a better model of them: development F1, sets left out); applied to `new` only
        looked = [i for i, v in enumerate(verdicts)
                  if v.label == "new" or (self.evidence_log is not None and v.label in ("known", "background"))]
        if not looked:
            return verdicts
        share, days = _article_shape(verdicts, article.published, baseline_date)
        rows, closest = [], []
        for i in looked:
            row, fact = self.labeller.evidence(texts[i], verdicts[i], article.published, baseline_date)
            rows.append(_news_row(row, i, len(texts), share, days))
            closest.append(fact)
        if self.evidence_log is not None:
            self.evidence_log.extend((article.id, i, row) for i, row in zip(looked, rows, strict=True))
        if self.news_model is None:
            return verdicts
        news = self.news_model.yes(rows)
        out = list(verdicts)
        for i, is_news, fact in zip(looked, news, closest, strict=True):
            v = out[i]
            if v.fresh and fact is not None and self.labeller.other_agent(fact, self.labeller.core_agent(texts[i])):
                continue  # another leader's deed ("Putin returned the compliment with an article of his own")
            if self._plan_beyond_baseline(texts[i], article.published):
                continue  # "Formal talks are set for Tuesday" when the baseline's plans end on Monday
            if _NEW_HIGH.search(texts[i]) and amounts(texts[i]):
                continue  # a figure reported as a record ("trade reached a record 240 billion dollars"): fresh data
            if shortfall(texts[i]) and (fact is None or fact.polarity != "NEG"):
                continue  # a claim falling short ("the statement only promised further study") restates no negative
                # fact of the baseline: news of its own
            if not is_news and v.label == "new":
                out[i] = Verdict("known", fact, v.similarity, weak=True, demoted=True) if fact is not None else \
                    Verdict("background", None, v.similarity)
        return out

    @staticmethod
    def _documents_said(texts, verdicts):
        """What a text says, named as its source ("In the declaration, Russia reaffirms that Taiwan is part of China"):
        news, however close a baseline fact's wording; the labelled sets call every such sentence news or an
        update. Such a line still ends the run it is in, as the restatement it was read as did (see
        _assign_developments): a familiar line between two items of a text's news does not join them."""
        return [Verdict("new", None, v.similarity, familiar=True)
                if v.label == "known" and DOCUMENT_SAYS.search(t) else v for t, v in zip(texts, verdicts, strict=True)]

    def _plan_beyond_baseline(self, text: str, published: datetime | None) -> bool:
        """The sentence announces something for a day after every day the baseline's own plans name: a plan the
        baseline did not have."""
        days = planned_days(text, published)
        return bool(days and self._baseline_plan_days) and min(days) > max(self._baseline_plan_days)

    def _recaps(self, texts, verdicts, published: datetime | None, baseline_date: datetime | None):
        """A look back to a happening since the baseline ("Putin came to Beijing that October") keeps `new`: a
        development told again when the stream reported one at that time, else one the reader was never told of
        (the labelled sets call both news). Only the "last met" formula ("The two last met in October at the
        summit in Kazan") names an occasion the stream never reported as context: history."""
        out = list(verdicts)
        for i, (text, verdict) in enumerate(zip(texts, verdicts, strict=True)):
            if verdict.label != "new":
                continue
            if not _LAST_OCCASION.search(text):
                continue
            span = self.labeller.recalled_time(text, published, baseline_date)
            if span is not None and not any(spans_agree(span, dev.event_spans) for dev in self.store.items):
                out[i] = Verdict("background", None, verdict.similarity)
        return out

    def _another_day(self, texts, verdicts, published: datetime | None):
        """A baseline fact resolves once: when its first resolution is dated to one day ("the two held talks on
        Monday"), a report of the same kind of happening on another day ("formal talks on Tuesday") is a further
        happening, news rather than the update again. So is a happening dated weeks after the stream first
        reported the resolution ("Earlier this month China sent Li Hui to the talks in Jeddah", months after the
        envoy was announced), and one dated to a day other than the days the baseline's plans name."""
        out = list(verdicts)
        for i, (text, verdict) in enumerate(zip(texts, verdicts, strict=True)):
            if verdict.label != "update" or verdict.fact is None:
                continue
            if self._after_resolution(verdict.fact, text, published):
                out[i] = Verdict("new", None, verdict.similarity)
                continue
            now = _single_day(text, published)
            if now is None:
                continue
            if verdict.fact.status == PLANNED and self._baseline_plan_days and now not in self._baseline_plan_days \
                    and (now - self._baseline_plan_days[-1]).days <= PLANNED_WINDOW.days:  # (not a look back a year on)
                out[i] = Verdict("new", None, verdict.similarity)
                continue
            frames = self.labeller.realised_frames(verdict.fact, text)
            days = set()  # the days earlier resolutions by this kind of happening were dated to
            for first in self.store.items:
                resolved = self._facts_by_id.get(first.fact_id) if first.fact_id else None  # None: not a fact of
                if resolved is None or not frames & set(resolved.frames):  # this baseline (stored state)
                    continue
                for reported in first.texts:  # reports of this kind of happening, not of another (the arrival)
                    if any(self.labeller.realises(f, reported) for f in frames):
                        then = _single_day(reported, first.first_seen)
                        if then is not None:
                            days.add(then)
            if days and now not in days:
                out[i] = Verdict("new", None, verdict.similarity)
        return out

    def _after_resolution(self, fact: Fact, text: str, published: datetime | None) -> bool:
        """The sentence dates its happening to weeks after the stream first reported this fact resolved."""
        row = self.store.by_fact.get(fact.id)
        first = self.store.items[row].first_seen if row is not None else None
        span = dated_span(text, published)
        return first is not None and span is not None and span[0] > first.date() + LATER_RESOLUTION

    def _resolved_once(self, texts, verdicts):
        """Inside one article one sentence reporting a baseline fact's happening is its update; another reporting
        the same happening ("Putin greeted Xi as a dear friend" after "the two held their first talks") is a detail
        of it, news. The update is the first such sentence, unless a later one recalls the wait as it was ("Beijing
        had said little in advance about Xi's aims, but the statement puts them on paper" after "The two signed a
        statement setting out priorities"): the labelled sets call that one the update 156 times in 170. A fact
        awaiting two happenings (arrive, then meet) takes one update for each."""
        frames: dict[int, set[tuple[str, str]]] = {}
        for i, (text, verdict) in enumerate(zip(texts, verdicts, strict=True)):
            if verdict.label == "update" and verdict.fact is not None:
                frames[i] = {(verdict.fact.id, f) for f in self.labeller.realised_frames(verdict.fact, text)}
        owner: dict[tuple[str, str], int] = {}
        # the lines recalling the wait first, then the others, each in article order
        for i in sorted(frames, key=lambda i: (not self.labeller.recalls_pending_state(texts[i]), i)):
            for frame in frames[i]:
                owner.setdefault(frame, i)
        out = list(verdicts)
        for i, moved in frames.items():
            if moved and all(owner[frame] != i for frame in moved):
                out[i] = Verdict("new", None, verdicts[i].similarity)
        return out

    def _recalled_resolutions(self, texts, verdicts, vectors, published, baseline_date):
        """A late article recalling how a baseline fact was resolved ("In that call he promised to send a special
        envoy", a year after the call): past the window in which a fresh report may resolve a pending fact, a
        sentence that reports it resolved is the update only when it recalls the resolution the stream already
        reported, worded or said like that development; else a later happening of the same kind ("Xi proposed a
        Global Governance Initiative") would pass for the answer the baseline waited for. An announcement that
        sends someone on the mission ("would send a special envoy") is that answer whether or not the stream
        reported it. A plan carried out later is another happening (a later meeting is not the planned one), so
        planned facts are left out. Told as history ("The envoy's role dates from April 2023, when Xi told
        Zelensky ...") it is the update all the same."""
        if not self.labeller.past_pending_window(published, baseline_date):
            return verdicts
        out = list(verdicts)
        for i, (text, verdict, vector) in enumerate(zip(texts, verdicts, vectors, strict=True)):
            if verdict.label not in ("new", "background"):
                continue
            found = self.labeller.find_update(text, self.labeller.fact_similarities(vector), published,
                                              baseline_date, any_age=True)
            if not found or found[0].status == PLANNED:
                continue
            # the resolution reported, of this fact or of one awaiting the same happening ("has not disclosed its
            # aims", "has given no details of its objectives")
            frames = set(found[0].frames)
            rows = [row for fact_id, row in self.store.by_fact.items()
                    if fact_id in self._facts_by_id and frames & set(self._facts_by_id[fact_id].frames)]
            profile = content_profile(text, self.store.content_exclude)
            # "the aims Beijing had kept to itself": the wait recalled, so the answer recalled is the awaited one
            recalled = bool(rows) and (self.labeller.recalls_pending_state(text) or any(
                self.store.similarity(row, vector) >= RESOLUTION_RECALL_SIMILARITY
                or content_similarity(profile, self.store.items[row].content) >= CONTENT_JOIN_SIMILARITY
                for row in rows))
            recalled = recalled or ("ANNOUNCE" in frames and bool(_MISSION_SENT.search(normalise(text).lower())))
            if recalled:
                out[i] = Verdict("update", found[0], found[1])
        return out

    def _speaker_continuation(self, texts, verdicts):
        """ "..., he said" right after news from a newly named speaker (an official, an envoy) carries on that
        speaker's remarks: a weak tie to the baseline (one resting on the low threshold) does not make it a
        restatement. A close restatement ("would ratify Russia's conquest, he said") stays known."""
        out = list(verdicts)
        for i in range(1, len(texts)):
            v = out[i]
            if v.label != "known" or not v.weak or out[i - 1].label not in FLAGGED:
                continue
            if not _PRONOUN_SPEAKER.search(normalise(texts[i]).strip()):
                continue
            if not self.labeller.novel_names(texts[i - 1]):
                continue
            out[i] = Verdict("new", None, v.similarity, paraphrase=v.paraphrase, paraphrase_fact=v.fact, fresh=True)
        return out

    def _other_story(self, texts, verdicts):
        """A newsletter's item on another story ("Elsewhere: the Fed raised rates.", a roundup's "Markets: Gold hit
        a record.") goes on until a sentence names a core person or ties back to the baseline: "Retail sales also
        picked up" is that item, not news of this story. (An "Elsewhere" opener is offtopic already: labels.py.)"""
        out, in_item = list(verdicts), False
        roundup_items = self._roundup_items(texts)
        foreign = self._foreign_scenes(texts, verdicts)
        for i, (text, verdict) in enumerate(zip(texts, verdicts, strict=True)):
            if i in roundup_items or i in foreign:
                in_item = True
                out[i] = Verdict("offtopic", None, verdict.similarity)
            elif OTHER_STORY.match(text):
                in_item = True
            elif roundup_items and ITEM_HEADING.match(text):
                in_item = False  # the roundup's next item, and one on the story (it is not among `roundup_items`)
            elif in_item and verdict.label in ("new", "background") \
                    and not self.topic.entities(text) & self.topic.core_persons:
                out[i] = Verdict("offtopic", None, verdict.similarity)
            elif verdict.label != "offtopic":  # (sign-offs and credits do not end the item)
                in_item = False
        return out

    def _foreign_scenes(self, texts, verdicts) -> set[int]:
        """The sentences that open on a country the story is not set in ("In France, the government survived a
        no-confidence vote", "In Germany, coalition talks ...": a bulletin's other items): a place neither the
        baseline nor the article's other lines on the story name, in a sentence tied to none of its sides, persons
        or entities. Over the labelled sets such openers are off topic 19 times in 20; "In Kyiv, ...", "In
        Washington, ..." are the story's places."""
        scenes = {i: where for i, text in enumerate(texts) if (where := scene(text))}
        if not scenes:
            return set()
        # the places each line on the story names, read once for every scene asked about
        story_places = {j: places(texts[j]) for j, v in enumerate(verdicts) if v.label in ("known", "new", "update")}
        out = set()
        for i, where in scenes.items():
            if where & self._baseline_places or self.topic.ties_to_story(texts[i]):
                continue
            if any(where & named for j, named in story_places.items() if j != i):
                continue
            out.add(i)
        return out

    def _roundup_items(self, texts) -> set[int]:
        """The sentences that head a roundup's items on other stories. An article of headed items ("Russia: Putin
        hosted Xi in Kazan.", "Markets: Gold hit a record.", "Korea: ...") most of which name no side, person or
        entity of the story is a roundup, and those items are other stories. A transcript's speakers recur, and an
        explainer's headings ("On Ukraine:", "Energy:") mostly tie to the story: neither is a roundup."""
        headed = {i: found.group(1) for i, text in enumerate(texts)
                  if (found := ITEM_HEADING.match(text)) and not found.group(1).isupper()}
        if len(headed) < 2 or len(set(headed.values())) < len(headed):
            return set()
        other = {i for i in headed if not self.topic.ties_to_story(texts[i])}
        return other if 2 * len(other) > len(headed) else set()

    def _briefing_items(self, texts, verdicts, title: str):
        """A briefing's headline lists its items ("Morning brief: Xi leaves Moscow with an invitation; Fed raises
        again; TikTok's chief faces Congress"). A sentence that takes up a listed item on another story (one tied
        to none of the story's sides or persons) by a word the baseline does not use ("The Federal Reserve raised
        its rate ...": "raise") opens that item, and the item goes on until a sentence ties back to the story.
        A headline of two parts is no briefing's (`headline_items`): "Xi heads home; pipeline still unsigned"."""
        items = headline_items(title)
        if len(items) < 2:
            return verdicts
        others = [content_stems(item) - self.topic.story_words for item in items if not self.topic.ties_to_story(item)]
        if not any(others):
            return verdicts
        out, in_item = list(verdicts), False
        for i, (text, verdict) in enumerate(zip(texts, verdicts, strict=True)):
            if self.topic.ties_to_story(text):
                in_item = False
                continue
            stems = content_stems(text)
            in_item = in_item or any(stems & item for item in others)
            if in_item and verdict.label != "offtopic":
                out[i] = Verdict("offtopic", None, verdict.similarity)
        return out

    def _remember_flagged_lines(self, article_id: str, texts, developments) -> None:
        """Keep where an article's flagged lines went, for its near-copies (see _copied_line)."""
        self._flagged_lines[article_id] = tuple((d, t) for t, d in zip(texts, developments, strict=True) if d)
        while len(self._flagged_lines) > COPY_LINES_KEPT:
            del self._flagged_lines[next(iter(self._flagged_lines))]

    def _copied_line(self, text: str, original_lines) -> int | None:
        """The development of the original's line that this near-copy's line reprints, if it is still held. A
        reprint's line that would open an item of its own goes where its original's went: otherwise one syndicated
        story can show twice in the digest (and in the labelled sets the copy keeps its original's ids)."""
        mine = set(words(text))
        best, best_overlap = None, 0.0
        for dev_id, line in original_lines:
            theirs = set(words(line))
            overlap = len(mine & theirs) / max(len(mine | theirs), 1)
            if overlap > best_overlap:
                best, best_overlap = dev_id, overlap
        if best is None or best_overlap < COPY_LINE_MATCH:
            return None
        row = self.store.index_of(best)
        return row if row >= 0 else None

    def _assign_developments(self, texts, verdicts, vectors, article: ArticleIn,
                             original_lines=()) -> list[str | None]:
        """Give each new/update sentence a development: continue the running one, join an earlier
        one, or open a new one (see cluster.py for the cues). In a near-copy, `original_lines` are its original's
        flagged lines with their developments."""
        when = article.published
        source = article.source or ""
        out: list[str | None] = [None] * len(texts)
        recent: list[int] = []  # development rows used by the current run of flagged sentences
        run = Run()
        in_article: list[str] = []  # development ids used anywhere in this article
        self._speakers: dict[str, set[str]] = {}  # in-article development id -> name words of who it quotes
        self._names: dict[str, set[str]] = {}  # in-article development id -> name words its sentences mention
        self._texts_named: dict[str, set[str]] = {}  # in-article development id -> the texts its sentences name
        self._later_runs: list[str] = []  # in-article development ids that runs on a later happening opened on
        core_words = self.topic.core_name_words
        paused: tuple[int, list[int], Run] | None = None  # the run a restatement just interrupted
        anchor = -1  # the development the current run opened on
        created: list[str] = []  # ids of the developments this article opened
        for i, (text, verdict, vector) in enumerate(zip(texts, verdicts, vectors, strict=True)):
            if verdict.label not in FLAGGED:
                remark = verdict.label == "known" and run.meeting and self._core_remark(text)
                # a restatement ends the run; history does not, nor a core person's remark at their meeting, nor a
                # line the second look took back from news (the rules read it as part of the news around it)
                if verdict.label != "background" and not remark and not verdict.demoted:
                    paused = (i, recent, run) if recent else None
                    recent, run = [], Run()
                continue
            if paused and paused[0] == i - 1 and len(text.split()) <= SHORT_SENTENCE \
                    and not NEW_ITEM_CUES.search(normalise(text)):
                # "The authorities made no move to do so." after a restatement of the duty to arrest: a short
                # sentence says little of its own, and the run the restatement interrupted places it
                _, recent, run = paused
            paused = None
            fact_id = verdict.fact.id if verdict.label == "update" and verdict.fact else None
            continued = bool(recent) and continues(text, run, when, core_words, self._side_words)
            target = self._choose_development(text, verdict, vector, fact_id, recent, continued, when, in_article,
                                              run.start if continued else None,
                                              anchor if continued and run.later else None)
            if target is None and original_lines:
                target = self._copied_line(text, original_lines)
            aside = target is not None and not continued and self._aside(text, when, run, recent,
                                                                          self.store.items[target].id, in_article)
            if target is None:
                target = self.store.create(text, vector, verdict.label, fact_id, source, when)
                created.append(self.store.items[target].id)
            else:
                self.store.add(target, text, vector, fact_id, source, when)
            dev_id = self.store.items[target].id
            out[i] = dev_id
            target = self.store.index_of(dev_id)
            if target in recent:
                recent.remove(target)
            recent.append(target)
            kinds, where = event_kinds(text), places(text)
            if aside:
                pass  # the run on the later happening carries on after the look-back, and so does its anchor
            elif not continued and dev_id in in_article:
                # back to a development reported earlier in the article: its participants and voices carry on
                start = _run_start(text, when)
                run = Run(leading_subject(text), kinds, where, False,
                          frozenset(self._speakers.get(dev_id, ())) | named_speaker(text),
                          frozenset(self._names.get(dev_id, ())) | name_words(text), start, self._later(start))
                anchor = target
            elif not continued:
                named = self.topic.entities(text) & self.topic.core_persons
                # a meeting of the core persons, not their parting, an invitation or a trade figure
                meeting = len(named) >= 2 and not kinds - CEREMONY_KINDS - {"call"}
                start = _run_start(text, when)
                run = Run(leading_subject(text), kinds, where, meeting, named_speaker(text), name_words(text),
                          start, self._later(start))
                anchor = target
            else:
                run = Run(run.subject or leading_subject(text), run.kinds | kinds, run.places | where, run.meeting,
                          run.speakers | named_speaker(text), run.names | name_words(text), run.start, run.later)
            if dev_id not in in_article:
                in_article.append(dev_id)
            if run.later and not continued and not aside and dev_id not in self._later_runs:
                self._later_runs.append(dev_id)
            who = named_speaker(text)
            if who:
                self._speakers.setdefault(dev_id, set()).update(who)
            self._names.setdefault(dev_id, set()).update(name_words(text))
            self._texts_named.setdefault(dev_id, set()).update(texts_named(text))
            if verdict.familiar:
                recent, run = [], Run()
        if self.fold_model is not None or self.fold_log is not None:
            out = self._fold_lone_items(texts, verdicts, vectors, article, out, created)
        return out

    @staticmethod
    def _aside(text: str, when: datetime | None, run: Run, recent: list[int], dev_id: str,
               in_article: list[str]) -> bool:
        """A look-back inside a run on a later happening: a sentence dated a week or more before the happening
        that joined a development another article reported ("Putin thanked him for accompanying the delegation in
        Harbin in May" in the report of a September meeting). It goes to that development, but the lines after it
        are still about the later happening, not about the one it recalls."""
        if not recent or not run.later or run.start is None or dev_id in in_article:
            return False
        span = dated_span(text, when)
        return span is not None and span[1] < run.start - timedelta(days=EARLIER_SLACK_DAYS)

    def _fold_lone_items(self, texts, verdicts, vectors, article: ArticleIn, out: list[str | None],
                         created: list[str]) -> list[str | None]:
        """A development the article opened with one sentence and never came back to, beside a main one: an item
        of its own, or a mention of something reported before, or context, that would stand in the digest as one
        more development. The learned model (learned.py) decides; a line it folds joins the article's main
        development (the one with most of its sentences, two at least), where one sentence more changes no item's
        story."""
        counts = Counter(d for d in out if d)
        if len(counts) < 2:
            return out
        rows = {dev.id: row for row, dev in enumerate(self.store.items)}
        lone = [d for d in created if counts[d] == 1 and d in rows and self.store.items[rows[d]].count == 1]
        if not lone:
            return out
        # every development in the store that this article did not open was reported before it
        older = [row for dev_id, row in rows.items() if dev_id not in created]
        flagged = [i for i, d in enumerate(out) if d]
        baseline_date = self.baseline_published or self.first_published
        share, days = _article_shape(verdicts, article.published, baseline_date)
        title = self.space.sparse(article.title or "")
        decisions = []
        for dev_id in lone:
            i = out.index(dev_id)
            main = max((d for d in counts if d != dev_id), key=lambda d: counts[d])
            if counts[main] < 2:  # no main development to speak of: one line each
                continue
            row = self._lone_features(i, texts, verdicts[i], vectors[i], article, out, flagged, older, rows, main,
                                      counts, share, days, baseline_date, title)
            decisions.append((i, dev_id, main, row))
        if self.fold_log is not None:
            self.fold_log.extend((article.id, dev_id, main, row) for _, dev_id, main, row in decisions)
        if self.fold_model is None or not decisions:
            return out
        folds = self.fold_model.yes([row for *_, row in decisions])
        out = list(out)
        for (i, dev_id, main, _), fold in zip(decisions, folds, strict=True):
            if fold:
                self.store.fold(self.store.index_of(dev_id), self.store.index_of(main), vectors[i],
                                article.source or "", article.published)
                out[i] = main
        return out

    def _lone_features(self, i, texts, verdict, vector, article, out, flagged, older, rows, main, counts, share,
                       days, baseline_date, title) -> list[float]:
        """FOLD_FEATURES of the lone item at sentence i (see _fold_lone_items); `rows`: development id -> row."""
        text, published = texts[i], article.published
        evidence, _ = self.labeller.evidence(text, verdict, published, baseline_date)
        news = 0.5
        if self.news_model is not None:
            full = _news_row(evidence, i, len(texts), share, days)
            news = float(self.news_model.p(np.array([full], dtype=np.float64))[0])
        profile = content_profile(text, self.store.content_exclude)
        row = rows[main]
        span = dated_span(text, published)
        own = [rows[d] for d in counts if d != out[i]]
        return [
            *evidence,
            news,
            self.store.best_similarity(older, vector),
            max((content_similarity(profile, self.store.items[r].content) for r in older), default=0.0),
            self.store.best_similarity(own, vector),
            self.store.similarity(row, vector),
            content_similarity(profile, self.store.items[row].content),
            counts[main] / len(flagged),
            float(span is not None and published is not None and (published.date() - span[1]).days > 7),
            float(self.labeller.recalled_time(text, published, baseline_date) is not None),
            float(bool(_LOOK_BACK.search(text) or _RETROSPECTIVE.search(text.lower()) or _PAST_MEETING.search(text))),
            float(verdict.label == "update"),
            i / len(texts),
            float(i == flagged[0]),
            math.log(len(text.split()) + 1),
            float(len(counts)),
            len(flagged) / len(texts),
            float(bool(self.labeller.novel_names(text))),
            float(bool(named_speaker(text))),
            float('"' in text or "'" in text),
            days_feature(days),
            float(i > 0 and out[i - 1] is not None),
            float(i + 1 < len(out) and out[i + 1] is not None),
            float(bool(event_kinds(text))),
            float(planned(text)),
            float(verdict.fresh),
            float(verdict.similarity),
            CharNgramSpace.dot(title, vector),
            math.log(len(texts)),
            share,
        ]

    def _later(self, start: date | None) -> bool:
        """Does a happening first possible on `start` come after the baseline's own (see LATER_EVENT_DAYS)?"""
        return start is not None and self._later_than is not None and start > self._later_than

    def _core_remark(self, text: str) -> bool:
        """A core person speaking ("Putin told Xi that ..."): at their meeting, a remark the rules call a
        restatement is still part of the meeting's coverage and does not end the run."""
        who = named_speaker(text)  # (speaker_of normalises and strips the sentence itself)
        return bool(who) and who <= self.topic.core_name_words

    def _kinds(self, row: int) -> frozenset[str]:
        return event_kinds(" ".join(self.store.items[row].texts))

    def _participant(self, row: int, text: str) -> bool:
        """The sentence quotes by name someone the development's sentences in this article already named
        ("Zelensky called it ..." after "Xi spoke with Zelensky ..."): a participant's reaction, the same item."""
        who = named_speaker(text) - self.topic.core_name_words
        return bool(who) and who <= self._names.get(self.store.items[row].id, set())

    def _other_speaker(self, row: int, text: str) -> bool:
        """The sentence quotes a named source that none of the development's sentences in this article quoted,
        while they quoted someone: another voice, so another item ("Beijing responded ..." after "Xi told ...")."""
        who = named_speaker(text)
        if not who:
            return False
        before = self._speakers.get(self.store.items[row].id)
        return bool(before) and not before & who

    def _same_report(self, index: int, text: str, vector, when: datetime | None) -> bool:
        """Is an update to a baseline fact part of the development already resolving that fact? Yes when
        reported within a day of it, when it looks back ("last month"), or when the wording is close."""
        dev = self.store.items[index]
        if when is None or dev.last_seen is None:
            return True
        if abs((when - dev.last_seen).total_seconds()) <= SAME_REPORT_HOURS * 3600:
            return True
        if _RETROSPECTIVE.search(text.lower()):
            return True
        return self.store.similarity(index, vector) >= JOIN_SIMILARITY

    def _other_frame(self, row: int, fact_id: str, text: str) -> bool:
        """A baseline fact awaiting two happenings ("to arrive in Moscow on Monday and hold a meeting with Putin") is
        resolved by each: a report of the meeting is not the development that reported the arrival."""
        fact = self._facts_by_id.get(fact_id)
        if fact is None or len(fact.frames) < 2:
            return False
        mine = self.labeller.realised_frames(fact, text)
        theirs = self.labeller.realised_frames(fact, self.store.items[row].representative)
        return bool(mine and theirs) and not mine & theirs

    def _recalled_development(self, text, vector, when, in_article) -> int | None:
        """A look back to a happening since the baseline ("Putin came to Beijing that October"): the development of
        another article reported at that time whose wording is closest, when close enough, else the one of them
        reporting the same kind of happening. A time longer than a season names no happening ("Trade reached a
        record of about 245 billion dollars last year" is the year's total, not the visit of May that the year
        takes in)."""
        span = self.labeller.recalled_time(text, when, self.baseline_published or self.first_published)
        if span is None or (span[1] - span[0]).days > RECALL_MAX_DAYS:
            return None
        own = {self.store.index_of(d) for d in in_article}
        rows = [r for r, dev in enumerate(self.store.items) if r not in own and spans_agree(span, dev.event_spans)
                and not self._other_figures(r, text)]
        if not rows:
            return None
        row, sim = max(((r, self.store.similarity(r, vector)) for r in rows), key=lambda x: x[1])
        if sim >= RECALL_JOIN_SIMILARITY:
            return row
        # "They last met in person in Kazan in October": too few words to match the summit's report, but the one
        # development of that time reporting a meeting
        return self._same_kind(rows, text)

    def _same_kind(self, rows: list[int], text: str) -> int | None:
        """The development among `rows` reporting the same kind of happening as `text`, if exactly one does."""
        kinds = event_kinds(text)
        if not kinds:
            return None
        hits = [r for r in rows if kinds & self._kinds(r)]
        return hits[-1] if len(hits) == 1 else None

    def _referred_in_article(self, text: str, in_article: list[str]) -> int | None:
        """The signing of this article that an update names by what it produced ("the documents now set out Xi's
        aims" after "the two signed a joint statement"): the fact is resolved by that happening, so it is that
        development, not an item of its own."""
        if not _SIGNED_TEXTS.search(normalise(text)):
            return None
        rows = [r for r in (self.store.index_of(d) for d in in_article) if r >= 0
                and "sign" in self._kinds(r) and not planned(self.store.items[r].representative)]
        return rows[-1] if rows else None

    def _choose_development(self, text, verdict, vector, fact_id, recent, continued, when, in_article,
                            run_start: date | None = None, later_anchor: int | None = None):
        if fact_id:
            referred = self._referred_in_article(text, in_article)
            if referred is not None:
                return referred
        if fact_id and fact_id in self.store.by_fact:
            row = self.store.by_fact[fact_id]
            if self._same_report(row, text, vector, when) and not self._other_frame(row, fact_id, text):
                return row
        best, best_sim = self.store.nearest(vector)
        dated = dated_span(text, when)  # when the sentence itself says it happened, once for every check below
        if verdict.label == "update" and verdict.fact is not None and not verdict.fact.open:
            dated = None  # a stance said to have changed (or a report contradicted): the time it names is the old
            # stance's, not the change's
        if dated is None and run_start is not None and when is not None and not planned(text):
            carried = (run_start, when.date())  # "After talks, the two signed ...": the run's time
        else:
            carried = dated
        if best >= 0 and (self._apart(best, carried) or self._other_figures(best, text)):
            best, best_sim = -1, 0.0
        if best >= 0 and best_sim >= STRONG_SIMILARITY and best not in recent[-2:]:
            return best
        recalled = self._recalled_development(text, vector, when, in_article)
        if recalled is not None:
            return recalled
        own = [self.store.index_of(d) for d in in_article]
        own = [r for r in own if r >= 0]
        if continued:
            quoted = self._text_quoted(text, recent[-1], own)
            if quoted is not None:
                return quoted
            if verdict.label == "update" and fact_id:
                # the first report resolving a baseline fact is its own development, unless the article
                # reported that very happening a few sentences earlier ("the texts signed on Tuesday ...")
                return self._same_kind([r for r in own if r != recent[-1]], text)
            if later_anchor is not None and later_anchor in recent:
                # a later happening is one development: after an item broken off it ("Beijing will send an envoy"
                # in a call's report), the run's sentences go back to the happening it opened on
                return later_anchor
            latest = recent[-1]
            if len(recent) > 1 and not self._other_speaker(recent[-2], text) and not _PERSONAL_PRONOUN.match(text) \
                    and self._same_standing(recent[-2], text):
                older = recent[-2]
                kinds = event_kinds(text)
                if (kinds & self._kinds(older)) - self._kinds(latest) and self.store.similarity(older, vector) >= \
                        self.store.similarity(latest, vector) - CONTINUE_MARGIN:
                    return older  # "the call was long" after an aside: back to the call
                if self.store.similarity(older, vector) > self.store.similarity(latest, vector) + CONTINUE_MARGIN:
                    return older
            return latest
        # the article coming back to a development it reported a few sentences earlier
        earlier = [r for r in own if r not in recent and not self._other_speaker(r, text)
                   and self._same_standing(r, text)]
        where = scene(text)
        if where:  # "In Washington, ...": only a development already set there
            earlier = [r for r in earlier if where & places(" ".join(self.store.items[r].texts))]
        taking_part = [r for r in own if r not in recent[-1:] and self._participant(r, text)]
        if len(taking_part) == 1 and not NEW_ITEM_CUES.search(normalise(text)) and (
                len(text.split()) <= SHORT_SENTENCE or back_reference(text)):
            return taking_part[0]
        if NEW_ITEM_CUES.search(normalise(text)):  # "Also on Monday, ...", "Separately, ...": a further item
            earlier = []
        elif dated is None and not planned(text) and len(self._later_runs) == 1:
            # the article's one later happening, back after a restatement ("Putin said the friendship was
            # unbreakable" after a line of history): a later happening is one development with what is said at it
            row = self.store.index_of(self._later_runs[0])
            if row >= 0 and row not in recent[-1:] and not kind_change(event_kinds(text), self._kinds(row)) \
                    and compatible(text, self.store.items[row].representative, by_place=False):
                return row
        if earlier:
            back, back_sim = max(((r, self.store.similarity(r, vector)) for r in earlier), key=lambda x: x[1])
            voiced = bool(named_speaker(text)) and not self._speakers.get(self.store.items[back].id)
            # a named voice on a development nobody was quoted on yet needs closer wording to go back to it
            if back_sim >= (VOICED_RETURN_SIMILARITY if voiced else IN_ARTICLE_JOIN_SIMILARITY):
                return back
        same = self._same_kind([r for r in own if r not in recent[-1:] and not self._apart(r, dated)], text)
        if same is not None and planned(text) == planned(self.store.items[same].representative):
            return same
        if best >= 0 and best not in recent[-1:] and best_sim >= self._join_threshold(best, when) \
                and not self._new_party(best, text):
            if compatible(text, self.store.items[best].representative) or best_sim >= STRONG_SIMILARITY:
                return best
        fulfilled = self._fulfilled_plan(text, carried, own)
        if fulfilled is not None:
            return fulfilled
        documented = self._document_signed(text, carried, own, when)
        if documented is not None:
            return documented
        visit = self._same_visit(text, own, when)
        if visit is not None:
            return visit
        joined = self._content_join(text, vector, own, when)
        if joined is not None:
            return joined
        return self._look_back(text, vector, own, when)

    def _text_quoted(self, text: str, latest: int, own: list[int]) -> int | None:
        """What a text says ("The declaration says ...") after a run on another text ("A second document sets out
        priorities for economic cooperation"): the development of this article that named that text."""
        if not DOCUMENT_SAYS.search(text):
            return None
        named = texts_named(text)
        if not named or named & self._texts_named.get(self.store.items[latest].id, set()):
            return None
        rows = [r for r in own if r != latest and named & self._texts_named.get(self.store.items[r].id, set())]
        if not rows:
            return None
        # the development that named only that text before one that named it beside others ("They also signed a
        # statement on a plan for economic cooperation"); among equals, the latest
        return min(reversed(rows), key=lambda r: len(self._texts_named[self.store.items[r].id] - named))

    def _fulfilled_plan(self, text: str, span: tuple[date, date] | None, own: list[int]) -> int | None:
        """The plan a later happening carries out: "Putin will travel to China on Thursday" the day before, then
        "Xi greeted Putin in Beijing on Thursday". A happening after the baseline's own is one development with the
        plan that announced it (the labelled sets agree); the baseline's own visit is itemised, so its parts are
        not drawn to its plans ("formal talks are set for Tuesday" would draw Tuesday's signing as readily as the
        talks). Needs the happening dated to a day or two; another kind than the plan names is refused only when it
        is one a visit does not hold (LATER_BREAK_KINDS): "Putin wrapped up his visit in Harbin on Friday" carries out
        "Putin will pay a state visit on Thursday and Friday" and the talks it announced, a phone call would not."""
        if span is None or planned(text) or (span[1] - span[0]).days > 1 or not self._later(span[0]):
            return None
        kinds = event_kinds(text)
        rows = [row for row, dev in enumerate(self.store.items) if row not in own
                and any(span[0] <= day <= span[1] for day in dev.plan_days)
                and not _refused_by_kind(kinds, self._kinds(row))]
        return rows[-1] if rows else None

    def _document_signed(self, text, span, own, when) -> int | None:
        """What "the joint statement" or "the declaration" says, reported days after another outlet reported its
        signing: the signing's development, whose contents these are. The latest signing of a text reported in the
        last `DOCUMENT_DAYS` that the sentence is compatible with (not a shortfall, a plan or another kind of
        happening: "the statement only promised further study" is not the signing) and not dated apart from."""
        named = [m.group(0).lower() for m in _SIGNED_TEXTS.finditer(normalise(text))]
        # "all the agreements needed for the pipeline": deals, not a text whose contents are reported
        if when is None or not [n for n in named if not _DEALS.match(n)] or planned(text):
            return None
        return self._latest(row for row, dev in self._first_reported_within(own, when, DOCUMENT_DAYS)
                            if "sign" in self._kinds(row) and _SIGNED_TEXTS.search(normalise(dev.representative))
                            and compatible(text, dev.representative) and not self._apart(row, span))

    def _same_visit(self, text, own, when) -> int | None:
        """A later visit's next day ("Putin spent the second day of his state visit to China in Harbin"): the
        visit reported by another outlet in the last `VISIT_DAYS`, by the same core person to the same country.
        A visit after the baseline's own is one development; the baseline's own is itemised day by day."""
        if when is None or not _VISIT.search(text) or planned(text):
            return None
        who = self.topic.entities(text) & self.topic.core_persons
        where = places(text) - {self.topic.side_of.get(p) for p in who}
        if not who or not where:
            return None
        return self._latest(row for row, dev in self._first_reported_within(own, when, VISIT_DAYS)
                            if self._later(dev.first_seen.date() - timedelta(days=1))
                            and any(_VISIT.search(t) for t in dev.texts) and compatible(text, dev.happening)
                            and who <= self.topic.entities(" ".join(dev.texts))
                            and where <= places(" ".join(dev.texts)))

    def _first_reported_within(self, own, when: datetime, days: int):
        """(row, development) of other articles' developments first reported in the `days` before `when`."""
        for row, dev in enumerate(self.store.items):
            if row not in own and dev.first_seen is not None \
                    and timedelta(0) <= when - dev.first_seen <= timedelta(days=days):
                yield row, dev

    def _latest(self, rows) -> int | None:
        """The row among `rows` first reported last, if any."""
        return max(rows, key=lambda r: self.store.items[r].first_seen, default=None)

    def _same_standing(self, row: int, text: str) -> bool:
        """Both report a claim falling short, or neither does: a shortfall is never carried to the claim it answers."""
        return shortfall(text) == shortfall(self.store.items[row].representative)

    def _look_back(self, text, vector, own, when) -> int | None:
        """A look back at a happening reported long before: naming no time ("at the time", "no contract has been
        signed since", "the statement from that visit") or only times that ended `RECAP_AFTER` or more before
        publication, a month or closer unless it names the meeting ("when Xi visited Moscow a year ago"). It joins
        the development, first reported that long before and said to happen at a time it names, that shares the
        most content words with it, else the one of the same kind worded closest."""
        if when is None or planned(text):
            return None
        # the times it names that ended long before, dated to a month or closer unless it names the meeting ("in
        # 2024", "more than a year ago" are too vague to date a happening by without its scene)
        meeting = bool(_PAST_MEETING.search(text))
        times = [(lo, hi) for lo, hi in happening_times(text, when)
                 if hi <= (when - RECAP_AFTER).date() and (meeting or (hi - lo).days <= MAX_EVENT_SPAN_DAYS)]
        if not times and not _LOOK_BACK.search(text):
            return None
        profile, kinds = content_profile(text, self.store.content_exclude), event_kinds(text)
        # the closest in content words; failing that, the closest in wording among those of the same kind
        bar = SHORTFALL_LOOK_BACK_SIMILARITY if "shortfall" in kinds else CONTENT_JOIN_SIMILARITY
        (by_content, content_best), (by_wording, wording_best) = (None, bar), (None, 0.0)
        for row, dev in enumerate(self.store.items):
            if row in own or dev.first_seen is None or when - dev.first_seen < RECAP_AFTER:
                continue
            if times and not any(spans_agree(t, dev.event_spans) for t in times):
                continue
            if not compatible(text, dev.representative):
                continue
            sim, wording = content_similarity(profile, dev.content), self.store.similarity(row, vector)
            if sim >= content_best and wording >= CONTENT_JOIN_CHAR_SIMILARITY:
                by_content, content_best = row, sim
            if wording >= max(wording_best, KIND_JOIN_CHAR_SIMILARITY) and kinds & self._kinds(row):
                by_wording, wording_best = row, wording
        return by_content if by_content is not None else by_wording

    def _content_join(self, text, vector, own, when) -> int | None:
        """Another outlet's report of a happening already reported (the same day, or a later look back at it):
        the same kind of happening at an agreeing event time, and either the same content words once the story's
        core actors and reporting verbs are left out (even when names and wording differ) or close wording. A
        report of no kind of happening ("Only last month, Putin had hailed China's peace plan as a possible basis
        for a settlement") joins on its content words alone."""
        kinds = event_kinds(text)
        span = event_span(text, when)
        if span is None:
            return None  # a plan, or an undated report
        stated = amounts(text)
        if stated:  # every figure it states is one the development opened on, rounded or not: "a record 240 billion
            # dollars last year" after "an all-time high of 240.1 billion in 2023"
            tied = [row for row, dev in enumerate(self.store.items) if row not in own and kinds & self._kinds(row)
                    and spans_agree(span, dev.event_spans)
                    and all(figures_agree(frozenset({f}), amounts(dev.representative)) for f in stated)]
            if len(tied) == 1:
                return tied[0]
        if (span[1] - span[0]).days > MAX_EVENT_SPAN_DAYS:
            return None  # a time too vague ("this year") to date the happening by words alone
        profile = content_profile(text, self.store.content_exclude)
        if not profile:
            return None
        # the closest in content words; failing that, the closest in wording among those of the same kind on the
        # same days ("Xi headed home on Wednesday" after "Xi flew out of Moscow on Wednesday")
        (by_content, content_best), (by_wording, wording_best) = (None, 0.0), (None, 0.0)
        for row, dev in enumerate(self.store.items):
            if row in own or not spans_agree(span, dev.event_spans):
                continue
            sim = content_similarity(profile, dev.content)
            if not kinds and (sim < CONTENT_JOIN_SIMILARITY or sim <= content_best):
                continue  # with no kind, only the content words can join it: the wording need not be measured
            wording = self.store.similarity(row, vector)
            content_ok = (sim >= CONTENT_JOIN_SIMILARITY and sim > content_best
                          and wording >= CONTENT_JOIN_CHAR_SIMILARITY)
            wording_ok = bool(kinds) and wording >= KIND_JOIN_CHAR_SIMILARITY and wording > wording_best
            if not (content_ok or wording_ok):
                continue
            if (kinds and not kinds & self._kinds(row)) or not compatible(text, dev.representative) \
                    or self._new_party(row, text):
                continue
            if content_ok:
                by_content, content_best = row, sim
            if wording_ok:
                by_wording, wording_best = row, wording
        return by_content if by_content is not None else by_wording

    def _new_party(self, index: int, text: str) -> bool:
        """The sentence names a country beyond the story's sides that the development never named ("Beijing hoped
        Japan would help ease tensions" against the ministry's word on the court): another subject, however alike
        the wording of the ministry's statements."""
        third = places(text) - self.topic.sides
        return bool(third - places(" ".join(self.store.items[index].texts)))

    def _apart(self, index: int, span: tuple[date, date] | None) -> bool:
        """A happening dated to `span` ("spoke by telephone on Monday", "had held a video call on January 21") lies
        a month or more from every time the development was said to happen: however alike the wording or the kind
        of happening, two happenings."""
        spans = self.store.items[index].event_spans
        return span is not None and bool(spans) and not spans_agree(span, spans, slack_days=APART_DAYS)

    def _other_figures(self, index: int, text: str) -> bool:
        """The sentence and the development's opening report state amounts and none agrees ("about 245 billion
        dollars" against "240.1 billion"): another total, however alike the wording."""
        stated, theirs = amounts(text), amounts(self.store.items[index].representative)
        return bool(stated and theirs) and not figures_agree(stated, theirs)

    def _join_threshold(self, index: int, when: datetime | None) -> float:
        """Developments are bursty: joining one last seen long ago needs closer wording."""
        last = self.store.items[index].last_seen
        if when is None or last is None:
            return JOIN_SIMILARITY
        gap = abs((when - last).total_seconds()) / 86400.0
        return JOIN_SIMILARITY if gap <= STALE_AFTER_DAYS else STALE_JOIN_SIMILARITY

    # --- state ------------------------------------------------------------------------------------------
    def export_state(self) -> dict:
        """JSON-serialisable and bounded: developments (<= capacity), fingerprints (<= capacity), the flagged lines
        of the last relevant articles (<= COPY_LINES_KEPT), counters."""
        return {
            "version": STATE_VERSION,
            "first_published": self.first_published.isoformat() if self.first_published else None,
            "counters": dict(self.counters),
            "developments": self.store.export(),
            "articles": self.near_copies.export(),
            "flagged_lines": {a: [list(pair) for pair in lines] for a, lines in self._flagged_lines.items()},
        }

    def load_state(self, state: dict) -> None:
        self._reset_state()
        if not state:
            return
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"engine state version {state.get('version')!r} is not {STATE_VERSION}")
        first = state.get("first_published")
        self.first_published = datetime.fromisoformat(first) if first else None
        self.counters.update(state.get("counters", {}))
        self.store.load(state.get("developments", {}))
        self.near_copies = NearCopyIndex.load(state.get("articles", []), self._fingerprint_capacity)
        lines = state.get("flagged_lines", {})  # absent from the state of earlier versions
        self._flagged_lines = {a: tuple((d, t) for d, t in rows) for a, rows in lines.items()}


def _refused_by_kind(kinds: frozenset[str], plan_kinds: frozenset[str]) -> bool:
    """A happening of another kind than its plan's, one a visit does not hold (a call, trade figures, ...): not
    what the plan announced."""
    return kind_change(kinds, plan_kinds) and bool((kinds | plan_kinds) & LATER_BREAK_KINDS)


def _run_start(text: str, published: datetime | None) -> date | None:
    """The first day the happening a run opens on can have taken place: the earliest time its opening sentence
    names outside a "since ..." phrase, else the day before publication. "Spoke on Wednesday, the first contact
    since the invasion in February last year" happened on Wednesday; the invasion only measures the gap."""
    if published is None:
        return None
    times = happening_times(text, published)
    return min(lo for lo, _ in times) if times else published.date() - timedelta(days=1)


def _article_shape(verdicts, published: datetime | None, baseline_date: datetime | None) -> tuple[float, float | None]:
    """What the learned models know of the article as a whole: the share of its known/new/update sentences that
    are known, and how many days after the baseline it appeared (None: no dates)."""
    scored = [v for v in verdicts if v.label in ("known", "new", "update")]
    share = sum(v.label == "known" for v in scored) / len(scored) if scored else 0.0
    days = (published - baseline_date).total_seconds() / 86400.0 if published and baseline_date else None
    return share, days


# the outlet as the source of news: its interview, its story corrected ("in a written interview with Huaxia Wire")
_OUTLET_AS_SOURCE = re.compile(r"\b(?:interview\w*|told|said|says|reported|published)\b")


_FEED_SECTION = re.compile(r"\s*(?:\s[-|>\u2013\u2014]\s|:\s).*$")  # "Reuters: World News", "Harbour Times | Asia"
_FEED_TAG = re.compile(r"\s+[A-Z]$")  # "Maple Community Times M"


def _outlet_names(source: str | None) -> list[str]:
    """What an article may call its own outlet: the feed's name without a leading "The", and without what a feed
    adds to the name the articles use, a section after a separator ("Harbour Times | Asia") or a one-letter tag
    ("Maple Community Times M"). A name under four letters, or one word left by a tag ("Wire M"), is too common a
    word to stand for the outlet."""
    name = re.sub(r"^the\s+", "", (source or "").strip(), flags=re.IGNORECASE)
    names = [name] if len(name) >= 4 else []
    head = _FEED_SECTION.sub("", name)
    if head != name and len(head) >= 4:
        names.append(head)
    untagged = _FEED_TAG.sub("", head)
    if untagged != head and len(untagged.split()) >= 2:
        names.append(untagged)
    return names


def _own_outlet(texts, verdicts, source: str | None):
    """A line naming the article's own outlet is the outlet on itself ("Harbour Times correspondents in Beijing
    contributed to this report.", "The Berlaymont Brief returns on Monday."), whatever else it names; a dateline's
    credit ("KYIV, March 29 (Wire M) - ...", "HARBIN, May 17 /Release Hub/ -- ...") is not, nor is the outlet as a
    source of news (its interview, its own story corrected)."""
    names = _outlet_names(source)
    if not names:
        return verdicts
    # as written, capitalised: "The Independent" is not "an independent inquiry"
    named = whole_words(names)
    out = list(verdicts)
    for i, text in enumerate(texts):
        m = named.search(text)
        if m and out[i].label != "offtopic" and not text[:m.start()].rstrip().endswith(("(", "/")) \
                and not _OUTLET_AS_SOURCE.search(text.lower()):
            out[i] = Verdict("offtopic", None, out[i].similarity)
    return out


def _offtopic(spans: Sequence[tuple[int, int]], texts: Sequence[str]) -> tuple[SentenceResult, ...]:
    """Every sentence of an article that is not about the topic."""
    return tuple(SentenceResult(s, e, t, "offtopic", None, None) for (s, e), t in zip(spans, texts, strict=True))


def _news_row(evidence: list[float], i: int, n: int, share: float, days: float | None) -> list[float]:
    """A sentence's evidence (Labeller.evidence) with the article's features after it: a row of learned.FEATURES."""
    return [*evidence, share, i / n, float(i == 0), days_feature(days),
            float(days is not None and days < BEFORE_EVENTS_DAYS)]


def _single_day(text: str, published: datetime | None) -> date | None:
    """The one day a sentence dates its happening to ("on Monday", "on 20 March"), else None."""
    days = {lo for lo, hi in referred_times(text, published) if lo == hi}
    return days.pop() if len(days) == 1 else None
