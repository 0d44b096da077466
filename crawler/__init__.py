"""lurewatch crawler: a Scrapy project that harvests overseas job postings."""
