"""Text stage: sentence spans, normalisation, words and character n-gram vectors.

Everything here is pure and deterministic (stable hashing, no global state that
changes with input), so vectors computed before a restart equal those after it.
"""
from __future__ import annotations

import math
import re
import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from .lexicon import COUNTRIES, LOWER, UPPER

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\u2009": " ",
    }
)
# a live page's clock before an entry ("14:35 GMT: ...", "10:55 - ..."): the time of the post, not a figure in the news
LIVE_CLOCK = re.compile(r"^\s*\d{1,2}[:.]\d{2}(?:\s*(?:GMT|UTC|BST|CET|MSK|[ap]\.?m\.?))?"
                        r"\s*(?:[:\-\u2013\u2014|]\s*|\s+(?=[A-Z]))|"
                        # in brackets, with the day: "[16 May, 01:30 GMT] Putin arrived ..."
                        r"^\s*\[[^\]\d]{0,12}(?:\d{1,2}[^\]\d]{1,12})?\d{1,2}[:.]\d{2}[^\]]{0,8}\]\s*")
# a transcript's or live page's tag before the words ("MAYA ORTIZ: So Xi flew home", "UPDATE: Xi has landed", "Q: ...",
# "PRESENTER (ROSS BELL): Good evening.")
ENTRY_TAG = re.compile(r"^\s*(?:[A-Z][A-Z'\-.]+(?: [A-Z][A-Z'\-.]+){1,3}|[A-Z][A-Z'\-.]+(?: [A-Z][A-Z'\-.]+)? "
                       r"\([^()]{1,40}\)|UPDATE|LATEST|BREAKING|REACTION|Q|A|HOST|"
                       r"MODERATOR|INTERVIEWER|Question|Answer):\s+(?=\S)")
SPARSE_MEMO_SIZE = 4096  # texts whose n-gram vectors are remembered
WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['\-.][A-Za-z0-9]+)*")
# a wire's dateline and agency tag ending in full stops ("MOSCOW, March 20. /TASS/."): the sentence they head
_DATELINE_PIECE = re.compile(r"^(?:[A-Z][A-Z'\-]+(?: [A-Z][A-Z'\-]+)*, [A-Z][a-z]+\.? \d{1,2}\.|/[\w .\-]+/\.?)$")


def alternation(names: Iterable[str]) -> str:
    """`names` as a regex alternation of literals, longest first: an alternation takes the first branch that
    matches, so "New Delhi" must come before "New" and "Xi Jinping" before "Xi"."""
    return "|".join(re.escape(n) for n in sorted(set(names), key=lambda n: (-len(n), n)))


def whole_words(names: Iterable[str], flags: int = 0) -> re.Pattern[str]:
    """Any of `names` as a whole word or phrase (not inside a longer word), longest first."""
    return re.compile(rf"(?<![\w])(?:{alternation(names)})(?![\w])", flags)


# a byline run into the lede for want of a full stop ("By Thomas Avery, Diplomatic Editor Antony Blinken met Xi ..."):
# a name of two words (three before a comma, "in" or a capitalised dateline) or a desk's credit, then the writer's title
# ("Diplomatic Editor", or in lower case, "diplomatic editor") or place if any ("in Bergen", or after a comma a country
# or capital: "By Kenji Aramaki, Tokyo"), or a correspondent's credit ("From our correspondent in Washington"); what
# follows must be a sentence of six words or more opening on a capital ("By Mei Ling Tan in Hong Kong." is a byline
# whole already)
_WORD = rf"[{UPPER}][{LOWER}'\-]+"  # a capitalised word, accents allowed ("Élise", "Sokołowska")
_NAME = f"{_WORD} {_WORD}"
_PLACE = rf"(?:(?:New|Hong|San|Los|Las|St|Tel|Kuala|Buenos|Abu|Cape|Rio|The) )?[{UPPER}][{LOWER}]+"
# a country or its capital (the first of its metonyms), not "White House" or "Kremlin", which title a correspondent
_COUNTRY_OR_CAPITAL = alternation(name for country, (_, metonyms) in COUNTRIES.items()
                                  for name in (country, *metonyms[:1]))
# A desk's or correspondent's credit in words ("By our Brussels correspondent", "By the Markets Desk commodities team",
# "From our China correspondent", "Harbour Wire staff in Moscow and Beijing", "Monsoon Herald, Moscow bureau"), or a
# writer's name and outlet parted by a bar ("By Daniel Okafor | Lakeshore Gazette") is a byline too
_DESK = r"(?:correspondents?|team|staff|editor|bureau|desk|reporters?)"
_PLACES = rf"{_PLACE}(?: and {_PLACE})?"
_LEADING_BYLINE = re.compile(
    rf"^(?:(?:[{UPPER}]{{2,}}, )?(?i:from) our (?:own )?(?:{_WORD} )?correspondents?(?: in {_PLACES})?|"
    rf"By (?:our|the) (?:[\w'\-]+ ){{0,5}}?{_DESK}(?: in {_PLACES})?|"
    rf"(?:By )?(?:{_WORD} ){{1,3}}(?i:staff)(?: in {_PLACES})?(?= [{UPPER}]{{2,}} [-\u2013\u2014] )|"
    rf"{_WORD}(?: {_WORD}){{0,2}}, {_PLACE} bureau|"
    rf"By {_NAME}(?: and {_NAME})? \| {_WORD}(?: {_WORD}){{0,2}}(?= [{UPPER}]{{2,}} [-\u2013\u2014] )|"
    rf"(?:(?:Analysis|Commentary|Opinion|Reporting|Words) by|By) "
    rf"(?:{_NAME}(?: {_WORD}(?=,| in | [{UPPER}]{{2,}}))?(?: and {_NAME})?"
    rf"(?:, (?:[A-Za-z]+ ){{0,2}}(?i:editor|correspondent|writer|reporter|chief|columnist|analyst|producer)"
    rf"| in {_PLACE}|, (?:{_COUNTRY_OR_CAPITAL}))?"
    rf"|(?:[{UPPER}][\w'\-]+ ){{1,2}}(?:staff(?: and wire reports| in {_PLACES})?|wire services|wire reports)))"
    rf"(?= [{UPPER}]\S*(?: \S+){{5}})")
_FALLBACK_BOUNDARY = re.compile(r'[.!?]["\')]?(?=\s+["\'(]?[A-Z0-9])')

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for from with without into onto over under about
    as is are was were be been being has have had do does did will would shall should can could may
    might must not no nor so than that this these those there here it its it's he him his she her
    they them their we us our you your i me my who whom whose which what when where while why how
    also just only very more most such other some any all both each few many much same own than too
    then now up down out off again further once said says say told tell according s t
    """.split()
)


BRIEFING_ITEMS = 3  # a headline listing this many items or more is a briefing's ("Morning brief: A; B; C")


def headline_items(title: str) -> list[str]:
    """The items a briefing's headline lists ("Morning brief: Xi leaves Moscow; Fed raises again; TikTok's chief
    faces Congress"), each a story of its own; any other headline is one item, itself. Only semicolons part items:
    "Xi meets Putin | World | The Daily Wire" names a section and a site, not stories."""
    items = [item.strip() for item in title.split(":", 1)[-1].split(";") if item.strip()]
    return items if len(items) >= BRIEFING_ITEMS else [title]


def entry_text(text: str) -> str:
    """The entry's own words: a live page's clock and a speaker's or update's tag are not part of what it says."""
    return ENTRY_TAG.sub("", LIVE_CLOCK.sub("", text, count=1), count=1)


def normalise(text: str) -> str:
    """Typographic variants (curly quotes, dashes) folded so that copies and restatements compare equal."""
    return text.translate(_TRANSLATE)


def split_sentences(body: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) covering `body` in order; syntok is abbreviation-aware. A dateline stays with
    its sentence, and a byline run into the lede without a full stop is a sentence of its own."""
    spans: list[tuple[int, int]] = []
    try:
        from syntok import segmenter

        for paragraph in segmenter.analyze(body):
            for sentence in paragraph:
                tokens = list(sentence)
                if not tokens:
                    continue
                start = tokens[0].offset
                end = tokens[-1].offset + len(tokens[-1].value)
                spans.append((start, end))
    except ImportError:  # pragma: no cover - syntok is a declared dependency
        start = 0
        for m in _FALLBACK_BOUNDARY.finditer(body):
            spans.append((start, m.end()))
            start = m.end()
            while start < len(body) and body[start].isspace():
                start += 1
        if start < len(body):
            spans.append((start, len(body.rstrip())))
    # drop empty spans, keep order; a span opening on a dash carries on the one before ("BEIJING (Wire) - Xi
    # welcomed ...": the dateline is not a sentence of its own)
    out: list[tuple[int, int]] = []
    heading: int | None = None  # where a dateline piece waiting for its sentence starts
    for s, e in spans:
        if e <= s or not body[s:e].strip():
            continue
        if _DATELINE_PIECE.match(body[s:e]):
            heading = s if heading is None else heading
            continue
        if heading is not None:
            s, heading = heading, None
        if out and body[s] in "-\u2013\u2014":
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    if heading is not None:
        out.append((heading, len(body.rstrip())))
    byline = _LEADING_BYLINE.match(body[out[0][0]:out[0][1]]) if out else None
    if byline:
        start, end = out[0]
        out[0:1] = [(start, start + byline.end()), (start + byline.end() + 1, end)]
    return out


def words(text: str) -> list[str]:
    return WORD_RE.findall(normalise(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude suffix stripper: enough to make 'talks'/'talk', 'signed'/'sign' meet."""
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    w = w.rstrip("'")
    if len(w) <= 3:
        return w
    for suffix in ("ies", "ied", "ing", "ed", "es", "s", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def content_stems(text: str, extra_stop: Iterable[str] = ()) -> set[str]:
    stop = STOPWORDS | set(extra_stop)
    return {stem(w) for w in words(text) if w.lower() not in stop and not w.isdigit()}


@lru_cache(maxsize=262144)
def _bucket(gram: str, dim: int) -> int:
    return zlib.crc32(gram.encode("utf-8")) % dim


def char_ngrams(text: str, masked: frozenset[str] = frozenset(), sizes: Sequence[int] = (3, 4, 5)) -> dict[str, int]:
    """Word-bounded character n-grams (like scikit-learn's char_wb); masked words contribute none."""
    counts: dict[str, int] = {}
    for word in WORD_RE.findall(normalise(text).lower()):
        if word in masked:
            continue
        padded = f" {word} "
        length = len(padded)
        for n in sizes:
            if length < n:
                if n == sizes[0]:
                    counts[padded] = counts.get(padded, 0) + 1
                continue
            for i in range(length - n + 1):
                gram = padded[i : i + n]
                counts[gram] = counts.get(gram, 0) + 1
    return counts


def _read_only(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


class CharNgramSpace:
    """Hashed char 3-5-gram TF-IDF space with IDF fixed from a reference set of texts.

    Fixed IDF (from the baseline) keeps vectors stable across restarts and makes
    stored developments comparable forever; hashing keeps memory bounded.
    """

    def __init__(self, reference_texts: Sequence[str], *, masked: Iterable[str] = (), dim: int = 1 << 14):
        self.dim = dim
        self.masked = frozenset(w.lower() for w in masked)
        df = np.zeros(dim, dtype=np.float32)
        for text in reference_texts:
            buckets = {_bucket(g, dim) for g in char_ngrams(text, self.masked)}
            if buckets:
                df[list(buckets)] += 1.0
        n_docs = max(len(reference_texts), 1)
        self.idf = (np.log((n_docs + 1.0) / (df + 1.0)) + 1.0).astype(np.float32)
        # the labels, the second look and the developments each ask for the same sentences: one vector per text
        self.sparse = lru_cache(maxsize=SPARSE_MEMO_SIZE)(self._sparse)

    def _sparse(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(bucket indices, L2-normalised weights) of `text`, read-only: `sparse` hands the same arrays to every
        caller."""
        grams = char_ngrams(text, self.masked)
        if not grams:
            return _read_only(np.zeros(0, dtype=np.int64)), _read_only(np.zeros(0, dtype=np.float32))
        acc: dict[int, float] = {}
        for gram, count in grams.items():
            b = _bucket(gram, self.dim)
            acc[b] = acc.get(b, 0.0) + 1.0 + math.log(count)
        idx = np.fromiter(acc.keys(), dtype=np.int64, count=len(acc))
        val = np.fromiter(acc.values(), dtype=np.float32, count=len(acc)) * self.idf[idx]
        norm = float(np.sqrt(np.dot(val, val)))
        if norm > 0:
            val /= norm
        return _read_only(idx), _read_only(val)

    def dense(self, text: str) -> np.ndarray:
        out = np.zeros(self.dim, dtype=np.float32)
        idx, val = self.sparse(text)
        out[idx] = val
        return out

    @staticmethod
    def dot(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
        """Cosine of two sparse vectors (both normalised)."""
        common, ia, ib = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
        return float(a[1][ia] @ b[1][ib]) if common.size else 0.0

    @staticmethod
    def similarities(matrix: np.ndarray, vector: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """Cosine of one sparse vector against each (normalised) row of a dense matrix."""
        idx, val = vector
        if matrix.shape[0] == 0 or idx.size == 0:
            return np.zeros(matrix.shape[0], dtype=np.float32)
        return matrix[:, idx] @ val
