"""The batched per-item work gives what the pipelines computed one step at a time."""

from __future__ import annotations

import numpy as np

from crawler.analyse import _RECENT, analyse_batch, html_to_text, tidy
from crawler.dedupe import ClusterIndex, content_hash, minhash, normalised
from crawler.worker import score_batch
from scoring.language import detect_language
from tests.crawl_fixtures import bulk_ad


def _records() -> list[dict[str, str]]:
    records = []
    for number in (0, 1, 2, 40, 41, 3):  # 40 copies 0 exactly, 41 is a near copy of 1
        ad = bulk_ad(number)
        records.append({"url": f"https://jobs.example/{number}", "title": ad["title"],
                        "text": ad["text"], "employer": " Acme \u00a0 Ltd ", "location":
                        ad["place"], "salary": ""})
    records.append({"url": "https://jobs.example/html", "title": "  Typist  ", "text": "",
                    "text_html": "<div><p>Typing job in Cambodia,\n\n\n\n $2000/month</p>"
                                 "<script>x()</script><p>Telegram @hr_amy</p></div>"})
    records.append({"url": "https://jobs.example/empty", "title": " ", "text": "",
                    "text_html": "<p> </p>"})
    records.append({"url": "https://jobs.example/short", "title": "Cook", "text": "Hanoi"})
    return records


def test_batched_analysis_matches_the_step_by_step_pipelines():
    records = _records()
    _RECENT.clear()  # exact copies scored earlier in this process would count as reused
    analysed = analyse_batch(records)
    assert analysed[-2] is None  # no title and no text: dropped by the pipeline
    for record, got in zip(records, analysed, strict=True):
        if got is None:
            continue
        text = record["text"] or html_to_text(record.get("text_html", ""))
        expected = {"title": tidy(record["title"])[:1000], "text": tidy(text)[:200_000],
                    "employer": tidy(record.get("employer", ""))[:500],
                    "location": tidy(record.get("location", ""))[:500],
                    "salary": tidy(record.get("salary", ""))[:500]}
        assert {name: got[name] for name in expected} == expected
        assert got["content_hash"] == content_hash(expected["title"], expected["text"])
        language = detect_language(f"{expected['title']}\n{expected['text'][:5000]}") or ""
        assert got["language"] == language
        norm = normalised(expected["title"], expected["text"])
        if len(norm) < 40:
            assert got["signature"] is None
        else:
            assert np.array_equal(got["signature"], minhash(norm))
        ad = {"id": record["url"], "url": record["url"], **expected, "language": language}
        result, handles = score_batch([ad])[0]
        assert got["result"] == result and got["handles"] == handles
    assert [a["reused"] for a in analysed if a is not None] == [
        False, False, False, True, False, False, False, False]
    # Clusters from the precomputed signatures are those the index finds from the text.
    by_text, by_signature = ClusterIndex(), ClusterIndex()
    for got in analysed:
        if got is not None:
            assert (by_signature.add_signature(got["content_hash"], got["signature"])
                    == by_text.add(got["title"], got["text"]))
    assert analyse_batch(records[:1], score=False)[0].keys() >= {"content_hash", "language"}
    assert "result" not in analyse_batch(records[:1], score=False)[0]
