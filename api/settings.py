"""API settings from environment variables (LUREWATCH_*)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the app reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="LUREWATCH_", extra="ignore")

    database_url: str = Field(default="", description="SQLAlchemy URL; empty: SQLite file")
    anonymous_rate_per_minute: int = 60
    platform_rate_per_minute: int = 100_000
    max_single_body_bytes: int = 256 * 1024
    max_batch_body_bytes: int = 8 * 1024 * 1024
    max_batch_items: int = 1000
    report_rate_per_hour: int = 20
