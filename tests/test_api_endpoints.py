"""The API over HTTP, on SQLite and PostgreSQL: scoring, listings, reviews, export, reports."""

from __future__ import annotations

import csv
import io
import json

import httpx

from tests.api_fixtures import LiveApi

TYPIST = {"id": "t1", "title": "Typist", "text": "Typing job in Cambodia, $2000/month, free "
          "visa and flight, no experience, contact Telegram @hr_amy"}


def test_score_with_platform_key_and_lang(live_api: LiveApi):
    response = httpx.post(f"{live_api.base}/v1/score?lang=es", json=TYPIST,
                          headers=live_api.auth("platform"))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "t1" and body["level"] in ("medium", "high")
    english = httpx.post(f"{live_api.base}/v1/score", json=TYPIST).json()
    assert [s["id"] for s in body["signals"]] == [s["id"] for s in english["signals"]]
    assert body["signals"][0]["message"] != english["signals"][0]["message"]


def test_extension_service_worker_origin_is_accepted(live_api: LiveApi):
    response = httpx.post(f"{live_api.base}/v1/score?lang=en", json=TYPIST,
                          headers={"Origin": "chrome-extension://abcdefghijklmnop"})
    assert response.status_code == 200


def test_batch_keeps_order_and_reports_bad_items_alone(live_api: LiveApi):
    items = [TYPIST, {"id": "bad", "title": 5}, "not an ad", {"title": "no id"},
             {"id": 7, "title": "Nurse", "text": "Registered nurse in Leeds, visa sponsored."}]
    response = httpx.post(f"{live_api.base}/v1/score/batch", json={"items": items},
                          headers=live_api.auth("platform"))
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["id"] for r in results] == ["t1", "bad", None, None, "7"]
    assert "title" in results[1]["error"] and "error" in results[2] and "error" in results[3]
    assert results[0]["level"] in ("medium", "high") and "level" in results[4]


def test_batch_of_more_than_1000_items_is_refused(live_api: LiveApi):
    items = [{"id": str(i), "title": "x"} for i in range(1001)]
    response = httpx.post(f"{live_api.base}/v1/score/batch", json={"items": items},
                          headers=live_api.auth("platform"))
    assert response.status_code in (413, 422)
    assert "1000" in response.json()["detail"]


def test_model_lists_version_languages_and_signal_messages(live_api: LiveApi):
    body = httpx.get(f"{live_api.base}/v1/model").json()
    assert body["version"] and "en" in body["languages"] and "my" in body["languages"]
    signal = body["signals"][0]
    assert {"id", "group", "polarity", "messages"} <= set(signal) and signal["messages"]["en"]


def test_listings_need_a_reviewer_key(live_api: LiveApi):
    anonymous = httpx.get(f"{live_api.base}/v1/listings")
    assert anonymous.status_code == 401 and "API key" in anonymous.json()["detail"]
    platform = httpx.get(f"{live_api.base}/v1/listings", headers=live_api.auth("platform"))
    assert platform.status_code == 403 and "reviewer" in platform.json()["detail"]
    wrong = httpx.get(f"{live_api.base}/v1/listings",
                      headers={"Authorization": "Bearer lw_not_a_key"})
    assert wrong.status_code == 401 and wrong.json()["detail"]
    assert httpx.get(f"{live_api.base}/v1/listings",
                     headers=live_api.auth("admin")).status_code == 200


def test_listings_filters_and_cursor_pagination(live_api: LiveApi):
    auth = live_api.auth("reviewer")
    seen: list[dict] = []
    url = f"{live_api.base}/v1/listings?limit=2&source=jobs.example.org"
    while url:
        page = httpx.get(url, headers=auth).json()
        assert page["count"] == len(page["data"]) <= 2
        seen.extend(page["data"])
        url = (f"{live_api.base}/v1/listings?limit=2&source=jobs.example.org"
               f"&cursor={page['next_cursor']}" if page["next_cursor"] else "")
    assert len(seen) == len(live_api.listings)
    assert len({row["id"] for row in seen}) == len(seen)
    assert [row["score"] for row in seen] == sorted((row["score"] for row in seen), reverse=True)

    def ids(**params: str) -> set[int]:
        page = httpx.get(f"{live_api.base}/v1/listings", params=params, headers=auth).json()
        return {row["id"] for row in page["data"]}

    listings = live_api.listings
    assert ids(country="kh") == {listings["typist"], listings["typist-copy"]}
    assert ids(cluster="tpl-game") == {listings["game"]}
    assert ids(handle="hr_seed_amy") == {listings["typist"], listings["typist-copy"],
                                         listings["hostile"]}
    assert ids(handle="telegram:hr_seed_amy") == ids(handle="@hr_seed_amy")
    assert ids(q="NHS TRUST") == {listings["nurse"]}
    assert ids(q="100%_") == set()
    assert {listings["nurse"], listings["farm"]} <= ids(source="jobs.example.org",
                                                        review_status="unreviewed")
    assert ids(date_from="2000-01-01", date_to="2000-01-31") == set()
    assert listings["nurse"] in ids(level="low")
    bad = httpx.get(f"{live_api.base}/v1/listings?level=severe", headers=auth)
    assert bad.status_code == 422 and "level" in bad.text
    assert httpx.get(f"{live_api.base}/v1/listings?cursor=@@@", headers=auth).status_code == 422


def test_listing_detail_has_signals_cluster_and_shared_handles(live_api: LiveApi):
    listing_id = live_api.listings["typist"]
    body = httpx.get(f"{live_api.base}/v1/listings/{listing_id}",
                     headers=live_api.auth("reviewer")).json()
    assert body["signals"] and body["handles"]
    assert body["cluster_info"]["size"] == 2
    assert [m["id"] for m in body["cluster_info"]["listings"]] == [
        live_api.listings["typist-copy"]]
    shared = {row["id"] for row in body["shared_handle_listings"]}
    assert shared == {live_api.listings["typist-copy"], live_api.listings["hostile"]}
    missing = httpx.get(f"{live_api.base}/v1/listings/999999", headers=live_api.auth("reviewer"))
    assert missing.status_code == 404


def test_reviews_are_an_audit_trail_never_overwritten(live_api: LiveApi):
    listing_id = live_api.listings["game"]
    url = f"{live_api.base}/v1/listings/{listing_id}/review"
    first = httpx.patch(url, json={"decision": "needs_follow_up", "note": "check handle"},
                        headers=live_api.auth("reviewer"))
    assert first.status_code == 200 and first.json()["reviewer"] == "reviewer-tester"
    second = httpx.patch(url, json={"decision": "confirmed_lure", "note": "same as KK ads",
                                    "reviewer": "amy"}, headers=live_api.auth("admin"))
    assert second.status_code == 200
    detail = httpx.get(f"{live_api.base}/v1/listings/{listing_id}",
                       headers=live_api.auth("reviewer")).json()
    assert detail["review_status"] == "confirmed_lure"
    assert [(r["decision"], r["note"]) for r in detail["reviews"]] == [
        ("needs_follow_up", "check handle"), ("confirmed_lure", "same as KK ads")]
    bad = httpx.patch(url, json={"decision": "maybe"}, headers=live_api.auth("reviewer"))
    assert bad.status_code == 422 and "decision" in bad.text
    assert httpx.patch(url, json={"decision": "escalated"},
                       headers=live_api.auth("platform")).status_code == 403


def test_export_csv_and_jsonl(live_api: LiveApi):
    auth = live_api.auth("reviewer")
    response = httpx.get(f"{live_api.base}/v1/listings/export?format=csv&source=jobs.example.org",
                         headers=auth)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(live_api.listings)
    hostile = next(r for r in rows if int(r["id"]) == live_api.listings["hostile"])
    assert hostile["title"].startswith("<script>")
    assert not any(value.startswith(("=", "+", "@")) for row in rows for value in row.values())
    lines = httpx.get(f"{live_api.base}/v1/listings/export?format=jsonl&country=KH",
                      headers=auth).text.splitlines()
    assert {json.loads(line)["location_country"] for line in lines} == {"KH"}
    assert len(lines) == 2


def test_report_enters_queue_and_reporter_sees_outcome(live_api: LiveApi):
    report = {"text": "Data entry in Poipet, $1800, pay 200 USD visa fee first, Telegram "
              "@hr_report_zed", "url": "https://ads.example.net/9", "reason": "asked for a fee"}
    created = httpx.post(f"{live_api.base}/v1/reports", json=report,
                         headers={"Origin": "chrome-extension://abcdefghijklmnop"})
    assert created.status_code == 201
    public_id = created.json()["id"]
    assert created.json()["status"] == "received"
    page = httpx.get(f"{live_api.base}/v1/listings", params={"source": "report", "q": "Poipet"},
                     headers=live_api.auth("reviewer")).json()
    [listing] = page["data"]
    assert listing["text"] == report["text"] and listing["review_status"] == "unreviewed"
    httpx.patch(f"{live_api.base}/v1/listings/{listing['id']}/review",
                json={"decision": "confirmed_lure", "note": "internal note"},
                headers=live_api.auth("reviewer")).raise_for_status()
    seen = httpx.get(f"{live_api.base}/v1/reports/{public_id}").json()
    assert seen["status"] == "confirmed" and "internal note" not in json.dumps(seen)
    again = httpx.post(f"{live_api.base}/v1/reports", json=report).json()
    assert again["id"] != public_id and again["status"] == "confirmed"
    assert httpx.get(f"{live_api.base}/v1/reports/r_nope").status_code == 404
    assert httpx.get(f"{live_api.base}/v1/reports/r_%00x").status_code == 404
    assert httpx.post(f"{live_api.base}/v1/reports", json={"text": ""}).status_code == 422


def test_bad_input_sizes_types_and_encoding(live_api: LiveApi):
    base = live_api.base
    big = {"id": "big", "title": "x", "text": "y" * (300 * 1024)}
    response = httpx.post(f"{base}/v1/score", json=big)
    assert response.status_code == 413 and response.json()["detail"]
    huge_batch = {"items": [{"id": str(i), "text": "z" * 9000} for i in range(1000)]}
    assert httpx.post(f"{base}/v1/score/batch", json=huge_batch,
                      headers=live_api.auth("platform")).status_code == 413
    wrong = httpx.post(f"{base}/v1/score", json={"id": "w", "title": ["list"]})
    assert wrong.status_code == 422 and "title" in wrong.text
    broken = httpx.post(f"{base}/v1/score", content=b'{"id": "u", "text": "caf\xe9"}',
                        headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and "UTF-8" in broken.json()["detail"]
    not_json = httpx.post(f"{base}/v1/score", content=b"{oops",
                          headers={"Content-Type": "application/json"})
    assert not_json.status_code == 422
    nul = httpx.post(f"{base}/v1/reports", content=b'{"text": "a\\u0000b job"}',
                     headers={"Content-Type": "application/json"})
    assert nul.status_code == 201
    lone = httpx.post(f"{base}/v1/score", content=b'{"id": "s", "text": "job \\ud800 x"}',
                      headers={"Content-Type": "application/json"})
    assert lone.status_code == 422 and "text" in lone.text
    in_batch = httpx.post(f"{base}/v1/score/batch",
                          headers={**live_api.auth("platform"), "Content-Type": "application/json"},
                          content=b'{"items": [{"id": "s", "text": "job \\u0000x"}]}')
    assert in_batch.status_code == 200 and in_batch.json()["results"][0]["id"] == "s"


def test_ordinary_batch_of_1000_ads_is_accepted(live_api: LiveApi):
    items = [{"id": str(i), "title": "Sales assistant",
              "text": f"Shop {i} in Hanoi needs a sales assistant, 8 hours a day. " * 15}
             for i in range(1000)]
    body = json.dumps({"items": items}).encode()
    assert 900_000 < len(body) < 8 * 1024 * 1024
    response = httpx.post(f"{live_api.base}/v1/score/batch", content=body, timeout=60,
                          headers={**live_api.auth("platform"),
                                   "Content-Type": "application/json"})
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(i) for i in range(1000)]


def test_admins_make_list_and_revoke_keys(live_api: LiveApi):
    admin = live_api.auth("admin")
    assert httpx.get(f"{live_api.base}/v1/keys", headers=live_api.auth("reviewer")).status_code \
        == 403
    made = httpx.post(f"{live_api.base}/v1/keys", json={"role": "platform", "name": "board"},
                      headers=admin)
    assert made.status_code == 201
    new = made.json()
    assert new["key"].startswith(new["prefix"]) and new["role"] == "platform"
    listed = httpx.get(f"{live_api.base}/v1/keys", headers=admin).json()
    assert "key" not in listed[0] and listed[0]["id"] == new["id"]
    auth = {"Authorization": f"Bearer {new['key']}"}
    assert httpx.post(f"{live_api.base}/v1/score", json=TYPIST, headers=auth).status_code == 200
    revoked = httpx.delete(f"{live_api.base}/v1/keys/{new['id']}", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked"] is True
    assert httpx.post(f"{live_api.base}/v1/score", json=TYPIST, headers=auth).status_code == 401
    own = next(k for k in listed if k["name"] == "admin-tester")
    assert httpx.delete(f"{live_api.base}/v1/keys/{own['id']}", headers=admin).status_code == 409
    assert httpx.delete(f"{live_api.base}/v1/keys/99999", headers=admin).status_code == 404


def test_batch_and_single_scoring_agree(live_api: LiveApi):
    auth = live_api.auth("platform")
    items = [dict(TYPIST, id=str(n)) for n in range(20)]
    batch = httpx.post(f"{live_api.base}/v1/score/batch", json={"items": items},
                       headers=auth).json()["results"]
    single = httpx.post(f"{live_api.base}/v1/score", json=items[0], headers=auth).json()
    assert all({**r, "id": "0"} == single for r in batch)
