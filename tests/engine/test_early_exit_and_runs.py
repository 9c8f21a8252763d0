"""The early exit for entries that cannot be relevant changes no result; the in-article run cues of
the development stage (cluster.py) on small examples."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from monitor.engine import Engine, diff_articles
from monitor.engine.cluster import Run, compatible, continues, kind_change, scene
from tests.engine.builders import BASELINE, BASELINE_PUBLISHED, make_article

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SETS = [SHARED / "devset" / "articles.jsonl", Path(__file__).resolve().parents[1] / "data" / "eval" / "articles.jsonl"]
TERMS = ["Xi Jinping", "Putin", "Xi", "Kremlin"]
CORE = frozenset({"xi", "jinping", "putin", "vladimir"})
WHEN = datetime(2023, 3, 21, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("terms", [(), tuple(TERMS)], ids=["no-terms", "terms"])
def test_early_exit_changes_no_output(path: Path, terms):
    if not path.exists():
        pytest.skip(f"{path} not found")
    articles = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    baseline = BASELINE.read_text(encoding="utf-8")
    outputs = []
    for early in (True, False):
        engine = Engine(baseline, published=BASELINE_PUBLISHED, terms=terms, early_exit=early)
        outputs.append(list(diff_articles(engine, articles)))
        outputs.append(engine.export_state())
    assert outputs[0] == outputs[2]
    assert outputs[1] == outputs[3]


def test_early_exit_only_when_no_unit_names_two_sides(engine: Engine):
    gate = engine.gate
    assert gate.cannot_be_relevant("Floods in Moscow", "Rescue teams were deployed in Moscow.", ["Rain fell."])
    # two sides in one sentence: labels may make it relevant, so the full path runs
    assert not gate.cannot_be_relevant("Talks", "", ["Beijing and Moscow agreed on grain shipments."])
    # sides spread over units never count as together
    assert gate.cannot_be_relevant("Moscow news", "Beijing news", ["Nothing else."])


def test_early_exit_keeps_near_copy_and_counter_bookkeeping(baseline_text: str):
    engine = Engine(baseline_text, published=BASELINE_PUBLISHED)
    body = "Heavy rain flooded streets in Moscow on Monday. Officials said the clean-up would take a week."
    first = engine.analyse(make_article("a1", body, title="Moscow floods"))
    copy = engine.analyse(make_article("a2", body + " More rain is expected.", title="Moscow floods again"))
    assert not first.relevant and not copy.relevant
    assert copy.duplicate_of == "a1"
    assert engine.counters["articles"] == 2 and engine.counters["duplicates"] == 1
    assert [s.label for s in first.sentences] == ["offtopic", "offtopic"]


def test_core_persons_remarks_stay_with_their_meeting():
    run = Run(frozenset({"xi", "jinping"}), frozenset({"meet"}), frozenset(), meeting=True)
    assert continues("Putin said he was grateful for the welcome and the talks.", run, WHEN, CORE)
    not_meeting = Run(frozenset({"xi", "jinping"}), frozenset({"meet"}), frozenset(), meeting=False)
    assert not continues("Putin said he was grateful for the welcome and the talks.", not_meeting, WHEN, CORE)
    # someone else taking the floor is still a new item
    assert not continues("Zelensky told reporters the talks changed nothing for Kyiv.", run, WHEN, CORE)


def test_a_core_person_or_their_side_speaking_on_what_the_run_reports_them_doing_continues_it():
    # the run reports Putin opening a trade fair: his own words, and his office's account, are the same item
    run = Run(frozenset({"putin"}), frozenset(), frozenset(), meeting=False, names=frozenset({"putin", "harbin"}))
    sides = frozenset({"kremlin", "beijing", "moscow"})
    assert continues("Putin said the fair showed how far trade had come.", run, WHEN, CORE, sides)
    assert continues("Putin toured the pavilions for an hour, the Kremlin said.", run, WHEN, CORE, sides)
    # a side speaking of someone the run has not named, or a voice from outside the story, is another item
    assert not continues("Xi would visit in the autumn, the Kremlin said.", run, WHEN, CORE, sides)
    assert not continues("Putin toured the pavilions for an hour, Senator Ida Marsh said.", run, WHEN, CORE, sides)


def test_a_later_month_looks_ahead_an_earlier_one_looks_back():
    run = Run(frozenset({"putin"}), frozenset({"meet"}), frozenset(), meeting=True, names=frozenset({"putin", "xi"}))
    may = datetime(2024, 5, 16, 12, 0, tzinfo=UTC)
    assert continues("He said he expected the Chinese leader at the summit in October.", run, may, CORE)
    assert not continues("He recalled the talks they held in March on trade.", run, may, CORE)
    assert not continues("He recalled the talks they held last June on trade.", run, may, CORE)
    # a month that only measures a gap does not date the sentence
    assert continues("The trip is Putin's first abroad since the court issued its warrant in March.", run, may, CORE)


def test_scene_change_and_further_item_cues_start_a_new_run():
    run = Run(frozenset({"biden"}), frozenset(), frozenset({"United States"}))
    assert scene("In Kyiv, President Zelensky called the decision historic.") == {"Ukraine"}
    assert not continues("In Kyiv, President Zelensky called the decision historic and overdue.", run, WHEN, CORE)
    assert not continues("A second document set out plans for economic cooperation until 2030.", run, WHEN, CORE)
    assert not continues("A companion text maps out the two economies' plans for cooperation up to 2030.", run, WHEN, CORE)
    assert continues("In Washington, the decision drew praise as long overdue and welcome.", run, WHEN, CORE)


def test_another_kind_of_happening_breaks_a_run_but_a_summit_does_not():
    assert kind_change(frozenset({"invite"}), frozenset({"depart"}))
    assert kind_change(frozenset({"trade"}), frozenset({"call"}))
    assert not kind_change(frozenset({"sign"}), frozenset({"meet"}))
    assert not kind_change(frozenset(), frozenset({"meet"}))


def test_kinds_of_happening_in_a_look_back():
    from monitor.engine.cluster import event_kinds
    # a year-end review names the call and the forum in other words than the first reports did
    assert "call" in event_kinds("In April the president spoke to his Ukrainian counterpart for the first time.")
    assert "call" in event_kinds("The two men talked by video link on Tuesday.")
    assert "meet" in event_kinds("In October he attended the Belt and Road Forum in Beijing.")
    assert not event_kinds("He spoke to reporters after the session.")


def test_how_a_visit_came_about_is_no_invitation_and_a_shortfall_is_its_own_kind():
    from monitor.engine.cluster import event_kinds, shortfall
    assert event_kinds("Xi arrived in Moscow at the invitation of President Putin.") == {"arrive"}
    assert "invite" in event_kinds("Xi has asked Putin to come to China this year.")
    assert "invite" in event_kinds("Putin accepted the invitation to the forum.")
    assert "invite" not in event_kinds("Russia was not invited to the conference.")
    assert "invite" not in event_kinds("Moscow has never been invited to such talks.")
    for text in ("Russia and China have yet to sign a contract for the pipeline.",
                 "Chinese readouts do not mention the pipeline at all.",
                 "The joint statement commits the two sides to no more than continued study of the project.",
                 "The joint statement only promised further study of the pipeline."):
        assert shortfall(text) and "shortfall" in event_kinds(text), text
    for text in ("Putin said all the agreements had been reached.", "Putin has yet to comment on the warrant.",
                 "The two sides signed only two documents."):
        assert not shortfall(text), text


def test_a_leaders_signed_article_is_its_own_kind_of_happening():
    """An article a leader writes for the host's paper is an item of its own beside the visit's talks, in the
    labelled sets 45 times of 68; what it goes on to say ("He wrote that Russia welcomed ...") stays with it."""
    from monitor.engine.cluster import event_kinds
    assert "write" in event_kinds("Before landing, Xi published a signed article in Rossiyskaya Gazeta.")
    assert "write" in event_kinds("Putin set out his view of the ties in an article for the People's Daily.")
    assert "write" in event_kinds("He wrote that Russia welcomed Beijing's readiness to play a constructive role.")
    assert "write" in event_kinds("Putin also wrote that the two countries had built a model of relations.")
    assert "write" not in event_kinds("Article 5 of the treaty commits the two sides to consult each other.")
    visit = Run(subject=frozenset({"xi", "putin"}), kinds=frozenset({"meet"}), start=WHEN.date(), later=True)
    assert not continues("In a signed article for Rossiyskaya Gazeta, Xi urged the two countries to stand together.",
                         visit, WHEN, CORE)
    article = Run(subject=frozenset({"putin"}), kinds=frozenset({"write"}), start=WHEN.date())
    assert continues("He wrote that Russia welcomed Beijing's readiness to play a constructive role in Ukraine.",
                     article, WHEN, CORE)


def test_who_a_party_sent_to_the_meeting_is_part_of_the_meeting():
    """After "Officials from 40 countries, including China, met in Jeddah", "Beijing sent Li Hui, its envoy, after
    staying away from a meeting in June" says who took part (the labels keep such a line with the one before 17 times in 19), however
    earlier the time it recalls; a promise to send an envoy, or one sent outside a meeting, is still apart."""
    august = datetime(2023, 8, 6, 12, 0, tzinfo=UTC)
    jeddah = Run(subject=frozenset({"officials"}), kinds=frozenset({"meet"}), places=frozenset({"Saudi Arabia"}),
                 start=august.date(), later=True)
    sent = ("Beijing sent Li Hui, its special representative for Eurasian affairs, after staying away from a similar "
            "meeting in Copenhagen in June.")
    assert continues(sent, jeddah, august, CORE)
    assert not continues("China will send its special representative for Eurasian affairs to Kyiv in June.", jeddah,
                         august, CORE)
    call = Run(subject=frozenset({"xi"}), kinds=frozenset({"call"}), start=august.date(), later=True)
    assert not continues(sent, call, august, CORE)


def test_the_statement_a_visitor_makes_on_arrival_is_part_of_the_arrival():
    """"In a statement ..." opens a further item, but one made on arrival is the arrival's (the labels keep it with the
    line before 168 times in 169)."""
    arrival = Run(subject=frozenset({"xi", "jinping"}), kinds=frozenset({"arrive"}), places=frozenset({"Russia"}),
                  names=frozenset({"xi", "jinping", "moscow"}), start=WHEN.date())
    assert continues("In a statement released on arrival, Xi said China and Russia were good neighbours and reliable "
                     "partners.", arrival, WHEN, CORE)
    assert not continues("In a statement on Tuesday, Xi said China and Russia were good neighbours and reliable "
                         "partners.", arrival, WHEN, CORE)


def test_a_trade_fair_is_no_trade_figure():
    """Opening a trade fair on a visit's second day is more of the visit, not a report on trade between the two."""
    from monitor.engine.cluster import event_kinds
    assert "trade" not in event_kinds("He is due to open a Russia-China trade fair in Harbin.")
    assert "trade" not in event_kinds("Putin toured the trade expo and opened a trade exhibition.")
    assert "trade" in event_kinds("Trade between the two countries reached a record last year.")


def test_naming_an_ambassador_is_not_sending_an_envoy():
    """Zelensky's new ambassador to Beijing, told in the call's report, is not China sending its envoy."""
    from monitor.engine.cluster import event_kinds
    assert "send" not in event_kinds("He said the appointment of a new Ukrainian ambassador to Beijing would help.")
    assert "send" not in event_kinds("He had appointed Pavlo Ryabikin, a former minister, as ambassador to China.")
    assert "send" in event_kinds("China appointed a special envoy for Eurasian affairs.")


def test_a_plan_and_its_happening_are_not_joined_across_articles():
    assert not compatible("Putin and Xi signed a joint statement on Tuesday.",
                          "An aide said the two leaders will sign a statement on their partnership.")
    assert compatible("Putin and Xi signed a joint statement on Tuesday.",
                      "The two presidents signed a declaration on a new era.")


def test_update_to_a_baseline_fact_joins_its_development_only_when_reported_close_by(baseline_text: str):
    engine = Engine(baseline_text, published=BASELINE_PUBLISHED)
    a = engine.analyse(make_article("u1", "Xi Jinping landed in Moscow on Monday, as the Kremlin had said he would.",
                                    day=20))
    b = engine.analyse(make_article("u2", "Xi Jinping's plane touched down in Moscow on Monday afternoon.", day=20))
    dev_a = [s.development for s in a.sentences if s.label == "update"]
    dev_b = [s.development for s in b.sentences if s.label == "update"]
    assert dev_a and dev_b and dev_a == dev_b


def test_different_figures_are_different_reports():
    assert not compatible("Trade reached a record 244.8 billion dollars in 2024.",
                          "Trade rose to a record 240.1 billion dollars in 2023.")


def test_paraphrase_folds_calls_demonyms_and_energy_purchases():
    from monitor.engine.paraphrase import concepts

    assert {"callfor", "ceasefire"} <= concepts("Officials urged both sides to agree a truce.")
    assert {"russia", "energy", "depend"} <= concepts("China buys large volumes of Russian crude.")


def test_a_line_the_second_look_takes_back_from_news_does_not_end_the_run(engine: Engine):
    from monitor.engine.labels import Verdict

    texts = ["Vladimir Putin wrote in an article for the People's Daily, published as Xi prepared to fly to Moscow, "
             "that relations had never been closer.",
             "Russia is open to a political and diplomatic settlement of the crisis, he wrote.",
             "He also accused Washington of seeking to contain Russia and China at the same time."]
    article = make_article("demoted-1", " ".join(texts), day=20)
    vectors = [engine.space.sparse(t) for t in texts]
    fact = engine.labeller.facts[0]
    developments = []
    for demoted in (True, False):
        engine._reset_state()
        verdicts = [Verdict("new", None, 0.1), Verdict("known", fact, 0.2, weak=True, demoted=demoted),
                    Verdict("new", None, 0.1)]
        developments.append(engine._assign_developments(texts, verdicts, vectors, article))
    taken_back, restated = developments
    assert taken_back[0] == taken_back[2], taken_back  # the article's own line, which the rules called news
    assert restated[0] != restated[2], restated  # a restatement the rules themselves call known ends the run
