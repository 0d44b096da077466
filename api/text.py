"""Making untrusted strings storable: no NUL (PostgreSQL refuses it), no lone surrogates."""

from __future__ import annotations

from typing import Any


def safe_text(value: str) -> str:
    """`value` without NUL characters and with lone surrogates replaced by U+FFFD."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return value


def safe_strings(data: Any) -> Any:
    """`data` with every string (keys and values, nested) made safe."""
    if isinstance(data, str):
        return safe_text(data)
    if isinstance(data, dict):
        return {safe_text(k) if isinstance(k, str) else k: safe_strings(v)
                for k, v in data.items()}
    if isinstance(data, list):
        return [safe_strings(v) for v in data]
    return data
