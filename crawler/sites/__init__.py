"""Per-site page classes; importing this package registers them (see crawler.pages.register)."""

from crawler.sites import myjobmag, workabroad  # noqa: F401
