"""Fixtures for tests/fetch: the loopback server and a corpus of generated feeds."""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fetch.loopback import SHARED, Server, serve


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    yield from serve()


@pytest.fixture(scope="session")
def feed_corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Feed files in every shape the project has tools for: feedgen.py (RSS 2.0,
    Atom, RDF) and make_feeds.py --all-formats on the dev set."""
    shared = SHARED
    if not (shared / "bench/feedgen.py").exists():
        pytest.skip(f"feed tools not found under {shared}")
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(shared / "bench/feedgen.py"), "--n", "40",
                    "--out", str(out / "gen")], check=True, capture_output=True)
    subprocess.run([sys.executable, str(shared / "tools/make_feeds.py"),
                    str(shared / "devset/articles.jsonl"), str(out / "mf"), "--all-formats"],
                   check=True, capture_output=True)
    return sorted((out / "gen").glob("*.xml")) + sorted((out / "mf").glob("*.*"))
