"""Benchmark the diff engine: articles/s including start-up, gate entries/s, peak RSS.

    .venv/bin/python bench/bench_diff.py [--runs 5] [--copies 20] [--feed-items 20000]

The engine figure runs the whole `monitor diff --topic xi-putin` command (the
shipped config: its aliases, terms, exclusions and the learned second look) as a
subprocess over the devset repeated with fresh ids (400 articles by default), so
interpreter start, imports, config and baseline preparation are included: as shipped
(worker processes, one per CPU, at most 4) and in one process (`--workers 1`); the bare
engine (`python -m monitor.engine`, no config, no learned model, one process) runs
alternately with them as a reference. Medians of several runs are printed.

The candidate figure replays synthetic world-news feed items (../shared/bench/feedgen.py)
through the gate and times analyse() on the candidates, with the early exit for entries
that cannot be relevant and without it (title as title, the feed's summary as the body,
as the daemon does when a feed carries only a summary).
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEVSET = SHARED / "devset" / "articles.jsonl"
BASELINE = SHARED / "baseline" / "xi-jinping-meets-putin.txt"


def make_input(copies: int, directory: Path) -> tuple[Path, list[dict]]:
    articles = [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = []
    for c in range(copies):
        for a in articles:
            b = dict(a)
            b["id"] = f"{a['id']}-r{c}"
            b["url"] = f"{a['url']}?r={c}"
            out.append(b)
    path = directory / "bench-articles.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in out), encoding="utf-8")
    return path, out


def _monitor_diff(path: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "monitor", "--config", str(REPO / "config" / "monitor.toml"), "diff",
            "--topic", "xi-putin", "--articles", str(path), *options]


COMMANDS = {
    "monitor diff": _monitor_diff,
    "monitor diff --workers 1": lambda path: _monitor_diff(path, "--workers", "1"),
    "bare engine": lambda path: [sys.executable, "-m", "monitor.engine", "--baseline", str(BASELINE),
                                 "--articles", str(path)],
}


def bench_engine(path: Path, n_articles: int, runs: int) -> dict[str, tuple[float, list[float]]]:
    """Per command: (median articles/s, every run's seconds), the commands run alternately; and the peak RSS
    (MB) of any run under the key "rss"."""
    seconds: dict[str, list[float]] = {name: [] for name in COMMANDS}
    peak_kb = 0
    for _ in range(runs):
        for name, command in COMMANDS.items():
            start = time.perf_counter()
            subprocess.run(command(path), cwd=REPO, check=True, stdout=subprocess.DEVNULL)
            seconds[name].append(time.perf_counter() - start)
            peak_kb = max(peak_kb, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    out = {name: (n_articles / statistics.median(times), times) for name, times in seconds.items()}
    out["rss"] = (peak_kb / 1024, [])
    return out


def bench_gate(articles: list[dict], runs: int, entries: int = 20000) -> float:
    sys.path.insert(0, str(REPO))
    from monitor.engine import Engine

    engine = Engine(BASELINE.read_text(encoding="utf-8"))
    pairs = [(a["title"], a["summary"]) for a in articles]
    pairs = (pairs * (entries // len(pairs) + 1))[:entries]
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for title, summary in pairs:
            engine.is_candidate(title, summary)
        rates.append(len(pairs) / (time.perf_counter() - start))
    return statistics.median(rates)


def feed_items(n: int) -> list[dict]:
    """`n` items of the synthetic feeds: title, summary (the description's text), published time."""
    import html
    import re

    sys.path.insert(0, str(SHARED / "bench"))
    import feedgen  # type: ignore[import-not-found]

    out: list[dict] = []
    i = 0
    while len(out) < n:
        p = feedgen._profile(1, i)
        p = dict(p, kind="rss", cdata=True)
        for j in range(99, 99 - p["count"], -1):
            it = feedgen._item(1, i, j, p)
            xml = feedgen._fill("rss", p, it)
            desc = re.search(r"<!\[CDATA\[(.*?)\]\]>", xml, re.S)
            text = re.sub(r"<[^>]+>", " ", desc.group(1) if desc else "")
            summary = " ".join(html.unescape(text).split())
            out.append({"id": it["id"], "title": it["title"], "summary": summary, "when": it["when"]})
            if len(out) >= n:
                break
        i += 1
    return out


def bench_candidates(n_items: int, runs: int) -> None:
    """analyse() cost per gate candidate over synthetic feed items, with and without the early exit."""
    sys.path.insert(0, str(REPO))
    from monitor.engine import ArticleIn, Engine

    baseline = BASELINE.read_text(encoding="utf-8")
    items = feed_items(n_items)
    probe = Engine(baseline)
    candidates = [it for it in items if probe.is_candidate(it["title"], it["summary"])]
    print(f"feed items: {len(items):,}; gate candidates: {len(candidates):,} ({len(candidates) / len(items):.1%})")
    for early in (False, True):
        timings, relevant = [], 0
        for _ in range(runs):
            engine = Engine(baseline, early_exit=early)
            start = time.perf_counter()
            relevant = 0
            for it in candidates:
                result = engine.analyse(ArticleIn(it["id"], it["id"], it["title"], it["summary"], it["summary"],
                                                  it["when"], "bench"))
                relevant += result.relevant
            timings.append(time.perf_counter() - start)
        seconds = statistics.median(timings)
        print(f"analyse() {'with' if early else 'without'} early exit: {seconds:.2f} s for {len(candidates):,}"
              f" candidates -> {1e6 * seconds / len(candidates):,.0f} us/candidate; relevant {relevant:,}"
              f" (median of {runs})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--feed-items", type=int, default=20000, help="synthetic feed items for the candidate figure")
    args = ap.parse_args()
    if not DEVSET.exists():
        print(f"devset not found at {DEVSET}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        path, articles = make_input(args.copies, Path(tmp))
        figures = bench_engine(path, len(articles), args.runs)
        for name in COMMANDS:
            rate, times = figures[name]
            print(f"{name} (subprocess, start-up included): {len(articles)} articles, median of {args.runs}"
                  f" -> {rate:.0f} articles/s (runs: {', '.join(f'{len(articles) / t:.0f}' for t in times)})")
        print(f"peak RSS of any run: {figures['rss'][0]:.0f} MB")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import monitor.engine"], cwd=REPO, check=True)
        print(f"import + interpreter start: {time.perf_counter() - start:.2f} s")
        gate = bench_gate(articles, args.runs)
        print(f"is_candidate: {gate:,.0f} entries/s (median of {args.runs})")
    if args.feed_items and (SHARED / "bench" / "feedgen.py").exists():
        bench_candidates(args.feed_items, max(1, min(args.runs, 3)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
