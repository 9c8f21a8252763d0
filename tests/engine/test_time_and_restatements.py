"""Event time against the baseline, background cues, plans told again, attributions and a speaker's
follow-on remarks. The sentences are written for these tests (not taken from the devset or tests/data/eval)."""
from __future__ import annotations

from datetime import UTC, date, datetime

from monitor.engine.labels import Verdict, strip_attribution
from monitor.engine.paraphrase import concepts
from monitor.engine.when import happened_before, planned_days, referred_times
from tests.engine.builders import BASELINE_PUBLISHED, make_article

SATURDAY = datetime(2023, 3, 18, 9, 0, tzinfo=UTC)  # the day after the baseline (a Friday)
TUESDAY = datetime(2023, 3, 21, 18, 0, tzinfo=UTC)
OCTOBER = datetime(2023, 10, 18, 12, 0, tzinfo=UTC)


def _day(text: str, when: datetime) -> list[tuple[date, date]]:
    return referred_times(text, when)


def test_relative_times_resolve_against_publication():
    assert _day("The panel on Friday voted to censure the minister.", SATURDAY) == [(date(2023, 3, 17), date(2023, 3, 17))]
    assert _day("Last month the ministry released a paper on grain.", SATURDAY) == [(date(2023, 2, 1), date(2023, 2, 28))]
    assert _day("The paper, released in February, listed ten points.", TUESDAY) == [(date(2023, 2, 1), date(2023, 2, 28))]
    assert _day("Two weeks ago the envoy toured the region.", TUESDAY)[0][1] < date(2023, 3, 21)
    # plans and deadlines have no past time
    assert _day("The ministers will meet on Friday.", SATURDAY) == []
    assert _day("Formal talks between the ministers are set for Friday.", SATURDAY) == []
    assert _day("A second round is planned for Thursday.", TUESDAY) == []
    assert _day("He said the depot would be ready by July 1.", TUESDAY) == []
    # "may" the verb is no month
    assert _day("Officials said the talks may resume.", TUESDAY) == []
    # "last <month>": the most recent one before this month
    assert _day("The envoy toured the region last May.", TUESDAY) == [(date(2022, 5, 1), date(2022, 5, 31))]
    assert _day("The envoy toured the region last May.", OCTOBER) == [(date(2023, 5, 1), date(2023, 5, 31))]
    # a later month than this one, in a sentence recalling an earlier occasion: last year's; otherwise left out
    assert _day("The two ministers last met in November, at a forum in Doha.", TUESDAY) == [
        (date(2022, 11, 1), date(2022, 11, 30))]
    assert _day("The forum in November drew forty delegations.", TUESDAY) == []
    # a day of a month "last year"
    times = _day("The envoy arrived in Doha on 14 March last year.", TUESDAY)
    assert (date(2022, 3, 14), date(2022, 3, 14)) in times and all(hi.year == 2022 for _, hi in times)
    # a month named with its year lends the year to its other mentions in the sentence
    times = _day("On that trip, in October 2021, the envoy landed in Doha on 14 October.", TUESDAY)
    assert (date(2021, 10, 14), date(2021, 10, 14)) in times and all(hi.year == 2021 for _, hi in times)


def test_days_a_plan_names_resolve_forward():
    assert planned_days("Formal talks between the ministers are set for Friday.", SATURDAY) == [date(2023, 3, 24)]
    assert planned_days("The two are due to meet on Tuesday.", TUESDAY) == [date(2023, 3, 21)]
    assert planned_days("The two met on Tuesday.", SATURDAY) == []  # no plan


def test_a_plan_for_a_day_beyond_the_baseline_plans_stays_news(engine):
    # the baseline's plans end with Monday's arrival and meeting; an article on that Monday announcing formal
    # talks for Tuesday, among lines restating the baseline, has news in it
    body = ("Xi Jinping is scheduled to arrive in Moscow on Monday and meet Vladimir Putin later in the day. "
            "China has not said what Xi hopes to achieve. "
            "Formal talks between the two delegations are planned for Tuesday.")
    result = engine.analyse(make_article("plan-1", body, title="Xi due in Moscow", day=20))
    assert [s.label for s in result.sentences][2] == "new", [s.label for s in result.sentences]


def test_happened_before_the_baseline():
    assert happened_before("The panel on Friday voted to censure the minister.", SATURDAY, BASELINE_PUBLISHED)
    assert happened_before("Last month the ministry released a paper on grain.", SATURDAY, BASELINE_PUBLISHED)
    # reported on the day it happens, after the baseline: news
    assert not happened_before("The two sides on Tuesday signed a grain accord.", TUESDAY, BASELINE_PUBLISHED)
    # a report of this month names a time after the baseline, whatever earlier years it mentions
    assert not happened_before("Figures released this month showed exports in 2022 fell.", OCTOBER, BASELINE_PUBLISHED)
    # no time named: nothing to say
    assert not happened_before("The two sides signed a grain accord.", TUESDAY, BASELINE_PUBLISHED)


def test_past_event_before_the_baseline_is_not_news(engine):
    v = engine.labeller.label("Last month the foreign ministry released a paper urging dialogue on grain exports.",
                              SATURDAY, engine.baseline_published)
    assert v.label in ("known", "background")
    v = engine.labeller.label("The foreign ministry on Tuesday released a paper urging dialogue on grain exports.",
                              TUESDAY, engine.baseline_published)
    assert v.label == "new"


def test_background_cues(engine):
    label = engine.labeller.label
    assert label("Western officials have for weeks warned Beijing against arming Moscow.", TUESDAY,
                 engine.baseline_published).label == "background"
    assert label("It was their third meeting in less than a year.", OCTOBER, engine.baseline_published).label == "background"
    assert label("Xi had written an essay for a Moscow daily before setting off.", TUESDAY,
                 engine.baseline_published).label == "background"
    # a standing charge by a whole camp is context; the same camp's word on a day is news
    assert label("European officials have accused Chinese traders of shipping drone parts to Russian factories.",
                 OCTOBER, engine.baseline_published).label == "background"
    assert label("European officials said on Tuesday that Chinese traders had shipped drone parts to Russian "
                 "factories.", OCTOBER, engine.baseline_published).label == "new"
    # an absence from an earlier occasion is context for the one reported; being sent to it is news
    assert label("Beijing did not attend an earlier round of the talks in Oslo.", OCTOBER,
                 engine.baseline_published).label == "background"
    assert label("Beijing did not attend a similar meeting in Oslo.", OCTOBER,
                 engine.baseline_published).label == "background"
    assert label("Beijing sent its envoy to the talks in Oslo on Saturday, after staying away from an earlier "
                 "round.", OCTOBER, engine.baseline_published).label == "new"


def test_background_cues_do_not_swallow_news(engine):
    label = engine.labeller.label
    # the durative cue sits in a relative clause: the main claim is today's
    assert label("There was once more no deal on the new rail bridge, which Moscow has sought for years.", OCTOBER,
                 engine.baseline_published).label == "new"
    # past perfect, but the time named is after the baseline: an earlier development, still news
    assert label("Xi had asked Putin to the congress when the two met in Moscow in March.", OCTOBER,
                 engine.baseline_published).label == "new"
    # past perfect inside reported speech is the speaker's news
    assert label("Lukashenko said Minsk had agreed to host the depot.", TUESDAY,
                 engine.baseline_published).label == "new"


def test_plan_told_again_before_it_happens_is_known(engine):
    when = datetime(2023, 3, 19, 8, 0, tzinfo=UTC)
    v = engine.labeller.label("He is due to sit down with Putin at the Kremlin on Monday evening.", when,
                              engine.baseline_published)
    assert v.label == "known" and v.fact is not None and v.fact.status == "PLANNED"
    # an invitation that mentions a later visit is a happening, not the baseline's plan
    v = engine.labeller.label("Xi has invited Putin to come to China later this year.", datetime(2023, 3, 22, tzinfo=UTC),
                              engine.baseline_published)
    assert v.label == "new"


def test_plan_announced_months_later_is_a_later_event(engine):
    labeller = engine.labeller
    text = "Xi Jinping is expected to attend the gathering in person."
    assert labeller._later_plan(text, OCTOBER, engine.baseline_published)
    assert not labeller._later_plan(text, datetime(2023, 3, 19, tzinfo=UTC), engine.baseline_published)
    assert labeller._planned_restatement(text, OCTOBER, engine.baseline_published) is None
    v = labeller.label(text, OCTOBER, engine.baseline_published)
    assert v.fresh and v.label != "known"
    # what would have happened is no plan
    counterfactual = "Had he gone, the hosts would have been expected to detain him under the court's warrant."
    assert not labeller._later_plan(counterfactual, OCTOBER, engine.baseline_published)


def test_a_plan_or_happening_dated_years_later_restates_no_baseline_plan(engine):
    # the same words as the baseline's plans, about a later visit: not a restatement of them
    later_visit = datetime(2026, 5, 6, 18, 0, tzinfo=UTC)  # a Wednesday
    for text in ("Xi and Putin are due to hold talks at the Kremlin on Thursday.",
                 "Xi Jinping arrived in Moscow on Wednesday at the start of a four-day state visit.",
                 "Xi is due to leave Russia on Saturday."):
        assert engine.labeller.label(text, later_visit, engine.baseline_published).label != "known", text
    # in the baseline's own week the plan is the baseline's, told again
    v = engine.labeller.label("Xi and Putin are due to hold talks at the Kremlin on Monday.",
                              datetime(2023, 3, 19, 8, 0, tzinfo=UTC), engine.baseline_published)
    assert v.label == "known"


def test_a_stance_recalled_and_said_to_have_changed_is_an_update(engine):
    later = datetime(2024, 9, 2, 9, 0, tzinfo=UTC)
    labeller = engine.labeller
    changed = ("Washington, which argued last year that a cease-fire would only lock in Russia's gains, has since "
               "changed course and now backs a truce.")
    v = labeller.label(changed, later, engine.baseline_published)
    assert v.label == "update" and "legitimize" in v.fact.text
    # the other course told as what it does now, the old stance recalled by its time or as "once"
    for other_course in (
        "Washington, which last year argued that a cease-fire would reward Russia's gains, has been urging both "
        "armies to accept one since the spring.",
        "The United States, which once said a truce would lock in Russia's gains, now presses for one.",
        "Washington now proposes a truce of its own, dropping its earlier view that a cease-fire would reward "
        "Russia's gains.",
        # the old stance in other words than the baseline's
        "What has changed is Washington, which now presses for the kind of truce it once said would only reward "
        "Moscow.",
        # the old stance recalled as where the change set out from, or dated, after "the change has come in"
        "Washington has changed its tune since then, from warning that a cease-fire would lock in Russia's gains to "
        "pressing Kyiv to accept one.",
        "The biggest change has come in Washington, which last year argued that a cease-fire would lock in Russia's "
        "gains.",
    ):
        v = labeller.label(other_course, later, engine.baseline_published)
        assert v.label == "update" and "legitimize" in v.fact.text, other_course
    for text in (
        "Washington's position has not changed: a cease-fire would only lock in Russia's gains.",  # kept
        "Brazil and China have instead offered a cease-fire plan of their own.",  # no stance recalled
    ):
        assert labeller.label(text, later, engine.baseline_published).label != "update", text
    # in the baseline's own week there is nothing yet to have changed
    assert labeller.changed_stance(changed, labeller.fact_similarities(engine.space.sparse(changed)),
                                   datetime(2023, 3, 19, tzinfo=UTC), engine.baseline_published) is None


def test_a_late_look_back_that_recalls_the_wait_reports_how_it_ended(engine):
    # long after the baseline's pending window, a sentence that recalls the wait in its own words ("no
    # initiative", "had not commented") and tells how it ended is that wait's resolution
    later = datetime(2024, 11, 5, 9, 0, tzinfo=UTC)
    labeller = engine.labeller
    for text, word in (
        ("Xi arrived without any initiative of his own, but weeks later he promised to send an envoy to Kyiv.",
         "initiatives"),
        ("Putin, who had not commented on the court's warrant that spring, later said it was void for Russia.",
         "comment"),
    ):
        v = labeller.label(text, later, engine.baseline_published)
        assert v.label == "update" and word in v.fact.text, (text, v)
    # a plan recalled as kept ("as the Kremlin had announced") is the baseline's plan, whenever it is told
    v = labeller.label("Xi arrived in Moscow in March 2023 on the day the Kremlin had announced, for three days of "
                       "talks.", later, engine.baseline_published)
    assert v.label == "update" and "scheduled to arrive" in v.fact.text, v
    v = labeller.label("Twelve months ago Xi flew into Moscow on the Monday the Kremlin had named.", later,
                       engine.baseline_published)
    assert v.label == "update" and "scheduled to arrive" in v.fact.text, v
    assert labeller.label("Xi arrived in Moscow in March 2023 for three days of talks.", later,
                          engine.baseline_published).label != "update"
    # the same deeds without the wait recalled are later happenings of their own
    for text in ("Xi launched a new initiative on global governance at the forum.",
                 "Xi did not attend the opening, but he later announced a fresh initiative on global governance."):
        assert labeller.label(text, later, engine.baseline_published).label != "update", text


def test_regions_are_not_new_names(engine):
    assert engine.labeller.novel_names("Ties with the West and with Western firms remain tense.") == []
    assert "Mwangi" in engine.labeller.novel_names("The envoy, Jane Mwangi, arrived in the West.")


def test_paraphrase_folds_seen_as_and_no_meaning():
    assert "consider" in concepts("The deal is widely seen as a win for Ankara.")
    assert "reject" in concepts("Its rulings have no legal force for us, the minister said.")


def test_attribution_of_a_spokesperson_is_stripped():
    text = "Defence ministry spokesman Ivan Petrov said the tribunal's rulings had no meaning for his country."
    assert strip_attribution(text) == "the tribunal's rulings had no meaning for his country."
    # a named leader speaking is not an attribution: left alone
    text = "President Anna Berg said the tribunal's rulings had no meaning for her country."
    assert strip_attribution(text) is text


def test_speaker_continuation_turns_a_weak_restatement_into_the_speakers_news(engine):
    texts = [
        "Alliance chief Maren Holt said members had seen signs that Moscow wanted drones from Beijing.",
        "China should not supply any such help to Russia, she said.",
    ]
    fact = engine.facts[0]
    verdicts = [Verdict("new", None, 0.1), Verdict("known", fact, 0.2, weak=True)]
    out = engine._speaker_continuation(texts, verdicts)
    assert out[1].label == "new"
    # a close restatement (not weak) stays known
    verdicts = [Verdict("new", None, 0.1), Verdict("known", fact, 0.5)]
    assert engine._speaker_continuation(texts, verdicts)[1].label == "known"
    # after a sentence without a newly named speaker, nothing changes
    texts[0] = "China said members had seen signs that Moscow wanted drones."
    verdicts = [Verdict("new", None, 0.1), Verdict("known", fact, 0.2, weak=True)]
    assert engine._speaker_continuation(texts, verdicts)[1].label == "known"


def test_a_look_back_to_a_reported_development_keeps_it_news(engine):
    # October: the stream reports Putin in Beijing; a review the next spring recalls it, a month nobody reported
    # (news the reader was never told of) and, in the "last met" formula, an occasion nobody reported (context)
    october = engine.analyse(make_article(
        "oct", "Vladimir Putin held talks with Xi Jinping in Beijing on Wednesday at a forum on trade routes.",
        title="Putin and Xi hold talks in Beijing", day=18, month=10))
    review = engine.analyse(make_article(
        "review",
        "Xi Jinping and Vladimir Putin met again in Beijing in October 2023 for talks at the trade-route forum. "
        "Putin stayed away from a summit of emerging economies in Johannesburg in August 2023. "
        "Xi and Putin last spoke by telephone in December 2023, ahead of the new year.",
        title="A year of Xi and Putin", day=20, month=3, year=2024))
    assert [s.label for s in review.sentences] == ["new", "new", "background"]
    # ... and joins the development reported at the time it names
    assert review.sentences[0].development == october.sentences[0].development


def test_a_look_back_to_a_whole_year_names_no_happening_to_join(engine):
    visit = engine.analyse(make_article(
        "yr-1", "Vladimir Putin held talks with Xi Jinping in Beijing on Thursday, with trade between the two "
        "countries high on the agenda.", title="Putin and Xi hold talks in Beijing", day=16, month=5, year=2024))
    visit_dev = visit.sentences[0].development
    assert visit_dev
    later = engine.analyse(make_article(
        "yr-2", "Xi Jinping and Vladimir Putin spoke by video link on Friday. "
        "Trade between the two countries reached a record of about 245 billion dollars last year.",
        title="Xi and Putin hold video call", day=1, month=3, year=2025))
    assert later.relevant
    year_total = later.sentences[1]
    # "last year" takes in the May visit, but a year is no time of a happening: the total is not the visit
    assert year_total.label in ("new", "update") and year_total.development != visit_dev
