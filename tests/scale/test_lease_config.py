"""[database] lease: a duration of at least 5 seconds, 15 minutes by default."""
from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import load_config, parse_duration
from monitor.errors import ConfigError
from tests.scale.test_migrations import _write_config


def _with_lease(tmp_path: Path, lease: str | None) -> Path:
    path = _write_config(tmp_path, f"sqlite:///{tmp_path / 'm.db'}")
    if lease is not None:
        text = path.read_text().replace("[database]\n", f'[database]\nlease = "{lease}"\n')
        path.write_text(text)
    return path


def test_lease_defaults_to_fifteen_minutes(tmp_path: Path) -> None:
    assert parse_duration(load_config(_with_lease(tmp_path, None), environ={}).database.lease).total_seconds() == 900


def test_lease_accepts_seconds(tmp_path: Path) -> None:
    assert load_config(_with_lease(tmp_path, "20s"), environ={}).database.lease == "20s"


@pytest.mark.parametrize(("lease", "problem"), [("2s", "shorter than 5 seconds"), ("soon", "is not a duration")])
def test_a_bad_lease_is_named_with_its_fix(tmp_path: Path, lease: str, problem: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(_with_lease(tmp_path, lease), environ={})
    text = str(info.value.problems[0])
    assert "database.lease" in text and problem in text and "fix" in text
