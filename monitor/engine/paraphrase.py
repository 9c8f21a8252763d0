"""Paraphrase channel: word-level overlap after stemming and light synonym folding.

Character n-grams catch restatements that reuse the baseline's words ("calling for
a cease-fire" / "has called for a ceasefire"); they miss ones that say the same in
other words ("China leans on Russian oil and gas" for "China is dependent on Russia
for its energy needs"). Here each content word is stemmed and folded into a concept
from a small, generic lexicon of news and diplomacy synonyms (nothing in it names
a story, a person or a place), and sentences are compared as IDF-weighted concept
sets, the IDF fixed from the baseline so that words every baseline sentence uses
count for little.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

from .lexicon import COUNTRIES
from .text import STOPWORDS, normalise, stem, words

SQUARED_MEMO_SIZE = 65536  # concepts whose squared weight is remembered (a daemon meets new words for months)

# Multi-word expressions folded to one concept before tokenising (lower-case, normalised text).
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"cease[- ]?fires?|truces?|armistices?|stop (?:the )?(?:fighting|shooting)|halt (?:the )?(?:fighting|shooting)|"
     r"end (?:to )?(?:the )?(?:fighting|hostilities)|lay down (?:their )?arms", "ceasefire"),
    (r"even[- ]handed|take[sn]? no sides?|takes? sides? with (?:neither|no one)|neither side|not taking sides|"
     r"neither for nor against|on (?:neither|no) side", "neutral"),
    (r"no[- ]limits?", "nolimits"),
    (r"world order|us[- ]led|american[- ]led|western[- ]led|unipolar", "hegemony"),
    (r"put forward|came up with|come up with|bring forward|set out|spell(?:ed|t)? out|lay out|laid out", "propose"),
    (r"road ?maps?|peace plans?|plans? of (?:his|its|their) own", "initiative"),
    (r"human rights?", "humanrights"),
    (r"lean(?:s|ed|ing)? on (?:russian|chinese|its|their) (?:oil|gas|energy|fuel)", "depend energy"),
    (r"lean(?:s|ed|ing)? on", "pressure"),
    (r"call(?:s|ed|ing)? for|urg(?:e|es|ed|ing)\b(?: \w+){0,4}? to|appeal(?:s|ed|ing)? for|"
     r"press(?:es|ed|ing)? for", "callfor"),
    (r"(?:nothing|little|no benefit|no advantage) to gain|nothing in it for|no benefits?|"
     r"gains? (?:little|nothing)|stands? to gain (?:little|nothing)", "nobenefit"),
    # "offered nothing beyond the dates", "has said almost nothing about": disclosed nothing
    (r"(?:offered|said|says|published|given|gave|revealed|shared) (?:almost |next to |little or )?nothing|"
     r"(?:published|offered|gave|given) no (?:list|word|details?|account)", "disclose"),
    (r"hand(?:s|ed|ing)? (?:\w+ )?over|set(?:s)? foot (?:on|in)", "arrest visit"),
    (r"(?:said|spoken|uttered|breathed) (?:a|one) (?:single )?word", "comment"),
    (r"appears? (?:as|to be)|be seen as", "consider"),
    (r"fellow travell?ers?", "partner"),
    (r"set foot (?:on|in)|travel(?:s|led)? to|go(?:es)? to", "visit"),
    (r"red carpets?|pomp|ceremon(?:y|ies)|honour guard|guard of honour", "ceremony"),
    (r"s[ai]t down (?:with|together|for)", "meet"),
    (r"touch(?:ed|es)? down|(?:flew|flown) in(?:to)?|land(?:ed|s|ing)? (?:in|at|on)|(?:will|to) land", "arrive"),
    (r"at odds|fall(?:ing)? out|frayed|souring|soured", "strained"),
    (r"step up|more help|do more", "morehelp"),
    (r"international criminal court|\bicc\b|the hague|war[- ]crimes? (?:court|tribunal)", "icc"),
    (r"lock in|lock(?:s|ed) in|cement|entrench|reward|rubber[- ]stamp\w*|"
     r"approv\w* (?:the |of )?(?:seizure|annexation|grab|conquest)s?", "legitimise"),
    (r"(?:(?:is|are|was|were|being) )?(?:widely |largely |generally |often )?(?:seen|viewed|regarded|considered) as|"
     r"in what is (?:considered|seen as|viewed as)", "consider"),
    (r"(?:ha[sd]|have) no (?:meaning|significance|legal (?:force|meaning|significance)|validity)|null and void",
     "reject"),
)
_PHRASE_RX = [(re.compile(rf"\b(?:{p})\b"), repl) for p, repl in _PHRASES]

# concept -> surface words (any inflection: matched by stem)
_GROUPS: dict[str, tuple[str, ...]] = {
    "neutral": ("neutral", "neutrality", "impartial", "impartiality", "unbiased", "objective", "balanced", "fair",
                "bystander", "mediator", "honest", "evenhanded"),
    "ceasefire": ("ceasefire", "truce", "armistice"),
    "energy": ("energy", "oil", "gas", "fuel", "crude", "lng", "coal", "hydrocarbon", "petroleum"),
    "depend": ("dependent", "depend", "dependence", "dependency", "reliance", "rely", "reliant", "need",
               "needs", "hungry", "buy", "buyer", "import", "importer", "purchase", "source", "supplier"),
    "initiative": ("initiative", "plan", "proposal", "blueprint", "scheme", "framework", "formula"),
    "propose": ("propose", "unveil", "launch", "offer", "bring", "announce", "table", "outline"),
    "arrest": ("arrest", "detain", "apprehend", "extradite", "seize"),
    "warrant": ("warrant", "charge", "indictment", "indict", "accuse", "accusation", "allegation", "case"),
    "icc": ("court", "tribunal", "prosecutor"),
    "deport": ("abduction", "abduct", "deportation", "deport", "removal", "remove", "transfer", "kidnap",
               "kidnapping", "taking"),
    "children": ("children", "child", "kids", "minors", "orphans"),
    "boost": ("boost", "lift", "gift", "fillip", "coup", "triumph", "success", "victory", "win", "welcome",
              "legitimacy"),
    "friendship": ("friendship", "friend", "ties", "bond", "relationship", "relations", "partnership",
                   "partner", "ally", "alliance", "solidarity", "camaraderie"),
    "hegemony": ("hegemony", "domination", "dominance", "dominate", "supremacy", "hegemonic", "overbearing",
                 "bullying", "overweening", "primacy", "multipolar"),
    "oppose": ("oppose", "opposition", "resist", "resistance", "counter", "counterweight", "weaken", "challenge",
               "push", "pushback"),
    "strained": ("strained", "strain", "tense", "tension", "tensions", "dispute", "quarrel", "rivalry",
                 "deteriorate", "worsen", "sour", "friction", "confrontation", "feud", "row", "clash"),
    "legitimise": ("legitimise", "legitimize", "legitimate", "ratify", "freeze", "freezing", "reward",
                   "validate", "rubber", "consolidate"),
    "gains": ("gains", "gain", "conquest", "seized", "territory", "land", "grab", "captured", "occupied"),
    "disclose": ("disclose", "reveal", "explain", "detail", "clarify", "divulge", "spell"),
    "aims": ("aims", "aim", "goal", "objective", "hope", "intention", "purpose", "agenda", "accomplish",
             "achieve", "want", "wants", "expect", "intend", "intent"),
    "talks": ("talks", "negotiations", "negotiate", "dialogue", "diplomacy", "settlement"),
    "promote": ("promote", "push", "encourage", "advance", "foster", "work", "working", "broker", "mediate"),
    "help": ("help", "support", "aid", "assist", "back", "backing", "abet", "enable", "arm", "supply",
             "lifeline", "prop"),
    "pressure": ("press", "pressure", "urge", "coax", "persuade", "push", "insist"),
    "stop": ("end", "stop", "halt", "finish", "wind"),
    "defeat": ("loss", "losses", "defeat", "lose", "losing", "collapse", "setback", "humiliation", "beaten", "beat",
               "rout", "lost"),
    "worry": ("worried", "worry", "fear", "fears", "concern", "concerned", "anxious", "alarm", "nervous"),
    "nobenefit": ("benefit", "advantage", "interest", "incentive", "payoff"),
    "visit": ("visit", "trip", "journey", "travel", "tour", "voyage"),
    "meet": ("meeting", "meet", "summit", "talks"),
    "arrive": ("arrive", "arrival", "land", "reach"),
    "schedule": ("scheduled", "schedule", "due", "expected", "planned", "set"),
    "comment": ("comment", "respond", "response", "react", "reaction", "remark", "speak", "spoken", "spoke",
                "silent", "silence",
                "statement", "anything"),
    "reject": ("reject", "dismiss", "denounce", "scorn", "condemn", "void", "null", "meaningless", "refuse",
               "repudiate"),
    "outrage": ("outrageous", "unacceptable", "absurd", "scandalous", "insulting"),
    "war": ("war", "conflict", "invasion", "fighting", "crisis", "aggression", "offensive", "hostilities"),
    "article": ("article", "piece", "column", "essay", "editorial", "byline"),
    "newspaper": ("newspaper", "daily", "gazette", "paper"),
    "thaw": ("thaw", "rapprochement", "reconciliation", "detente", "restoration", "normalisation",
             "normalization", "restore"),
    "backlash": ("backlash", "hurt", "harm", "damage", "cost", "goodwill", "sympathy", "friends"),
    "company": ("company", "firm", "business", "customer", "exporter", "brand"),
    "parliament": ("parliament", "legislature", "lawmaker", "congress", "house", "senate", "legislator"),
    "signal": ("signal", "hint", "indicate", "suggest", "show", "showcase", "parade", "display", "demonstrate"),
    "expert": ("expert", "analyst", "scholar", "specialist", "observer", "academic", "researcher", "professor"),
    "powerful": ("powerful", "strong", "mighty", "influential", "heavyweight"),
    "isolate": ("isolation", "isolate", "isolated", "alone", "pariah", "ostracise", "ostracize"),
    "threat": ("threat", "threaten", "intimidation", "coercion", "pressure", "drills"),
    "peace": ("peace", "peaceful", "reconcile"),
    "cooperation": ("cooperation", "cooperative", "collaboration", "cooperate"),
    "security": ("security", "safety", "stability"),
    "resolve": ("resolve", "resolution", "solution", "solve", "settle", "answer"),
    "political": ("political", "politically", "diplomatic", "diplomatically"),
    "war_crime": ("crime", "crimes", "atrocity", "atrocities", "criminal"),
    "oblige": ("obliged", "obligated", "obligation", "bound", "required", "duty", "must", "theory"),
    "recognise": ("recognise", "recognize", "member", "members", "jurisdiction", "party", "signatory"),
}


def _build_map() -> dict[str, str]:
    out: dict[str, str] = {}
    for concept, surfaces in _GROUPS.items():
        for surface in surfaces:
            out.setdefault(stem(surface), concept)
    for _, repl in _PHRASES:
        for token in repl.split():
            out.setdefault(stem(token), token)
    return out


_CONCEPT_OF = _build_map()
# "Russian oil" and "Russia's oil" name the same country: demonyms fold into the country's word
_DEMONYM_OF = {d.lower(): c.lower() for c, (ds, _) in COUNTRIES.items() if " " not in c for d in ds if " " not in d}
_PLACEHOLDERS = frozenset(token for _, repl in _PHRASES for token in repl.split())


def concepts(text: str, masked: frozenset[str] = frozenset()) -> frozenset[str]:
    """Concepts of a text: synonym-folded stems of its content words (stop words and masked words dropped)."""
    low = normalise(text).lower()
    for rx, repl in _PHRASE_RX:
        low = rx.sub(f" {repl} ", low)
    out = set()
    for word in words(low):
        w = word.lower().removesuffix("'s")
        w = _DEMONYM_OF.get(w, w)
        if w in STOPWORDS or w in masked or w.isdigit():
            continue
        if w in _PLACEHOLDERS:
            out.add(w)
            continue
        s = stem(w)
        if len(s) < 3:
            continue
        out.add(_CONCEPT_OF.get(s, s))
    return frozenset(out)


def fold_stems(stems: Iterable[str]) -> frozenset[str]:
    """Concepts of already-stemmed words (e.g. a fact's anchor stems)."""
    return frozenset(_CONCEPT_OF.get(s, s) for s in stems)


class ConceptSpace:
    """IDF-weighted concept sets with IDF fixed from reference texts (the baseline's sentences)."""

    def __init__(self, reference_texts: Sequence[str], masked: Iterable[str] = ()):
        self.masked = frozenset(w.lower() for w in masked)
        df: Counter[str] = Counter()
        for text in reference_texts:
            df.update(concepts(text, self.masked))
        self.n_docs = max(len(reference_texts), 1)
        self._df = df
        self._default = math.log((self.n_docs + 1) / 1.0) + 1.0
        # a similarity sums squared weights over every shared concept: one computation per concept
        self._squared = lru_cache(maxsize=SQUARED_MEMO_SIZE)(self._weight_squared)

    def weight(self, concept: str) -> float:
        n = self._df.get(concept, 0)
        return math.log((self.n_docs + 1) / (n + 1)) + 1.0 if n else self._default

    def _weight_squared(self, concept: str) -> float:
        return self.weight(concept) ** 2

    def norm(self, a: frozenset[str]) -> float:
        return math.sqrt(sum(self._squared(c) for c in a))

    def concepts(self, text: str) -> frozenset[str]:
        return concepts(text, self.masked)

    def similarity(self, a: frozenset[str], b: frozenset[str], norm_a: float | None = None,
                   norm_b: float | None = None) -> float:
        """Weighted cosine of two concept sets (binary occurrence times IDF); the norms may be given when
        one set is compared with many."""
        if not a or not b:
            return 0.0
        shared = a & b
        if not shared:
            return 0.0
        num = sum(self._squared(c) for c in shared)
        na = self.norm(a) if norm_a is None else norm_a
        nb = self.norm(b) if norm_b is None else norm_b
        return num / (na * nb)

    def coverage(self, text: frozenset[str], fact: frozenset[str]) -> float:
        """Share of the fact's weight that the text restates."""
        if not fact:
            return 0.0
        total = sum(self.weight(c) for c in fact)
        return sum(self.weight(c) for c in fact & text) / total if total else 0.0
