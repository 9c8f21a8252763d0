"""`diff_articles` with worker processes: the workers split and label ahead (`Engine.prepare`), this process
applies each article to the stream in order, and the output is byte for byte what one process gives."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import monitor.engine as engine_package
from monitor.config import load_config
from monitor.engine import Engine, diff_articles, make_engine
from tests.engine.builders import BASELINE

REPO = Path(__file__).resolve().parents[2]
SETS = [REPO / "tests" / "data" / name / "articles.jsonl" for name in ("blind2", "blind57", "blind201")]

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the workers are forked (Linux)")


def _articles(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _engine(dated: bool = True) -> Engine:
    """The shipped topic's engine; undated, the baseline's time is left out and the stream's first stands in."""
    if not dated:
        return Engine(BASELINE.read_text(encoding="utf-8"))
    config = load_config(REPO / "config" / "monitor.toml", environ={})
    return make_engine(config, config.get_topic("xi-putin"))


@pytest.mark.parametrize("dated", [True, False], ids=["dated baseline", "undated baseline"])
@pytest.mark.parametrize("path", SETS, ids=[p.parent.name for p in SETS])
def test_workers_give_the_same_output(path: Path, dated: bool, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(engine_package, "PARALLEL_MIN_ARTICLES", 2)
    articles = _articles(path)
    alone = list(diff_articles(_engine(dated), articles, workers=1))

    engine = _engine(dated)
    prepared_ahead = []
    analyse = engine.analyse

    def recording(article, sentences=True, prepared=None):
        prepared_ahead.append(prepared is not None)
        return analyse(article, sentences, prepared)

    monkeypatch.setattr(engine, "analyse", recording)
    assert list(diff_articles(engine, articles, workers=2)) == alone
    assert prepared_ahead == [True] * len(articles)  # every article came prepared from a worker


def test_few_articles_stay_in_one_process(monkeypatch: pytest.MonkeyPatch):
    engine = _engine()
    seen = []
    analyse = engine.analyse
    monkeypatch.setattr(engine, "analyse", lambda a, s=True, prepared=None: seen.append(prepared) or analyse(a, s))
    list(diff_articles(engine, _articles(SETS[0])[:5], workers=4))
    assert seen == [None] * 5


def test_the_command_gives_the_same_output_with_workers(tmp_path: Path):
    """The whole command over more articles than the parallel threshold (three sets, ids kept apart)."""
    lines = [line for path in SETS for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) >= engine_package.PARALLEL_MIN_ARTICLES
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def run(workers: int) -> str:
        return subprocess.run(
            [sys.executable, "-m", "monitor", "--config", str(REPO / "config" / "monitor.toml"), "diff",
             "--topic", "xi-putin", "--articles", str(path), "--workers", str(workers)],
            capture_output=True, text=True, check=True, cwd=REPO).stdout

    one = run(1)
    assert one.count("\n") == len(lines)
    assert run(3) == one
