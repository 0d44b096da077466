"""The fast text lookup finds exactly the tokens training counted (features.text_tokens)."""

from __future__ import annotations

from collections import Counter

from scoring.corpus import load_corpus
from scoring.engine import default_scorer
from scoring.features import text_tokens
from scoring.signals import detect


def test_text_index_gives_the_columns_of_text_tokens():
    model = default_scorer().model
    vocabulary = {token: column for column, token in enumerate(model.vocabulary)}
    texts = [detect(example.ad).wording for example in load_corpus()[::7]]
    texts += ["ab 𠀀𠀁 中文 中文中 ไทย ไทย 123abc abc123 word pair word pair", "", " "]
    for text in texts:
        expected = Counter(vocabulary[t] for t in text_tokens(text) if t in vocabulary)
        assert Counter(model.text_index.columns(text).tolist()) == expected, text[:80]
