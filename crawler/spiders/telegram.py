"""The `telegram` spider: public channel previews (`https://t.me/s/<channel>`).

Each post is an item with its date and link; the spider follows "older posts" pagination
(`?before=<id>`) until the channel's first post or the page limit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlparse

import scrapy
from scrapy.http import Response, TextResponse

from crawler.jobposting import normalise_date
from crawler.spiders.base import LurewatchSpider


def channel_posts(response: TextResponse) -> list[tuple[str, dict[str, Any]]]:
    """(extraction, fields) for every post with text on a channel preview page."""
    channel_title = response.css(".tgme_channel_info_header_title ::text").get("").strip()
    posts = []
    for message in response.css(".tgme_widget_message[data-post]"):
        post_id = message.attrib["data-post"]
        body = message.css(".tgme_widget_message_text")
        if not body:
            continue
        html = body[0].get().replace("<br>", "\n").replace("<br/>", "\n")
        link = message.css("a.tgme_widget_message_date::attr(href)").get() or (
            f"https://t.me/{post_id}")
        raw_date = message.css(".tgme_widget_message_date time::attr(datetime)").get("")
        author = message.css(".tgme_widget_message_owner_name ::text").get("").strip()
        text = body[0].xpath("string()").get("").strip()
        posts.append(("telegram", {
            "url": response.urljoin(link),
            "title": text.splitlines()[0][:200] if text else "",
            "text_html": html,
            "employer": "",
            "date_posted_raw": raw_date,
            "date_posted": normalise_date(raw_date),
            "raw": {"post": post_id, "channel": channel_title, "author": author,
                    "views": message.css(".tgme_widget_message_views::text").get("")},
        }))
    return posts


def older_page(response: TextResponse) -> str | None:
    """The "older posts" page of a channel preview, if there is one."""
    href = (response.css("a.tme_messages_more[data-before]::attr(href)").get()
            or response.css("link[rel=prev]::attr(href)").get())
    return response.urljoin(href) if href else None


class TelegramSpider(LurewatchSpider):
    """Harvests posts of public Telegram channels through their web preview."""

    name = "telegram"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.start_urls_list:
            yield self.request(url, self.parse, "channel")

    def parse(self, response: Response) -> Iterator[Any]:
        if not self.count_page(response):
            return
        assert isinstance(response, TextResponse)
        posts = channel_posts(response)
        items = self.items(response, posts, "channel")
        channel = urlparse(response.url).path.removeprefix("/s/").strip("/")
        for item in items:
            item.source = self.params.source or f"t.me/{channel}"
        yield from items
        if posts:
            older = older_page(response)
            if older:
                yield self.request(older, self.parse, "channel")
