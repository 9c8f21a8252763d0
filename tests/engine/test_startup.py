"""`monitor diff` and `monitor baseline` start without the database and network layers: their import alone
(SQLAlchemy, aiohttp, feedparser) once cost more than a second, a tenth of the whole command over 400 articles."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ARTICLES = REPO / "tests" / "data" / "blind2" / "articles.jsonl"
HEAVY_PACKAGES = frozenset({"sqlmodel", "sqlalchemy", "alembic", "aiohttp", "httpx", "feedparser", "trafilatura"})
HEAVY_MODULES = ("monitor.poll", "monitor.store", "monitor.fetch", "monitor.parse")


def _imported(*args: str) -> set[str]:
    """Every module a `monitor` command imports, as `python -X importtime` reports them."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "monitor", "--config", str(REPO / "config" / "monitor.toml"),
         *args], capture_output=True, text=True, check=True, cwd=REPO)
    return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}


def _heavy(modules: set[str]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in HEAVY_PACKAGES or m.startswith(HEAVY_MODULES)}


def test_diff_imports_no_database_or_network_layer(tmp_path: Path):
    one = tmp_path / "one.jsonl"
    one.write_text(ARTICLES.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    modules = _imported("diff", "--topic", "xi-putin", "--articles", str(one))
    assert "monitor.engine.engine" in modules  # the report is read right: the engine itself is there
    assert _heavy(modules) == set()


def test_baseline_imports_no_database_or_network_layer():
    modules = _imported("baseline", "--topic", "xi-putin")
    assert "monitor.engine.engine" in modules
    assert _heavy(modules) == set()
