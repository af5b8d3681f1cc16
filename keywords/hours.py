"""Business-hours windows with an optional mainland-China holiday calendar (``workdays``)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .workdays import is_open

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOLIDAY_CALENDARS = ("cn",)
_TIME_RE = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


@dataclass(frozen=True)
class Hours:
    days: tuple[int, ...] = tuple(range(7))  # weekday numbers, Monday = 0
    start: int = 0  # minutes after midnight
    end: int = 1440
    tz: str = "Asia/Shanghai"
    holidays: str | None = None

    def contains(self, at: dt.datetime) -> bool:
        """Is `at` (aware; naive means UTC) inside the window?

        A window that crosses midnight belongs to the day it starts on: for
        "mon-fri 22:00-06:00", Saturday 02:00 is inside (Friday's night) and
        Monday 02:00 is not (Sunday's night). start == end means all day.
        """
        if at.tzinfo is None:
            at = at.replace(tzinfo=dt.UTC)
        local = at.astimezone(zone(self.tz))
        minute = local.hour * 60 + local.minute
        day = local.date()
        if self.start < self.end:
            if not self.start <= minute < self.end:
                return False
        elif self.start > self.end:
            if minute < self.end:
                day -= dt.timedelta(days=1)
            elif minute < self.start:
                return False
        return self._open_on(day)

    def _open_on(self, day: dt.date) -> bool:
        return is_open(day, self.days, self.holidays)


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def parse_days(value: str) -> tuple[int, ...]:
    """'mon-fri', 'mon,wed,sat', 'fri-mon' (wraps), 'all' -> weekday numbers."""
    text = value.strip().lower()
    if text in ("all", "*", "daily"):
        return tuple(range(7))
    days: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            a, _, b = part.partition("-")
            i, j = _day(a), _day(b)
            k = i
            days.add(k)
            while k != j:
                k = (k + 1) % 7
                days.add(k)
        else:
            days.add(_day(part))
    return tuple(sorted(days))


def _day(name: str) -> int:
    name = name.strip()[:3]
    if name not in DAY_NAMES:
        raise ValueError(f"unknown day {name!r} (use mon..sun, ranges like mon-fri, or all)")
    return DAY_NAMES.index(name)


def format_days(days: tuple[int, ...]) -> str:
    if len(days) == 7:
        return "all"
    if len(days) > 1 and days == tuple(range(days[0], days[-1] + 1)):
        return f"{DAY_NAMES[days[0]]}-{DAY_NAMES[days[-1]]}"
    return ",".join(DAY_NAMES[d] for d in days)


def parse_time(value: object, *, allow_24: bool) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads unquoted 18:00 as the base-60 integer 1080.
        raise ValueError(f'got the number {value}; quote times, e.g. "18:00"')
    if not isinstance(value, str):
        raise ValueError(f'expected "HH:MM", got {type(value).__name__}')
    m = _TIME_RE.match(value.strip())
    if not m:
        raise ValueError(f'expected "HH:MM" (00:00-23:59), got {value!r}')
    minutes = int(m.group(1)) * 60 + int(m.group(2))
    if minutes > 1440 or (minutes == 1440 and not allow_24):
        raise ValueError(f"time out of range: {value!r}")
    return minutes


def format_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def check_tz(name: object) -> str:
    if not isinstance(name, str) or not name:
        raise ValueError("expected an IANA time zone name such as Asia/Shanghai")
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc
    return name
