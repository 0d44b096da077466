"""Exact and near-duplicate detection (MinHash/LSH): copies of one ad share a cluster id.

A duplicate joins the cluster of the ad it copies; nothing is dropped. The index is seeded from
every listing already stored, so a template seen last month still groups with today's copy.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
THRESHOLD = 0.7
_WORDS = re.compile(r"\w+", re.UNICODE)
_SPACELESS = re.compile(r"[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u3040-\u30FF\u3400-\u9FFF]")


def normalised(title: str, text: str) -> str:
    """Lower-case words of the ad, accents and punctuation ignored."""
    joined = unicodedata.normalize("NFKC", f"{title}\n{text}").casefold()
    return " ".join(_WORDS.findall(joined))


def content_hash(title: str, text: str) -> str:
    """Exact-duplicate key: the same words in the same order."""
    return hashlib.sha256(normalised(title, text).encode("utf-8")).hexdigest()


def shingles(norm: str) -> set[bytes]:
    """Word 3-grams for spaced scripts, character 5-grams for scripts written without spaces."""
    if len(_SPACELESS.findall(norm[:2000])) > len(norm[:2000]) / 4:
        compact = norm.replace(" ", "")
        grams = {compact[i:i + 5] for i in range(max(1, len(compact) - 4))}
    else:
        words = norm.split()
        grams = {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}
    return {g.encode("utf-8") for g in grams}


def _hash32(data: bytes) -> int:
    # Python's own hash is fast; the index lives in one process, so it need not be stable.
    return hash(data) & 0xFFFFFFFF


_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=1)
_PERMUTATIONS, _SCHEME = _TEMPLATE.permutations, _TEMPLATE.scheme


def minhash(norm: str) -> MinHash:
    signature = MinHash(num_perm=NUM_PERM, hashfunc=_hash32, permutations=_PERMUTATIONS,
                        scheme=_SCHEME)
    signature.update_batch(list(shingles(norm)))
    return signature


class ClusterIndex:
    """Assigns cluster ids: exact copies by hash, near copies by MinHash LSH."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.clusters: dict[str, str] = {}  # content hash -> cluster id

    def __len__(self) -> int:
        return len(self.clusters)

    def add(self, title: str, text: str, cluster: str = "",
            digest: str | None = None) -> tuple[str, str]:
        """(cluster id, how it matched: 'exact' | 'near' | '') for an ad, and index it."""
        digest = digest or content_hash(title, text)
        if digest in self.clusters:
            return self.clusters[digest], "exact"
        norm = normalised(title, text)
        signature = minhash(norm)
        matched = ""
        if len(norm) >= 40:  # too short to call two ads the same template
            near = self.lsh.query(signature)
            if near:
                cluster = self.clusters[sorted(near)[0]]
                matched = "near"
        cluster = cluster or digest[:16]
        self.clusters[digest] = cluster
        if len(norm) >= 40:
            self.lsh.insert(digest, signature, check_duplication=False)
        return cluster, matched
