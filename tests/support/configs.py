"""The one config file the tests write: the usual keys, each overridable."""
from __future__ import annotations

from pathlib import Path

from tests.support.servers import BASELINE


def make_config(folder: Path, *, feeds: list[str], database_url: str | None = None, method: str = "outbox",
                smtp_port: int = 25, smtp_timeout: float = 30,
                recipients: tuple[str, ...] = ("analyst@example.org",), schedule: str = "0 7 * * *",
                timezone: str = "Europe/London", quiet: str = "skip", poll_every: str = "15m",
                per_host: int = 4, fetch_timeout: float = 20, extra: str = "") -> Path:
    """Write ``folder/monitor.toml`` (with the baseline beside it) watching ``feeds`` on loopback."""
    (folder / "baselines").mkdir(parents=True, exist_ok=True)
    (folder / "baselines" / "xi.txt").write_text(BASELINE.read_text(encoding="utf-8"), encoding="utf-8")
    url = database_url or f"sqlite:///{folder / 'monitor.db'}"
    feed_list = ", ".join(f'"{f}"' for f in feeds)
    rcpt = ", ".join(f'"{r}"' for r in recipients)
    path = folder / "monitor.toml"
    path.write_text(f"""
[database]
url = "{url}"
[fetch]
allow_private_networks = true
concurrency = 8
per_host = {per_host}
timeout = {fetch_timeout}
[email]
method = "{method}"
outbox = "outbox"
sender = "monitor@example.org"
[email.smtp]
host = "127.0.0.1"
port = {smtp_port}
timeout = {smtp_timeout}
[[topic]]
id = "xi-putin"
name = "Xi Jinping meets Putin"
baseline = "baselines/xi.txt"
baseline_published = "2023-03-17T12:00:00+00:00"
feeds = [{feed_list}]
poll_every = "{poll_every}"
terms = ["Xi Jinping", "Putin", "Xi", "Kremlin"]
[topic.aliases]
"International Criminal Court" = ["ICC"]
[topic.digest]
schedule = "{schedule}"
timezone = "{timezone}"
recipients = [{rcpt}]
quiet = "{quiet}"
{extra}
""", encoding="utf-8")
    return path
