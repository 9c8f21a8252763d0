"""Cross-article joins on what happened (content words without the story's actors, event kind, event date)."""
from __future__ import annotations

from datetime import date, datetime

from monitor.engine.cluster import content_profile, content_similarity, event_span, spans_agree

ACTORS = frozenset({"alpha", "beta"})


def _weights(*texts: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for t in texts:
        for s in content_profile(t, ACTORS):
            out[s] = out.get(s, 0.0) + 1.0
    return out


def test_profile_leaves_out_actors_and_reporting_words():
    profile = content_profile("Alpha said on Monday that Beta signed the fisheries accord in Paris.", ACTORS)
    assert "fisheri" in profile or "fishery" in profile
    assert "accord" in profile
    assert not profile & {"alpha", "beta", "said", "monday", "paris"}


def test_same_happening_in_other_words_is_close_another_is_not():
    dev = _weights("Alpha and Beta signed a fisheries accord covering the northern banks.")
    same = content_profile("Beta's government signed the accord on fisheries, its ministry said.", ACTORS)
    other = content_profile("Alpha signed a decree raising fuel taxes.", ACTORS)
    assert content_similarity(same, dev) > content_similarity(other, dev)
    assert content_similarity(same, dev) >= 0.25


def test_event_dates_agree_within_a_day_or_two():
    tuesday = datetime(2031, 6, 10, 18, 0)
    span = event_span("Beta signed the fisheries accord on Tuesday.", tuesday)
    assert span == (date(2031, 6, 10), date(2031, 6, 10))
    later = event_span("Beta signed the fisheries accord last month.", datetime(2031, 7, 3, 9, 0))
    assert spans_agree(later, [span])
    far = event_span("Beta signed a fisheries accord on Tuesday.", datetime(2031, 9, 16, 9, 0))
    assert not spans_agree(far, [span])


def test_a_plan_has_no_event_date():
    assert event_span("Beta will sign the fisheries accord next week.", datetime(2031, 6, 10)) is None
