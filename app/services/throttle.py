"""Per-address limits (failed logins, password-reset requests, public forms), counted by the
`limits` library: memory:// in one process, redis:// (RATELIMIT_STORAGE_URI) shared by several."""
from __future__ import annotations

import time

from flask import Flask, current_app
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


def init_app(app: Flask) -> None:
    storage = storage_from_string(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    app.extensions["rate_limiter"] = MovingWindowRateLimiter(storage)


def _limiter() -> MovingWindowRateLimiter:
    return current_app.extensions["rate_limiter"]


def wait_for(what: str, address: str, limits: str) -> int | None:
    """Seconds until `address` may do `what` again under `limits` ("20/minute;100/hour"), or None."""
    for limit in parse_many(limits):
        if not _limiter().test(limit, what, address):
            reset_at, _remaining = _limiter().get_window_stats(limit, what, address)
            return max(1, int(reset_at - time.time()) + 1)
    return None


def count(what: str, address: str, limits: str) -> None:
    """One more `what` by `address`."""
    for limit in parse_many(limits):
        _limiter().hit(limit, what, address)


def take(what: str, address: str, limits: str) -> int | None:
    """Count one `what` if `address` may do it now and return None; else the seconds to wait."""
    wait = wait_for(what, address, limits)
    if wait is None:
        count(what, address, limits)
    return wait
