"""Per-site page classes against saved copies of the boards' pages (tests/fixtures/boards/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.jobposting import html_to_text
from crawler.pages import JobPage, page_for
from crawler.spiders.jobs import JobsSpider

BOARDS = Path(__file__).resolve().parent / "fixtures" / "boards"
SAVED = sorted(BOARDS.glob("*/*.html"))
SITE_CLASS = {"workabroad.ph": "workabroad", "myjobmag.co.ke": "myjobmag"}


def _response(page: Path, url: str, page_type: str = "detail") -> HtmlResponse:
    return HtmlResponse(url=url, body=page.read_bytes(), encoding="utf-8",
                        request=Request(url, meta={"page_type": page_type}))


@pytest.mark.parametrize("page", SAVED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_saved_board_page_gives_expected_links_and_postings(page: Path):
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    response = _response(page, expected["url"])
    reader = page_for(expected["url"])
    assert reader.name == SITE_CLASS[page.parent.name]
    if "job_links" in expected:
        assert reader.job_links(response) == expected["job_links"]
        assert reader.next_links(response) == expected["next_links"]
    postings = reader.postings(response)
    assert len(postings) == len(expected["postings"])
    for (extraction, fields), want in zip(postings, expected["postings"], strict=True):
        assert extraction == want["extraction"]
        for key in ("title", "employer", "location", "salary", "date_posted_raw", "date_posted"):
            assert fields.get(key, "") == want[key], key
        for key, value in want["raw"].items():
            assert fields["raw"][key] == value, key
        text = html_to_text(fields["text_html"])
        for snippet in want["text_contains"]:
            assert snippet in text
        for snippet in want["text_lacks"]:
            assert snippet not in text


def test_generic_reader_serves_unknown_sites():
    assert type(page_for("https://jobs.example.org/vacancy/1")) is JobPage
    assert page_for("https://m.workabroad.ph/job/1").name == "workabroad"


def test_jobs_spider_uses_the_board_class_and_paginates_after_detail_links():
    crawler = get_crawler(JobsSpider, {"LUREWATCH_STORE": False})
    crawler._apply_settings()
    url = "https://www.myjobmag.co.ke/jobs-abroad"
    spider = JobsSpider.from_crawler(crawler, urls=[url], render="never")
    out = list(spider.parse(_response(BOARDS / "myjobmag.co.ke" / "listing.html", url,
                                      "start")))
    types = [request.meta["page_type"] for request in out]
    assert types == ["detail", "detail", "detail", "listing"]  # details first, then next page
    assert out[0].priority > out[-1].priority
    detail_url = "https://www.myjobmag.co.ke/job/customer-care-agents-bangkok-3"
    items = list(spider.parse_detail(_response(BOARDS / "myjobmag.co.ke" / "job.html",
                                               detail_url)))
    assert len(items) == 1 and items[0].extraction == "site:myjobmag"
    assert items[0].url == detail_url and not items[0].rendered
