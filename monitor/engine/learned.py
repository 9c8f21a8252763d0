"""A learned second look at the sentences the rules call `new`: news, or a restatement in other words?

Why: the rules' thresholds were set by hand on a few labelled sets, and on coverage written
independently of them half the restatements in other words came out as `new`. A logistic model
over the rules' own evidence (similarity to the baseline by two channels, fresh cues, tense, time
references, the article's character), fitted on every labelled set the project has and checked by
leaving each set out in turn (train.py), weighs that evidence better than fixed thresholds.
Pure numpy; the weights are a small JSON file shipped with the package (news_model.json).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("news_model.json")

# per sentence (Labeller.evidence), then per article (Engine._second_look); the order is the weights' order
FEATURES = (
    "char_similarity", "paraphrase_similarity", "shared_content", "paraphrase_overlap",
    "novel_names", "has_number", "new_speaker", "event_verb", "reported_now", "planned", "not_yet",
    "hypothetical", "negated", "later_time", "earlier_time", "present_tense", "quote", "words",
    "rule_known", "rule_new", "rule_background", "rule_weak",
    "article_known_share", "position", "first_sentence", "days_after_baseline", "before_events",
)


@dataclass(frozen=True, slots=True)
class LogisticModel:
    """Standardise, weigh, squash: the probability that a sentence is news."""
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float = 0.5

    def p(self, rows: np.ndarray) -> np.ndarray:
        z = ((rows - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def yes(self, rows: list[list[float]]) -> np.ndarray:
        return self.p(np.array(rows, dtype=np.float64)) >= self.threshold

    def to_json(self) -> dict:
        return {"features": list(FEATURES), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "weights": self.weights.tolist(), "bias": self.bias, "threshold": self.threshold}

    @classmethod
    def from_json(cls, data: dict) -> LogisticModel:
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{MODEL_PATH.name} was fitted on other features: run python -m monitor.engine.train")
        return cls(np.array(data["mean"], dtype=np.float64), np.array(data["scale"], dtype=np.float64),
                   np.array(data["weights"], dtype=np.float64), float(data["bias"]), float(data["threshold"]))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> LogisticModel | None:
        """The shipped model, or None (the rules alone) when its file is missing."""
        if not path.exists():
            return None
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))


def fit(rows: np.ndarray, yes: np.ndarray, *, l2: float = 1.0, steps: int = 3000, lr: float = 0.1,
        threshold: float = 0.5) -> LogisticModel:
    """L2-regularised logistic regression by full-batch gradient descent (a few thousand rows at most)."""
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale < 1e-9] = 1.0
    x = (rows - mean) / scale
    y = yes.astype(np.float64)
    w = np.zeros(x.shape[1])
    b = 0.0
    n = len(y)
    for _ in range(steps):
        g = 1.0 / (1.0 + np.exp(-(x @ w + b))) - y
        w -= lr * (x.T @ g / n + l2 * w / n)
        b -= lr * g.sum() / n
    return LogisticModel(mean, scale, w, float(b), threshold)


def days_feature(days: float | None) -> float:
    return math.log1p(max(days, 0.0)) if days is not None else 0.0
