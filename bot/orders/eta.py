"""Expected dates of an order's stages, in business days on the mainland calendar.

A stage is reached when its milestone is recorded; it lasts its pipeline's
``expected_days`` business days (a fraction takes a whole day), so the next stage is
expected that many business days after it was reached (``keywords.workdays``: weekends and
statutory days off do not count, 调休 workdays do). A date the order itself names
(``expected_dates``, from the ERP or an admin) wins over the count.

A stage that runs late moves what follows: the next stage is then expected no earlier than
today (the next business day when today is none), and every later stage shifts by the
business days the current one is late. So a customer is never told a date already past.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from bot.infra.clock import CST, cst_date
from bot.orders.pipelines import Stages
from keywords.workdays import add_workdays, workday_on_or_after, workdays_between

WEEKDAY_NAMES = "一二三四五六日"
State = Literal["done", "current", "upcoming"]


@dataclass(frozen=True)
class StagePlan:
    name: str
    state: State
    reached_on: date | None = None  # done and current: the day its milestone was recorded
    expected_on: date | None = None  # upcoming: the day it is expected to be reached
    late: bool = False  # current: past its expected end


@dataclass(frozen=True)
class Plan:
    stages: tuple[StagePlan, ...]
    current: StagePlan | None  # None: not started
    next: StagePlan | None  # None: finished (the last stage reached)
    due: date | None  # when the current stage was planned to end (its next stage's date)

    @property
    def late(self) -> bool:
        return self.current is not None and self.current.late

    @property
    def finished(self) -> bool:
        return self.current is not None and self.next is None


def business_days(expected_days: float) -> int:
    """A stage's length in whole business days: part of a day takes the day."""
    return max(1, math.ceil(expected_days - 1e-9))


def project(stages: Stages, *, current: str | None, since: date | None, today: date,
            explicit: dict[str, date] | None = None,
            reached: dict[str, date] | None = None) -> Plan:
    """Every stage of ``stages`` as done, current or upcoming with its date.

    ``current``/``since``: the order's stage and the day it was reached; ``explicit``: the
    dates the order names per stage; ``reached``: when each earlier stage was reached (the
    latest milestone of each), for the done ones.
    """
    explicit = explicit or {}
    reached = reached or {}
    names = stages.names
    cur = names.index(current) if current in names else -1
    specs = stages.spec.stages
    out: list[StagePlan] = []
    due: date | None = None
    delay = 0
    late = False
    previous: date | None = since if cur >= 0 else None
    for i, name in enumerate(names):
        if i < cur:
            out.append(StagePlan(name, "done", reached_on=reached.get(name)))
            continue
        if i == cur:
            out.append(StagePlan(name, "current", reached_on=since))  # late: set below
            continue
        planned: date | None
        if name in explicit:
            planned = explicit[name]
            if delay:
                planned = add_workdays(planned, delay)
        elif previous is not None:
            planned = add_workdays(previous, business_days(specs[i - 1].expected_days))
        else:
            planned = None
        if i == cur + 1 and planned is not None:
            due = planned
            floor = workday_on_or_after(today)
            if planned < today:
                late = True
                delay = workdays_between(planned, floor)
                planned = floor
        if planned is not None and previous is not None and planned < previous:
            planned = previous  # a stage is not reached before the one it follows
        out.append(StagePlan(name, "upcoming", expected_on=planned))
        previous = planned if planned is not None else previous
    if cur >= 0 and late:
        out[cur] = StagePlan(names[cur], "current", reached_on=since, late=True)
    current_plan = out[cur] if cur >= 0 else None
    next_plan = out[cur + 1] if cur + 1 < len(out) else None
    return Plan(tuple(out), current_plan, next_plan, due)


def day_text(day: date | None, today: date | None = None, *, missing: str = "待定") -> str:
    """A date as people read it: 12月29日（周二）, with the year when it is not this year's."""
    if day is None:
        return missing
    year = f"{day.year}年" if today is None or day.year != today.year else ""
    return f"{year}{day.month}月{day.day}日（周{WEEKDAY_NAMES[day.weekday()]}）"


def start_of_next_day(day: date) -> datetime:
    """The first instant (UTC) of the China-time day after ``day``."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1) - CST


def today_of(now: datetime) -> date:
    return cst_date(now)
