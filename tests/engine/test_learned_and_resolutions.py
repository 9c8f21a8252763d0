"""The learned second look and the fold model (learned.py), headline relevance, a pending fact resolved "since",
last year's totals, and newsroom furniture. The sentences are written for these tests (not taken from any labelled set)."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from monitor.engine import Engine
from monitor.engine.labels import Labeller
from monitor.engine.learned import FEATURES, FOLD_FEATURES, FOLD_MODEL_PATH, MODEL_PATH, LogisticModel, fit
from monitor.engine.lexicon import BOILERPLATE
from tests.engine.builders import BASELINE, BASELINE_PUBLISHED, labels, make_article

MAY = datetime(2023, 5, 2, 9, 0, tzinfo=UTC)


def test_fit_learns_a_rule_and_round_trips_through_json():
    rng = np.random.default_rng(7)
    rows = rng.normal(size=(400, len(FEATURES)))
    news = rows[:, 3] - 0.5 * rows[:, 8] > 0  # news depends on two of the features
    model = fit(rows, news)
    assert (model.yes(rows.tolist()) == news).mean() > 0.95
    assert abs(model.weights[3]) > 5 * abs(model.weights[0])
    again = LogisticModel.from_json(json.loads(json.dumps(model.to_json())))
    assert np.allclose(again.p(rows), model.p(rows))


def test_a_model_fitted_on_other_features_is_refused():
    data = LogisticModel.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8"))).to_json()
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="other features"):
        LogisticModel.from_json(data)


def test_the_shipped_model_takes_flags_from_restatements_in_other_words():
    # An opinion piece a week on, restating baseline claims in words of its own, with one piece of news.
    body = ("Xi keeps presenting China as a bystander to the war rather than a party to it. "
            "Washington, for its part, still argues that a truce on today's lines would hand Moscow its gains. "
            "On Monday the two leaders signed a declaration on a new era of partnership in the Kremlin.")
    article = make_article("op-1", body, title="Xi and Putin: the friendship on show", day=27)
    rules = Engine(BASELINE.read_text(encoding="utf-8"), published=BASELINE_PUBLISHED, learned=False)
    learned = Engine(BASELINE.read_text(encoding="utf-8"), published=BASELINE_PUBLISHED)
    assert learned.news_model is not None
    before, after = labels(rules.analyse(article)), labels(learned.analyse(article))
    flagged = [sum(x in ("new", "update") for x in run) for run in (before, after)]
    assert flagged[1] <= flagged[0]
    assert after[2] in ("new", "update"), after  # the signing stays news
    assert after[:2].count("new") < 2, after  # the restatements are not both news


@pytest.mark.parametrize("body, title, when", [
    # the baseline: Xi wrote an article for a Russian paper; Putin writing one for a Chinese paper is his own news,
    # however alike the words
    ("Xi Jinping's state visit to Moscow begins on Monday. In an article for a Russian newspaper, Xi called his trip "
     "a journey of friendship, cooperation and peace. Putin set out his own view in an article carried on Monday by "
     "the People's Daily, saying relations were at their best.", "Xi in Moscow", (20, 3, 2023)),
    # among lines restating the baseline, a total reported as a record is fresh data
    ("China depends on Russia for much of its energy. Beijing sees Moscow as a partner against American dominance. "
     "Trade between the two reached a record 301 billion dollars last year, customs figures show.",
     "Xi and Putin: partners in energy", (15, 1, 2025)),
    # among the same lines, a claim falling short that no negative fact of the baseline states is news
    ("China depends on Russia for much of its energy. Beijing sees Moscow as a partner against American dominance. "
     "Beijing's own accounts of the talks did not mention the Power of Siberia 2 pipeline at all.",
     "Xi and Putin: partners in energy", (22, 3, 2023)),
], ids=["another leaders deed", "a record figure", "a claim falling short"])
def test_the_model_does_not_take_the_flag_from(engine, body, title, when):
    day, month, year = when
    result = engine.analyse(make_article("look-1", body, title=title, day=day, month=month, year=year))
    assert labels(result) == ["known", "known", "new"]


def test_a_headline_naming_both_sides_and_a_leader_makes_the_article_relevant(engine):
    body = ("The visit produced warm words and a long joint statement. "
            "Industry analysts said talks on the pipeline had snagged on price.")
    # the same body under a headline that names neither side first (a copy would inherit the verdict)
    other = engine.analyse(make_article("hl-1", body, title="Pipeline talks snag on price", day=17, month=5,
                                        year=2024))
    assert not other.relevant
    fresh = Engine(BASELINE.read_text(encoding="utf-8"), published=BASELINE_PUBLISHED)
    result = fresh.analyse(make_article("hl-2", body, title="Putin wraps up China visit without gas deal",
                                        day=17, month=5, year=2024))
    assert result.relevant


def test_a_pending_fact_recalled_as_it_was_and_changed_since_is_an_update(engine):
    verdict = engine.labeller.label(
        "Beijing, which had offered no initiative of its own before the summit, has since named an envoy "
        "to tour Kyiv and other capitals.", MAY, BASELINE_PUBLISHED)
    assert verdict.label == "update"
    assert "initiative" in verdict.fact.text
    # recalled as it was, with no change since: a restatement, not an update
    still = engine.labeller.label("Beijing had offered no initiative of its own before the summit.", MAY,
                                  BASELINE_PUBLISHED)
    assert still.label != "update"
    # the change told as an outcome: "came away with", "turned out"
    for text in ("Beijing, which had said nothing in advance about Xi's goals, came away with a signed text "
                 "listing them.",
                 "Beijing had said almost nothing beforehand about its goals, and the signed documents turned out to "
                 "cover them at length."):
        assert engine.labeller.label(text, MAY, BASELINE_PUBLISHED).label == "update", text
    # a change told after some other negation recalls no wait of the baseline
    other = engine.labeller.label("Anyone wondering why the Baltic states did not trust China to broker peace now "
                                  "had an answer, the minister wrote.", MAY, BASELINE_PUBLISHED)
    assert other.label != "update", other


def test_the_talks_taking_place_resolve_the_scheduled_meeting(engine):
    verdict = engine.labeller.label(
        "The talks the Kremlin had announced for Monday duly took place, lasting more than four hours.",
        datetime(2023, 3, 20, 22, 0, tzinfo=UTC), BASELINE_PUBLISHED)
    assert verdict.label == "update"


@pytest.mark.parametrize("sentence", [
    "The documents settle a question the Chinese side had left open, laying out at length what the two "
    "capitals intend to do together.",
    "The texts, setting out the aims Beijing had kept to itself, run to dozens of pages.",
])
def test_statements_laying_out_what_the_two_sides_intend_disclose_the_aims(engine, sentence):
    # the baseline: the Chinese government has not disclosed what Xi hopes to achieve
    verdict = engine.labeller.label(sentence, datetime(2023, 3, 21, 20, 0, tzinfo=UTC), BASELINE_PUBLISHED)
    assert verdict.label == "update" and verdict.fact.frames == ("DISCLOSE",), verdict


def test_the_leaders_sitting_down_in_the_kremlin_resolves_the_scheduled_meeting(engine):
    # "in the Kremlin" is where it happens, not who does it; a meeting before the baseline resolves nothing
    verdict = engine.labeller.label("17:50 - Xi and Putin have shaken hands in the Kremlin and sat down for their "
                                    "first round of talks.", datetime(2023, 3, 20, 20, 0, tzinfo=UTC),
                                    BASELINE_PUBLISHED)
    assert verdict.label == "update" and "hold a meeting" in verdict.fact.text, verdict
    verdict = engine.labeller.label("Xi and Putin last met in person in Samarkand, at a regional summit in September.",
                                    datetime(2023, 3, 18, 9, 0, tzinfo=UTC), BASELINE_PUBLISHED)
    assert verdict.label != "update", verdict


def test_a_fact_resolves_once_per_article_and_once_per_happening(engine):
    # the first report of the meeting is the update; a detail of it after it is news
    result = engine.analyse(make_article(
        "m-1", "Xi Jinping and Vladimir Putin held their first talks in the Kremlin on Monday, meeting one-on-one "
        "before dinner. Putin greeted Xi as his dear friend.", title="Xi and Putin meet", day=20))
    assert labels(result) == ["update", "new"]
    # once Monday's arrival and meeting have resolved the baseline's plans, Tuesday's talks are a further happening
    other = Engine(BASELINE.read_text(encoding="utf-8"), published=BASELINE_PUBLISHED)
    for i, (body, day) in enumerate((
            ("Xi Jinping arrived in Moscow on Monday for a three-day state visit, as the Kremlin had announced.", 20),
            ("The much-anticipated meeting between Xi Jinping and Vladimir Putin took place in the Kremlin on "
             "Monday.", 20),
            ("Earlier on Tuesday Xi held talks with Prime Minister Mikhail Mishustin before moving on to formal "
             "negotiations with Vladimir Putin.", 21))):
        result = other.analyse(make_article(f"s-{i}", body, title="Xi in Moscow", day=day))
    assert labels(result) == ["new"]


def test_last_years_totals_published_early_this_year_are_news_not_history():
    january = datetime(2024, 1, 12, 9, 0, tzinfo=UTC)
    assert not Labeller.is_background("Trade between the two grew by a quarter in 2023, to a record $240bn.", january)
    assert Labeller.is_background("The two sides first signed a gas deal in 2014 after a decade of talks.", january)


def test_bylines_disclaimers_and_live_page_furniture_are_boilerplate():
    for line in (
        "By the Asia security programme team.",
        "Views expressed here are the author's own and do not represent the institute.",
        "This commentary reflects the views of its author alone.",
        "Refresh this page for the latest posts; all times are GMT.",
        "Further reading: our coverage of the war in Ukraine.",
        "Our correspondent travelled with the presidential press pool.",
        "An earlier version of this article misspelled the name of a minister.",
        # a correction of the article's own slip, a date or a figure, not of a claim the story made
        "Correction: An earlier version of this story gave the wrong date for the minister's speech.",
        "Correction: an earlier version of this article said the forum lasted two days; it lasted three.",
        "Our correspondent travelled with the prime minister's delegation.",
        "Our Paris correspondent will have more on the visit this evening.",
        "We will post the full text of the speech shortly.",
        # a newsletter or live page greeting its readers and taking leave of them
        "Good evening, and welcome to the Tuesday digest.",
        "Here's what you need to know this morning.",
        "Your weekly briefing, in four items.",
        "See you tomorrow.",
        "Have a great weekend.",
        "This live page is no longer being updated.",
        "What follows is a shortened version of an essay first published by the institute.",
        # a podcast's transcript and a translated edition
        "This transcript has been lightly edited for clarity.",
        "This is a transcript of an audio episode; listen on our app.",
        "Translated from the Norwegian-language edition.",
        "Welcome back to Harbour Talk, where we discuss the ferry strike.",
        "Good to be here, Anna.",
        "By Anna Berg and Ola Nordmann",
        # a newsletter's sign-up line and leave-taking, a reprint's and a learners' edition's notes
        "Get the Harbour Post's ferry headlines every weekday morning.",
        "Here is your Nordic evening briefing for Friday.",
        "Thanks for reading.",
        "That's all for today.",
        "This report was abridged from the Fjord Wire's coverage.",
        "Harbour Post staff, with additional reporting from Oslo.",
        "This is a Level 1 story for learners of English.",
    ):
        assert BOILERPLATE.search(line), line
    for line in (
        "Good relations with Moscow remain a priority for Beijing, the minister said.",
        "Here is what the two leaders signed: a declaration and an economic plan.",
        "Back on Monday, the Kremlin had said the talks would run late.",
        "Correction: an earlier version of this report said a contract was signed; no contract was signed.",
        "Correction: an earlier version of this report said a contract was signed; the terms were only agreed.",
        "The envoy, who travelled by train, met the foreign minister in Warsaw.",
        "By Tuesday the two delegations had agreed on a text.",
        "The ministry said it would follow the talks closely.",
        "Putin thanked Xi for reading the proposals so closely.",
        "Get ready for long talks, the Kremlin told reporters.",
        "Translated into a dozen languages, the statement was read widely.",
    ):
        assert not BOILERPLATE.search(line), line


def test_cues_that_open_a_new_item_and_look_alikes_that_do_not():
    # counted over the labelled sets: these cues split one development more often than they found a new one
    from monitor.engine.lexicon import NEW_ITEM_CUES
    for line in ("In a statement on Friday, the ministry said the envoy would travel again.",
                 "Last week the two sides signed a memorandum on grain.", "A second document covers trade."):
        assert NEW_ITEM_CUES.search(line), line
    for line in ("10:55 - In Beijing, a spokesman says the court should respect immunity.",  # a live page's clock
                 "In the statement, both sides pledged to keep talking.",  # the statement just reported
                 "He said voters would back the president in next year's election.",  # a possessive, not a time
                 "They discussed last week's talks in Riyadh."):
        assert not NEW_ITEM_CUES.search(line), line


def test_a_visit_set_against_what_came_before_it_is_background():
    may = datetime(2024, 5, 16, 9, 0, tzinfo=UTC)
    assert Labeller.is_background("It is the minister's first trip abroad since he took office in the spring.", may)
    assert Labeller.is_background("This was their first face-to-face meeting since the pandemic.", may)
    assert not Labeller.is_background("The minister flew to Hanoi on Thursday for his first talks there.", may)
    # the recent time belongs to what the visit is set against, not to the visit
    assert Labeller.is_background("It was her first trip abroad since she was sworn in earlier this month.", may)
    # the past perfect counted back from the story's own time, not from the day of publication
    assert Labeller.is_background("He had been sworn in as prime minister only ten days earlier.", may)


def test_a_place_described_is_background_a_happening_there_is_not():
    may = datetime(2024, 5, 17, 9, 0, tzinfo=UTC)
    assert Labeller.is_background("Heilongjiang shares a border of more than 3,000 kilometres with Russia.", may)
    assert Labeller.is_background("China and Russia share a long land frontier along the Amur.", may)
    assert Labeller.is_background("Harbin grew up around the Chinese Eastern Railway, built by the Russian empire.", may)
    # the place named in passing, in a clause of a sentence that reports what happened there
    assert not Labeller.is_background("Putin spent Friday in Harbin, the city that grew up around a Russian-built "
                                      "railway, touring a trade fair.", may)
    assert not Labeller.is_background("The two agreed to open a second bridge across the border.", may)


def test_a_look_back_to_the_baseline_month_is_to_what_came_after_the_baseline():
    """The baseline was written in mid-March: "his state visit to Moscow in March", read in October, looks back to
    the visit that followed it, a development told again, not to history before the baseline; the month is
    read from the day after the baseline. A year or a month wholly before the baseline stays history."""
    october = datetime(2023, 10, 18, 9, 0, tzinfo=UTC)
    visit = "Xi had invited Putin to China during his state visit to Moscow in March."
    span = Labeller.recalled_time(visit, october, BASELINE_PUBLISHED)
    assert span == (BASELINE_PUBLISHED.date() + timedelta(days=1), date(2023, 3, 31))
    assert not Labeller.is_background(visit, october, BASELINE_PUBLISHED)
    assert Labeller.recalled_time("Xi last visited Moscow in February 2023 for talks.", october,
                                  BASELINE_PUBLISHED) is None
    assert Labeller.recalled_time("The two leaders met several times in 2022 and 2023.", october,
                                  BASELINE_PUBLISHED) is None


def test_a_pending_disclosure_recalled_without_a_change_is_not_an_update(engine):
    march = datetime(2023, 3, 22, 9, 0, tzinfo=UTC)
    for sentence in ("Beijing had kept its objectives under wraps before the summit.",
                     "Officials declined to say in advance whether a pipeline deal was near."):
        assert engine.labeller.label(sentence, march, BASELINE_PUBLISHED).label != "update", sentence


def test_a_reported_happening_told_again_at_length_is_known(baseline_text):
    # the baseline reports the court's charges as done: a later retelling in other words adds nothing
    # (the shipped config names the court by the city it sits in too)
    engine = Engine(baseline_text, published=BASELINE_PUBLISHED,
                    aliases={"International Criminal Court": ["ICC", "The Hague"]})
    verdict = engine.labeller.label(
        "Days before the visit, judges in The Hague had charged Putin over the abduction of children from Ukraine.",
        datetime(2023, 3, 23, 9, 0, tzinfo=UTC), BASELINE_PUBLISHED)
    assert verdict.label == "known"


def test_a_short_word_from_a_party_the_run_has_not_involved_is_another_item():
    from monitor.engine.cluster import Run, continues
    run = Run(kinds=frozenset({"depart"}), places=frozenset({"China", "Russia"}), names=frozenset({"xi"}))
    assert not continues("The White House was unmoved.", run)
    assert continues("It was a warm farewell.", run)


def test_training_with_a_set_left_out_prints_both_figures_and_writes_nothing(capsys):
    from monitor.engine import train
    data = BASELINE.parents[2] / "tests" / "data"
    if not train.SCORER.exists():
        pytest.skip("shared scorer not found")
    before = MODEL_PATH.read_bytes()
    assert train.main(["--config", str(BASELINE.parents[1] / "monitor.toml"),
                       "--set", str(data / "blind3" / "articles.jsonl"),
                       "--set", str(data / "blind4" / "articles.jsonl")]) == 0
    out = capsys.readouterr().out
    rules = [float(x) for x in out.split("mean rules")[1].split("\n")[0].split("|")]
    model = [float(x) for x in out.split("mean model")[1].split("\n")[0].split("|")]
    assert len(rules) == len(model) == 6
    assert model[4] > rules[4]  # fitted on one set, the model keeps more restatements out of the other
    assert MODEL_PATH.read_bytes() == before


def test_standing_descriptions_and_tallies_are_background():
    june = datetime(2024, 6, 3, 9, 0, tzinfo=UTC)
    for sentence in ("Designed to move 30 million tonnes a year, the railway would link two inland ports.",
                     "The planned bridge is meant to carry four lanes of traffic across the river.",
                     "The two ministers have spoken some 25 times since taking office.",
                     "Over the past decade the two navies have held a dozen joint drills.",
                     "Norway has never joined the customs union."):
        assert Labeller.is_background(sentence, june), sentence
    assert not Labeller.is_background("The ministers met in Oslo on Monday and agreed a new tariff.", june)


def test_a_clause_that_says_this_move_carries_the_clause_before_it(engine):
    # the baseline: "... calling for a cease-fire, while the US argues that this move would legitimize Russia's
    # battlefield gains": the second clause's "this move" is the truce, which it only points to
    labeller = engine.labeller
    index = next(i for i, f in enumerate(labeller.facts) if "this move" in f.text)
    clause, _sentence = labeller._fact_concepts[index]
    assert {"ceasefire", "legitimise", "gains"} <= clause
    verdict = labeller.label("Washington keeps arguing that a truce now would simply rubber-stamp Russia's "
                             "conquests.", datetime(2023, 3, 21, 9, 0, tzinfo=UTC), BASELINE_PUBLISHED)
    assert verdict.label == "known" and "legitimize" in verdict.fact.text


def test_a_headline_naming_both_sides_makes_the_article_relevant_without_a_leader(baseline_text):
    engine = Engine(baseline_text, published=BASELINE_PUBLISHED)
    body = "The Treasury named two companies and a trading house. They deny wrongdoing."
    both = engine.analyse(make_article("hs-1", body, title="US sanctions Chinese firms over drones for Russia",
                                       day=18, month=10, year=2024))
    assert both.relevant
    one = engine.analyse(make_article("hs-2", "Officials listed three suppliers. More names may follow.",
                                      title="US sanctions Chinese firms over drone parts", day=18, month=10,
                                      year=2024))
    assert one.duplicate_of is None
    assert not one.relevant


def test_a_headline_naming_a_core_person_and_what_the_lede_is_about_makes_the_article_relevant(baseline_text):
    engine = Engine(baseline_text, published=BASELINE_PUBLISHED)
    # the baseline's lede: Putin "is currently facing charges ... by the International Criminal Court"
    assert engine.topic.story_entities == {"International Criminal Court"}
    body = ("The Russian president was received with a guard of honour in Ulaanbaatar on Tuesday. "
            "Mongolia, a member of the court, did not detain him.")
    relevant = engine.analyse(make_article("icc-1", body, title="Putin visits Mongolia, an ICC member, without arrest",
                                           day=3, month=9, year=2024))
    assert relevant.relevant
    # the court in a story without the story's people, and Putin in a story without the court: not the story
    other = engine.analyse(make_article("icc-2", "The former president was flown to The Hague on Wednesday.",
                                        title="Former leader handed to the International Criminal Court",
                                        day=12, month=3, year=2025))
    assert not other.relevant
    trip = engine.analyse(make_article("icc-3", "He toured a theatre and spoke to residents at night.",
                                       title="Putin makes night visit to occupied port city",
                                       summary="The trip came two days after the court issued a warrant.",
                                       day=19, month=3, year=2023))
    assert not trip.relevant


def test_a_late_look_back_dated_to_the_awaited_days_is_still_the_update(engine):
    a_year_on = datetime(2024, 3, 19, 9, 0, tzinfo=UTC)
    dated = engine.labeller.label("Xi's plane touched down in Moscow on 20 March 2023, just as the Kremlin had said.",
                                  a_year_on, BASELINE_PUBLISHED)
    assert dated.label == "update"
    # the same words without a date back then: a later arrival, another happening
    later = engine.labeller.label("Xi's plane touched down in Moscow on Monday.", a_year_on, BASELINE_PUBLISHED)
    assert later.label != "update"
    counted = engine.labeller.label("A month after the summit Xi announced that he would send a special envoy to "
                                    "Kyiv.", datetime(2024, 6, 1, 9, 0, tzinfo=UTC), BASELINE_PUBLISHED)
    assert counted.label == "update"


def test_a_resolved_meeting_reported_on_another_day_is_a_further_happening(engine):
    engine.analyse(make_article("d-1", "Xi Jinping and Vladimir Putin held informal talks in the Kremlin on Monday.",
                                title="Xi and Putin meet in Moscow", day=20))
    second = engine.analyse(make_article(
        "d-2", "Xi Jinping and Vladimir Putin held formal talks in the Kremlin on Tuesday with their delegations.",
        title="Xi and Putin hold formal talks", day=21))
    assert [s.label for s in second.sentences] == ["new"]
    again = engine.analyse(make_article(
        "d-3", "Xi Jinping and Vladimir Putin held informal talks in the Kremlin on Monday, officials said.",
        title="Xi and Putin talks", day=21))
    assert [s.label for s in again.sentences] == ["update"]


def test_talks_on_a_day_the_plans_do_not_name_are_a_further_happening_even_as_the_first_report(engine):
    # nothing in the stream yet: the baseline planned Monday's meeting, so Tuesday's talks are news of their own
    first = engine.analyse(make_article(
        "t-1", "Xi Jinping and Vladimir Putin held formal talks in the Kremlin on Tuesday with their delegations.",
        title="Xi and Putin hold formal talks", day=21))
    assert [s.label for s in first.sentences] == ["new"]


def test_a_happening_named_only_to_date_another_resolves_nothing(engine):
    tuesday = datetime(2023, 3, 21, 20, 0, tzinfo=UTC)
    for text in ("Zelensky spoke in Kyiv on the same day that Xi Jinping met Vladimir Putin in the Kremlin.",
                 "As Xi Jinping sat down with Vladimir Putin, Zelensky spoke to reporters in Kyiv.",
                 "Three days before Xi Jinping landed in Moscow, judges in The Hague accused his host of war crimes."):
        assert engine.labeller.label(text, tuesday, BASELINE_PUBLISHED).label != "update", text
    # the happening itself, reported, still is the update
    v = engine.labeller.label("Xi Jinping met Vladimir Putin in the Kremlin on Monday.", tuesday, BASELINE_PUBLISHED)
    assert v.label == "update"


def test_arriving_at_a_building_of_the_city_is_not_arriving_in_it(engine):
    monday = datetime(2023, 3, 20, 14, 0, tzinfo=UTC)
    assert engine.labeller.label("Xi's motorcade has arrived at the Kremlin.", monday, BASELINE_PUBLISHED).label \
        != "update"
    assert engine.labeller.label("Xi arrived at Vnukovo airport on Monday.", monday, BASELINE_PUBLISHED).label \
        == "update"


def test_a_happening_weeks_after_the_reported_resolution_is_news(engine):
    envoy = engine.analyse(make_article(
        "e-1", "Xi Jinping, a month after his talks with Vladimir Putin in Moscow, told Volodymyr Zelensky in a phone "
               "call on Wednesday that China would send a special envoy to Ukraine and other countries.",
        title="Xi calls Zelensky, will send envoy", day=26, month=4))
    assert [s.label for s in envoy.sentences] == ["update"]
    later = engine.analyse(make_article(
        "e-2", "Earlier this month Xi Jinping sent his special envoy to talks on Ukraine in Jeddah, to which Vladimir "
               "Putin's government was not invited.", title="China's envoy joins Jeddah talks on Ukraine", day=20,
        month=8))
    assert [s.label for s in later.sentences] == ["new"]


MARCH_20_EVENING = datetime(2023, 3, 20, 20, 0, tzinfo=UTC)
MARCH_21 = datetime(2023, 3, 21, 9, 0, tzinfo=UTC)
MARCH_22 = datetime(2023, 3, 22, 9, 0, tzinfo=UTC)
APRIL_27 = datetime(2023, 4, 27, 9, 0, tzinfo=UTC)
DISCLOSED = ("disclosed", "details")


# an open baseline fact resolved, in the words later coverage uses: (sentence, published, words one of which the
# resolved fact holds; empty: any fact)
RESOLUTIONS = [
    # a pending disclosure recalled as it was and made since
    ("The communique they signed on Tuesday laid out the goals Beijing had refused to describe beforehand.",
     MARCH_22, DISCLOSED),
    ("Beijing had kept its objectives under wraps before the summit; the joint declaration now lists them.",
     MARCH_22, DISCLOSED),
    ("The agreements filled in the blanks China had left in advance about what Xi was seeking.", MARCH_22, DISCLOSED),
    # the texts the leaders signed speak for them
    ("The documents set out the aims of the visit in detail, from trade to security.", MARCH_22, ()),
    # the scheduled arrival and meeting
    ("The Chinese leader had flown in on Monday, as the Kremlin had said he would.", MARCH_21, ("arrive",)),
    ("Their first encounter of the visit duly took place on Monday evening, when Xi and Putin talked over dinner.",
     MARCH_21, ()),
    ("Putin and Xi have sat down together in Moscow, the meeting both sides had announced.", MARCH_20_EVENING, ()),
    ("Vladimir Putin and Xi Jinping opened the state visit with informal talks in the Kremlin on Monday.",
     MARCH_20_EVENING, ()),
    ("Xi Jinping and Vladimir Putin held their first round of talks in the Kremlin on Monday.", MARCH_20_EVENING, ()),
    ("Putin and Xi had their opening round of talks in the Kremlin on Monday, over dinner.", MARCH_20_EVENING, ()),
    # the envoy: the initiative the baseline said had not been announced
    ("Xi names a special representative to seek a political settlement of the war.", APRIL_27, ("initiatives",)),
    ("Xi told Zelensky that China's envoy would travel to Kyiv and other capitals for talks.", APRIL_27,
     ("initiatives",)),
]


@pytest.mark.parametrize(("sentence", "published", "fact_words"), RESOLUTIONS, ids=lambda v: str(v)[:40])
def test_an_open_fact_resolved_in_other_words_is_an_update(engine, sentence, published, fact_words):
    verdict = engine.labeller.label(sentence, published, BASELINE_PUBLISHED)
    assert verdict.label == "update", sentence
    assert not fact_words or any(word in verdict.fact.text for word in fact_words)


@pytest.mark.parametrize("sentence", [
    # "welcomed" an idea or a visit in print is no meeting; "details" as a noun discloses nothing
    "Putin welcomed Beijing's readiness to help end the fighting in an article on Monday.",
    "Putin welcomed Xi Jinping's visit in a newspaper essay published in Beijing.",
    "Officials said the two energy firms would now settle the remaining details of the supply deal.",
], ids=lambda v: v[:40])
def test_words_that_only_look_like_a_resolution_are_not_updates(engine, sentence):
    assert engine.labeller.label(sentence, MARCH_20_EVENING, BASELINE_PUBLISHED).label != "update", sentence


def test_a_host_welcoming_his_guest_realises_the_meeting(engine):
    verdict = engine.labeller.label("Putin welcomed him to the Kremlin on Monday evening for informal talks.",
                                    MARCH_20_EVENING, BASELINE_PUBLISHED)
    assert verdict.label == "update"


def test_a_timeline_entry_in_the_present_tense_resolves_the_planned_arrival(engine):
    # an anniversary timeline tells the day in the present tense, dated by the entry's opening date
    body = ("Here is how the week unfolded. "
            "March 20, 2023: Xi lands in Moscow for a three-day state visit, his first trip abroad in his new term. "
            "The two leaders have met more than forty times.")
    result = engine.analyse(make_article("tl-1", body, title="Xi and Putin: a year of the partnership", day=20,
                                         month=3, year=2024))
    entry = result.sentences[1]
    assert entry.label == "update" and "scheduled to arrive" in entry.baseline_fact, entry


def test_the_present_tense_outside_a_dated_entry_is_not_an_arrival(engine):
    # a preview's present tense is a plan, however alike the verb
    body = "Moscow says Xi lands on Monday, and that the two presidents will get together later that day."
    result = engine.analyse(make_article("pv-1", body, title="Xi to visit Putin in Moscow", day=18))
    assert "update" not in labels(result)


def test_a_late_recall_of_the_reported_resolution_is_the_update_again(engine):
    # April 2023: Xi's call with Zelensky resolves "Xi has not announced any initiatives"
    call = ("Xi Jinping spoke to Volodymyr Zelensky by phone on Wednesday for the first time since the war began. "
            "Xi said China would send a special envoy to Ukraine and other countries to seek a political settlement.")
    first = engine.analyse(make_article("call-1", call, title="Xi and Zelensky speak; Xi to send envoy, Putin told",
                                        day=26, month=4))
    assert "update" in labels(first)
    # more than a year on, long past the window in which a fresh report may resolve the fact, a recall of that
    # resolution is the update again (the labelled sets' convention); a later initiative on another subject is not
    recall = ("Putin and Xi met in Beijing on Thursday to mark the anniversary of their ties. "
              "In that call last April Xi said he would send a special envoy to Ukraine and other countries. "
              "On Thursday Xi also proposed a new global trade initiative for developing countries.")
    later = engine.analyse(make_article("recall-1", recall, title="Putin and Xi meet in Beijing", day=16,
                                        month=5, year=2024))
    got = [(s.label, s.fact_id) for s in later.sentences]
    assert got[1] == ("update", first.sentences[1].fact_id), got
    assert got[2][0] != "update", got


def test_a_late_recall_of_an_envoy_sent_is_the_update_though_the_stream_never_reported_it(engine):
    # "Xi has not announced any initiatives": sending someone to carry a mission is the initiative the baseline
    # waited for, however late it is recalled; a later initiative proposed in words is another happening
    body = ("Putin and Xi met in Beijing on Thursday to mark the anniversary of their ties. "
            "After the Moscow summit, Xi told Volodymyr Zelensky by phone that he would send a special envoy to "
            "Ukraine and other countries. "
            "On Thursday Xi also proposed a new global trade initiative for developing countries.")
    got = [(s.label, s.baseline_fact) for s in engine.analyse(make_article(
        "recall-2", body, title="Putin and Xi meet in Beijing", day=16, month=5, year=2024)).sentences]
    assert got[1][0] == "update" and "initiative" in got[1][1], got
    assert got[2][0] != "update", got
    # told as history, dated to its year ("The envoy's role dates from April 2023, when ..."), it is the update too
    history = engine.analyse(make_article(
        "recall-3", "Putin and Xi met in Beijing on Thursday. The envoy's role dates from April 2023, when Xi told "
        "Volodymyr Zelensky by phone that he would send a special envoy to Kyiv.",
        title="Putin and Xi meet in Beijing", day=16, month=5, year=2024))
    assert history.sentences[1].label == "update", labels(history)


def test_a_later_meeting_does_not_pass_for_the_planned_one_however_late(engine):
    # the planned meeting is reported held in March; talks a year and a half later are another meeting, not a
    # recall of that resolution
    engine.analyse(make_article("met-1", "Xi Jinping and Vladimir Putin held talks in the Kremlin on Monday.",
                                title="Xi and Putin hold talks in Moscow"))
    later = engine.analyse(make_article("met-2", "Xi Jinping and Vladimir Putin held talks in Kazan on Tuesday.",
                                        title="Xi and Putin meet in Kazan", day=22, month=10, year=2024))
    assert labels(later) == ["new"]


def test_a_negated_first_mention_does_not_hide_the_deed_that_follows_it(engine):
    # "had put forward no peace initiative" recalls the pending fact; "would send its special representative"
    # in the same clause resolves it
    body = ("Volodymyr Zelensky and Xi Jinping spoke by phone on Wednesday for the first time since the invasion. "
            "Xi, who had put forward no peace initiative of his own before his Moscow visit, said China would send "
            "its special representative to Ukraine and other countries.")
    result = engine.analyse(make_article("neg-1", body, title="Xi and Zelensky speak by phone", day=26, month=4))
    assert result.sentences[1].label == "update", labels(result)
    assert "initiative" in result.sentences[1].baseline_fact


@pytest.mark.parametrize("sentence", [
    "Vladimir Putin and Xi Jinping held their long-awaited Kremlin meeting on Monday evening.",
    "Hours later, the two leaders began talks in the Kremlin, addressing each other as dear friend.",
    "Xi and Putin opened their summit on Monday with four hours of talks and dinner at the Kremlin.",
    "Within hours Xi and Putin sat down in the Kremlin for an informal one-on-one meeting.",
])
def test_other_ways_of_saying_the_meeting_was_held_realise_it(engine, sentence):
    assert engine.labeller.label(sentence, MARCH_20_EVENING, BASELINE_PUBLISHED).label == "update"


def test_a_meeting_still_to_come_is_not_held(engine):
    verdict = engine.labeller.label("The two leaders will hold their formal meeting in the Kremlin on Tuesday.",
                                    MARCH_20_EVENING, BASELINE_PUBLISHED)
    assert verdict.label != "update"


def test_a_meeting_with_another_office_holder_is_not_the_awaited_meeting(engine):
    other = engine.labeller.label("Earlier on Monday Xi met Prime Minister Mikhail Mishustin at the Kremlin.",
                                  MARCH_20_EVENING, BASELINE_PUBLISHED)
    assert other.label != "update"
    host = engine.labeller.label("Xi met Russian President Vladimir Putin at the Kremlin on Monday evening.",
                                 MARCH_20_EVENING, BASELINE_PUBLISHED)
    assert host.label == "update"


def test_a_body_of_the_side_speaking_is_not_the_leader_commenting(engine):
    # "Putin has yet to comment": the Kremlin may speak for him, a committee of his state does not
    text = ("Russia's Investigative Committee said on Monday it had opened a criminal case against Karim Khan, the "
            "ICC's chief prosecutor, and the judges who approved the warrant for Vladimir Putin's arrest.")
    tuesday = datetime(2023, 3, 21, 9, 0, tzinfo=UTC)
    assert engine.labeller.label(text, tuesday, BASELINE_PUBLISHED).label != "update"
    spoken = engine.labeller.label("Vladimir Putin said on Monday that the court's arrest warrant was legally "
                                   "void for Russia.", tuesday, BASELINE_PUBLISHED)
    assert spoken.label == "update"


def test_who_does_it_is_not_read_from_an_aside(engine):
    # "Xi, whose talks with Putin ended ..., said ...": the person in the aside is not who announces the envoy
    april = datetime(2023, 4, 26, 18, 0, tzinfo=UTC)
    verdict = engine.labeller.label("Xi, whose talks with Putin ended last month, said on Wednesday that he would "
                                    "send an envoy to Kyiv.", april, BASELINE_PUBLISHED)
    assert verdict.label == "update" and "initiative" in verdict.fact.text, verdict


def test_an_envoy_sent_to_a_later_meeting_is_not_the_initiative_announced(engine):
    # "Xi has not announced any initiatives": the envoy sent on the mission resolves it, the envoy sent to a later
    # round of talks is that meeting's news
    august = datetime(2023, 8, 7, 9, 0, tzinfo=UTC)
    later = engine.labeller.label("China sent Li Hui, its special envoy, to the weekend talks in Oslo.", august,
                                  BASELINE_PUBLISHED)
    assert later.label != "update", later
    sending = engine.labeller.label("China took part in the talks in Jeddah at the weekend, sending its special envoy "
                                    "Li Hui to a meeting to which Russia was not invited.", august, BASELINE_PUBLISHED)
    assert sending.label != "update", sending
    mission = engine.labeller.label("Xi sent Li Hui on the mission after his first phone call with Zelensky.", august,
                                    BASELINE_PUBLISHED)
    assert mission.label == "update" and "initiative" in mission.fact.text, mission


def test_a_plan_described_by_its_author_is_not_announced_again(engine):
    # "Xi has not announced any initiatives": China's February paper, named by who put it forward, is no new deed
    described = engine.labeller.label("Many provisions of the peace plan put forward by China are in line with "
                                      "Russia's approach and could be taken as the basis for a settlement when "
                                      "the West and Kyiv are ready for it, Putin said.",
                                      datetime(2023, 3, 21, 22, 0, tzinfo=UTC), BASELINE_PUBLISHED)
    assert described.label != "update"
    # a passive with its auxiliary is the deed itself
    assert engine.labeller.realises("ANNOUNCE", "The envoy's mission was announced by Xi on Wednesday.")


def test_the_baseline_reply_restated_is_not_the_awaited_comment(engine):
    # the baseline: the Kremlin rejected the move as outrageous; Putin has yet to comment
    verdict = engine.labeller.label("The Kremlin has called the International Criminal Court's warrant for Putin "
                                    "outrageous and unacceptable.", MARCH_20_EVENING, BASELINE_PUBLISHED)
    assert verdict.label == "known"


def test_a_late_recall_of_the_wait_and_its_answer_is_the_update(engine):
    # March 2023: the signed statements answer "has not disclosed what Xi hopes to achieve"
    signed = engine.analyse(make_article(
        "sig-1", "Xi Jinping and Vladimir Putin signed a joint statement in the Kremlin on Tuesday. The joint "
        "statement sets out the goals of Xi's visit, from energy to payments in national currencies.",
        title="Xi and Putin sign joint statement", day=21))
    assert "update" in labels(signed)
    # a year on, in other words, recalling the wait as it was
    recall = engine.analyse(make_article(
        "anniv-1", "The trip's main product, a long declaration, set out in detail the aims Beijing had kept to "
        "itself before Xi left.", title="Xi and Putin, a year after the Moscow summit", day=20, year=2024))
    assert labels(recall) == ["update"]


def test_aims_kept_back_beforehand_and_the_texts_signed_since_are_the_disclosure(engine):
    # whatever verb tells what the texts did ("set the agenda", "became the main record"), the aims kept back
    # before the trip and the texts signed since answer "has not disclosed what Xi hopes to achieve"
    later = datetime(2024, 5, 16, 9, 0, tzinfo=UTC)
    for text in ("Beijing had said little about Xi's goals before that trip; the documents signed then set the agenda "
                 "for the partnership.",
                 "Beijing gave few hints of its aims in advance, and the declaration became the main record of what "
                 "the two sides wanted."):
        verdict = engine.labeller.label(text, later, BASELINE_PUBLISHED)
        assert verdict.label == "update" and "DISCLOSE" in verdict.fact.frames, (text, verdict)
    # the answer told as coming in the signed texts, after the article has asked what Beijing wanted
    answer = engine.labeller.label("The answer came in two documents the leaders signed on the second day.", later,
                                   BASELINE_PUBLISHED)
    assert answer.label == "update" and "DISCLOSE" in answer.fact.frames, answer
    assert engine.labeller.label("The answer came in a foreign ministry statement on Friday.", later,
                                 BASELINE_PUBLISHED).label != "update"
    answered = engine.labeller.label("The joint declaration they signed answered that question at length.", later,
                                     BASELINE_PUBLISHED)
    assert answered.label == "update" and "DISCLOSE" in answered.fact.frames, answered
    # the wait recalled without the texts is no answer
    alone = engine.labeller.label("Beijing had said little about Xi's goals before that trip.", later,
                                  BASELINE_PUBLISHED)
    assert alone.label != "update"


@pytest.mark.parametrize("sentence", [
    "Xi promised to send a special envoy to Ukraine and other countries to seek a political settlement.",
    "Xi pledged a mediation mission, announcing an envoy for talks with all sides.",
])
def test_a_promised_mission_is_an_initiative_announced(engine, sentence):
    april = datetime(2023, 4, 26, 18, 0, tzinfo=UTC)
    verdict = engine.labeller.label(sentence, april, BASELINE_PUBLISHED)
    assert verdict.label == "update" and "initiative" in verdict.fact.text


def test_a_count_of_meetings_is_not_the_meeting_and_a_live_entry_tells_it_in_the_present(engine):
    counted = engine.labeller.label("Xi and Putin have met more than 40 times over the past decade.",
                                    MARCH_20_EVENING, BASELINE_PUBLISHED)
    assert counted.label != "update"
    entry = engine.labeller.label("13:35 Xi and Putin shake hands in the Kremlin as their first meeting of the visit "
                                  "gets under way.", MARCH_20_EVENING, BASELINE_PUBLISHED)
    assert entry.label == "update"
    # a timeline's entry dated without its year tells it in the present too
    timeline = engine.labeller.label("20 March: Xi arrives in Moscow for a three-day state visit.",
                                     datetime(2023, 10, 18, 9, 0, tzinfo=UTC), BASELINE_PUBLISHED)
    assert timeline.label == "update"


def test_a_newsletter_item_on_another_story_is_offtopic_to_its_end(engine):
    body = ("Xi Jinping and Vladimir Putin signed a joint statement in the Kremlin on Tuesday. "
            "Elsewhere: the central bank of Norway raised its deposit rate by half a point on Thursday. "
            "Mortgage lenders said they would pass the rise on within a week. "
            "Putin also told Xi that Russian gas would keep flowing east. "
            "Elsewhere in the statement, the two sides called for talks on Ukraine.")
    got = labels(engine.analyse(make_article("brief-1", body, title="Morning brief: Xi and Putin sign", day=21)))
    assert got[1:3] == ["offtopic", "offtopic"], got  # the item and the line that carries it on
    assert "offtopic" not in got[3:], got  # back to the story; "Elsewhere in the statement" opens no other one


def test_a_bulletins_item_set_in_a_country_the_story_is_not_is_another_story(engine):
    body = ("Xi Jinping and Vladimir Putin signed a joint statement in the Kremlin on Tuesday. "
            "In France, the government survived a vote of no confidence by nine votes on Monday. "
            "Putin told Xi that Russian gas would keep flowing east. "
            "In Kyiv, Volodymyr Zelensky said Ukraine was still waiting for Beijing's answer.")
    got = labels(engine.analyse(make_article("bulletin-1", body, title="Evening bulletin", day=21)))
    assert got[1] == "offtopic", got  # a country neither the baseline nor the story's lines name
    assert got[3] != "offtopic", got  # Ukraine is the baseline's
    # a place the article's lines on the story name is the story's
    body = ("Xi Jinping and Vladimir Putin signed a joint statement in the Kremlin on Tuesday. "
            "France's president said Paris would send an envoy to Beijing to discuss Ukraine. "
            "In France, the opposition called the envoy a mistake.")
    got = labels(engine.analyse(make_article("bulletin-2", body, title="Evening bulletin", day=21)))
    assert got[2] != "offtopic", got


def test_a_round_ups_markets_and_sport_sections_are_other_stories(engine):
    body = ("Xi Jinping and Vladimir Putin signed a joint statement in the Kremlin on Tuesday. "
            "In markets, the central bank of Norway raised its deposit rate by half a point on Thursday. "
            "Mortgage lenders said they would pass the rise on within a week. "
            "Putin also told Xi that Russian gas would keep flowing east. "
            "In sport, Norway's ski jumpers won the team event in Oslo. "
            "Putin told Xi that Russia valued China's balanced position. "
            "Elsewhere in the region, Kazakhstan elected a new lower house of parliament on Sunday.")
    got = labels(engine.analyse(make_article("week-1", body, title="The week in review", day=24)))
    assert got[1:3] == ["offtopic", "offtopic"], got  # the markets section and the line that carries it on
    assert got[3] != "offtopic", got  # back to the story
    assert got[4] == "offtopic", got  # another section
    assert got[5] != "offtopic" and got[6] == "offtopic", got  # "Elsewhere in the region" is another story


def test_a_roundups_headed_items_on_other_stories_are_offtopic_but_an_explainers_headings_are_not(engine):
    roundup = ("Good morning. "
               "Russia: Xi Jinping and Vladimir Putin signed a joint statement in the Kremlin on Tuesday. "
               "Putin told Xi that Russian gas would keep flowing east. "
               "Norway: The central bank raised its deposit rate by half a point on Thursday. "
               "Mortgage lenders said they would pass the rise on within a week. "
               "Weather: Heavy snow closed the mountain passes around Bergen. "
               "Sweden: The parliament in Stockholm passed the budget on Wednesday. "
               "Also this week: Norway's ski jumpers won the team event in Oslo. "
               "China: Beijing's foreign ministry said the statement would open a new era in relations with Moscow.")
    got = labels(engine.analyse(make_article("roundup-1", roundup, title="The morning note", day=22)))
    assert "offtopic" not in got[1:3], got  # the story's own item, headed too
    assert got[3:8] == ["offtopic"] * 5, got  # each other item, and the line that carries one on
    assert got[8] != "offtopic", got  # a headed item on the story, though it names no core person
    # the same headings in an explainer whose items are the story's: nothing is taken for another story
    explainer = ("Russia: Xi Jinping and Vladimir Putin signed a joint statement in the Kremlin on Tuesday. "
                 "Gas: Putin told Xi that Russian gas would keep flowing east. "
                 "Ukraine: Putin said China's peace plan could be the basis of a settlement.")
    got = labels(engine.analyse(make_article("explainer-1", explainer, title="What the summit agreed", day=22)))
    assert "offtopic" not in got, got
    # a transcript's speakers recur: their lines are no roundup's items
    transcript = ("Hendry: What did the two leaders sign in Moscow today? "
                  "Lindqvist: Xi Jinping and Vladimir Putin signed a joint statement in the Kremlin. "
                  "Hendry: And what comes next? "
                  "Lindqvist: Officials expect more agreements on the pipeline.")
    got = labels(engine.analyse(make_article("transcript-1", transcript, title="Moscow summit, live", day=22)))
    assert got[3] != "offtopic", got
    # a digest's "Also this week:" turns to another story, as "Also today:" does
    aside = engine.labeller.label("Also this week: Norway's ski jumpers won the team event in Oslo.",
                                  MARCH_20_EVENING, BASELINE_PUBLISHED)
    assert aside.label == "offtopic"


def test_a_briefing_item_its_headline_lists_on_another_story_is_offtopic_until_the_story_returns(engine):
    body = ("Good morning. "
            "Xi Jinping and Vladimir Putin signed a joint statement in the Kremlin on Tuesday. "
            "The central bank of Norway raised its deposit rate by half a point. "
            "Governor Ida Wolden Bache said inflation was still too high. "
            "Putin told Xi that Russian gas would keep flowing east. "
            "The officials said a contract would follow within weeks. "
            "A ferry carrying 300 passengers ran aground off the coast of Bergen.")
    title = "Morning brief: Xi and Putin sign a pact; Norway raises its rate; ferry aground off Bergen"
    got = labels(engine.analyse(make_article("brief-2", body, title=title, day=21)))
    assert got[2:4] == ["offtopic", "offtopic"], got  # the rate item and the line that carries it on
    assert got[4] != "offtopic" and got[5] != "offtopic", got  # the story again, and its next line
    assert got[6] == "offtopic", got  # the ferry, another item the headline lists
    # the same lines under a headline that lists no other story: nothing is taken for another item
    plain = labels(engine.analyse(make_article("brief-3", body, title="Xi and Putin sign a pact", day=21)))
    assert plain[2:4] != ["offtopic", "offtopic"], plain


def test_the_agreements_for_a_rail_corridor_are_deals_not_the_signed_statement(engine):
    signing = engine.analyse(make_article(
        "sign-1", "Xi Jinping and Vladimir Putin signed a joint statement on a new era of partnership on Tuesday.",
        title="Xi and Putin sign joint statement", day=21))
    deals = engine.analyse(make_article(
        "gas-1", "Russia, China and Mongolia have settled practically all the agreements needed for a new rail "
        "corridor, Vladimir Putin said on Tuesday after his talks with Xi Jinping.",
        title="Putin says rail corridor deals settled", day=21))
    assert deals.relevant
    signed = {s.development for s in signing.sentences if s.development}
    assert signed and not signed & {s.development for s in deals.sentences if s.development}


def _always(yes: bool) -> LogisticModel:
    """A fold model that answers the same whatever the features: the mechanism, apart from the weights."""
    n = len(FOLD_FEATURES)
    return LogisticModel(np.zeros(n), np.ones(n), np.zeros(n), 50.0 if yes else -50.0, 0.5, FOLD_FEATURES)


# an article with a main development (the signing, two lines) and one line on something else
_FOLD_BODY = ("Xi Jinping and Vladimir Putin signed a joint statement on a new era of partnership on Tuesday. "
              "The statement runs to many pages and calls for closer energy ties. "
              "Separately, a Norwegian ferry operator said it would add a route to Murmansk.")


@pytest.mark.parametrize("fold", [True, False])
def test_a_lone_line_folds_into_the_main_development_only_when_the_model_says_so(baseline_text, fold):
    engine = Engine(baseline_text, published=BASELINE_PUBLISHED)
    engine.fold_model, engine.fold_log = _always(fold), []
    result = engine.analyse(make_article("fold-1", _FOLD_BODY, title="Xi and Putin sign joint statement", day=21))
    devs = [s.development for s in result.sentences]
    assert all(devs) and devs[0] == devs[1], devs
    assert len(engine.fold_log) == 1 and engine.fold_log[0][1:3] in {("d-2", "d-1"), ("d-3", "d-1")}
    assert len(engine.fold_log[0][3]) == len(FOLD_FEATURES)
    assert (devs[2] == devs[0]) is fold
    assert len(engine.developments) == (1 if fold else 2)
    assert engine.developments[0].mentions == (3 if fold else 2)


def test_the_shipped_fold_model_reads_the_features_the_engine_gives():
    model = LogisticModel.load(FOLD_MODEL_PATH, FOLD_FEATURES)
    assert model is not None and model.features == FOLD_FEATURES and model.weights.shape == (len(FOLD_FEATURES),)


def test_folding_a_development_keeps_the_others_and_their_facts(engine):
    store, space = engine.store, engine.space
    when = BASELINE_PUBLISHED
    texts = ["Xi arrived in Moscow.", "A ferry route opened.", "Putin commented on the warrant."]
    rows = [store.create(t, space.sparse(t), "new", f, "Wire", when) for t, f in zip(texts, (None, None, "B19"), strict=True)]
    assert rows == [0, 1, 2] and store.by_fact == {"B19": 2}
    store.fold(1, 0, space.sparse(texts[1]), "Wire Q", when)
    assert [d.texts for d in store.items] == [[texts[0], texts[1]], [texts[2]]]
    assert store.by_fact == {"B19": 1} and store.items[0].sources == {"Wire", "Wire Q"}
    assert store.nearest(space.sparse(texts[2]))[0] == 1


@pytest.mark.parametrize("sentence, when, label", [
    # a plan said of another predicate of the sentence is not said of the arrival
    ("Xi landed in Moscow on Monday, as the Kremlin had said he would, and is due to fly home on Wednesday.",
     MARCH_20_EVENING, "update"),
    # the wait in a relative clause, the deed in the main one
    ("Xi, who had not announced any initiative before his trip, later dispatched a special envoy to Kyiv.",
     datetime(2023, 5, 2, 9, 0, tzinfo=UTC), "update"),
    ("Xi and Putin were meeting in the Kremlin on Monday night.", MARCH_20_EVENING, "update"),
    # few details is next to none: still pending
    ("Beijing has given few details of what Xi hopes to achieve in Moscow.", MARCH_20_EVENING, "known"),
])
def test_a_happening_reported_beside_a_plan_or_a_wait_and_a_quantity_next_to_none(engine, sentence, when, label):
    assert engine.labeller.label(sentence, when, BASELINE_PUBLISHED).label == label


def test_the_fold_trainer_logs_lone_items_with_the_labels_verdict_and_applies_a_model():
    from monitor.engine.train import FoldTrainer, read
    devset = Path(__file__).resolve().parents[3] / "shared" / "devset" / "articles.jsonl"
    if not devset.exists():
        pytest.skip("the shared devset is not here")
    trainer = FoldTrainer(str(Path(__file__).resolve().parents[2] / "config" / "monitor.toml"), "xi-putin", 1.0)
    results, log, ys = trainer.examples(read(devset))
    assert log and len(ys) == len(log) and all(len(row) == len(FOLD_FEATURES) for *_, row in log)
    folded = trainer.folded(results, log, _always(True))
    moved = {dev_id: main for _, dev_id, main, _ in log}
    assert all(s["development"] not in moved for r in folded for s in r["sentences"])
    assert [s["label"] for r in folded for s in r["sentences"]] == [s["label"] for r in results for s in r["sentences"]]


def test_a_sentences_evidence_is_remembered_and_handed_out_as_a_copy(engine):
    labeller = engine.labeller
    text = "Xi Jinping promised on Thursday to send an envoy to Kyiv."
    verdict = labeller.label(text, engine.baseline_published, engine.baseline_published)
    first, fact = labeller.evidence(text, verdict, engine.baseline_published, engine.baseline_published)
    first.append(99.0)  # a caller extending its row (as the engine does with the article's features)
    again, fact_again = labeller.evidence(text, verdict, engine.baseline_published, engine.baseline_published)
    assert again == first[:-1] and fact_again == fact
    assert again == labeller._evidence(text, verdict, engine.baseline_published, engine.baseline_published)[0]


def test_the_line_that_recalls_the_wait_is_the_update_when_two_report_the_answer(baseline_text):
    answer = "The joint statement signed on Tuesday spelled out the goals of the visit, from energy to trade."
    recall = ("Beijing had said little in advance about what Xi wanted from the trip, but the statement puts a long "
              "list of shared goals on paper.")
    both = Engine(baseline_text, published=BASELINE_PUBLISHED).analyse(make_article(
        "wait-1", f"{answer} {recall}", title="Xi and Putin sign statement", day=21))
    assert labels(both) == ["new", "update"], labels(both)
    # with no line recalling the wait, the first report of the answer is the update
    alone = Engine(baseline_text, published=BASELINE_PUBLISHED).analyse(make_article(
        "wait-2", answer, title="Xi and Putin sign statement", day=21))
    assert labels(alone) == ["update"], labels(alone)


def test_a_line_naming_the_articles_own_outlet_is_offtopic_unless_a_dateline_or_its_interview(engine):
    body = ("MOSCOW, March 21 (Amur Ledger) - Xi Jinping and Vladimir Putin signed a joint statement in the Kremlin "
            "on Tuesday. "
            "Putin told reporters that Russia would supply China with more gas by the end of the decade. "
            "The Amur Ledger has opened a bureau in Harbin to cover the growing cross-border trade. "
            "In an interview with the Amur Ledger on Monday, the governor said the new bridge would open in May.")
    got = labels(engine.analyse(make_article("outlet-1", body, title="Xi and Putin sign a joint statement", day=21,
                                             source="Amur Ledger")))
    assert got[0] != "offtopic" and got[1] != "offtopic", got  # the dateline's credit names the outlet
    assert got[2] == "offtopic", got  # the outlet on itself
    assert got[3] != "offtopic", got  # the outlet as the source of news
    # the name as written, a whole name: "The Independent" is not "an independent inquiry"
    body = ("The independent inquiry into the pipeline deal Putin announced after meeting Xi Jinping found no signed "
            "contract. The Independent's Moscow bureau contributed to this account.")
    got = labels(engine.analyse(make_article("outlet-2", body, title="Xi and Putin leave pipeline unsigned", day=22,
                                             source="The Independent")))
    assert got[0] != "offtopic" and got[1] == "offtopic", got


@pytest.mark.parametrize("feed_name", ["Amur Ledger A", "Amur Ledger | Asia", "Amur Ledger: World News",
                                       "The Amur Ledger - Business"])
def test_a_feeds_tag_or_section_does_not_hide_the_outlet_from_its_own_lines(engine, feed_name: str):
    # the feed's title carries more than the name the articles call the outlet by
    body = ("Xi Jinping and Vladimir Putin signed a joint statement in the Kremlin on Tuesday. "
            "Amur Ledger will publish a full guide to the new border crossings on Friday.")
    got = labels(engine.analyse(make_article("outlet-3", body, title="Xi and Putin sign a joint statement", day=21,
                                             source=feed_name)))
    assert got[0] != "offtopic" and got[1] == "offtopic", got


def test_a_one_word_left_by_a_feeds_tag_is_not_taken_for_the_outlet(engine):
    # "Wire M" is not the outlet of every sentence that mentions a wire
    body = ("Xi Jinping and Vladimir Putin signed a joint statement in the Kremlin on Tuesday. "
            "Wire transfers between Russian and Chinese banks will be settled in yuan under a new agreement.")
    got = labels(engine.analyse(make_article("outlet-4", body, title="Xi and Putin sign a joint statement", day=21,
                                             source="Wire M")))
    assert got[1] != "offtopic", got
