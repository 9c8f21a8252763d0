"""Fit the learned looks (learned.py) on labelled sets, and check them by leaving each set out.

    python -m monitor.engine.train --set ../shared/devset/articles.jsonl \\
        --set tests/data/eval/articles.jsonl ... [--fold] [--write]

For each set: without the model, and with a model fitted on the *other* sets, both scored by the
shared scorer (../shared/eval/score.py). The second figure is the estimate for coverage the model
has not seen. --write then fits on every set and writes news_model.json (with --fold: fold_model.json,
the look at lone items, fitted with the shipped news model in place).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from monitor.config import load_config
from monitor.engine import diff_articles, make_engine
from monitor.engine.learned import FEATURES, FOLD_FEATURES, FOLD_MODEL_PATH, MODEL_PATH, LogisticModel, fit

SCORER = Path(__file__).resolve().parents[3] / "shared" / "eval" / "score.py"


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def shipped_fold_model() -> LogisticModel | None:
    """The shipped fold model, or None when it is missing or was fitted on other features (refit it with --fold)."""
    try:
        return LogisticModel.load(FOLD_MODEL_PATH, FOLD_FEATURES)
    except ValueError:
        print(f"{FOLD_MODEL_PATH.name} was fitted on other features: figures without it", file=sys.stderr)
        return None


class Trainer:
    def __init__(self, config_path: str, topic_id: str, l2: float):
        self.config = load_config(config_path)
        self.topic = self.config.get_topic(topic_id)
        self.l2 = l2
        self.in_place = self.model_in_place()  # loaded once for every run

    @staticmethod
    def model_in_place() -> LogisticModel | None:
        """The other shipped model, kept in place while this one is refitted: the fold model."""
        return shipped_fold_model()

    def run(self, articles: list[dict], model: LogisticModel | None, log: list | None = None) -> list[dict]:
        engine = make_engine(self.config, self.topic, learned=False)
        engine.news_model, engine.evidence_log = model, log
        engine.fold_model = self.in_place
        return list(diff_articles(engine, articles))

    def rows(self, articles: list[dict]) -> tuple[np.ndarray, np.ndarray]:
        """Features of the sentences the rules called known, new or background in relevant articles, and
        whether the labels call each news (new or update)."""
        log: list = []
        results = self.run(articles, None, log)
        texts = {r["id"]: [s["text"].strip() for s in r["sentences"]] for r in results}
        gold = {(a["id"], s["text"].strip()): s["label"] for a in articles for s in a.get("sentences", [])}
        xs, ys = [], []
        for article_id, index, row in log:
            label = gold.get((article_id, texts[article_id][index]))
            if label is None or label == "offtopic":
                continue
            xs.append(row)
            ys.append(label in ("new", "update"))
        return np.array(xs, dtype=np.float64).reshape(-1, len(FEATURES)), np.array(ys, dtype=bool)

    def fit(self, sets: list[list[dict]]) -> tuple[LogisticModel, int]:
        rows = [self.rows(a) for a in sets]
        y = np.concatenate([y for _, y in rows])
        return fit(np.vstack([x for x, _ in rows]), y, l2=self.l2), len(y)


class FoldTrainer(Trainer):
    """The look at lone items: each logged lone item is a fold (yes) when its development is not an item of its
    own by the labels, i.e. most of its sentences are not news, or its event is already another development's."""

    THRESHOLD = 0.6  # folding a real item loses it from the digest: fold only when fairly sure

    @staticmethod
    def model_in_place() -> LogisticModel | None:
        """The fold model is fitted with the shipped news model in place."""
        return LogisticModel.load()

    def run(self, articles: list[dict], model: LogisticModel | None, log: list | None = None) -> list[dict]:
        engine = make_engine(self.config, self.topic, learned=False)
        engine.news_model = self.in_place
        engine.fold_model, engine.fold_log = model, log
        return list(diff_articles(engine, articles))

    def examples(self, articles: list[dict]) -> tuple[list[dict], list, np.ndarray]:
        """The results without the model, the logged lone items (article id, lone id, main id, features) and
        whether each should fold."""
        log: list = []
        results = self.run(articles, None, log)
        gold = {(a["id"], s["text"].strip()): s for a in articles for s in a.get("sentences", [])}
        members: dict[str, list] = {}
        for r in results:
            for s in r["sentences"]:
                if s["development"]:
                    g = gold.get((r["id"], s["text"].strip()), {})
                    members.setdefault(s["development"], []).append(
                        g.get("dev") if g.get("label") in ("new", "update") else None)
        def event(dev_id: str) -> str | None:  # the labels' development it stands for, as the scorer reads it
            counts = Counter(m for m in members.get(dev_id, []) if m)
            return counts.most_common(1)[0][0] if counts and 2 * sum(counts.values()) >= len(members[dev_id]) else None
        sizes: dict[str, list[int]] = {}
        for dev_id in members:
            e = event(dev_id)
            if e:
                sizes.setdefault(e, []).append(len(members[dev_id]))
        ys = []
        for _, dev_id, _, _ in log:
            e = event(dev_id)
            ys.append(e is None or (len(sizes[e]) > 1 and len(members[dev_id]) < max(sizes[e])))
        return results, log, np.array(ys, dtype=bool)

    def fit(self, sets: list[tuple[list, np.ndarray]]) -> tuple[LogisticModel, int]:
        x = np.array([row for log, _ in sets for *_, row in log], dtype=np.float64).reshape(-1, len(FOLD_FEATURES))
        y = np.concatenate([y for _, y in sets])
        return fit(x, y, l2=self.l2, threshold=self.THRESHOLD, features=FOLD_FEATURES), len(y)

    @staticmethod
    def folded(results: list[dict], log: list, model: LogisticModel) -> list[dict]:
        """The results as the model would have left them: each folded line in its article's main development, or
        where that main was folded in turn (a lone item in a later article), in the development it went to."""
        moves = {}
        if log:
            for (_, dev_id, main, _), yes in zip(log, model.yes([row for *_, row in log]), strict=True):
                if yes:
                    moves[dev_id] = main

        def landing(dev_id: str | None) -> str | None:
            seen = set()
            while dev_id in moves and dev_id not in seen:
                seen.add(dev_id)
                dev_id = moves[dev_id]
            return dev_id

        return [{**r, "sentences": [{**s, "development": landing(s["development"])} for s in r["sentences"]]}
                for r in results]


METRICS = ("development", "digest_sentences", "relevance", "update", "known_suppressed", "dedup")


def score(gold_path: Path, results: list[dict], scorer: Path = SCORER) -> tuple[dict[str, float], str]:
    """The scorer's six figures (METRICS) for these results, and its one-line summary."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        f.write("".join(json.dumps(r) + "\n" for r in results))
    out = subprocess.run([sys.executable, str(scorer), "--gold", str(gold_path), "--pred", f.name, "--json"],
                         capture_output=True, text=True, check=True).stdout
    Path(f.name).unlink()
    data = json.loads(out[: out.rindex("}") + 1])
    figures = {m: float(data[m] if m == "known_suppressed" else data[m]["f1"]) for m in METRICS}
    return figures, out.strip().splitlines()[-1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m monitor.engine.train", description=__doc__.split("\n")[0])
    ap.add_argument("--config", default="config/monitor.toml")
    ap.add_argument("--topic", default="xi-putin")
    ap.add_argument("--set", dest="sets", action="append", required=True, type=Path, help="labelled JSONL")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--scorer", type=Path, default=SCORER, help="the shared scorer, score.py")
    ap.add_argument("--write", action="store_true", help=f"fit on every set and write {MODEL_PATH.name}")
    ap.add_argument("--fold", action="store_true", help=f"the look at lone items ({FOLD_MODEL_PATH.name}) instead")
    args = ap.parse_args(argv)
    if not args.scorer.exists():
        ap.error(f"scorer not found: {args.scorer} (give --scorer)")
    sets = {path: read(path) for path in args.sets}
    if args.fold:
        return fold_main(FoldTrainer(args.config, args.topic, args.l2), sets, args)
    trainer = Trainer(args.config, args.topic, args.l2)
    print("each set left out: rules alone | rules + model fitted on the other sets\n"
          "(development F1, sentence F1, relevance F1, update F1, known suppressed, dedup F1)")
    totals = np.zeros((2, 6))
    for path, articles in sets.items():
        model, _ = trainer.fit([a for p, a in sets.items() if p != path])
        (rules, rules_line), (learned, learned_line) = (score(path, trainer.run(articles, m), args.scorer)
                                                         for m in (None, model))
        totals += [[rules[m] for m in METRICS], [learned[m] for m in METRICS]]
        print(f"{path}\n  rules  {rules_line}\n  model  {learned_line}")
    _print_means(("rules", "model"), totals / len(sets))
    if args.write:
        model, n = trainer.fit(list(sets.values()))
        _write_model(MODEL_PATH, model, FEATURES, f"{n} labelled sentences")
    return 0


def fold_main(trainer: FoldTrainer, sets: dict[Path, list[dict]], args: argparse.Namespace) -> int:
    """Leave each set out: its lone items decided by a model fitted on the other sets, applied to its results."""
    examples = {path: trainer.examples(articles) for path, articles in sets.items()}
    print("each set left out: without folding | folding by a model fitted on the other sets\n"
          "(development F1, sentence F1, relevance F1, update F1, known suppressed, dedup F1)")
    totals = np.zeros((2, 6))
    for path, (results, log, _) in examples.items():
        model, _ = trainer.fit([(lg, y) for p, (_, lg, y) in examples.items() if p != path])
        (plain, plain_line), (folded, folded_line) = (
            score(path, r, args.scorer) for r in (results, trainer.folded(results, log, model)))
        totals += [[plain[m] for m in METRICS], [folded[m] for m in METRICS]]
        print(f"{path}\n  as is   {plain_line}\n  folded  {folded_line}")
    _print_means(("as is ", "folded"), totals / len(sets))
    if args.write:
        model, n = trainer.fit([(lg, y) for _, lg, y in examples.values()])
        _write_model(FOLD_MODEL_PATH, model, FOLD_FEATURES, f"{n} lone items")
    return 0


def _print_means(names: tuple[str, str], means: np.ndarray) -> None:
    for name, row in zip(names, means, strict=True):
        print(f"mean {name}  " + " | ".join(f"{v:.3f}" for v in row))


def _write_model(path: Path, model: LogisticModel, features: Sequence[str], fitted_on: str) -> None:
    """Write the refitted model where the engine loads it from, and show its weights, largest first."""
    path.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path} from {fitted_on}; weights:")
    width = max(map(len, features)) + 2
    for feature, w in sorted(zip(features, model.weights, strict=True), key=lambda t: -abs(t[1])):
        print(f"  {feature:<{width}} {w:+.2f}")


if __name__ == "__main__":
    sys.exit(main())
