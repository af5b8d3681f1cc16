"""The mainland business calendar: weekdays, statutory days off and make-up workdays (调休),
and working hours on it.

The one calendar of the service: business hours of rules (``keywords.hours``), the
business-day counts of order stages (``bot.orders.eta``), and the working time that
escalation SLAs and overdue alerts count (``WorkingHours``) all ask it. chinese-calendar is
kept up to date yearly from the State Council's notices; for a year it does not cover yet,
plain weekdays stand in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

WEEKDAYS = (0, 1, 2, 3, 4)  # Monday = 0
_ONE = dt.timedelta(days=1)


def cn_day_override(day: dt.date) -> bool | None:
    """False on a statutory day off, True on a make-up workday (调休), else None."""
    from chinese_calendar.constants import holidays, workdays

    if day in holidays:
        return False
    if day in workdays:
        return True
    return None


def is_open(day: dt.date, days: tuple[int, ...] = WEEKDAYS, holidays: str | None = "cn"
            ) -> bool:
    """Whether ``day`` is a working day: one of ``days`` (weekday numbers), unless the
    mainland calendar (``holidays="cn"``) makes it a day off or a make-up workday."""
    if holidays == "cn":
        verdict = cn_day_override(day)
        if verdict is not None:
            return verdict
    return day.weekday() in days


def is_workday(day: dt.date) -> bool:
    """A mainland business day: Monday to Friday, holidays off, 调休 Saturdays and Sundays on."""
    return is_open(day)


def workday_on_or_after(day: dt.date) -> dt.date:
    while not is_workday(day):
        day += _ONE
    return day


def add_workdays(day: dt.date, n: int) -> dt.date:
    """The ``n``-th business day after ``day`` (``n`` = 0: ``day`` if it is one, else the next).

    Work begun on any day is counted from the next business day: one day of work begun on a
    Friday, a Saturday or a Sunday is done on Monday.
    """
    if n <= 0:
        return workday_on_or_after(day)
    for _ in range(n):
        day = workday_on_or_after(day + _ONE)
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Business days in (start, end]: how many ``add_workdays`` steps lead from one to the
    other (0 when ``end`` is not after ``start``)."""
    count = 0
    day = start
    while day < end:
        day += _ONE
        if is_workday(day):
            count += 1
    return count


# -- working hours --------------------------------------------------------------------------

# 北京时间: the mainland has one time zone and no daylight saving, so a fixed offset is exact.
BEIJING = dt.timezone(dt.timedelta(hours=8))
_DAY_MINUTES = 24 * 60
_SPAN_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~]\s*(\d{1,2}):(\d{2})\s*$")
# No business day for this long means the calendar is wrong, not that work stops.
_MAX_CLOSED_DAYS = 60


@dataclass(frozen=True)
class WorkingHours:
    """Working hours on the mainland business calendar, 北京时间.

    The same spans (minutes after midnight, half-open ``[start, end)``) on every business
    day (``is_workday``: weekdays, statutory days off closed, 调休 workdays open). No spans:
    round the clock, every day, so time counts as wall-clock time (a 24/7 team).
    Instants are aware datetimes (naive ones are read as UTC); results are in UTC.
    """

    spans: tuple[tuple[int, int], ...] = ((9 * 60, 18 * 60),)

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """``"09:00-18:00"``, several spans comma-separated (``"09:00-12:00,13:30-18:00"``),
        or ``""`` for round the clock. ValueError says what is wrong."""
        spans: list[tuple[int, int]] = []
        for part in (p for p in text.replace("，", ",").split(",") if p.strip()):
            m = _SPAN_RE.match(part)
            if not m:
                raise ValueError(f"{part.strip()!r} is not a span like 09:00-18:00")
            h1, m1, h2, m2 = (int(g) for g in m.groups())
            if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
                raise ValueError(f"{part.strip()!r}: times run from 00:00 to 24:00")
            start, end = h1 * 60 + m1, h2 * 60 + m2
            if start >= end:
                raise ValueError(f"{part.strip()!r}: the end must be after the start")
            if spans and start < spans[-1][1]:
                raise ValueError(f"{part.strip()!r}: spans must be in order and not overlap")
            spans.append((start, end))
        return cls(tuple(spans))

    @property
    def always(self) -> bool:
        return not self.spans

    def describe(self) -> str:
        """The spans as people read them: 09:00–18:00 (全天 when round the clock)."""
        if self.always:
            return "全天"
        return "、".join(f"{_hhmm(a)}–{_hhmm(b)}" for a, b in self.spans)

    def is_open(self, at: dt.datetime) -> bool:
        if self.always:
            return True
        local = _local(at)
        if not is_workday(local.date()):
            return False
        minute = local.hour * 60 + local.minute  # spans are whole minutes, half-open
        return any(a <= minute < b for a, b in self.spans)

    def next_open(self, at: dt.datetime) -> dt.datetime:
        """``at`` when open, else the start of the next working period."""
        if self.always:
            return _utc(at)
        start, _ = next(self._periods(at))
        return _utc(start)

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The instant when ``duration`` of working time has passed since ``start``: a case
        opened on a Friday evening with 15 minutes to go is due at 09:15 on the next
        business day. Outside working hours nothing counts, and the result is always inside
        them: time running out at a closing falls due at the next opening (a zero duration
        gives the next opening too)."""
        if self.always:
            return _utc(start) + duration
        left = max(duration, dt.timedelta(0))
        for a, b in self._periods(start):
            if left < b - a or not left:
                return _utc(a + left)
            left -= b - a
        raise AssertionError("unreachable: _periods never ends")

    def elapsed(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time between two instants (zero when ``end`` is not after ``start``)."""
        if self.always:
            return max(dt.timedelta(0), _utc(end) - _utc(start))
        stop = _local(end)
        total = dt.timedelta(0)
        for a, b in self._periods(start):
            if a >= stop:
                break
            total += min(b, stop) - a
        return total

    def _periods(self, since: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """The working periods from ``since`` on (local, naive), the first clipped to it."""
        local = _local(since)
        day = local.date()
        closed = 0
        while True:
            if is_workday(day):
                closed = 0
                midnight = dt.datetime.combine(day, dt.time())
                for a, b in self.spans:
                    begin = midnight + dt.timedelta(minutes=a)
                    end = midnight + dt.timedelta(minutes=b)
                    if end > local:
                        yield max(begin, local), end
            else:
                closed += 1
                if closed > _MAX_CLOSED_DAYS:
                    raise ValueError(f"no business day in {_MAX_CLOSED_DAYS} days after {day}")
            day += _ONE


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _utc(at: dt.datetime) -> dt.datetime:
    if at.tzinfo is None:  # a local (naive) result of _periods
        return (at - dt.timedelta(hours=8)).replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC)


def _local(at: dt.datetime) -> dt.datetime:
    """北京时间, naive (the calendar's own arithmetic); naive input is UTC."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(BEIJING).replace(tzinfo=None)
