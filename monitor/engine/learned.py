"""Two learned looks: at the sentences the rules call `new` (news, or a restatement in other words?), and at
the lone items an article reports beside its main development (an item of its own, or a line to fold in?).

Why: the rules' thresholds were set by hand on a few labelled sets, and on coverage written
independently of them half the restatements in other words came out as `new`. A logistic model
over the rules' own evidence (similarity to the baseline by two channels, fresh cues, tense, time
references, the article's character), fitted on every labelled set the project has and checked by
leaving each set out in turn (train.py), weighs that evidence better than fixed thresholds.
Pure numpy; the weights are small JSON files shipped with the package (news_model.json, fold_model.json).

The second model: a development an article opens with one sentence and never comes back to is, in the
labelled sets, as often a mention of a development already reported elsewhere, or a line of context taken
for news, as an item of its own; each such item stands in the digest as one more development. The model
weighs the sentence's evidence, its closeness to what was reported before and to the article's main
development, and the article's shape, and folds the line into that main development when it is likely not
an item of its own (Engine._fold_lone_items).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).with_name("news_model.json")
FOLD_MODEL_PATH = Path(__file__).with_name("fold_model.json")

# per sentence (Labeller.evidence), then per article (Engine._second_look); the order is the weights' order
FEATURES = (
    "char_similarity", "paraphrase_similarity", "shared_content", "paraphrase_overlap",
    "novel_names", "has_number", "new_speaker", "event_verb", "reported_now", "planned", "not_yet",
    "hypothetical", "negated", "later_time", "earlier_time", "present_tense", "quote", "words",
    "rule_known", "rule_new", "rule_background", "rule_weak",
    "article_known_share", "position", "first_sentence", "days_after_baseline", "before_events",
)
SENTENCE_FEATURES = FEATURES[:22]  # what Labeller.evidence gives for one sentence
# per lone item (Engine._fold_lone_items): the sentence's evidence, then what the engine knows around it
FOLD_FEATURES = (
    *SENTENCE_FEATURES,
    "news_probability", "older_similarity", "older_content", "article_similarity", "main_similarity",
    "main_content", "main_share", "dated_before", "recalled", "looks_back", "is_update", "fold_position",
    "first_flagged", "log_words", "article_developments", "flagged_share", "unknown_names", "named_speaker",
    "quoted", "fold_days_after_baseline", "after_flagged", "before_flagged", "event_kind", "planned_happening",
    "fresh", "verdict_similarity", "title_similarity", "log_sentences", "known_share",
)


@dataclass(frozen=True, slots=True)
class LogisticModel:
    """Standardise, weigh, squash: the probability that a sentence is news."""
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float = 0.5
    features: tuple[str, ...] = FEATURES

    def p(self, rows: np.ndarray) -> np.ndarray:
        z = ((rows - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def yes(self, rows: list[list[float]]) -> np.ndarray:
        return self.p(np.array(rows, dtype=np.float64)) >= self.threshold

    def to_json(self) -> dict:
        return {"features": list(self.features), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "weights": self.weights.tolist(), "bias": self.bias, "threshold": self.threshold}

    @classmethod
    def from_json(cls, data: dict, features: tuple[str, ...] = FEATURES) -> LogisticModel:
        if tuple(data["features"]) != features:
            raise ValueError("a model was fitted on other features: run python -m monitor.engine.train")
        return cls(np.array(data["mean"], dtype=np.float64), np.array(data["scale"], dtype=np.float64),
                   np.array(data["weights"], dtype=np.float64), float(data["bias"]), float(data["threshold"]),
                   features)

    @classmethod
    def load(cls, path: Path = MODEL_PATH, features: tuple[str, ...] = FEATURES) -> LogisticModel | None:
        """The shipped model, or None (the rules alone) when its file is missing."""
        if not path.exists():
            return None
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")), features)


def fit(rows: np.ndarray, yes: np.ndarray, *, l2: float = 1.0, steps: int = 3000, lr: float = 0.1,
        threshold: float = 0.5, features: tuple[str, ...] = FEATURES) -> LogisticModel:
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
    return LogisticModel(mean, scale, w, float(b), threshold, features)


def days_feature(days: float | None) -> float:
    return math.log1p(max(days, 0.0)) if days is not None else 0.0
