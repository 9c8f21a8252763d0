"""Second look at each sentence the rules called known, new or background: flag it for the digest or not.

Why: the rules' thresholds were set by hand on a few labelled sets, and on coverage written
independently of them restatements in other words came out as `new` (half of them). A logistic
model over the same evidence (similarity to the baseline by two channels, fresh cues, tense, time
references, the article's character), fitted on every labelled set the project has and checked by
leaving each set out in turn (train_known.py), weighs that evidence better than fixed thresholds.
Pure numpy; the weights are a small JSON file shipped with the package.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("known_model.json")

# per sentence (Labeller.evidence) and per article (Engine); the order is the weights' order
SENTENCE_FEATURES = (
    "char_similarity", "paraphrase_similarity", "shared_content", "paraphrase_overlap",
    "novel_names", "has_number", "new_speaker", "event_verb", "reported_now", "planned", "not_yet",
    "hypothetical", "negated", "later_time", "earlier_time", "present_tense", "quote", "words",
    "rule_known", "rule_new", "rule_background", "rule_weak",
)
ARTICLE_FEATURES = ("article_known_share", "position", "first_sentence", "days_after_baseline", "before_events")
FEATURES = SENTENCE_FEATURES + ARTICLE_FEATURES


@dataclass(frozen=True, slots=True)
class KnownModel:
    """Standardise, weigh, squash: P(the sentence is news to the reader)."""
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float = 0.5

    def p_news(self, rows: np.ndarray) -> np.ndarray:
        z = ((rows - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def to_json(self) -> dict:
        return {"features": list(FEATURES), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "weights": self.weights.tolist(), "bias": self.bias, "threshold": self.threshold}

    @classmethod
    def from_json(cls, data: dict) -> KnownModel:
        if tuple(data["features"]) != FEATURES:
            raise ValueError("known_model.json was fitted on other features: run python -m monitor.engine.train_known")
        return cls(np.array(data["mean"], dtype=np.float64), np.array(data["scale"], dtype=np.float64),
                   np.array(data["weights"], dtype=np.float64), float(data["bias"]), float(data["threshold"]))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> KnownModel | None:
        """The shipped model, or None (rules only) when the file is missing."""
        if not path.exists():
            return None
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))


def fit(rows: np.ndarray, news: np.ndarray, *, l2: float = 1.0, steps: int = 3000, lr: float = 0.1,
        weight: np.ndarray | None = None) -> KnownModel:
    """L2-regularised logistic regression by full-batch gradient descent (a few thousand rows)."""
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale < 1e-9] = 1.0
    x = (rows - mean) / scale
    y = news.astype(np.float64)
    sample = np.ones(len(y)) if weight is None else weight
    w = np.zeros(x.shape[1])
    b = 0.0
    n = sample.sum()
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w + b)))
        g = (p - y) * sample
        w -= lr * (x.T @ g / n + l2 * w / n)
        b -= lr * g.sum() / n
    return KnownModel(mean, scale, w, float(b))


def days_feature(days: float | None) -> float:
    return math.log1p(max(days, 0.0)) if days is not None else 0.0
