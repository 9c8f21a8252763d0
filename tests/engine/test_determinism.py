"""`monitor diff` gives the same output whatever Python's hash seed: no decision may hang on the
iteration order of a set (a bug of that kind once joined "House White" instead of "White House")."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ARTICLES = REPO / "tests" / "data" / "blind2" / "articles.jsonl"


def _diff(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(REPO / "config" / "monitor.toml"), "diff",
         "--topic", "xi-putin", "--articles", str(ARTICLES)],
        env=env, capture_output=True, text=True, check=True, cwd=REPO).stdout


def test_diff_output_does_not_depend_on_the_hash_seed():
    outputs = {_diff(seed) for seed in ("1", "2", "3")}
    assert len(outputs) == 1
    assert outputs.pop().count("\n") == 30
