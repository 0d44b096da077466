"""Structured-data reading, normalisation, main text and duplicate clusters, without a crawl."""

from __future__ import annotations

from crawler.dedupe import ClusterIndex
from crawler.jobposting import (
    find_job_postings,
    main_text,
    normalise_date,
    normalise_salary,
    posting_fields,
)

URL = "https://jobs.example.org/vacancy/1"


def _page(json_ld: str) -> str:
    return (f'<html><head><script type="application/ld+json">{json_ld}</script></head>'
            "<body></body></html>")


def test_json_ld_type_lists_nested_objects_and_graph_references_are_read():
    html = _page('{"@context":"https://schema.org","@graph":['
                 '{"@type":"Organization","@id":"#org","name":"Acme Staffing"},'
                 '{"@type":"WebPage","mainEntity":{"@type":["JobPosting","Thing"],'
                 '"title":"Cook","hiringOrganization":{"@id":"#org"}}}]}')
    [(syntax, posting)] = find_job_postings(html, URL)
    assert syntax == "json-ld"
    assert posting_fields(posting)["employer"] == "Acme Staffing"


def test_one_broken_json_ld_block_does_not_hide_the_others():
    html = ('<script type="application/ld+json">{"@type": "JobPosting", "title": </script>'
            '<script type="application/ld+json">{"@type": "JobPosting", "title": "Welder",}'
            "</script>")
    postings = find_job_postings(html, URL)
    assert [p["title"] for _, p in postings] == ["Welder"]


def test_salary_keeps_raw_beside_normalised_and_converts_dollars_to_a_month():
    raw = {"@type": "MonetaryAmount", "currency": "USD",
           "value": {"@type": "QuantitativeValue", "value": 20, "unitText": "HOUR"}}
    salary = normalise_salary(raw)
    assert salary["text"] == "USD 20 per hour"
    assert salary["min"] == salary["max"] == 20 and salary["period"] == "hour"
    assert salary["monthly_usd"] == 3466.0
    assert "monthly_usd" not in normalise_salary({"currency": "THB", "value": 35000})
    assert normalise_salary("$2000/month") == {"text": "$2000/month"}


def test_dates_in_the_forms_pages_and_feeds_use_become_iso():
    assert normalise_date("2026-11-12T08:30:00+07:00") == "2026-11-12T01:30:00Z"
    assert normalise_date("Tue, 17 Nov 2026 09:00:00 +0000") == "2026-11-17T09:00:00Z"
    assert normalise_date("10 November 2026") == "2026-11-10T00:00:00Z"
    assert normalise_date("Nov 18, 2026") == "2026-11-18T00:00:00Z"
    assert normalise_date("3 days ago") == ""


def test_main_text_leaves_menus_sidebars_and_footers_out():
    html = ("<html><body><div class='navbar'>Home Jobs Login</div>"
            "<div class='sidebar'><a href='/a'>Driver jobs</a><a href='/b'>Cook jobs</a></div>"
            "<div class='content'><h1>Cook wanted</h1><p>" + "Restaurant in Doha needs a cook "
            "with three years of experience, employer-paid visa. " * 3 + "</p></div>"
            "<footer>Copyright</footer></body></html>")
    title, text = main_text(html)
    assert title == "Cook wanted"
    assert "Restaurant in Doha" in text
    assert "Driver jobs" not in text and "Copyright" not in text and "Login" not in text


def test_copies_of_one_template_share_a_cluster_and_other_ads_do_not():
    index = ClusterIndex()
    template = ("Data entry staff needed for a foreign company in Phnom Penh. Salary $1,500 a "
                "month paid in USDT. No experience, typing only. We pay flight and visa. "
                "Contact Telegram @{handle} today, fly next week.")
    first, how = index.add("Data entry", template.format(handle="hr_amy"))
    assert how == ""
    assert index.add("Data entry", template.format(handle="hr_amy")) == (first, "exact")
    assert index.add("Data entry", template.format(handle="hr_ken").replace("1,500", "1,800")
                     ) == (first, "near")
    other, how = index.add("Nurse", "Registered nurse for an NHS trust in Leeds, Health and "
                           "Care visa sponsored, no fees to workers, interview by video.")
    assert other != first and how == ""
