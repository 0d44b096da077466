"""Spiders: jobs (any site), feeds, telegram."""
