"""Scoring speed: batch throughput, single-ad p99 latency, model load time and memory.

Also measures a plain character n-gram TF-IDF + logistic regression on the same ads in the same
run, as the peer the issue compares against. Run: `uv run python bench/bench_scoring.py`.
Pin to one core with `taskset -c 0` for the one-core figure.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

N_ADS = 3000
TARGET_CHARS = 1500


def make_ads() -> list[dict]:
    """About 1,500-character ads, each built by joining corpus ads of one language."""
    from scoring.corpus import load_corpus

    corpus = load_corpus()
    by_language: dict[str, list] = {}
    for example in corpus:
        by_language.setdefault(example.ad.language, []).append(example)
    rng = np.random.default_rng(7)
    ads = []
    for i in range(N_ADS):
        first = corpus[int(rng.integers(len(corpus)))]
        same = by_language[first.ad.language]
        text = first.ad.text
        while len(text) < TARGET_CHARS:
            other = same[int(rng.integers(len(same)))]
            text += "\n" + other.ad.text
        ads.append({"id": str(i), "title": first.ad.title, "text": text[:TARGET_CHARS]})
    return ads


def load_time() -> float:
    """Seconds from a fresh interpreter to a ready scorer (imports included)."""
    code = (
        "import time; t=time.perf_counter();"
        "from scoring.engine import default_scorer; s=default_scorer();"
        "from scoring.ad import Ad; s.score(Ad(id='x', title='t', text='warm up'));"
        "print(time.perf_counter()-t)"
    )
    runs = [float(subprocess.check_output([sys.executable, "-c", code], text=True))
            for _ in range(3)]
    return min(runs)


def peer_throughput(ads: list[dict]) -> float:
    """Ads per second of char n-gram TF-IDF + logistic regression (the naive peer)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    from scoring.corpus import load_corpus

    corpus = load_corpus()
    peer = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True,
                        max_features=200_000),
        LogisticRegression(max_iter=1000),
    )
    peer.fit([f"{e.ad.title}\n{e.ad.text}" for e in corpus],
             [e.label != "legit" for e in corpus])
    texts = [f"{a['title']}\n{a['text']}" for a in ads]
    started = time.perf_counter()
    for chunk in range(0, len(texts), 256):
        peer.predict_proba(texts[chunk:chunk + 256])
    return len(texts) / (time.perf_counter() - started)


def main() -> int:
    from scoring.ad import Ad
    from scoring.engine import default_scorer

    seconds_to_load = load_time()
    ads = make_ads()
    parsed = [Ad.from_dict(a) for a in ads]
    scorer = default_scorer()
    scorer.score_many(parsed[:50])  # warm caches
    started = time.perf_counter()
    for chunk in range(0, len(parsed), 256):
        scorer.score_many(parsed[chunk:chunk + 256])
    batch_rate = len(parsed) / (time.perf_counter() - started)
    latencies = []
    for ad in parsed[:1000]:
        t = time.perf_counter()
        scorer.score(ad)
        latencies.append((time.perf_counter() - t) * 1000)
    peer_rate = peer_throughput(ads)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Peak RSS (VmHWM, which exec resets, unlike ru_maxrss) of a process that only scores.
    code = ("import json,sys;from scoring.engine import default_scorer;from scoring.ad import Ad;"
            "s=default_scorer();ads=[Ad.from_dict(a) for a in json.load(sys.stdin)];"
            "[s.score_many(ads[i:i+256]) for i in range(0,len(ads),256)];"
            "print([int(l.split()[1]) for l in open('/proc/self/status')"
            " if l.startswith('VmHWM')][0]/1024)")
    scorer_rss = float(subprocess.check_output([sys.executable, "-c", code], text=True,
                                               input=json.dumps(ads)))
    figures = {
        "ads": len(parsed),
        "mean_chars": round(sum(len(a.text) + len(a.title) for a in parsed) / len(parsed)),
        "batch_ads_per_second": round(batch_rate),
        "peer_char_tfidf_lr_ads_per_second": round(peer_rate),
        "speedup_over_peer": round(batch_rate / peer_rate, 2),
        "single_ad_p50_ms": round(float(np.percentile(latencies, 50)), 2),
        "single_ad_p99_ms": round(float(np.percentile(latencies, 99)), 2),
        "model_load_seconds": round(seconds_to_load, 3),
        "scoring_process_max_rss_mb": round(scorer_rss, 1),
        "bench_process_max_rss_mb": round(rss_mb, 1),
        "cpu_affinity": sorted(os.sched_getaffinity(0)),
    }
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
