"""`analyse(article, sentences=False)`: on the early exit the body is not split and no sentences are returned;
every verdict, counter and the state (near-copy index, developments) are exactly as with `sentences=True`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.engine import Engine, article_from_json
from tests.engine.builders import BASELINE, BASELINE_PUBLISHED, make_article

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DATA = Path(__file__).resolve().parents[1] / "data"
SETS = [SHARED / "devset" / "articles.jsonl", DATA / "eval" / "articles.jsonl", DATA / "blind" / "articles.jsonl"]


def _run(articles: list[dict], sentences: bool, terms) -> tuple[list, dict]:
    engine = Engine(BASELINE.read_text(encoding="utf-8"), published=BASELINE_PUBLISHED, terms=terms)
    out = []
    for obj in articles:
        r = engine.analyse(article_from_json(obj), sentences=sentences)
        out.append((r.id, r.relevant, r.duplicate_of, r.sentences if r.relevant else None))
    return out, engine.export_state()


@pytest.mark.parametrize("path", SETS, ids=lambda p: p.parent.name)
@pytest.mark.parametrize("terms", [(), ("Xi Jinping", "Putin", "Xi", "Kremlin")], ids=["no-terms", "terms"])
def test_sentences_off_changes_no_verdict_and_no_state(path: Path, terms):
    if not path.exists():
        pytest.skip(f"{path} not found")
    articles = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    with_sentences, state_with = _run(articles, True, terms)
    without, state_without = _run(articles, False, terms)
    assert with_sentences == without
    assert state_with == state_without
    assert json.dumps(state_with, sort_keys=True) == json.dumps(state_without, sort_keys=True)


def test_sentences_off_skips_the_split_only_on_the_early_exit(baseline_text: str):
    body = "Heavy rain flooded streets in Moscow on Monday. Officials said the clean-up would take a week."
    a = Engine(baseline_text, published=BASELINE_PUBLISHED)
    b = Engine(baseline_text, published=BASELINE_PUBLISHED)
    full = a.analyse(make_article("f1", body, title="Moscow floods"))
    bare = b.analyse(make_article("f1", body, title="Moscow floods"), sentences=False)
    assert not full.relevant and not bare.relevant
    assert len(full.sentences) == 2 and bare.sentences == ()
    # a near-copy of the skipped article is still found
    copy = b.analyse(make_article("f2", body + " More rain is expected.", title="Moscow floods again"),
                     sentences=False)
    assert copy.duplicate_of == "f1" and b.counters == {"articles": 2, "relevant": 0, "duplicates": 1}
    # an article that can be relevant is labelled in full either way
    news = "Xi Jinping arrived in Moscow on Monday for talks with Vladimir Putin."
    assert b.analyse(make_article("f3", news), sentences=False).sentences


def test_a_name_that_could_span_a_sentence_break_keeps_the_per_sentence_check(baseline_text: str):
    plain = Engine(baseline_text, published=BASELINE_PUBLISHED)
    assert plain.gate.body_decides
    dotted = Engine(baseline_text, published=BASELINE_PUBLISHED, aliases={"Putin": ["Mr. Putin"]})
    assert not dotted.gate.body_decides
