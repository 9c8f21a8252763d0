"""`monitor diff` as a user meets it: a bad input line stops it before any work with the line named, a bad date is
warned of, and on a terminal it shows progress and a summary on stderr while stdout stays the eval contract."""
from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.servers import DEVSET

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config" / "monitor.toml"
LEDE = {"title": "Xi arrives in Moscow", "body": "Xi Jinping arrived in Moscow on Monday for talks with Putin."}


def diff(path: Path, **kwargs) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    return subprocess.run([sys.executable, "-m", "monitor", "--config", str(CONFIG), "diff", "--topic", "xi-putin",
                           "--articles", str(path)], text=True, cwd=ROOT, timeout=120, **kwargs)


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.mark.parametrize(("bad_line", "message"), [
    ('["not", "an", "article"]', "not an article: expected an object"),
    ('{"title": "no id"}', 'the article has no "id"'),
    ('{"id": "", "body": "blank id"}', 'the article has no "id"'),
    ('{"id": "a1", "body": "the same id again"}', "id 'a1' is already used on line 1"),
    ("{broken", "not a JSON object"),
])
def test_a_bad_line_is_named_and_nothing_is_analysed(tmp_path: Path, bad_line: str, message: str) -> None:
    path = write_lines(tmp_path / "in.jsonl", json.dumps({"id": "a1", **LEDE}), bad_line)
    result = diff(path, capture_output=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{path}:2: {message}" in result.stderr
    assert result.stdout == "", "nothing is printed before every line has been checked"


def test_a_date_that_is_not_a_time_is_warned_of_and_the_article_still_analysed(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "in.jsonl", json.dumps({"id": 7, "published": "yesterday", **LEDE}))
    result = diff(path, capture_output=True)
    assert result.returncode == 0, result.stderr
    assert f"warning: {path}:1: published 'yesterday' is not an ISO 8601 time" in result.stderr
    [output] = [json.loads(line) for line in result.stdout.splitlines()]
    assert output["id"] == "7" and output["sentences"]


@pytest.mark.devset
def test_a_terminal_gets_progress_and_a_summary_that_matches_the_output(tmp_path: Path) -> None:
    leader, follower = pty.openpty()  # stderr on a terminal, stdout piped as a script would read it
    try:
        result = diff(DEVSET, stdout=subprocess.PIPE, stderr=follower)
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal is closed once everything written to it has been read
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    assert result.returncode == 0
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    text = shown.decode()
    assert f"analysing {len(outputs)}/{len(outputs)} articles" in text
    relevant = sum(o["relevant"] for o in outputs)
    copies = sum(bool(o["duplicate_of"]) for o in outputs)
    developments = {s["development"] for o in outputs for s in o["sentences"] if s["development"]}
    assert f"{len(outputs)} articles in " in text
    assert f": {relevant} relevant, {copies} near-copies, {len(developments)} developments" in text
    assert "analysing" not in result.stdout
