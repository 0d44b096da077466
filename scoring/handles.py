"""Contact handles of an ad in the stable form stored and shown to NGOs."""

from __future__ import annotations

from scoring.ad import Ad
from scoring.extract.contacts import find_contacts
from scoring.normalize import clean

_FIELDS = ("title", "text", "employer", "salary")


def ad_handles(ad: Ad) -> list[dict[str, str]]:
    """Distinct handles ({channel, value, country}) found in the ad's text fields."""
    seen: set[tuple[str, str]] = set()
    handles: list[dict[str, str]] = []
    for name in _FIELDS:
        value = ad.field_text(name)
        if not value.strip():
            continue
        for contact in find_contacts(clean(value).text):
            if not contact.handle:
                continue
            channel = "telegram" if contact.channel == "handle" else contact.channel
            key = (channel, contact.handle)
            if key not in seen:
                seen.add(key)
                handles.append({"channel": channel, "value": contact.handle,
                                "country": contact.country})
    return handles
