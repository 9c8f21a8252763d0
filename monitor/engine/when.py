"""When did the happening a sentence reports take place? Relative time expressions resolved against the
article's publication time ("on Friday" in a Saturday paper, "last month", "in February", "two weeks ago").

Why: an article can report in the past tense something that happened before the baseline was written
(the court's order the day before, a position paper of the month before); that is a restatement or
background, not news. A development reported on the day it happens says "on Tuesday" in a Tuesday
paper, which resolves to after the baseline and stays news. Only expressions that look back are
resolved: a sentence announcing something still to happen ("will meet on Friday") has no past time.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from .lexicon import PLANNED_CUES
from .text import normalise

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "several": 3,
            "a few": 2, "few": 2}
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}

_MONTH_RX = "|".join(_MONTHS)
# "in February", "February 24", "24 February", optionally with a year
_MONTH_REF = re.compile(
    rf"\b(?:(?P<day1>\d{{1,2}}) (?P<m1>{_MONTH_RX})|(?P<m2>{_MONTH_RX})(?: (?P<day2>\d{{1,2}})(?!\d))?)"
    rf"(?:,? (?P<year>(?:19|20)\d\d))?\b"
)
_WEEKDAY_REF = re.compile(rf"\b(?:on |last |this past |early on |late on )?(?P<wd>{'|'.join(_WEEKDAYS)})\b")
_LAST = re.compile(r"\blast (week|month|year)\b|\bthe (?:previous|preceding) (week|month|year)\b")
_AGO = re.compile(r"\b(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|several|"
                  r"a few|few) "
                  r"(day|week|month|year)s? (?:ago|earlier|before)\b")
# "The trip comes a day after the court issued ...", "just days after": what follows "after" happened that long
# before the article (a dated anchor, not the article's news)
_COMES_AFTER = re.compile(r"\b(?:comes?|came|coming|follows?|followed|following) (?:just |only |barely |less than )?"
                          r"(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|few)? ?"
                          r"(day|week|month)s? after\b")
_DEADLINE = re.compile(r"\b(?:by|until|till|before|ahead of|from|starting)\s+(?:early |mid-|late |the end of )?$")
# after "... ago": the anniversary's own day or week, not a time of its own
_TO_THE_DAY = re.compile(rf",?\s+(?:(today|to the day)|this week|on (?:{'|'.join(_WEEKDAYS)}))\b")
_ANNIVERSARY = re.compile(r"\s+ago" + _TO_THE_DAY.pattern)
_CURRENT = re.compile(r"\b(?:earlier )?this (week|month|year)\b|\btoday\b|\btonight\b")
_YESTERDAY = re.compile(r"\byesterday\b")
# a sentence recalling an earlier occasion: a month later in the year than today is last year's
_LOOKS_BACK = re.compile(r"\blast (?:met|spoke|talked|visited|travell?ed|came|went|hosted|saw)\b|"
                         r"\b(?:was|were) last (?:in|at)\b|\b(?:previous|since)\b")
_OF_LAST_YEAR = re.compile(r",? (?:of )?last year\b")
_YEAR_ONLY = re.compile(r"\b(?:in|since|of|from|by|during) ((?:19|20)\d\d)\b")


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def referred_times(text: str, published: datetime | None) -> list[tuple[date, date]]:
    """Date ranges (first day, last day) of the past times a sentence names, resolved against `published`.
    Empty when the sentence names none, has no publication time, or announces something to come."""
    if published is None:
        return []
    return list(_read_times(text, published))  # a copy: the remembered list stays as read


@lru_cache(maxsize=8192)  # every stage asks for the times of the same sentences
def _read_times(text: str, published: datetime) -> list[tuple[date, date]]:
    low = normalise(text).lower()
    if PLANNED_CUES.search(low):
        return []
    today = published.date()
    out: list[tuple[date, date]] = []
    for m in _LAST.finditer(low):
        unit = m.group(1) or m.group(2)
        if unit == "week":
            out.append((today - timedelta(days=13), today - timedelta(days=1)))
        elif unit == "month":
            y, mo = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
            out.append(_month_range(y, mo))
        else:
            out.append((date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)))
    for m in _AGO.finditer(low):
        n = int(m.group(1)) if m.group(1).isdigit() else _NUMBERS.get(m.group(1), 1)
        days = n * _UNIT_DAYS[m.group(2)]
        exact = _TO_THE_DAY.match(low, m.end())  # "a year ago today", "two years ago this week": an anniversary
        slack = (1 if exact.group(1) else 6) if exact else max(1, days // 4)
        out.append((today - timedelta(days=days + slack), today - timedelta(days=max(days - slack, 0))))
    low = _ANNIVERSARY.sub(" ago", low)  # its "today" is not a time of its own
    for m in _COMES_AFTER.finditer(low):
        word = m.group(1)
        n = int(word) if word and word.isdigit() else _NUMBERS.get(word, 1) if word else 3
        days = n * _UNIT_DAYS[m.group(2)]
        slack = days // 4 if word else 2  # "a day after" is the day before; "days after" is vaguer
        out.append((today - timedelta(days=days + slack), today - timedelta(days=max(days - slack, 1))))
    for m in _CURRENT.finditer(low):  # "figures released this month": reported as of now
        unit = m.group(1) or "day"
        start = {"day": today, "week": today - timedelta(days=today.weekday()), "month": today.replace(day=1),
                 "year": today.replace(month=1, day=1)}[unit]
        out.append((start, today))
    if _YESTERDAY.search(low):
        out.append((today - timedelta(days=1), today - timedelta(days=1)))
    # "in March 2023, Xi landed on 20 March": a month named with its year lends the year to its other mentions
    month_refs = list(_MONTH_REF.finditer(low))
    years_of = {_MONTHS.index(m.group("m1") or m.group("m2")) + 1: int(m.group("year"))
                for m in month_refs if m.group("year")}
    for m in month_refs:
        month_name = m.group("m1") or m.group("m2")
        if month_name == "may" and not (m.group("day1") or m.group("day2") or m.group("year")):
            if not re.search(r"\b(?:in|last) may\b", low[max(0, m.start() - 5): m.end()]):
                continue  # the modal verb
        if _DEADLINE.search(low[max(0, m.start() - 12): m.start()]):
            continue  # "ready by July 1": a deadline, not when something happened
        month = _MONTHS.index(month_name) + 1
        last = low[max(0, m.start() - 5): m.start()] == "last "
        if m.group("year"):
            year = int(m.group("year"))
        elif month in years_of:
            year = years_of[month]
        elif _OF_LAST_YEAR.match(low, m.end()):  # "on 20 March last year"
            year = today.year - 1
        elif last:  # "last May": the most recent May before this month
            year = today.year if month < today.month else today.year - 1
        elif month <= today.month:
            year = today.year
        elif _LOOKS_BACK.search(low):  # "The two last met in October" in a January paper: last year's October
            year = today.year - 1
        else:
            continue  # a month still to come this year, or one of last year: ambiguous
        day = m.group("day1") or m.group("day2")
        if day and 1 <= int(day) <= calendar.monthrange(year, month)[1]:
            d = date(year, month, int(day))
            out.append((d, d))
        else:
            out.append(_month_range(year, month))
    for m in _WEEKDAY_REF.finditer(low):
        back = (today.weekday() - _WEEKDAYS.index(m.group("wd"))) % 7
        d = today - timedelta(days=back)
        out.append((d, d))
    for m in _YEAR_ONLY.finditer(low):
        year = int(m.group(1))
        if not any(lo.year == year for lo, _ in out):
            out.append((date(year, 1, 1), date(year, 12, 31)))
    return out


# "since the invasion in February last year": a time that measures a gap, not when the reported happening took place
SINCE_PHRASE = re.compile(r"\bsince\b[^,;.]*", re.IGNORECASE)


def happening_times(text: str, published: datetime | None) -> list[tuple[date, date]]:
    """The times a sentence dates what it reports to: `referred_times` without those inside "since ..." phrases
    ("spoke on Wednesday, the first contact since the invasion in February last year" happened on Wednesday)."""
    return referred_times(SINCE_PHRASE.sub("", text), published)


def happened_before(text: str, published: datetime | None, cutoff: datetime | None) -> bool:
    """True when every past time the sentence names ends on or before the day of `cutoff` (the baseline):
    what it reports was already the case when the baseline was written."""
    if cutoff is None or published is None or published <= cutoff:
        return False  # only follow-ups are diffed against what the baseline knew
    times = referred_times(text, published)
    if not times:
        return False
    last = cutoff.date()
    return all(hi <= last for _, hi in times)


def planned_days(text: str, published: datetime | None) -> list[date]:
    """The days a sentence announcing something to come names by weekday ("formal talks are set for Tuesday"),
    resolved forward from `published` (the same weekday is that day). Empty when it announces nothing or names
    no weekday."""
    if published is None:
        return []
    low = normalise(text).lower()
    if not PLANNED_CUES.search(low):
        return []
    today = published.date()
    return [today + timedelta(days=(_WEEKDAYS.index(m.group("wd")) - today.weekday()) % 7)
            for m in _WEEKDAY_REF.finditer(low) if not m.group(0).startswith(("last", "this past"))]
