"""Exact and near-duplicate detection (MinHash/LSH): copies of one ad share a cluster id.

A duplicate joins the cluster of the ad it copies; nothing is dropped. The index is seeded from
every listing already stored, so a template seen last month still groups with today's copy.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib

import numpy as np

NUM_PERM = 64
# 16 bands of 4 rows: pairs above about 0.5 Jaccard similarity become candidates, and are then
# accepted when their estimated similarity reaches THRESHOLD.
BANDS, ROWS = 16, 4
THRESHOLD = 0.7
_MAX_HASH = np.uint64((1 << 32) - 1)
_RNG = np.random.RandomState(1)
# Multiply-shift hashing: odd 64-bit multipliers, products wrap modulo 2**64, keep the top bits.
_A = (_RNG.randint(0, 1 << 62, size=NUM_PERM, dtype=np.uint64) << np.uint64(2)) | np.uint64(1)
_B = _RNG.randint(0, 1 << 62, size=NUM_PERM, dtype=np.uint64) << np.uint64(2)
_WORDS = re.compile(r"\w+", re.UNICODE)
_SPACELESS = re.compile(r"[\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF\u3040-\u30FF\u3400-\u9FFF]")


def normalised(title: str, text: str) -> str:
    """Lower-case words of the ad, accents and punctuation ignored."""
    joined = unicodedata.normalize("NFKC", f"{title}\n{text}").casefold()
    return " ".join(_WORDS.findall(joined))


def content_hash(title: str, text: str) -> str:
    """Exact-duplicate key: the same words in the same order."""
    return hashlib.sha256(normalised(title, text).encode("utf-8")).hexdigest()


_DIGITS = re.compile(r"\d")


def shingles(norm: str) -> set[bytes]:
    """Word 3-grams for spaced scripts, character 5-grams for scripts written without spaces.

    Digits are blanked first: a re-posted template usually changes only its figures and handle.
    """
    norm = _DIGITS.sub("0", norm)
    if len(_SPACELESS.findall(norm[:2000])) > len(norm[:2000]) / 4:
        compact = norm.replace(" ", "")
        grams = {compact[i:i + 5] for i in range(max(1, len(compact) - 4))}
    else:
        words = norm.split()
        grams = {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}
    return {g.encode("utf-8") for g in grams}


def minhash(norm: str) -> np.ndarray:
    """MinHash signature (NUM_PERM values) of the ad's shingles."""
    grams = shingles(norm)
    # CRC-32: fast and the same in every process (a distributed crawl shares signatures).
    hashes = np.fromiter((zlib.crc32(g) for g in grams), dtype=np.uint64, count=len(grams))
    if hashes.size == 0:
        return np.full(NUM_PERM, _MAX_HASH, dtype=np.uint32)
    permuted = (hashes[:, None] * _A + _B) >> np.uint64(32)  # multiply-shift hashing
    return permuted.min(axis=0).astype(np.uint32)  # 32-bit values: half the memory


# Shorter normalised text is too little to call two ads the same template: exact copies only.
MIN_NEAR_CHARS = 40


def signature_of(norm: str) -> np.ndarray | None:
    """The MinHash signature of normalised ad text, or None when it is too short to compare."""
    return None if len(norm) < MIN_NEAR_CHARS else minhash(norm)


def fingerprint(title: str, text: str) -> tuple[str, np.ndarray | None]:
    """(content_hash, signature_of) of an ad, normalising its text once."""
    norm = normalised(title, text)
    return hashlib.sha256(norm.encode("utf-8")).hexdigest(), signature_of(norm)


class ClusterIndex:
    """Assigns cluster ids: exact copies by hash, near copies by MinHash LSH (banding)."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        # Band key -> rows of `matrix` (the signatures of indexed ads, one row each).
        self.bands: list[dict[bytes, list[int]]] = [{} for _ in range(BANDS)]
        self.matrix = np.zeros((1024, NUM_PERM), dtype=np.uint32)
        self.digests: list[str] = []  # content hash of each row
        self.clusters: dict[str, str] = {}  # content hash -> cluster id

    def __len__(self) -> int:
        return len(self.clusters)

    @staticmethod
    def _band_keys(signature: np.ndarray) -> list[bytes]:
        raw = signature.astype(np.uint32, copy=False).tobytes()
        size = ROWS * 4
        return [raw[band * size:(band + 1) * size] for band in range(BANDS)]

    def _near(self, keys: list[bytes], signature: np.ndarray) -> str | None:
        candidates: set[int] = set()
        for table, key in zip(self.bands, keys, strict=True):
            rows = table.get(key)
            if rows:
                candidates.update(rows)
        if not candidates:
            return None
        rows = sorted(candidates)
        similarity = np.count_nonzero(self.matrix[rows] == signature, axis=1) / NUM_PERM
        best = int(np.argmax(similarity))
        return self.digests[rows[best]] if similarity[best] >= self.threshold else None

    def add(self, title: str, text: str, cluster: str = "",
            digest: str | None = None) -> tuple[str, str]:
        """(cluster id, how it matched: 'exact' | 'near' | '') for an ad, and index it."""
        digest = digest or content_hash(title, text)
        if digest in self.clusters:
            return self.clusters[digest], "exact"
        return self.add_signature(digest, signature_of(normalised(title, text)), cluster)

    def add_signature(self, digest: str, signature: np.ndarray | None,
                      cluster: str = "") -> tuple[str, str]:
        """`add` for an ad whose content hash and signature (`signature_of`) are known."""
        if digest in self.clusters:
            return self.clusters[digest], "exact"
        matched = ""
        if signature is None:  # too short to call two ads the same template
            self.clusters[digest] = cluster or digest[:16]
            return self.clusters[digest], matched
        keys = self._band_keys(signature)
        near = self._near(keys, signature)
        if near is not None and not cluster:  # a stored listing keeps the cluster it has
            cluster, matched = self.clusters[near], "near"
        cluster = cluster or digest[:16]
        self.clusters[digest] = cluster
        row = len(self.digests)
        if row == len(self.matrix):
            self.matrix = np.concatenate([self.matrix, np.zeros_like(self.matrix)])
        self.matrix[row] = signature
        self.digests.append(digest)
        for table, key in zip(self.bands, keys, strict=True):
            table.setdefault(key, []).append(row)
        return cluster, matched
