"""Scrapy settings: polite by default (robots.txt, one request per domain, AutoThrottle)."""

from lurewatch import __version__

BOT_NAME = "lurewatch"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
USER_AGENT = (
    f"lurewatch/{__version__} (+https://github.com/lurewatch/lurewatch; "
    "anti-trafficking research crawler; contact: https://github.com/lurewatch/lurewatch/issues)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
METAREFRESH_ENABLED = True
ITEM_PIPELINES = {
    "crawler.pipelines.CleanTextPipeline": 100,
    "crawler.pipelines.LanguagePipeline": 150,
    "crawler.pipelines.ClusterPipeline": 200,
    "crawler.pipelines.ScorePipeline": 300,
    "crawler.pipelines.StorePipeline": 400,
    "crawler.pipelines.JsonLinesPipeline": 500,
}
EXTENSIONS = {
    "crawler.resume.ResumeExtension": 0,
    "crawler.progress.ProgressLine": 10,
}
# Seconds between progress lines on standard error (0: none).
LUREWATCH_PROGRESS_INTERVAL = 10
# Dropped items are counted in the stats (lurewatch/dropped/<reason>); log them at DEBUG only.
LOG_FORMATTER = "crawler.logformatter.QuietDrops"
# Scrapy's remote-control HTTP endpoint: a crawler has no business listening on a port.
REMOTE_CONTROL_ENABLED = False
# Items a callback yields are processed this many at a time (Scrapy default 100 starts 100
# asyncio tasks per response; job pages give one or a few postings).
CONCURRENT_ITEMS = 16
