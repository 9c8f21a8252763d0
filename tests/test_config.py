"""The config: the shipped file is valid, and every kind of mistake is named with its fix."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from monitor.config import load_config, parse_duration
from monitor.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def monitor(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=60)


def test_shipped_config_is_valid_and_watches_the_story() -> None:
    config = load_config(ROOT / "config" / "monitor.toml", environ={})
    topic = config.get_topic("xi-putin")
    assert config.resolve(topic.baseline).read_text(encoding="utf-8").startswith("Xi Jinping Meets Putin")
    assert len(topic.feeds) >= 6
    assert config.email.method == "outbox"
    assert config.database_url.startswith("sqlite:////")


def test_check_command_accepts_the_shipped_config() -> None:
    result = monitor("--config", "config/monitor.toml", "check")
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_every_problem_is_reported_with_key_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("""
[database]
url = "sqlite:///x.db"
colour = "red"
[email]
method = "smtp"
[email.smtp]
host = ""
[[topic]]
id = "t1"
name = "T"
baseline = "missing.txt"
feeds = ["not a url"]
poll_every = "often"
[topic.digest]
schedule = "0 7 * *"
timezone = "Mars/Olympus"
""")
    result = monitor("--config", str(path), "check")
    assert result.returncode == 1
    err = result.stderr
    expectations = {
        "database.colour": "unknown key",
        "topic[0] (id='t1').baseline": "not found",
        "topic[0] (id='t1').feeds[0]": "not an http(s) URL",
        "topic[0] (id='t1').poll_every": "not a duration",
        "topic[0] (id='t1').digest.timezone": "unknown time zone",
        "topic[0] (id='t1').digest.schedule": "not a cron expression",
        "topic[0] (id='t1').digest.recipients": "no recipients",
        "email.smtp.host": "no host",
    }
    for key, problem in expectations.items():
        line = next((ln for ln in err.splitlines() if f": {key}: " in ln), None)
        assert line is not None, f"no line for {key} in:\n{err}"
        assert problem in line and str(path) in line and "(fix: " in line
    assert "nothing was started" in err
    assert "Traceback" not in err


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[database\nurl = 1\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, environ={})
    assert "line 1" in str(info.value)


def test_missing_config_file_says_how_to_point_at_one(tmp_path: Path) -> None:
    result = monitor("--config", str(tmp_path / "nope.toml"), "check")
    assert result.returncode == 1
    assert "file not found" in result.stderr and "--config" in result.stderr


def test_environment_overrides_database_and_smtp(write_config) -> None:  # type: ignore[no-untyped-def]
    path = write_config(feeds=["https://example.org/rss.xml"])
    config = load_config(path, environ={"MONITOR_DATABASE_URL": "postgresql+psycopg://u@h/db",
                                        "MONITOR_SMTP_HOST": "mail", "MONITOR_SMTP_PASSWORD": "s3cret"})
    assert config.database_url == "postgresql+psycopg://u@h/db"
    assert config.email.smtp.host == "mail"
    assert config.smtp_password == "s3cret"


def test_relative_paths_resolve_against_the_config_folder(write_config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    config = load_config(write_config(feeds=["https://example.org/rss.xml"], database_url="sqlite:///db/m.db"),
                         environ={})
    assert config.database_url == f"sqlite:///{tmp_path / 'db' / 'm.db'}"
    assert config.outbox_dir == tmp_path / "outbox"


@pytest.mark.parametrize(("text", "seconds"), [("30s", 30), ("15m", 900), ("2h", 7200), ("1d", 86400)])
def test_poll_every_units(text: str, seconds: int) -> None:
    assert parse_duration(text).total_seconds() == seconds


@pytest.mark.parametrize("text", ["0m", "15", "m", "1.5h", "15 minutes"])
def test_poll_every_rejects_other_forms(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_check_renders_the_users_own_templates(write_config, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "mine" / "digest").mkdir(parents=True)
    (tmp_path / "mine" / "digest" / "subject.txt.j2").write_text("{{ no_such_thing }}\n")
    path = write_config(feeds=["https://example.org/rss.xml"], extra="")
    text = path.read_text()
    path.write_text('templates = "mine"\n' + text)
    result = monitor("--config", str(path), "check")
    assert result.returncode == 1
    assert ": templates: " in result.stderr and "no_such_thing" in result.stderr


def test_a_thread_on_no_side_of_the_story_is_named_with_its_fix(tmp_path: Path) -> None:
    baseline = (ROOT / "config" / "baselines" / "xi-jinping-meets-putin.txt")
    path = tmp_path / "threads.toml"
    path.write_text(f"""
[[topic]]
id = "t1"
name = "T"
baseline = "{baseline}"
feeds = ["https://example.org/rss.xml"]
[[topic.threads]]
side = "China"
party = ["Ukraine", "Kyiv"]
about = ["peace", "envoy"]
[[topic.threads]]
side = "Brazil"
party = ["Ukraine"]
about = ["peace"]
[[topic.threads]]
side = "Russia"
party = []
about = ["peace"]
""")
    result = monitor("--config", str(path), "check")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    side = next((ln for ln in lines if ": topic[0] (id='t1').threads[1].side: " in ln), None)
    assert side is not None and "'Brazil' is not one of the story's sides (China, Russia)" in side and "(fix: " in side
    assert any("threads[2].party" in ln for ln in lines), result.stderr
    assert not any("threads[0]" in ln for ln in lines), result.stderr
    assert "Traceback" not in result.stderr
