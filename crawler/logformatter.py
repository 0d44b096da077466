"""Log formatting: dropped items are counted in the stats, so their log lines are DEBUG only."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter


class QuietDrops(LogFormatter):
    """Scrapy's formatter, with a one-line DEBUG message for dropped items."""

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any = None,
                *args: Any, **kwargs: Any) -> dict[str, Any]:
        return {"level": logging.DEBUG, "msg": "Dropped: %(exception)s",
                "args": {"exception": exception}}
