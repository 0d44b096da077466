"""The trained model: linear weights over signal and text features, Platt calibration, thresholds.

The risk score is sigmoid(a * (w . x + c) + b): a calibrated probability that the ad is a lure or
an employment scam. Because it is linear before the sigmoid, each feature's share a * w_j * x_j of
the log-odds is an exact, faithful contribution. The model is stored as a NumPy .npz archive read
with allow_pickle=False, so loading a model file can never run code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from scoring.text_index import TextIndex

MODEL_DIR = Path(__file__).parent / "model"
MODEL_PATH = MODEL_DIR / "lurewatch-model.npz"
_ARRAYS = ("signal_weights", "text_weights", "idf", "category_weights")


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
    vocabulary: list[str] = field(default_factory=list)  # text-block columns, in order
    medium_threshold: float = 40.0
    high_threshold: float = 70.0
    metadata: dict = field(default_factory=dict)

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Arrays for the .npz archive; scalars and names go into a JSON string."""
        meta = {
            "version": self.version, "feature_names": list(self.feature_names),
            "intercept": float(self.intercept), "text_weight": float(self.text_weight),
            "platt_a": float(self.platt_a), "platt_b": float(self.platt_b),
            "category_intercept": float(self.category_intercept),
            "medium_threshold": float(self.medium_threshold),
            "high_threshold": float(self.high_threshold), "metadata": self.metadata,
        }
        arrays = {name: np.asarray(getattr(self, name)) for name in _ARRAYS}
        arrays["text_weights"] = arrays["text_weights"].astype(np.float32)
        arrays["idf"] = arrays["idf"].astype(np.float32)
        arrays["meta"] = np.array(json.dumps(meta, sort_keys=True))
        arrays["vocabulary"] = np.frombuffer("\n".join(self.vocabulary).encode("utf-8"),
                                             dtype=np.uint8)
        return arrays

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Model:
        """Rebuild from what `to_arrays` wrote."""
        meta = json.loads(str(arrays["meta"]))
        values = {name: np.asarray(arrays[name], dtype=np.float64) for name in _ARRAYS}
        raw = bytes(arrays["vocabulary"]).decode("utf-8")
        vocabulary = raw.split("\n") if raw else []
        return cls(**values, **meta, vocabulary=vocabulary)

    @property
    def text_index(self) -> TextIndex:
        """The vocabulary arranged for lookup, built once."""
        index = self.__dict__.get("_text_index")
        if index is None:
            index = self.__dict__["_text_index"] = TextIndex(self.vocabulary)
        return index


def save_model(model: Model, path: Path = MODEL_PATH) -> None:
    """Write the model archive."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        np.savez_compressed(handle, **model.to_arrays())


def load_model(path: Path = MODEL_PATH) -> Model:
    """Read a model archive written by `save_model` (no pickled objects are accepted)."""
    if not path.exists():
        raise ModelError(f"model file not found: {path} (run `lurewatch train`)")
    try:
        with np.load(path, allow_pickle=False) as archive:
            return Model.from_arrays({name: archive[name] for name in archive.files})
    except Exception as exc:  # a damaged archive raises many kinds of error
        raise ModelError(f"cannot read model file {path}: {exc}") from exc
