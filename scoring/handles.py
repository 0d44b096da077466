"""Contact handles of an ad in the stable form stored and shown to NGOs."""

from __future__ import annotations

from scoring.ad import Ad
from scoring.signals import Detection, detect


def handles_of(detection: Detection) -> list[dict[str, str]]:
    """Distinct handles ({channel, value, country}) among the contacts a detection found, in
    the order they appear (an @handle counts as Telegram, where such handles live)."""
    seen: set[tuple[str, str]] = set()
    handles: list[dict[str, str]] = []
    for _, contact in sorted(detection.contacts, key=lambda pair: pair[1].start):
        if not contact.handle:
            continue
        channel = "telegram" if contact.channel == "handle" else contact.channel
        key = (channel, contact.handle)
        if key not in seen:
            seen.add(key)
            handles.append({"channel": channel, "value": contact.handle,
                            "country": contact.country})
    return handles


def ad_handles(ad: Ad) -> list[dict[str, str]]:
    """Distinct handles found in the ad's text fields (the scorer's `Result.handles` gives the
    same for an ad it scored, without a second pass)."""
    return handles_of(detect(ad))
