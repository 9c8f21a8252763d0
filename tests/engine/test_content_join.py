"""Cross-article joins on what happened (content words without the story's actors, event kind, event date)."""
from __future__ import annotations

from datetime import date, datetime

from monitor.engine.cluster import content_profile, content_similarity, event_span, spans_agree
from tests.engine.builders import make_article

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


def test_a_noun_of_action_meets_its_verb():
    assert content_profile("Alpha extended the invitation.", ACTORS) & content_profile("Alpha invited Beta.", ACTORS)


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


def test_a_statement_naming_a_country_the_development_never_named_is_another_subject(engine):
    """The same ministry in the same words on two subjects: the court one day, Japan the next."""
    court = engine.analyse(make_article(
        "fm-1", "China's foreign ministry spokesman said on Monday that the court should respect the immunity of heads "
                "of state and avoid double standards.",
        title="China tells ICC to respect Putin's immunity", day=20, source="Wire J"))
    japan = engine.analyse(make_article(
        "fm-2", "Asked about the trip, China's foreign ministry spokesman said on Tuesday that Beijing hoped Japan would "
                "help ease the situation.",
        title="China urges Japan to ease tensions after Kishida's Kyiv trip to Ukraine as Xi meets Putin", day=21,
        source="Wire K"))
    assert [s.label for s in court.sentences + japan.sentences] == ["new", "new"]
    assert japan.sentences[0].development != court.sentences[0].development


def test_what_the_signed_statement_says_days_later_belongs_to_the_signing(engine):
    signing = engine.analyse(make_article(
        "doc-1", "Xi Jinping and Vladimir Putin signed a joint statement on deepening their partnership in the Kremlin "
                 "on Tuesday.",
        title="Xi and Putin sign new-era statement", day=21, source="Wire L"))
    later = engine.analyse(make_article(
        "doc-2", "The joint statement, though long, offers little on Ukraine beyond Russia's readiness for peace talks. "
                 "The joint statement only promised further study of the Power of Siberia 2 pipeline.",
        title="Reading the Xi-Putin statement", day=23, source="Wire M"))
    contents, shortfall = later.sentences
    assert [s.label for s in later.sentences] == ["new", "new"]
    assert contents.development == signing.sentences[0].development
    assert shortfall.development != signing.sentences[0].development


def test_a_look_back_naming_no_time_joins_the_development_it_recalls(engine):
    then = engine.analyse(make_article(
        "back-1", "The joint statement Xi Jinping and Vladimir Putin signed committed the two sides only to further "
                  "study of the Power of Siberia 2 pipeline.",
        title="Xi-Putin statement leaves pipeline open", day=22, source="Wire P"))
    later = engine.analyse(make_article(
        "back-2", "No supply contract for the Power of Siberia 2 pipeline has been announced since.",
        title="China and Russia trade hits record as Putin's pipeline waits", year=2024, month=1, day=20,
        source="Wire Q"))
    assert [s.label for s in then.sentences + later.sentences] == ["new", "new"]
    assert later.sentences[0].development == then.sentences[0].development


def test_a_look_back_naming_the_visit_and_its_time_joins_the_development_it_recalls(engine):
    """"When Xi visited Moscow a year ago, the two signed a joint statement": the signing reported at the time, not a
    development of its own; the later visit the article opens on is not drawn to it."""
    then = engine.analyse(make_article(
        "visit-1", "Vladimir Putin and Xi Jinping signed a joint statement in the Kremlin on Tuesday pledging to deepen "
                   "their partnership.",
        title="Xi and Putin sign joint statement in Moscow", day=22, source="Wire P"))
    later = engine.analyse(make_article(
        "visit-2", "Xi Jinping welcomed Vladimir Putin in Beijing on Thursday for a two-day state visit. "
                   "When Xi visited Moscow a year ago, the two leaders signed a joint statement committing their "
                   "countries to a new era of partnership.",
        title="Putin arrives in Beijing for talks with Xi", year=2024, month=5, day=16, source="Wire Q"))
    assert [s.label for s in then.sentences + later.sentences] == ["new", "new", "new"]
    assert later.sentences[1].development == then.sentences[0].development
    assert later.sentences[0].development != then.sentences[0].development


def test_a_look_back_at_a_shortfall_joins_it_on_few_shared_words(engine):
    """"The joint statement from their summit promised only further study of the route", a year on, is the shortfall
    reported at the time in other words, not a development of its own."""
    then = engine.analyse(make_article(
        "short-1", "Xi Jinping and Vladimir Putin gave no timetable for the Power of Siberia 2 gas pipeline, and Chinese "
                   "readouts did not mention the project, its contract or any joint study.",
        title="Pipeline left out of Chinese readout", day=22, source="Wire P"))
    later = engine.analyse(make_article(
        "short-2", "Xi Jinping and Vladimir Putin will speak by phone on Friday, the Kremlin said. "
                   "The joint statement from their Moscow summit last year, however, promised only further study of "
                   "the route.",
        title="Putin and Xi to discuss gas on a call", year=2024, month=5, day=2, source="Wire Q"))
    assert then.sentences[0].label in ("new", "update") and later.sentences[1].label in ("new", "update")
    assert later.sentences[1].development == then.sentences[0].development


def test_a_short_look_back_joins_the_one_development_of_its_time_of_the_same_kind(engine):
    """"The two men last met in person in October", in the report of a January call: too few words to match the
    Kazan summit's report, but the one development of October reporting a meeting, not an item of its own."""
    then = engine.analyse(make_article(
        "kazan", "Xi Jinping and Vladimir Putin held talks in Kazan on Tuesday on the sidelines of the BRICS summit. "
                 "Putin said the partnership was a stabilising force in world affairs. "
                 "Xi told Putin that the world was undergoing profound changes unseen in a century. "
                 "The two sides agreed to deepen cooperation in energy, finance and transport.",
        title="Xi and Putin meet in Kazan", year=2024, month=10, day=22, source="Wire P"))
    later = engine.analyse(make_article(
        "call", "Xi Jinping and Vladimir Putin spoke by video link on Tuesday, a day after Donald Trump's inauguration. "
                "Putin said Russia and China would keep coordinating on world affairs. "
                "The two men last met in person in October.",
        title="Xi and Putin hold video call", year=2025, month=1, day=22, source="Wire Q"))
    assert later.sentences[2].label == "new"
    assert later.sentences[2].development == then.sentences[0].development
    assert later.sentences[0].development != then.sentences[0].development


def test_a_look_back_naming_no_kind_of_happening_joins_on_its_content_words(engine):
    """"Only last month, Putin had hailed China's peace plan ..." names no kind of happening (no arrival, signing,
    call): it joins the remark it recalls, reported by another outlet weeks before, on the words they share."""
    remark = engine.analyse(make_article(
        "plan-1", "Putin told reporters after the talks that many provisions of China's peace plan could be taken "
                  "as the basis for a settlement when the West and Kyiv were ready.",
        title="Putin says Chinese plan could be basis for peace", day=21, source="Wire K"))
    recap = engine.analyse(make_article(
        "plan-2", "Russia said on Wednesday it had noted China's readiness to help start talks on Ukraine. "
                  "Only last month, Putin had hailed China's peace plan as a possible basis for a settlement while "
                  "hosting Xi in the Kremlin.",
        title="Moscow notes Beijing's readiness to broker talks", month=4, day=27, source="Wire L"))
    (said,), (_, recalled) = remark.sentences, recap.sentences
    assert (said.label, recalled.label) == ("new", "new")
    assert recalled.development == said.development
