"""Benchmark: feeds polled per minute by 1, 2 and 3 `monitor run` workers on one PostgreSQL.

All runs poll the same loopback feeds from ../shared/bench/feedserver.py (default
6,000 feeds, 100 ms latency per response). The server answers with
Cache-Control: max-age=60, which monitor honours, so each feed is due once a
minute whatever poll_every says: the demand is N feeds per minute. Each worker
has [fetch] concurrency = per_host = 4 (per_host's default; the loopback server
is a single host), so one worker can fetch about 4 / 0.1 s = 2,400 feeds a
minute and cannot keep up alone. The first poll of every feed (parsing ~330,000
items into the database) is done once, into a template database; each run
starts from a copy of it with every feed due, starts N workers with the same
config, lets them settle for --warmup seconds, then counts the feed requests the
server answers during --seconds (its /_control/stats). Feeds do not change
unless --change-fraction is given, so steady-state polls are conditional GETs
answered 304: what is measured is claiming, fetching and recording, the part of
a poll that more workers share out.

    .venv/bin/python bench/bench_workers.py                      # 1, 2, 3 workers, once each
    .venv/bin/python bench/bench_workers.py --repeats 3          # median of three runs each
    .venv/bin/python bench/bench_workers.py --n 1000 --per-host 32 --concurrency 32   # demand-bound

Needs PostgreSQL (MONITOR_TEST_POSTGRES_URL, default
postgresql+psycopg://postgres@127.0.0.1:5432/test; databases bench_workers_* are
created and dropped). Binds and contacts 127.0.0.1 only. Prints a table and one
line "RESULT {json}".
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FEEDSERVER = ROOT.parent / "shared" / "bench" / "feedserver.py"
BASELINE = ROOT / "config" / "baselines" / "xi-jinping-meets-putin.txt"
POSTGRES_URL = os.environ.get("MONITOR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as c:
        c.execute(sql)


def db_url(name: str) -> str:
    return POSTGRES_URL.rpartition("/")[0] + "/" + name


def sql(name: str, statement: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(db_url(name).replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as c:
        cur = c.execute(statement)
        return cur.fetchall() if cur.description else []


def write_config(folder: Path, name: str, feeds: list[str], a: argparse.Namespace, worker: str) -> Path:
    path = folder / f"{name}-{worker}.toml"
    feed_list = ",\n  ".join(f'"{f}"' for f in feeds)
    path.write_text(f"""
[database]
url = "{db_url(name)}"
[fetch]
allow_private_networks = true
full_text = false
concurrency = {a.concurrency}
per_host = {a.per_host}
timeout = 30
user_agent = "monitor-bench-{worker}"
[email]
outbox = "outbox"
[[topic]]
id = "bench"
name = "Bench"
baseline = "{BASELINE}"
feeds = [
  {feed_list}
]
poll_every = "{a.poll_every}"
terms = ["Xi Jinping", "Putin", "Xi", "Kremlin"]
[topic.digest]
schedule = "0 7 * * *"
""", encoding="utf-8")
    return path


def stats(base: str, action: str = "stats") -> dict:
    with urllib.request.urlopen(f"{base}/_control/{action}", timeout=10) as r:
        return json.loads(r.read())


def monitor(*args: str, log: Path | None = None) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    return subprocess.Popen([sys.executable, "-m", "monitor", *args], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=log.open("wb") if log else subprocess.DEVNULL)


def one_run(workers: int, run: int, template: str, folder: Path, feeds: list[str], base: str,
            a: argparse.Namespace) -> dict:
    name = f"bench_workers_{workers}w_{run}"
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        sql(name, "UPDATE feed SET next_poll_at = now(), lease_owner = NULL, lease_expires_at = NULL")
        configs = [write_config(folder, name, feeds, a, f"w{k + 1}") for k in range(workers)]
        logs = [folder / f"{name}-w{k + 1}.log" for k in range(workers)]
        procs = [monitor("--config", str(c), "run", log=log) for c, log in zip(configs, logs, strict=True)]
        try:
            time.sleep(a.warmup)
            stats(base, "reset")
            t0 = time.monotonic()
            time.sleep(a.seconds)
            got = stats(base)
            elapsed = time.monotonic() - t0
            for p, log in zip(procs, logs, strict=True):
                if p.poll() is not None:
                    raise RuntimeError(f"worker exited early:\n{log.read_text()[-2000:]}")
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(60)
                except subprocess.TimeoutExpired:
                    p.kill()
        errors = sum(log.read_text(errors="replace").count(" ERROR ") for log in logs)
        late = sql(name, "SELECT count(*) FROM feed WHERE next_poll_at < now() - interval '5 seconds'")[0][0]
        return {"workers": workers, "per_min": got["requests"] * 60 / elapsed,
                "ok_304": got.get("304", 0), "ok_200": got.get("200", 0), "errors_logged": errors,
                "overdue_at_end": late}
    finally:
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=6000,
                    help="feeds (the server sends max-age=60, so each feed is due once a minute)")
    ap.add_argument("--latency-ms", default="100")
    ap.add_argument("--poll-every", default="10s", help="the topic's poll_every (10s is the shortest allowed)")
    ap.add_argument("--concurrency", type=int, default=4, help="[fetch] concurrency of each worker")
    ap.add_argument("--per-host", type=int, default=4, help="[fetch] per_host of each worker (4: the default)")
    ap.add_argument("--workers", default="1,2,3")
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--warmup", type=float, default=15.0, help="seconds before counting")
    ap.add_argument("--seconds", type=float, default=60.0, help="seconds counted per run")
    ap.add_argument("--change-fraction", type=float, default=0.0,
                    help="fraction of feeds changed every 10 s by the server (0: all 304 after the first poll)")
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up databases and processes
    counts = [int(w) for w in a.workers.split(",")]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server_args = [sys.executable, str(FEEDSERVER), "--port", str(port), "--n", str(a.n), "--latency-ms",
                   a.latency_ms, "--max-seconds", "7200"]
    try:
        import uvloop  # noqa: F401
    except ImportError:
        server_args.append("--no-uvloop")
    if a.change_fraction:
        server_args += ["--change-fraction", str(a.change_fraction), "--tick-seconds", "10"]
    server = subprocess.Popen(server_args, stdout=subprocess.PIPE, text=True)
    template = f"bench_workers_template_{os.getpid()}"
    try:
        line = server.stdout.readline()  # type: ignore[union-attr]
        if not line.startswith("READY"):
            raise SystemExit(f"feed server did not start: {line!r}")
        feeds = [f"{base}/feed/{i}.xml" for i in range(a.n)]
        with tempfile.TemporaryDirectory(prefix="bench-workers-") as tmp:
            folder = Path(tmp)
            admin(f'CREATE DATABASE "{template}"')
            t = time.monotonic()
            fast = argparse.Namespace(**{**vars(a), "concurrency": 32, "per_host": 32})  # setup only
            config = write_config(folder, template, feeds, fast, "template")
            first = monitor("--config", str(config), "-q", "poll", log=folder / "template.log")
            if first.wait() != 0:
                raise SystemExit((folder / "template.log").read_text()[-3000:])
            print(f"first poll of {a.n} feeds into the template database: {time.monotonic() - t:.0f}s "
                  f"({sql(template, 'SELECT count(*) FROM article')[0][0]} articles)", flush=True)
            results: dict[int, list[dict]] = {n: [] for n in counts}
            for run in range(a.repeats):
                for n in counts:
                    r = one_run(n, run, template, folder, feeds, base, a)
                    results[n].append(r)
                    print(f"  run {run + 1}: {n} worker(s): {r['per_min']:.0f} feeds/min "
                          f"(overdue at end {r['overdue_at_end']}, errors logged {r['errors_logged']})",
                          flush=True)
    finally:
        admin(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
        server.send_signal(signal.SIGTERM)
        server.wait(30)

    demand = a.n * 60 / max(_seconds(a.poll_every), 60)  # the server's max-age=60 is a floor
    print(f"\n{a.n} loopback feeds, {a.latency_ms} ms latency, poll_every {a.poll_every} "
          f"(demand {demand:.0f} polls/min), concurrency {a.concurrency}, per_host {a.per_host}, "
          f"{a.seconds:.0f} s counted after {a.warmup:.0f} s, {os.cpu_count()} CPUs, "
          f"median of {a.repeats}")
    print("| workers | feeds polled / min | vs 1 worker | share of demand |\n|---|---|---|---|")
    one = statistics.median(r["per_min"] for r in results[counts[0]])
    summary = []
    for n in counts:
        med = statistics.median(r["per_min"] for r in results[n])
        summary.append({"workers": n, "per_min": round(med), "runs": [round(r["per_min"]) for r in results[n]]})
        print(f"| {n} | {med:,.0f} | {med / one:.2f}x | {med / demand:.0%} |")
    print("RESULT " + json.dumps({"n": a.n, "latency_ms": a.latency_ms, "poll_every": a.poll_every,
                                  "concurrency": a.concurrency, "per_host": a.per_host, "demand_per_min": demand,
                                  "results": summary}))


def _seconds(duration: str) -> float:
    return float(duration[:-1]) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[duration[-1]]


if __name__ == "__main__":
    main()
