"""Retry and rate-limit knobs for the client (tests pass tiny delays and limits)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """How hard the client tries before raising.

    - errcode -1 (系统繁忙): at most ``busy_retries`` retries (the docs say ≤3).
    - 45009/45033, HTTP 5xx, timeouts and connection errors: at most ``transient_retries``
      retries, and never past ``budget_seconds`` of waiting in total.
    - a rejected token: refreshed and retried once.
    Delays grow as ``base_delay * 2**n`` up to ``max_delay``; rate-limit errors wait at least
    ``rate_limit_delay`` (WeCom's minute bans last 60 s).
    """

    busy_retries: int = 3
    transient_retries: int = 4
    base_delay: float = 0.5
    max_delay: float = 30.0
    rate_limit_delay: float = 5.0
    budget_seconds: float = 120.0
    request_timeout: float = 15.0
    # Longest a call waits for our own rate limiter before giving up with LimiterBusy, so a
    # job is rescheduled instead of sleeping past its timeout.
    limiter_wait: float = 20.0
    # How long WeCom's minute bans last: a queued message refused for a rate limit after all
    # the retries above comes back after this, without spending one of its attempts.
    rate_limit_ban: float = 60.0

    def delay(self, attempt: int, *, rate_limited: bool = False) -> float:
        d = min(self.max_delay, self.base_delay * (2**attempt))
        if rate_limited:
            d = max(d, self.rate_limit_delay)
        return d


@dataclass(frozen=True)
class RateLimits:
    """Client-side limits; calls over a limit wait for the next window instead of failing.

    ``per_api`` is per corp and API path (None: ``settings.wecom.api_calls_per_minute``
    per ``window``). ``member_per_minute``/``member_per_hour`` apply to each recipient of
    ``message/send`` (protocol.md §5.1: WeCom silently drops the excess).
    """

    per_api: int | None = None
    window: float = 60.0
    member_per_minute: int = 30
    member_per_hour: int = 1000
    member_minute_window: float = 60.0
    member_hour_window: float = 3600.0
