"""The trained model: linear weights over signal and text features, Platt calibration, thresholds.

The risk score is sigmoid(a * (w . x + c) + b): a calibrated probability that the ad is a lure or
an employment scam. Because it is linear before the sigmoid, each feature's share a * w_j * x_j of
the log-odds is an exact, faithful contribution. The model is stored with skops (no pickle).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import skops.io as sio

MODEL_DIR = Path(__file__).parent / "model"
MODEL_PATH = MODEL_DIR / "lurewatch-model.skops"


class ModelError(RuntimeError):
    """The model file is missing, unreadable or does not match this code."""


@dataclass
class Model:
    """Everything needed to score, as plain arrays and numbers."""

    version: str
    feature_names: list[str]
    signal_weights: np.ndarray  # weights of the signal block
    text_weights: np.ndarray  # weights of the hashed text block
    intercept: float
    idf: np.ndarray
    text_weight: float  # scale of the text block
    platt_a: float
    platt_b: float
    category_weights: np.ndarray  # lure (positive) vs employment scam, over the signal block
    category_intercept: float
    medium_threshold: float = 40.0
    high_threshold: float = 70.0
    metadata: dict = field(default_factory=dict)

    def to_state(self) -> dict:
        """Plain data for skops."""
        return {
            "version": self.version,
            "feature_names": list(self.feature_names),
            "signal_weights": self.signal_weights,
            "text_weights": self.text_weights,
            "intercept": float(self.intercept),
            "idf": self.idf,
            "text_weight": float(self.text_weight),
            "platt_a": float(self.platt_a),
            "platt_b": float(self.platt_b),
            "category_weights": self.category_weights,
            "category_intercept": float(self.category_intercept),
            "medium_threshold": float(self.medium_threshold),
            "high_threshold": float(self.high_threshold),
            "metadata": json.dumps(self.metadata, sort_keys=True),
        }

    @classmethod
    def from_state(cls, state: dict) -> Model:
        """Rebuild from what `to_state` wrote."""
        values = dict(state)
        values["metadata"] = json.loads(values.get("metadata") or "{}")
        values["feature_names"] = list(values["feature_names"])
        return cls(**values)


def save_model(model: Model, path: Path = MODEL_PATH) -> None:
    """Write the model with skops."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(model.to_state(), path)


def load_model(path: Path = MODEL_PATH) -> Model:
    """Read a model written by `save_model`; only plain containers and arrays are accepted."""
    if not path.exists():
        raise ModelError(f"model file not found: {path} (run `lurewatch train`)")
    try:
        untrusted = sio.get_untrusted_types(file=path)
        if untrusted:
            raise ModelError(f"model file holds unexpected types: {', '.join(untrusted)}")
        state = sio.load(path, trusted=[])
        return Model.from_state(state)
    except ModelError:
        raise
    except Exception as exc:  # skops raises many kinds of error for a damaged file
        raise ModelError(f"cannot read model file {path}: {exc}") from exc
