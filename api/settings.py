"""API settings from environment variables (LUREWATCH_*)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the app reads from its environment (each field as LUREWATCH_<NAME>)."""

    model_config = SettingsConfigDict(env_prefix="LUREWATCH_", extra="ignore")

    database_url: str = Field(default="", description="SQLAlchemy URL; empty: SQLite file")
    # Scoring without a key, per client address: a browser extension checks one ad per page view.
    anonymous_rate_per_minute: int = Field(default=60, ge=1)
    # Scoring with a platform (or reviewer/admin) key, per key: enough for bulk use.
    platform_rate_per_minute: int = Field(default=100_000, ge=1)
    # Reports from the extension, per client address.
    report_rate_per_hour: int = Field(default=20, ge=1)
    max_single_body_bytes: int = Field(default=256 * 1024, ge=1024)
    max_batch_body_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)
    max_batch_items: int = Field(default=1000, ge=1)
    # Scoring answers kept in memory for repeated ads (0 turns the cache off).
    score_cache_size: int = Field(default=4096, ge=0)
    # Helper processes that score ads beside the server process (0: score only in-process).
    scoring_processes: int = Field(default=1, ge=0, le=8)
    # Seconds after which the in-memory copy of the API keys is re-read, so a key revoked by
    # another process (another server, the database itself) stops working within this time;
    # DELETE /v1/keys/{id} on this server takes effect at once. One small query per period.
    key_cache_seconds: float = Field(default=5.0, ge=0)
    # Mark the desk's session cookie Secure (set when served over HTTPS).
    secure_cookies: bool = False
