"""Polling at scale: `monitor poll` as a whole command against the reference pollers, in one run.

Serves 1,000 synthetic feeds (../shared/bench/feedserver.py, ~60k items, ~3 % on the
watch topic, article links that do not resolve) on 127.0.0.1 with 100 ms of latency per
request, then, run after run, interleaved so that drift hits all alike:

  monitor-cold   `monitor poll` on an empty database (every feed 200), whole process
  monitor-304    `monitor poll` again (every feed answers 304), whole process
  reference      ../shared/bench/run_async.py: aiohttp, 32 connections, fastfeedparser
                 (its poll 1 and its own second, conditional poll)
  reader         lemon24's reader, update_feeds(workers=32)   (with --reader; ~70 s a run)

The config uses concurrency = 32 and per_host = 32 (all feeds live on one host, and 32 is
the reference's connection count). Prints medians with min/max and the ratios.

    python3 -m venv .venv-bench && .venv-bench/bin/pip install -r ../shared/bench/requirements.txt
    .venv/bin/python bench/bench_poll.py --runs 3 [--reader] [--n 1000] [--latency-ms 100]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_BENCH = ROOT.parent / "shared" / "bench"
BENCH_PYTHON = ROOT / ".venv-bench" / "bin" / "python"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_with_rss(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall time and peak RSS (MB) of a child, measured with wait4."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    assert process.stdout is not None
    output = process.stdout.read().decode("utf-8", "replace")
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv[:4])} failed:\n{output[-3000:]}")
    return wall, usage.ru_maxrss / 1024, output


def write_config(folder: Path, feeds: list[str]) -> Path:
    baseline = ROOT / "config" / "baselines" / "xi-jinping-meets-putin.txt"
    feed_lines = ",\n  ".join(f'"{f}"' for f in feeds)
    path = folder / "bench.toml"
    path.write_text(f"""
[database]
url = "sqlite:///{folder / 'monitor.db'}"
[fetch]
allow_private_networks = true
concurrency = 32
per_host = 32
timeout = 60
[email]
outbox = "outbox"
[[topic]]
id = "xi-putin"
name = "Xi Jinping meets Putin"
baseline = "{baseline}"
baseline_published = "2023-03-17T12:00:00+00:00"
poll_every = "15m"
terms = ["Xi Jinping", "Putin", "Xi", "Kremlin"]
feeds = [
  {feed_lines}
]
""", encoding="utf-8")
    return path


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):7.2f} ({min(values):.2f}–{max(values):.2f})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--latency-ms", default="100")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--reader", action="store_true", help="also run lemon24's reader (slow)")
    args = ap.parse_args()
    if not BENCH_PYTHON.exists():
        raise SystemExit(f"{BENCH_PYTHON} missing: python3 -m venv .venv-bench && "
                         ".venv-bench/bin/pip install -r ../shared/bench/requirements.txt")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(BENCH_PYTHON), str(SHARED_BENCH / "feedserver.py"), "--port", str(port),
                               "--n", str(args.n), "--latency-ms", args.latency_ms, "--max-seconds", "3600"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        if "READY" not in line:
            raise SystemExit(f"feed server did not start: {line}")
        with urllib.request.urlopen(f"{base}/feeds.txt") as response:  # loopback only
            feeds = [u for u in response.read().decode().split() if u]
        results: dict[str, list[float]] = {k: [] for k in (
            "monitor-cold", "monitor-304", "monitor-rss", "reference-cold", "reference-304", "reader-cold")}
        stored: list[tuple[int, ...]] = []
        # the generator's on-topic titles: which relevant verdicts are right, which entries were missed
        sys.path.insert(0, str(SHARED_BENCH))
        from feedgen import TOPIC_TITLES  # the generator lives beside the reference pollers
        on_topic = ",".join("?" * len(TOPIC_TITLES))
        monitor = [str(ROOT / ".venv" / "bin" / "python"), "-m", "monitor"]
        for run in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                config = write_config(Path(tmp), feeds)
                env = {**os.environ, "MONITOR_CONFIG": str(config)}
                wall, rss, out = run_with_rss([*monitor, "-q", "poll"], env)
                results["monitor-cold"].append(wall)
                results["monitor-rss"].append(rss)
                with sqlite3.connect(Path(tmp) / "monitor.db") as db:
                    stored.append(db.execute(
                        "select count(*), sum(candidate), sum(relevant), "
                        f"sum(title in ({on_topic})), sum(relevant and title in ({on_topic})) from article",
                        [*TOPIC_TITLES, *TOPIC_TITLES]).fetchone())
                wall, rss2, out2 = run_with_rss([*monitor, "-q", "poll"], env)
                results["monitor-304"].append(wall)
                results["monitor-rss"].append(rss2)
                if run == 0:
                    print("monitor poll (cold):", out.strip().splitlines()[-1] if out.strip() else "")
                    print("monitor poll (304): ", out2.strip().splitlines()[-1] if out2.strip() else "")
            _w, _r, ref = run_with_rss([str(BENCH_PYTHON), str(SHARED_BENCH / "run_async.py"), "--base", base,
                                        "--client", "aiohttp", "--concurrency", "32", "--parse", "fastfeedparser"])
            data = json.loads(re.search(r"RESULT (\{.*\})", ref).group(1))  # type: ignore[union-attr]
            results["reference-cold"].append(data["poll1_s"])
            results["reference-304"].append(data["poll2_s"])
            if args.reader:
                _w, _r, rd = run_with_rss([str(BENCH_PYTHON), str(SHARED_BENCH / "run_reader.py"), "--base", base,
                                           "--workers", "32", "--polls", "1"])
                results["reader-cold"].append(json.loads(re.search(r"RESULT (\{.*\})", rd).group(1))["poll1_s"])  # type: ignore[union-attr]
            print(f"run {run + 1}/{args.runs} done", file=sys.stderr)
    finally:
        server.terminate()
        server.wait()

    print(f"\n{args.n} feeds, {args.latency_ms} ms latency, {args.runs} runs, median (min–max), seconds")
    for key, values in results.items():
        if values:
            unit = "MB" if key.endswith("rss") else "s"
            print(f"  {key:<16} {summary(values)} {unit}")
    cold, ref_cold = statistics.median(results["monitor-cold"]), statistics.median(results["reference-cold"])
    warm, ref_warm = statistics.median(results["monitor-304"]), statistics.median(results["reference-304"])
    print(f"  ratio cold  monitor/reference = {cold / ref_cold:.2f} (goal ≤ 2)")
    print(f"  ratio 304   monitor/reference = {warm / ref_warm:.2f} (goal ≤ 1.5)")
    if results["reader-cold"]:
        print(f"  reader/monitor cold = {statistics.median(results['reader-cold']) / cold:.1f}× (goal ≥ 10)")
    articles, candidates, relevant, topical, found = stored[0]
    print(f"  stored per cold poll: {articles} articles, {candidates} candidates, {relevant} relevant; "
          f"{found} of the {topical} with an on-topic title judged relevant, {relevant - found} others")


if __name__ == "__main__":
    main()
