"""The paraphrase channel, the restatement-piece prior and the other generalisation fixes.

The sentences are written for these tests (not taken from the devset or tests/data/eval)."""
from __future__ import annotations

from datetime import UTC, datetime

from monitor.engine.paraphrase import ConceptSpace, concepts
from monitor.engine.relevance import RelevanceEvidence, RelevanceGate
from tests.engine.builders import make_article

WHEN = datetime(2023, 3, 24, 12, 0, tzinfo=UTC)


def test_concepts_fold_synonyms_and_phrases():
    assert {"ceasefire", "neutral"} <= concepts("Beijing, even-handed as ever, wants a truce.")
    assert "ceasefire" in concepts("They urged both armies to stop the fighting.")
    assert "energy" in concepts("Crude and LNG shipments") and "depend" in concepts("its reliance on imports")
    assert concepts("a plan") & concepts("an initiative")


def test_concepts_of_saying_nothing_handing_over_and_gaining_little():
    assert "disclose" in concepts("The ministry has offered next to nothing about the talks.")
    assert {"arrest", "visit"} <= concepts("Members must hand him over if he sets foot on their soil.")
    assert "nobenefit" in concepts("Beijing gains little from a long war.")
    assert "hegemony" in concepts("a challenge to American primacy")


def test_comment_update_needs_the_topic_the_comment_is_awaited_on(engine):
    # "Putin has yet to comment on the announcement" (the court's charges): Putin speaking of something else is news
    v = engine.labeller.label("In the same interview, Putin rejected suggestions that Moscow was building a bloc "
                              "with Beijing.", WHEN, engine.baseline_published)
    assert v.label != "update"
    # a country both name is no shared topic: the charges concern children taken from Ukraine, the remark the war
    v = engine.labeller.label("Putin said on Tuesday that much of the plan for ending the war in Ukraine could serve "
                              "as a basis for a settlement, but that Kyiv was not yet ready for one.", WHEN,
                              engine.baseline_published)
    assert v.label != "update"
    v = engine.labeller.label("Putin said on Tuesday that the arrest warrant was legally void for Russia.", WHEN,
                              engine.baseline_published)
    assert v.label == "update" and v.fact is not None and "comment" in v.fact.text


def test_concept_similarity_weights_rare_concepts_more():
    space = ConceptSpace(["the war goes on", "the war and the truce", "the war again"])
    a, b = concepts("a truce in the war"), concepts("truce talks")
    c = concepts("the war of words")
    assert space.similarity(a, b) > space.similarity(a, c)
    assert space.coverage(a, concepts("truce")) == 1.0


def test_paraphrased_restatement_is_known(engine):
    # "China is dependent on Russia for its energy needs" in other words, nothing fresh in it
    v = engine.labeller.label("Beijing relies on Russian oil and gas to meet its energy needs.", WHEN,
                              engine.baseline_published)
    assert v.label == "known"


def test_negated_realisation_is_not_an_update(engine):
    v = engine.labeller.label("But he has put forward no fresh initiative of his own.", WHEN, engine.baseline_published)
    assert v.label == "known"


def test_paraphrase_does_not_swallow_fresh_events(engine):
    v = engine.labeller.label("Xi Jinping announced on Thursday that China would host peace talks in Geneva in June.",
                              WHEN, engine.baseline_published)
    assert v.label in ("new", "update")


def test_comment_update_needs_the_agent_as_speaker(engine):
    # someone talking *to* Putin does not resolve "Putin has yet to comment"
    v = engine.labeller.label("At the dinner, Xi told Putin the two countries were old friends.", WHEN,
                              engine.baseline_published)
    assert v.label != "update"
    w = engine.labeller.label("Putin said on Tuesday that the arrest warrant was outrageous and legally void for Russia.", WHEN,
                              engine.baseline_published)
    assert w.label == "update" and w.fact is not None and "comment" in w.fact.text


def test_restatement_piece_prior_relabels_weak_sentences(engine):
    body = (
        "China has tried to present itself as neutral in the war in Ukraine. "
        "Beijing keeps calling for a cease-fire. "
        "Washington says a cease-fire would only legitimise Russia's gains on the battlefield. "
        "Xi has not announced any initiative of his own. "
        "For Putin, the visit is a boost at a moment when he needs support."
    )
    result = engine.analyse(make_article("prior-1", body, title="Preview: Xi and Putin", day=18))
    labels = [s.label for s in result.sentences]
    assert labels.count("known") == len(labels), labels


def test_a_plan_past_the_baselines_days_is_news_inside_a_restatement_piece(engine):
    # the baseline plans Monday; Tuesday's formal talks, announced in a piece that mostly restates it, are news
    body = (
        "China has tried to present itself as neutral in the war in Ukraine. "
        "Beijing keeps calling for a cease-fire. "
        "Washington says a cease-fire would only legitimise Russia's gains on the battlefield. "
        "Xi has not announced any initiative of his own. "
        "Formal talks between the two delegations are scheduled for Tuesday."
    )
    result = engine.analyse(make_article("prior-2", body, title="Preview: Xi and Putin", day=20))
    assert [s.label for s in result.sentences][:4] == ["known"] * 4
    assert result.sentences[4].label == "new"


def test_reported_statement_is_not_relabelled_by_the_prior(engine):
    verdict = engine.labeller.label("Xi said he hoped the trip would bring fresh momentum.", WHEN,
                                    engine.baseline_published)
    if verdict.label == "new":
        assert engine.labeller.restatement(verdict, "Xi said he hoped the trip would bring fresh momentum.") is None


def test_boilerplate_variants_are_offtopic(engine):
    for text in ("This is a developing story and will be updated.", "Listen to our daily podcast for more.",
                 "All figures are in US dollars unless otherwise stated.",
                 "Follow Some Outlet on social media for live updates."):
        assert engine.labeller.label(text, WHEN, engine.baseline_published).label == "offtopic", text


def test_recent_report_naming_an_earlier_year_is_not_background(engine):
    v = engine.labeller.label("Customs data released this month showed that trade in 2022 hit 190 billion dollars.",
                              datetime(2023, 1, 20, tzinfo=UTC), engine.baseline_published)
    assert v.label != "background"


def test_one_person_article_needs_both_sides_together_and_one_tie(engine):
    # "China's envoy Li Hui hears Kyiv's red lines": Xi named once, Beijing and Moscow in one sentence, and a tie to
    # the development that announced the envoy
    gate: RelevanceGate = engine.gate
    person = next(iter(engine.topic.core_persons))
    assert gate.decide(RelevanceEvidence(frozenset({person}), 2, ties=1, excluded=False))
    assert not gate.decide(RelevanceEvidence(frozenset({person}), 2, ties=0, excluded=False))
    assert not gate.decide(RelevanceEvidence(frozenset({person}), 1, ties=3, excluded=False))


def test_an_article_naming_no_core_person_needs_both_sides_and_one_tie(engine):
    # "China stays away from the peace summit in Switzerland": no leader named, but both sides and a tie
    gate: RelevanceGate = engine.gate
    assert gate.decide(RelevanceEvidence(frozenset(), 2, ties=1, excluded=False))
    assert not gate.decide(RelevanceEvidence(frozenset(), 2, ties=0, excluded=False))
    assert not gate.decide(RelevanceEvidence(frozenset(), 1, ties=3, excluded=False))


def test_a_position_stated_again_is_known(engine):
    # a leader's "always"/"repeatedly" marks a standing line, even at a summit: the baseline's "calling for a
    # cease-fire" in other words
    v = engine.labeller.label("Beijing has repeatedly urged the warring sides to cease fire and negotiate.", WHEN,
                              engine.baseline_published)
    assert v.label == "known"
    fresh = engine.labeller.label("Beijing urged the warring sides on Friday to sign a ceasefire in Geneva next week.",
                                  WHEN, engine.baseline_published)
    assert fresh.label != "known"


def test_holding_a_position_is_no_happening(engine):
    # "held an impartial position" states a stance (the baseline's "portray itself as neutral"); "held talks" is an
    # event, and so is holding them in a stated place
    v = engine.labeller.label("Xi said China held an even-handed position on the war in Ukraine.", WHEN,
                              engine.baseline_published)
    assert v.label == "known" and "neutral" in v.fact.text
    held = engine.labeller.label("Xi said China held talks on the war with Ukraine's envoy in Geneva.", WHEN,
                                 engine.baseline_published)
    assert held.label != "known"


def test_what_a_truce_would_leave_in_place_is_no_departure(engine):
    # "a truce that left the troops in place would ...": a condition, not someone leaving; "left Moscow" is one
    from monitor.engine.lexicon import EVENT_VERBS
    assert not EVENT_VERBS.search("a truce that left the occupying troops in place would reward the invasion")
    assert EVENT_VERBS.search("the envoy left moscow on wednesday")
    v = engine.labeller.label("He said a truce that left Russian troops in place would amount to rewarding "
                              "Russia's conquest of Ukrainian land.", WHEN, engine.baseline_published)
    assert v.label == "known"
