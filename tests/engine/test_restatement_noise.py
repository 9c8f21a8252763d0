"""Restatements of baseline facts under noise: a dated anchor ("comes a day after ..."), an attribution
around the claim ("..., says X, a scholar of ..."; "Beijing, X said, ..."), a conditional with a figure in it,
and synonyms in the paraphrase channel. Sentences written for these tests."""
from __future__ import annotations

from datetime import UTC, date, datetime

from monitor.engine.labels import strip_attribution
from monitor.engine.paraphrase import concepts
from monitor.engine.when import happened_before, referred_times
from tests.engine.builders import BASELINE_PUBLISHED, labels, make_article

SAT = datetime(2023, 3, 18, 9, 0, tzinfo=UTC)


def test_comes_n_days_after_dates_what_follows():
    assert referred_times("The summit comes a day after the bank raised its rates.", SAT) == [
        (date(2023, 3, 17), date(2023, 3, 17))]
    assert referred_times("The vote came three days after the strike ended.", SAT) == [
        (date(2023, 3, 15), date(2023, 3, 15))]
    assert happened_before("The trip comes two days after the court issued its ruling.",
                           datetime(2023, 3, 19, 9, 0, tzinfo=UTC), BASELINE_PUBLISHED)
    # an event still to come names no past time
    assert referred_times("The talks will come a day after the vote.", SAT) == []


def test_a_month_to_come_this_year_is_last_years_in_a_look_back():
    """"Putin was last in Beijing in October" in a May paper: last year's October, as "the two last met in
    October" is; without the look-back a month still to come this year stays unread."""
    may = datetime(2024, 5, 16, 9, 0, tzinfo=UTC)
    october = [(date(2023, 10, 1), date(2023, 10, 31))]
    assert referred_times("Putin was last in Beijing in October, for the Belt and Road Forum.", may) == october
    assert referred_times("The two leaders last met in October.", may) == october
    assert referred_times("Leaders were in Beijing in October for the Belt and Road Forum.", may) == []


def test_an_anniversary_dates_its_day_not_today():
    """"A year ago today Xi landed in Moscow": the day a year before publication, not publication day, and not
    the half year either side that "a year ago" alone leaves open."""
    anniversary = datetime(2024, 3, 20, 9, 0, tzinfo=UTC)
    assert referred_times("A year ago today Xi Jinping landed in Moscow.", anniversary) == [
        (date(2023, 3, 20), date(2023, 3, 22))]
    (lo, hi), = referred_times("Two years ago this week, Xi arrived in Moscow.", anniversary)
    assert (hi - lo).days <= 14
    (lo, hi), = referred_times("A year ago on Wednesday, Xi arrived in Moscow.", anniversary)  # the weekday of it
    assert (hi - lo).days <= 14 and lo.year == 2023
    (lo, hi), = referred_times("A year ago, Xi arrived in Moscow.", anniversary)
    assert (hi - lo).days > 100


def test_attribution_around_a_claim_is_set_aside():
    assert strip_attribution("Oil exporters fear that demand could yet collapse next winter, says Maria Lopez, "
                             "an economist at a bank in Madrid.") == \
        "Oil exporters fear that demand could yet collapse next winter"
    assert strip_attribution("Paris, Macron said, had always stood by its allies in the region.") == \
        "Paris had always stood by its allies in the region."
    # a claim without attribution is left alone
    text = "The ministers met in Rome on Friday and agreed on a new budget."
    assert strip_attribution(text) is text


def test_paraphrase_folds_more_synonyms():
    assert {"hegemony", "neutral", "defeat", "comment"} <= concepts(
        "An overbearing rival, a fair referee, a beaten army, a leader who has not spoken.")


def test_restatements_under_noise_stay_out_of_the_digest(engine):
    cases = [
        "The visit comes two days after the International Criminal Court issued a warrant for Putin.",
        "The court's 123 member states would be obliged to arrest him if he ever came to their territory.",
        "Putin has not spoken about the charges in public.",
    ]
    for i, text in enumerate(cases):
        result = engine.analyse(make_article(f"r{i}", text, title="Xi heads to Moscow to meet Putin", day=19))
        assert labels(result) in (["known"], ["background"]), text  # kept out of the digest
