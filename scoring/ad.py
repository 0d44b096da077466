"""The job ad as the scorer receives it, and the checks that turn raw JSON into one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

TEXT_FIELDS = ("title", "text", "employer", "location", "salary")
OPTIONAL_FIELDS = ("employer", "location", "salary", "url", "language")
MAX_FIELD_CHARS = 1_000_000
# Only this much of each field is analysed; evidence spans still index the whole field.
ANALYSED_CHARS = 20_000
_TAG = re.compile(r"<(?:[a-zA-Z!/?][^<>]{0,2000})>")


class AdError(ValueError):
    """An ad that cannot be scored, with a message fit for the person who sent it."""


@dataclass
class Ad:
    """One job advertisement."""

    id: str
    title: str = ""
    text: str = ""
    employer: str = ""
    location: str = ""
    salary: str = ""
    url: str = ""
    language: str = ""

    @classmethod
    def from_dict(cls, data: Any) -> Ad:
        """Validate a decoded JSON object; raise AdError naming the first bad field."""
        if not isinstance(data, dict):
            raise AdError("an ad must be a JSON object")
        raw_id = data.get("id")
        if raw_id is None or raw_id == "":
            raise AdError("field 'id' is required")
        if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
            raise AdError("field 'id' must be a string or an integer")
        values: dict[str, str] = {"id": str(raw_id)[:200]}
        for name in ("title", "text", *OPTIONAL_FIELDS):
            value = data.get(name)
            if value is None:
                continue
            if not isinstance(value, str):
                raise AdError(f"field {name!r} must be a string")
            if len(value) > MAX_FIELD_CHARS:
                raise AdError(f"field {name!r} is longer than {MAX_FIELD_CHARS} characters")
            values[name] = value
        if "title" not in values and "text" not in values:
            raise AdError("an ad needs at least one of 'title' or 'text'")
        return cls(**values)

    def field_text(self, name: str) -> str:
        """The part of a field that is analysed, with HTML tags blanked to keep offsets."""
        value: str = getattr(self, name)[:ANALYSED_CHARS]
        if "<" in value and ">" in value:
            value = _TAG.sub(lambda m: " " * len(m.group()), value)
        return value
