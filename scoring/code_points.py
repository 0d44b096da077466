"""Code-point tables: which characters of the Basic Multilingual Plane a regex takes, so that
a text's characters can be classified with one array lookup instead of a regex scan."""

from __future__ import annotations

import re
from functools import cache

import numpy as np


@cache
def _plane() -> str:
    """Every code point of the Basic Multilingual Plane, in order."""
    return "".join(map(chr, range(0x10000)))


def bmp_mask(pattern: re.Pattern[str]) -> np.ndarray:
    """Code point (Basic Multilingual Plane) -> whether `pattern` matches that character."""
    table = np.zeros(0x10000, dtype=bool)
    for run in pattern.finditer(_plane()):
        table[run.start():run.end()] = True
    return table
