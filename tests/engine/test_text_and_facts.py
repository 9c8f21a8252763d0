"""Splitting, normalising and baseline fact extraction."""
from __future__ import annotations

from itertools import pairwise

import pytest

from monitor.engine.facts import NOT_YET, PLANNED, detect_status, split_clauses
from monitor.engine.lexicon import BOILERPLATE
from monitor.engine.text import entry_text, headline_items, normalise, split_sentences


def test_sentences_cover_body_in_order_and_respect_abbreviations():
    body = ("The U.S. envoy met Mr. Wang at 3 p.m. on Monday. Talks lasted two hours. "
            "\"We made progress,\" he said. A statement followed.")
    spans = split_sentences(body)
    texts = [body[s:e] for s, e in spans]
    assert texts == [
        "The U.S. envoy met Mr. Wang at 3 p.m. on Monday.",
        "Talks lasted two hours.",
        "\"We made progress,\" he said.",
        "A statement followed.",
    ]
    assert all(a[1] <= b[0] for a, b in pairwise(spans))


def test_a_dateline_stays_with_its_sentence():
    body = "OSLO (Northern Wire) - The fjord ferry resumed service on Monday. Tickets sold out."
    texts = [body[s:e] for s, e in split_sentences(body)]
    assert texts == ["OSLO (Northern Wire) - The fjord ferry resumed service on Monday.", "Tickets sold out."]
    # a wire that ends its dateline and agency tag with full stops
    body = "BERGEN, May 4. /Fjord Wire/. The ferry resumed service on Monday. Tickets sold out. /Fjord Wire/."
    texts = [body[s:e] for s, e in split_sentences(body)]
    assert texts == ["BERGEN, May 4. /Fjord Wire/. The ferry resumed service on Monday.", "Tickets sold out.",
                     "/Fjord Wire/."]


# (body, its first sentences as split): a byline run into the lede for want of a full stop is a sentence of its own
BYLINES = [
    ("By Ingrid Dahl, Transport Correspondent The fjord ferry resumed service on Monday. Tickets sold out.",
     ["By Ingrid Dahl, Transport Correspondent", "The fjord ferry resumed service on Monday."]),
    # a title in lower case, as many papers print it
    ("By Ingrid Dahl, senior transport correspondent The fjord ferry resumed service on Monday.",
     ["By Ingrid Dahl, senior transport correspondent", "The fjord ferry resumed service on Monday."]),
    ("By Ingrid Dahl, staff writer Ferry tickets for the summer sold out on Monday.",
     ["By Ingrid Dahl, staff writer"]),
    ("By Ola Berg Nord in Bergen BERGEN - The ferry resumed service on Monday.",
     ["By Ola Berg Nord in Bergen", "BERGEN - The ferry resumed service on Monday."]),
    ("By Ola Berg and Kari Holm Ferry tickets sold out on Monday.",
     ["By Ola Berg and Kari Holm", "Ferry tickets sold out on Monday."]),
    ("Analysis by Kari Holm Two years on, the ferry still runs.",
     ["Analysis by Kari Holm"]),
    ("By Fjord Wire staff The ferry resumed service on Monday.",
     ["By Fjord Wire staff"]),
    ("From our correspondent in Bergen US ferry tickets sold out on Monday.",
     ["From our correspondent in Bergen"]),
    # a desk's or correspondent's credit in words, and a name parted from its outlet by a bar before a dateline
    ("By our Bergen correspondent The fjord ferry resumed service on Monday after a long pause.",
     ["By our Bergen correspondent", "The fjord ferry resumed service on Monday after a long pause."]),
    ("By the Fjord Wire shipping team Ferry tickets for the summer sold out on Monday.",
     ["By the Fjord Wire shipping team"]),
    ("From our Oslo correspondent The fjord ferry resumed service on Monday after a pause.",
     ["From our Oslo correspondent"]),
    ("Fjord Herald, Bergen bureau The fjord ferry resumed service on Monday after a pause.",
     ["Fjord Herald, Bergen bureau"]),
    ("By Fjord Wire staff in Oslo and Bergen The ferry resumed service on Monday after a pause.",
     ["By Fjord Wire staff in Oslo and Bergen"]),
    ("By Ola Berg | Fjord Herald BERGEN \u2014 The ferry resumed service on Monday after a pause.",
     ["By Ola Berg | Fjord Herald", "BERGEN \u2014 The ferry resumed service on Monday after a pause."]),
    ("Fjord Courier Staff BERGEN \u2014 The ferry resumed service on Monday after a pause.",
     ["Fjord Courier Staff"]),
    ("BERGEN, from our correspondent The ferry resumed service on Monday after a long pause.",
     ["BERGEN, from our correspondent"]),
    # but not a sentence that opens on "By the ..."
    ("By the time the harbour team arrived the ferry had already left the quay for Oslo.",
     ["By the time the harbour team arrived the ferry had already left the quay for Oslo."]),
    # a byline that ends on its full stop is a sentence already, whatever its place's name
    ("By Ola Berg Nord in Hong Kong. The ferry resumed service.",
     ["By Ola Berg Nord in Hong Kong.", "The ferry resumed service."]),
    ("By Ola Berg in The Hague. The ferry resumed service.",
     ["By Ola Berg in The Hague."]),
    # after a comma, a country or capital is the writer's place; a word that only begins like one is not
    ("By Kari Holm, Tokyo Japanese ferry operators resumed service on Monday.",
     ["By Kari Holm, Tokyo", "Japanese ferry operators resumed service on Monday."]),
    ("By Kari Holm, Tokyoites Flocked to the ferry terminal on Monday morning.",
     ["By Kari Holm, Tokyoites Flocked to the ferry terminal on Monday morning."]),
    # "White House" after the comma titles a correspondent whose title runs on; it is not the writer's place
    ("By Kari Holm, White House Correspondent Ferry tickets sold out today.",
     ["By Kari Holm, White House Correspondent Ferry tickets sold out today."]),
    # a name or place with accented letters is a name all the same
    ("By Élise Sørbø, Europe correspondent PARIS - The ferry resumed service on Monday.",
     ["By Élise Sørbø, Europe correspondent", "PARIS - The ferry resumed service on Monday."]),
    ("By Łucja Dąbrowska in Tromsø The ferry resumed service on Monday.",
     ["By Łucja Dąbrowska in Tromsø"]),
    # and so is the lede when it opens on an accented capital
    ("By Kari Holm in Bergen Ålesund ferry operators resumed service on Monday.",
     ["By Kari Holm in Bergen", "Ålesund ferry operators resumed service on Monday."]),
    ("By Ola Berg Nord ÉLYSÉE officials praised the ferry operators on Monday morning.",
     ["By Ola Berg Nord"]),
    # a sentence that opens on "By", not a byline, stays whole
    ("By Thursday Holm had left Bergen. Tickets sold out.",
     ["By Thursday Holm had left Bergen."]),
]


@pytest.mark.parametrize(("body", "first"), BYLINES)
def test_a_byline_run_into_the_lede_is_a_sentence_of_its_own(body, first):
    assert [body[s:e] for s, e in split_sentences(body)][:len(first)] == first


@pytest.mark.parametrize("byline", [
    "By Ingrid Dahl, Transport Correspondent", "By Ingrid Dahl, senior transport correspondent",
    "By Ingrid Dahl, staff writer", "By Ola Berg Nord in Bergen", "By Ola Berg and Kari Holm", "Analysis by Kari Holm",
    "Commentary by Kari Holm", "Opinion by Kari Holm", "Reporting by Kari Holm", "Words by Kari Holm",
    "By Fjord Wire staff", "By Fjord Wire staff and wire reports",
    "From our correspondent in Bergen", "By Élise Sørbø, Europe correspondent", "By Łucja Dąbrowska in Tromsø",
    "By Kari Holm, Tokyo", "By Kari Holm, New Delhi", "By Østlandet Wire staff",
])
def test_a_byline_split_off_the_lede_is_boilerplate(byline: str):
    # what the splitter cuts off as a byline, the labeller must take for furniture, or it is read as the story
    body = f"{byline} The fjord ferry resumed service on Monday after a week of storms."
    s, e = split_sentences(body)[0]
    first = body[s:e]
    assert first == byline
    assert BOILERPLATE.search(first)


def test_entry_text_drops_a_clock_and_a_speaker_or_update_tag_but_keeps_the_words():
    assert entry_text("ANNA BERG: So the ferry sailed on Monday.") == "So the ferry sailed on Monday."
    assert entry_text("14:05 UPDATE: The ferry has docked.") == "The ferry has docked."
    assert entry_text("[16 May, 01:30 GMT] The ferry has docked.") == "The ferry has docked."
    assert entry_text("[09:10] The ferry has docked.") == "The ferry has docked."
    assert entry_text("NATO: a decisive enabler, the allies said.") == "NATO: a decisive enabler, the allies said."
    # a transcript's question and answer tags
    assert entry_text("Question: Has the ferry docked?") == "Has the ferry docked?"
    assert entry_text("HOST: Has the ferry docked?") == "Has the ferry docked?"


def test_a_briefing_headline_lists_its_items_and_any_other_headline_is_one():
    assert headline_items("Morning brief: Ferry resumes; Rates rise; Storm ahead") == [
        "Ferry resumes", "Rates rise", "Storm ahead"]
    assert headline_items("Ferry resumes | Travel | The Daily Wire") == ["Ferry resumes | Travel | The Daily Wire"]
    assert headline_items("Ferry resumes; tickets sold out") == ["Ferry resumes; tickets sold out"]
    assert headline_items("Analysis: what the ferry's return means") == ["Analysis: what the ferry's return means"]


def test_normalise_folds_typographic_variants():
    assert normalise("Russia\u2019s \u201cno-limits\u201d \u2014 friendship") == "Russia's \"no-limits\" - friendship"


def test_clauses_split_at_coordinated_predicates():
    clauses = split_clauses("The Kremlin has rejected the move as \u201coutrageous,\u201d and Putin has yet to comment on it.")
    assert len(clauses) == 2
    assert clauses[1].startswith("Putin has yet to comment")


def test_status_cues():
    assert detect_status("Xi is scheduled to arrive in Moscow on Monday")[0] == PLANNED
    assert detect_status("Putin has yet to comment on the announcement")[0] == NOT_YET
    assert detect_status("The Kremlin has rejected the move")[0] == "REALIZED"


def test_baseline_facts_have_status_open_flags_and_frames(engine):
    facts = {f.text: f for f in engine.facts}
    arrive = next(f for t, f in facts.items() if "scheduled to arrive" in t)
    assert arrive.status == PLANNED and arrive.open and "ARRIVE" in arrive.frames
    comment = next(f for t, f in facts.items() if "yet to comment" in t)
    assert comment.status == NOT_YET and comment.open and comment.frames == ("COMMENT",)
    assert "Putin" in comment.entities
    disclose = next(f for t, f in facts.items() if "has not disclosed" in t)
    assert disclose.frames == ("DISCLOSE",)  # the governed predicate, not the 'meeting' it mentions
    rejected = next(f for t, f in facts.items() if "rejected the move" in t)
    assert not rejected.open
    assert len({f.id for f in engine.facts}) == len(engine.facts) >= 20


def test_entities_come_from_the_baseline_without_config(engine):
    topic = engine.topic
    assert topic.core_persons == {"Xi", "Putin"}
    assert topic.entities("Chinese leader Xi Jinping and Vladimir Putin") == {"Xi", "Putin"}
    assert topic.entities("the International Criminal Court (ICC)") == {"International Criminal Court"}
    assert topic.side_of["Xi"] == "China" and topic.side_of["Putin"] == "Russia"
