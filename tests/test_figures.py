"""Figures found once by table give the extractors exactly the matches a regex scan gives."""

from __future__ import annotations

import random

from scoring.extract import contacts, salary
from scoring.extract.figures import find_figures, matches_from

_PIECES = ["1", "23", "4,567", "8.9", "+", "+84", " ", "-", "(", ")", ".", ",", "tel", "a",
           "usd", "k", "tr", "๑๒", "٣٤", "१२", "x1", "_", "\n", "0912 345 678", "1.234.567",
           "+855 10 000 012", "25-35", "2026"]


def _texts(count: int) -> list[str]:
    rng = random.Random(11)
    return ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 40)))
            for _ in range(count)]


def test_table_found_figures_give_the_same_matches_as_a_regex_scan():
    for text in _texts(4000):
        figures = find_figures(text)
        assert figures is not None
        for pattern, starts in ((salary._AMOUNT_RE, figures.digits),
                                (contacts._PHONE_CANDIDATE, figures.run_starts)):
            expected = [m.span() for m in pattern.finditer(text)]
            assert [m.span() for m in matches_from(pattern, text, starts)] == expected, text


def test_text_beyond_the_basic_plane_falls_back_to_the_regex_scan():
    assert find_figures("pay 1,500 usd \U0001F600") is None
    assert [s.amount for s in salary.find_salaries("pay 1,500 usd \U0001F600", "en")] == [1500.0]
