"""Desk sessions: signed, expiring, bound to a key hash, never the key itself."""

from __future__ import annotations

import time

from api.security import SessionSigner


def test_session_round_trip_and_tampering():
    signer = SessionSigner(b"s" * 32)
    value = signer.issue("abc123", 60)
    assert signer.verify(value) == "abc123"
    key_hash, expires, signature = value.split(".")
    assert signer.verify(f"other.{expires}.{signature}") is None
    assert signer.verify(f"{key_hash}.{int(expires) + 3600}.{signature}") is None
    assert SessionSigner(b"t" * 32).verify(value) is None  # another server's secret
    for junk in ("", ".", "..", "abc", "abc.def.ghi", "abc..", "\u00e9.1.2"):
        assert signer.verify(junk) is None


def test_expired_session_is_refused():
    signer = SessionSigner(b"s" * 32)
    value = signer.issue("abc123", -1)
    assert signer.verify(value) is None
    assert int(value.split(".")[1]) < time.time()
