"""The labelled training corpus: loading, validation and the fixed train/dev/test split."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from scoring.ad import Ad, AdError

CORPUS_DIR = Path(__file__).parent / "corpus" / "ads"
LABELS = ("lure", "legit", "scam")
# Fixed split by a stable hash of the id: about 70% train, 15% dev, 15% test.
SPLIT_BOUNDS = (70, 85)


@dataclass
class Example:
    """A labelled ad."""

    ad: Ad
    label: str
    kind: str = ""
    register: str = ""
    difficulty: str = ""

    @property
    def split(self) -> str:
        return split_of(self.ad.id)


def split_of(example_id: str) -> str:
    """`train`, `dev` or `test` for an id, the same on every machine and every run."""
    bucket = int(hashlib.sha256(example_id.encode("utf-8")).hexdigest()[:8], 16) % 100
    if bucket < SPLIT_BOUNDS[0]:
        return "train"
    return "dev" if bucket < SPLIT_BOUNDS[1] else "test"


def read_labelled(path: Path) -> Iterator[tuple[int, Example | str]]:
    """(line number, example or error message) for each non-blank line of a labelled file."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                label = data.get("label") if isinstance(data, dict) else None
                if label not in LABELS:
                    raise AdError(f"field 'label' must be one of {', '.join(LABELS)}")
                example = Example(
                    Ad.from_dict(data), label, str(data.get("kind", "")),
                    str(data.get("register", "")), str(data.get("difficulty", "")),
                )
                yield number, example
            except json.JSONDecodeError as exc:
                yield number, f"not valid JSON ({exc.msg})"
            except AdError as exc:
                yield number, str(exc)


def load_corpus(directory: Path = CORPUS_DIR) -> list[Example]:
    """Every example of the shipped corpus; a bad line is an error, not a silent skip."""
    examples: list[Example] = []
    for path in sorted(directory.glob("*.jsonl")):
        for number, item in read_labelled(path):
            if isinstance(item, str):
                raise ValueError(f"{path.name}:{number}: {item}")
            examples.append(item)
    return examples
