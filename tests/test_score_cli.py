"""`lurewatch score`: the JSON Lines contract, evidence spans and bad lines."""

from __future__ import annotations

import json

from tests.helpers import json_lines, run_cli

TYPIST = {
    "id": "1", "title": "Typist",
    "text": "Typing job in Cambodia, $2000/month, free visa and flight, contact Telegram @hr_amy",
}


def test_typist_lure_is_above_low_with_evidence_on_the_right_words():
    done = run_cli("score", stdin=json.dumps(TYPIST) + "\n")
    assert done.returncode == 0, done.stderr
    [result] = json_lines(done.stdout)
    assert result["id"] == "1"
    assert result["level"] in ("medium", "high")
    assert 0 <= result["score"] <= 100
    assert result["category"] == "compound_lure"
    assert result["language"] == "en"
    assert result["model_version"]
    quoted = set()
    for signal in result["signals"]:
        assert {"id", "group", "message", "evidence"} <= set(signal)
        for evidence in signal["evidence"]:
            source = TYPIST[evidence["field"]]
            assert source[evidence["start"]:evidence["end"]] == evidence["text"]
            quoted.add(evidence["text"].lower())
    assert any("telegram" in q or "hr_amy" in q for q in quoted)


def test_malformed_lines_are_reported_by_number_and_others_still_scored():
    lines = [
        json.dumps({"id": "a", "title": "Cook", "text": "Restaurant in Hanoi needs a cook."}),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "title": 5}),
        json.dumps({"id": "d", "title": "Driver", "text": "Delivery driver, own motorbike."}),
    ]
    done = run_cli("score", stdin="\n".join(lines) + "\n")
    assert done.returncode == 1
    assert [r["id"] for r in json_lines(done.stdout)] == ["a", "d"]
    errors = done.stderr.strip().splitlines()
    assert len(errors) == 3
    assert "line 2" in errors[0] and "line 3" in errors[1] and "line 4" in errors[2]
    assert "Traceback" not in done.stderr


def test_empty_text_is_insufficient_not_low():
    done = run_cli("score", stdin=json.dumps({"id": "e", "title": "", "text": ""}) + "\n")
    assert done.returncode == 0, done.stderr
    assert json_lines(done.stdout)[0]["level"] == "insufficient"


def test_missing_file_is_one_readable_line():
    done = run_cli("score", "/nonexistent/ads.jsonl")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "cannot read" in done.stderr


def test_version_and_help():
    assert run_cli("--version").stdout.startswith("lurewatch ")
    for command in ("score", "serve", "crawl", "train", "eval"):
        done = run_cli(command, "--help")
        assert done.returncode == 0 and "usage: lurewatch" in done.stdout
