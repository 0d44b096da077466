"""WorkAbroad.ph: overseas jobs for Filipino workers, posted by DMW-licensed recruitment agencies.

Its job pages carry no schema.org markup, so this class reads them by their classes. The agency
and its DMW (formerly POEA) licence number matter: a licensed agency is evidence the scorer
weighs, so the licence goes into the text and into the raw values.
"""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import TextResponse

from crawler.jobposting import normalise_date
from crawler.pages import JobPage, register

_LICENCE = re.compile(r"(?:DMW|POEA)?[\s-]*(?:License|Licence)\s*(?:No\.?|Number)?[:\s]*"
                      r"([A-Z0-9][A-Z0-9-]{5,})", re.I)


@register
class WorkAbroadPage(JobPage):
    """Listing: `.job-item a.job-title`, pager `a[rel=next]`. Detail: `#job-details`."""

    name = "workabroad"
    domains = ("workabroad.ph",)

    def job_links(self, response: TextResponse) -> list[str]:
        links = response.css(".job-list .job-item a.job-title::attr(href)").getall()
        return list(dict.fromkeys(response.urljoin(href) for href in links))

    def next_links(self, response: TextResponse) -> list[str]:
        return [response.urljoin(h) for h in
                response.css(".pagination a[rel=next]::attr(href)").getall()]

    def postings(self, response: TextResponse) -> list[tuple[str, dict[str, Any]]]:
        details = response.css("#job-details")
        if not details:
            return super().postings(response)
        box = details[0]

        def text(selector: str) -> str:
            return " ".join(t.strip() for t in box.css(f"{selector} ::text").getall()
                            if t.strip())

        agency = text(".agency-name")
        licence_line = text(".agency-license")
        licence = _LICENCE.search(licence_line)
        description_html = box.css(".job-description").get("")
        posted_raw = text(".date-posted").removeprefix("Posted on").strip(" :")
        country = text(".job-country")
        fields = {
            "title": text("h1.job-title"),
            "employer": agency,
            "location": ", ".join(p for p in (text(".job-city"), country) if p),
            "location_raw": {"city": text(".job-city"), "country": country},
            "location_country": country,
            "salary": text(".job-salary"),
            "salary_raw": text(".job-salary"),
            "date_posted_raw": posted_raw,
            "date_posted": normalise_date(posted_raw),
            # The licence line is part of what the jobseeker reads, so the scorer sees it too.
            "text_html": f"{description_html}<p>{agency}. {licence_line}</p>",
            "raw": {"agency": agency, "licence": licence.group(1) if licence else "",
                    "principal": text(".principal-name"),
                    "job_order": text(".job-order-no")},
        }
        return [(f"site:{self.name}", fields)]
