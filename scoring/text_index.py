"""The text model's vocabulary arranged for fast lookup of one ad's tokens."""

from __future__ import annotations

import re
from itertools import repeat

import numpy as np

from scoring.code_points import bmp_mask

DIGITS = re.compile(r"\d+")  # digits are not text tokens (see features.text_tokens)
_ASCII_DIGITS = str.maketrans("0123456789", " " * 10)
# Scripts written without spaces, whose adjacent character pairs are text tokens: Thai, Lao,
# Burmese, Khmer, CJK ideographs, kana (features.text_tokens uses the same ranges).
NO_SPACE_RANGES = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x4E00, 0x9FFF),
                    (0x3040, 0x30FF))
_CODE_POINTS = 0x110000
_FIRST_NO_SPACE = min(low for low, _ in NO_SPACE_RANGES)
def _no_space(code: int) -> bool:
    return any(low <= code <= high for low, high in NO_SPACE_RANGES)


class TextIndex:
    """The vocabulary arranged for fast lookup: words in a dict, word pairs and character pairs
    as sorted integer keys, so that one ad's tokens are found with a few array operations
    instead of building a string per pair. Gives exactly the columns `text_tokens` would."""

    def __init__(self, vocabulary: list[str]) -> None:
        words: dict[str, int] = {}
        word_column: list[int] = []
        pairs: list[tuple[str, str, int]] = []
        chars: list[tuple[int, int]] = []

        def word_id(word: str) -> int:
            if word not in words:
                words[word] = len(word_column)
                word_column.append(-1)
            return words[word]

        for column, token in enumerate(vocabulary):
            if " " in token:
                first, second = token.split(" ", 1)
                pairs.append((first, second, column))
                continue
            word_column[word_id(token)] = column
            if len(token) == 2 and _no_space(ord(token[0])) and _no_space(ord(token[1])):
                chars.append((ord(token[0]) * _CODE_POINTS + ord(token[1]), column))
        n_words = len(word_column) + 2 * len(pairs)  # an upper bound on word ids
        pair_keys = [(word_id(a) * n_words + word_id(b), c) for a, b, c in pairs]
        self.words = words
        self.word_column = np.array(word_column, dtype=np.int64)
        self.n_words = n_words
        self.pair_keys, self.pair_columns = _sorted_table(pair_keys)
        # Words that start or end some known pair; the last cell stands for "not a word" (-1).
        self.opens_pair = np.zeros(n_words + 1, dtype=bool)
        self.closes_pair = np.zeros(n_words + 1, dtype=bool)
        for key, _ in pair_keys:
            self.opens_pair[key // n_words] = True
            self.closes_pair[key % n_words] = True
        # Character pairs in a dense square table over the characters that occur in them
        # (about a thousand): one array lookup per pair of the ad, no search.
        alphabet = sorted({key // _CODE_POINTS for key, _ in chars}
                          | {key % _CODE_POINTS for key, _ in chars})
        self.char_index = np.full(0x10000, -1, dtype=np.int64)
        self.char_index[alphabet] = np.arange(len(alphabet))
        self.n_chars = len(alphabet)
        # Two bytes a cell while column numbers fit (the table is n_chars squared).
        small = len(vocabulary) < np.iinfo(np.int16).max
        self.char_table = np.full(self.n_chars * self.n_chars, -1,
                                  dtype=np.int16 if small else np.int32)
        for key, column in chars:
            first = self.char_index[key // _CODE_POINTS]
            second = self.char_index[key % _CODE_POINTS]
            self.char_table[first * self.n_chars + second] = column

    def columns(self, text: str) -> np.ndarray:
        """Vocabulary columns of every token of a text (repeated as often as they occur)."""
        codes = None
        if text.isascii():
            # A translation table is several times faster than the regex, and splits into the
            # same words.
            text = text.translate(_ASCII_DIGITS)
        else:
            codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            highest = codes.max()
            if highest > 0xFFFF:
                text = DIGITS.sub(" ", text)
                codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"),
                                      dtype=np.uint32)
            else:
                # Digits found with a table, one space each (not one a run, as DIGITS.sub
                # writes): the words and the character pairs come out the same.
                digit = IS_DIGIT.take(codes)
                if digit.any():
                    codes = np.where(digit, _SPACE, codes)
                    text = codes.tobytes().decode("utf-32-le", "surrogatepass")
        words = text.split()
        ids = np.fromiter(map(self.words.get, words, repeat(-1)), dtype=np.int64,
                          count=len(words))
        found = [self.word_column[ids[ids >= 0]]]
        if len(ids) > 1:
            first, second = ids[:-1], ids[1:]
            # Only pairs whose words can form a known pair are looked up.
            both = self.opens_pair[first] & self.closes_pair[second]
            found.append(_look_up(first[both] * self.n_words + second[both],
                                  self.pair_keys, self.pair_columns))
        # Character pairs only for text with characters of the scripts written without spaces
        # (all of them lie above the Latin, Cyrillic and Indic blocks).
        if codes is not None and self.n_chars and highest >= _FIRST_NO_SPACE:
            index = self.char_index[np.minimum(codes, 0xFFFF)]
            index[codes > 0xFFFF] = -1
            both = (index[:-1] >= 0) & (index[1:] >= 0)
            if both.any():
                found.append(self.char_table[index[:-1][both] * self.n_chars + index[1:][both]])
        columns = np.concatenate(found) if len(found) > 1 else found[0]
        return columns[columns >= 0]


IS_DIGIT = bmp_mask(DIGITS)  # what DIGITS takes; also read by extract.figures
_SPACE = np.uint32(ord(" "))


def _sorted_table(items: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    items = sorted(items)
    return (np.array([k for k, _ in items], dtype=np.int64),
            np.array([c for _, c in items], dtype=np.int64))


def _look_up(keys: np.ndarray, table_keys: np.ndarray, table_columns: np.ndarray) -> np.ndarray:
    """Columns of the keys found in a sorted key table."""
    if not len(keys) or not len(table_keys):
        return np.zeros(0, dtype=np.int64)
    at = table_keys.searchsorted(keys)
    at[at == len(table_keys)] = len(table_keys) - 1
    return table_columns[at[table_keys[at] == keys]]
