"""MyJobMag Kenya (myjobmag.co.ke): Kenyan and overseas vacancies, with a "jobs abroad" section.

Its detail pages carry a JSON-LD JobPosting, but a thin one (the description is cut short and the
employer sometimes missing), so this class keeps the JSON-LD values and fills in the description
and key facts from the page itself.
"""

from __future__ import annotations

from typing import Any

from scrapy.http import TextResponse

from crawler.pages import JobPage, register


@register
class MyJobMagPage(JobPage):
    """Listing: `ul.job-list li.job-list-li h2 a`. Detail: `.job-details` and `.job-key-info`."""

    name = "myjobmag"
    domains = ("myjobmag.co.ke", "myjobmag.com")

    def job_links(self, response: TextResponse) -> list[str]:
        links = response.css("ul.job-list li.job-list-li .job-info h2 a::attr(href)").getall()
        return list(dict.fromkeys(response.urljoin(href) for href in links))

    def next_links(self, response: TextResponse) -> list[str]:
        return [response.urljoin(h) for h in
                response.css("ul.setPaginate li a[rel=next]::attr(href), "
                             "ul.setPaginate li.next a::attr(href)").getall()]

    def key_info(self, response: TextResponse) -> dict[str, str]:
        info = {}
        for row in response.css("ul.job-key-info li"):
            key = " ".join(row.css(".jkey-title ::text").getall()).strip().rstrip(":").lower()
            value = " ".join(t.strip() for t in row.css(".jkey-info ::text").getall()
                             if t.strip())
            if key:
                info[key] = value
        return info

    def postings(self, response: TextResponse) -> list[tuple[str, dict[str, Any]]]:
        found = super().postings(response)
        details = response.css("#printable .job-details, .job-details")
        if not details:
            return found
        info = self.key_info(response)
        _, fields = found[0] if found else ("", {})
        fields = dict(fields)
        fields["text_html"] = details[0].get()
        fields.pop("text", None)
        fields["title"] = fields.get("title") or response.css("h1 ::text").get("").strip()
        employer = response.css(".job-head .company-name a::text, "
                                ".read-h1 + h2 a::text").get("").strip()
        fields["employer"] = fields.get("employer") or employer
        fields["location"] = fields.get("location") or info.get("location", "")
        fields["salary"] = fields.get("salary") or info.get("salary range", "")
        fields["raw"] = {"json_ld": fields.get("raw"), "key_info": info}
        return [(f"site:{self.name}", fields)]
