"""Time: the clock adapters of ``bot.ports.Clock`` and the one China-time helper set.

WeCom's natural days (the 群发 quota, statistics days) are China Standard Time (北京时间,
UTC+8, no daylight saving), so a fixed offset is exact.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

CST = timedelta(hours=8)


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def time(self) -> float:
        return time.time()


class SettableClock:
    """A clock whose source can be swapped while the service runs (tests move time on)."""

    def __init__(self, source: Callable[[], float] = time.time) -> None:
        self.source = source

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.source(), UTC)

    def time(self) -> float:
        return self.source()


def utcnow() -> datetime:
    return datetime.now(UTC)


def cst_date(at: datetime) -> date:
    """The China-time calendar day of an instant."""
    return (at.astimezone(UTC) + CST).date()


def cst_day(at: datetime) -> str:
    """The China-time calendar day of an instant, as YYYY-MM-DD."""
    return cst_date(at).isoformat()


def next_cst_midnight(at: datetime) -> datetime:
    """The first instant of the China-time day after ``at``'s, in UTC."""
    local = at.astimezone(UTC) + CST
    start = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    return start - CST


_WEEKDAYS = "一二三四五六日"


def when_text(at: datetime, now: datetime) -> str:
    """A moment in the coming days as people here read it, 北京时间: 今天 15:30, 明天 09:00,
    周一 09:15 (within the week), else 10月8日（周四）09:15."""
    day, today = cst_date(at), cst_date(now)
    clock = (at.astimezone(UTC) + CST).strftime("%H:%M")
    ahead = (day - today).days
    if ahead == 0:
        return f"今天 {clock}"
    if ahead == 1:
        return f"明天 {clock}"
    if 1 < ahead < 7:
        return f"周{_WEEKDAYS[day.weekday()]} {clock}"
    return f"{day.month}月{day.day}日（周{_WEEKDAYS[day.weekday()]}）{clock}"
