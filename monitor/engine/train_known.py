"""Fit the learned second look (learned.py) on labelled sets and check it by leaving each set out.

    python -m monitor.engine.train_known --config config/monitor.toml --topic xi-putin \\
        --set ../shared/devset/articles.jsonl --set tests/data/eval/articles.jsonl ... [--write]

For each set: the rules alone, and the rules plus a model fitted on the *other* sets, both scored
by the shared scorer (../shared/eval/score.py); the second figure is the estimate of how the model
does on coverage it has not seen. --write then fits on every set and writes known_model.json.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from monitor.config import load_config
from monitor.engine import diff_articles
from monitor.engine.learned import FEATURES, MODEL_PATH, KnownModel, fit
from monitor.poll import make_engine

SCORER = Path(__file__).resolve().parents[3] / "shared" / "eval" / "score.py"


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run(config, topic, articles: list[dict], model: KnownModel | None, log: list | None = None) -> list[dict]:
    engine = make_engine(config, topic)
    engine.known_model = model
    engine.evidence_log = log
    return list(diff_articles(engine, articles))


def rows_of(config, topic, articles: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Features of the sentences the rules called known/new/background in gold-relevant articles, and
    whether each is news (gold new or update)."""
    log: list = []
    results = run(config, topic, articles, None, log)
    texts = {r["id"]: [s["text"] for s in r["sentences"]] for r in results}
    gold = {(a["id"], s["text"].strip()): s["label"] for a in articles for s in a.get("sentences", [])}
    xs, ys = [], []
    for article_id, index, row, _rule in log:
        label = gold.get((article_id, texts[article_id][index].strip()))
        if label is None or label == "offtopic":
            continue
        xs.append(row)
        ys.append(label in ("new", "update"))
    return np.array(xs, dtype=np.float64), np.array(ys, dtype=bool)


def score(gold_path: Path, results: list[dict]) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.write("".join(json.dumps(r) + "\n" for r in results))
    out = subprocess.run([sys.executable, str(SCORER), "--gold", str(gold_path), "--pred", f.name],
                         capture_output=True, text=True, check=True).stdout
    Path(f.name).unlink()
    return out.strip().splitlines()[-1]


def figures(line: str) -> tuple[float, ...]:
    return tuple(float(x) for x in re.findall(r"(?:F1|suppressed) (\d\.\d+)", line))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m monitor.engine.train_known", description=__doc__.split("\n")[0])
    ap.add_argument("--config", default="config/monitor.toml")
    ap.add_argument("--topic", default="xi-putin")
    ap.add_argument("--set", dest="sets", action="append", required=True, type=Path, help="labelled JSONL")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--write", action="store_true", help=f"fit on every set and write {MODEL_PATH.name}")
    args = ap.parse_args(argv)
    config = load_config(args.config)
    topic = config.get_topic(args.topic)
    sets = {path: read(path) for path in args.sets}
    data = {path: rows_of(config, topic, articles) for path, articles in sets.items()}
    print("set: rules alone -> rules + model fitted on the other sets "
          "(dev F1, sentence F1, relevance, update, known suppressed, dedup)")
    totals = np.zeros((2, 6))
    for path, articles in sets.items():
        others = [p for p in sets if p != path]
        x = np.vstack([data[p][0] for p in others])
        y = np.concatenate([data[p][1] for p in others])
        model = fit(x, y, l2=args.l2)
        model = KnownModel(model.mean, model.scale, model.weights, model.bias, args.threshold)
        before = score(path, run(config, topic, articles, None))
        after = score(path, run(config, topic, articles, model))
        totals += [figures(before), figures(after)]
        print(f"{path}  ({len(data[path][1])} sentences)\n  rules: {before}\n  model: {after}")
    mean = totals / len(sets)
    print("mean  rules: " + " | ".join(f"{v:.3f}" for v in mean[0]))
    print("mean  model: " + " | ".join(f"{v:.3f}" for v in mean[1]))
    if args.write:
        x = np.vstack([d[0] for d in data.values()])
        y = np.concatenate([d[1] for d in data.values()])
        model = fit(x, y, l2=args.l2)
        model = KnownModel(model.mean, model.scale, model.weights, model.bias, args.threshold)
        MODEL_PATH.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH} from {len(y)} sentences ({int(y.sum())} news)")
        for name, w in sorted(zip(FEATURES, model.weights), key=lambda t: -abs(t[1])):
            print(f"  {name:<24} {w:+.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
