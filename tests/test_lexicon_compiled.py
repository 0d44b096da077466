"""The compiled lexicon shipped beside the model: the same matcher as compiling the TOML files,
and ignored as soon as it no longer matches them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from scoring.matcher import COMPILED_PATH, Matcher


def _same(a: Matcher, b: Matcher) -> bool:
    return (a.keys_digest == b.keys_digest and a.values == b.values and a.places == b.places
            and [(s, p.pattern) for s, p in a.regexes] == [(s, p.pattern) for s, p in b.regexes]
            and a.ungated == b.ungated and a.role_families == b.role_families)


def test_shipped_compiled_lexicon_matches_the_toml_files():
    assert COMPILED_PATH.exists(), "run `lurewatch train` to rebuild the compiled lexicon"
    shipped = Matcher()
    fresh = Matcher(compiled=None)
    assert shipped.fingerprint == fresh.fingerprint
    assert json.loads(gzip.decompress(COMPILED_PATH.read_bytes()))["fingerprint"] == \
        fresh.fingerprint, "the shipped compiled lexicon is stale: run `lurewatch train`"
    assert _same(shipped, fresh)


def test_stale_or_broken_compiled_lexicon_is_ignored(tmp_path: Path):
    fresh = Matcher(compiled=None)
    stale = tmp_path / "stale.json.gz"
    state = json.loads(gzip.decompress(COMPILED_PATH.read_bytes()))
    state["fingerprint"] = "0" * 64
    state["keys"] = state["keys"][:10]
    stale.write_bytes(gzip.compress(json.dumps(state).encode()))
    assert _same(Matcher(compiled=stale), fresh)
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(b"not gzip at all")
    assert _same(Matcher(compiled=broken), fresh)
    assert _same(Matcher(compiled=tmp_path / "missing.json.gz"), fresh)
