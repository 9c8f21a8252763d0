"""Benchmark of monitor's fetch + parse layer against the shared loopback feed server.

Two parts, comparable with ../shared/research/performance.md:

1. parse only (no network), on feedgen.py's deterministic feeds: raw
   fastfeedparser, monitor.parse.parse_feed (fast path + normalisation), raw
   feedparser and monitor's normalised feedparser path (on a sample: it is slow);
2. two polls through monitor.fetch.Fetcher against ../shared/bench/feedserver.py:
   poll 1 (all 200s, parse_feed in a thread, as monitor/poll.py does) and poll 2
   (conditional GETs, all 304s).

    .venv/bin/python bench/bench_poll_fetch.py --n 1000 --latency-ms 0
    .venv/bin/python bench/bench_poll_fetch.py --n 1000 --latency-ms 100 --skip-parse

Prints one line "RESULT {json}" at the end. Binds and contacts 127.0.0.1 only.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_BENCH = ROOT.parent / "shared" / "bench"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(SHARED_BENCH))

from monitor import parse as P  # noqa: E402
from monitor.fetch import Fetcher, FetchLimits  # noqa: E402
from monitor.parse import parse_feed  # noqa: E402

log = logging.getLogger("bench")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _best_of(runs: int, fn) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def bench_parse(n: int, sample: int, runs: int) -> dict[str, object]:
    import fastfeedparser
    import feedgen
    import feedparser

    feeds = [feedgen.feed(1, i)[0] for i in range(n)]
    items = sum(feedgen.feed(1, i)[2] for i in range(n))
    mb = sum(map(len, feeds)) / 1e6
    url = "http://127.0.0.1:8765/feed.xml"
    parse_feed(feeds[0], url)  # warm-up: imports
    fastfeedparser.parse(feeds[0])

    raw_fast = _best_of(runs, lambda: [fastfeedparser.parse(b) for b in feeds])
    ours_fast = _best_of(runs, lambda: [parse_feed(b, url) for b in feeds])
    sub = feeds[:sample]
    sub_items = sum(feedgen.feed(1, i)[2] for i in range(sample))
    prepared = [P._prepare(b, url, None)[0] for b in sub]
    raw_fp = _best_of(1, lambda: [feedparser.parse(b) for b in sub])
    ours_fp = _best_of(1, lambda: [P._from_feedparser(b, url) for b in prepared])
    t = time.perf_counter()
    P._parse_with_feedparser_sandboxed(prepared[0], url)
    sandbox_one = time.perf_counter() - t
    out = {
        "feeds": n, "items": items, "mb": round(mb, 2),
        "fastfeedparser_raw_s": round(raw_fast, 3),
        "fastfeedparser_raw_items_per_s": round(items / raw_fast),
        "parse_feed_fast_s": round(ours_fast, 3),
        "parse_feed_fast_items_per_s": round(items / ours_fast),
        "parse_feed_fast_mb_per_s": round(mb / ours_fast, 1),
        "feedparser_sample_feeds": sample,
        "feedparser_raw_items_per_s": round(sub_items / raw_fp),
        "feedparser_normalised_items_per_s": round(sub_items / ours_fp),
        "fast_vs_feedparser_normalised": round((items / ours_fast) / (sub_items / ours_fp), 1),
        "sandboxed_fallback_one_feed_s": round(sandbox_one, 3),
    }
    print(f"parse: {n} feeds, {items} items, {mb:.1f} MB")
    print(f"  fastfeedparser raw        {raw_fast:7.3f} s  {items / raw_fast:9,.0f} items/s")
    print(f"  parse_feed (fast path)    {ours_fast:7.3f} s  {items / ours_fast:9,.0f} items/s  "
          f"{mb / ours_fast:.1f} MB/s")
    print(f"  feedparser raw ({sample} feeds)  {raw_fp:7.3f} s  {sub_items / raw_fp:9,.0f} items/s")
    print(f"  feedparser normalised     {ours_fp:7.3f} s  {sub_items / ours_fp:9,.0f} items/s")
    print(f"  one sandboxed fallback parse (process start included): {sandbox_one:.3f} s")
    return out


def start_server(n: int, latency_ms: str) -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, str(SHARED_BENCH / "feedserver.py"), "--port", str(_free_port()),
         "--n", str(n), "--latency-ms", latency_ms, "--max-seconds", "600", "--no-uvloop"],
        stdout=subprocess.PIPE, text=True, cwd=str(SHARED_BENCH),
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    if not line.startswith("READY"):
        server.kill()
        raise SystemExit(f"feed server did not start: {line!r}")
    return server, line.split()[1]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def poll_twice(base: str, n: int, concurrency: int) -> dict[str, object]:
    urls = [f"{base}/feed/{i}.xml" for i in range(n)]
    limits = FetchLimits(concurrency=concurrency, per_host=concurrency, allow_private_networks=True)
    validators: dict[str, tuple[str | None, str | None]] = {}
    out: dict[str, object] = {}
    async with Fetcher(limits) as fetcher:

        async def one(url: str, conditional: bool) -> tuple[int | None, int]:
            etag, lm = validators.get(url, (None, None)) if conditional else (None, None)
            r = await fetcher.fetch_feed(url, etag=etag, last_modified=lm)
            validators[url] = (r.etag, r.last_modified)
            if r.status == 200 and r.body is not None:
                parsed = await asyncio.to_thread(parse_feed, r.body, r.final_url,
                                                 content_type=r.content_type)
                return r.status, len(parsed.entries)
            return r.status, 0

        for label, conditional in (("poll1", False), ("poll2", True)):
            cpu, t = _cpu(), time.perf_counter()
            results = await asyncio.gather(*(one(u, conditional) for u in urls))
            wall, cpu = time.perf_counter() - t, _cpu() - cpu
            statuses: dict[str, int] = {}
            for status, _ in results:
                statuses[str(status)] = statuses.get(str(status), 0) + 1
            items = sum(k for _, k in results)
            out[f"{label}_s"] = round(wall, 3)
            out[f"{label}_cpu_s"] = round(cpu, 3)
            out[f"{label}_statuses"] = statuses
            out[f"{label}_items"] = items
            print(f"{label}: {wall:6.3f} s wall, {cpu:6.3f} s CPU, {statuses}, "
                  f"{items} items parsed, "
                  f"{n / wall:,.0f} feeds/s")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--latency-ms", default="0")
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--feedparser-sample", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-parse", action="store_true")
    ap.add_argument("--skip-poll", action="store_true")
    a = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    result: dict[str, object] = {"n": a.n, "latency_ms": a.latency_ms, "concurrency": a.concurrency}
    if not a.skip_parse:
        result["parse"] = bench_parse(a.n, min(a.feedparser_sample, a.n), a.runs)
    if not a.skip_poll:
        server, base = start_server(a.n, a.latency_ms)
        try:
            result["poll"] = asyncio.run(poll_twice(base, a.n, a.concurrency))
        finally:
            server.terminate()
            server.wait(10)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(f"peak RSS {result['peak_rss_mb']} MB (pid {os.getpid()})")
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
