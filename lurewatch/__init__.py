"""lurewatch: warns people about job adverts that lure them into scam compounds."""

__version__ = "0.1.0"
