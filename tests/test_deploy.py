"""The deployment files stay valid (no Docker engine runs here, so the compose file is validated)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed (.ci/run installs it)")
def test_compose_file_is_valid() -> None:
    result = subprocess.run(["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_compose_runs_two_workers_on_postgres_with_a_mail_catcher() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    assert "replicas: 2" in text
    assert "MONITOR_DATABASE_URL: postgresql+psycopg://" in text
    assert "MONITOR_SMTP_HOST: mail" in text
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile and 'ENTRYPOINT ["monitor"]' in dockerfile
