"""Working hours on the mainland calendar (keywords.workdays.WorkingHours), on fixed dates:
weekends and statutory days off closed, 调休 workdays open, 北京时间 whatever the input zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from keywords.workdays import BEIJING, WorkingHours

H = WorkingHours()  # 09:00-18:00
MIN = timedelta(minutes=1)


def bj(*args: int) -> datetime:
    return datetime(*args, tzinfo=BEIJING)  # type: ignore[misc]


def test_the_default_is_nine_to_six_on_business_days() -> None:
    assert WorkingHours.parse("09:00-18:00") == H
    assert H.is_open(bj(2026, 12, 11, 9, 0)) and H.is_open(bj(2026, 12, 11, 17, 59))
    assert not H.is_open(bj(2026, 12, 11, 8, 59)) and not H.is_open(bj(2026, 12, 11, 18, 0))
    assert not H.is_open(bj(2026, 12, 12, 10, 0))  # a Saturday
    assert not H.is_open(bj(2026, 10, 5, 10, 0))  # 国庆, a Monday
    assert H.is_open(bj(2026, 10, 10, 10, 0))  # the 调休 Saturday after 国庆
    assert H.is_open(bj(2026, 9, 20, 10, 0))  # the 调休 Sunday before it
    # Any zone in, 北京时间 counted: 01:30 UTC is 09:30 in Beijing; naive means UTC.
    assert H.is_open(datetime(2026, 12, 11, 1, 30, tzinfo=UTC))
    assert H.is_open(datetime(2026, 12, 11, 1, 30))
    assert not H.is_open(datetime(2026, 12, 11, 9, 30, tzinfo=timezone(timedelta(hours=-3))))


def test_a_friday_evening_case_is_due_on_monday_morning() -> None:
    due = H.add(bj(2026, 12, 11, 18, 30), 5 * MIN)
    assert due == bj(2026, 12, 14, 9, 5) and due.tzinfo == UTC
    assert H.add(bj(2026, 12, 11, 17, 50), 15 * MIN) == bj(2026, 12, 14, 9, 5)  # 10 + 5
    assert H.add(bj(2026, 12, 11, 3, 0), 15 * MIN) == bj(2026, 12, 11, 9, 15)  # before opening
    assert H.add(bj(2026, 12, 11, 10, 0), 15 * MIN) == bj(2026, 12, 11, 10, 15)  # inside


def test_time_running_out_at_the_closing_falls_due_at_the_next_opening() -> None:
    assert H.add(bj(2026, 12, 11, 17, 45), 15 * MIN) == bj(2026, 12, 14, 9, 0)
    assert H.add(bj(2026, 12, 12, 12, 0), timedelta(0)) == bj(2026, 12, 14, 9, 0)
    assert H.add(bj(2026, 12, 11, 12, 0), timedelta(0)) == bj(2026, 12, 11, 12, 0)


def test_holidays_are_skipped_and_make_up_days_count() -> None:
    # The eve of 国庆 (Wednesday 2026-09-30): the next working minute is Thursday 10-08.
    assert H.add(bj(2026, 9, 30, 18, 30), 5 * MIN) == bj(2026, 10, 8, 9, 5)
    # Friday 10-09 evening: Saturday 10-10 is a 调休 workday.
    assert H.add(bj(2026, 10, 9, 18, 30), 5 * MIN) == bj(2026, 10, 10, 9, 5)
    # The Spring Festival: Friday 02-13 evening → the 调休 Saturday 02-14; then 9 days off.
    assert H.add(bj(2026, 2, 13, 18, 30), 5 * MIN) == bj(2026, 2, 14, 9, 5)
    assert H.add(bj(2026, 2, 14, 17, 0), 2 * 60 * MIN) == bj(2026, 2, 24, 10, 0)
    # A full working day is nine hours: Monday 09:00 + 9 h is Tuesday 09:00's first minute.
    assert H.add(bj(2026, 12, 14, 9, 0), 9 * 60 * MIN + MIN) == bj(2026, 12, 15, 9, 1)


def test_elapsed_counts_working_time_only() -> None:
    assert H.elapsed(bj(2026, 12, 11, 17, 0), bj(2026, 12, 14, 10, 0)) == 2 * 60 * MIN
    assert H.elapsed(bj(2026, 9, 30, 17, 0), bj(2026, 10, 8, 9, 30)) == 90 * MIN
    assert H.elapsed(bj(2026, 12, 12, 0, 0), bj(2026, 12, 13, 23, 0)) == timedelta(0)
    assert H.elapsed(bj(2026, 12, 14, 10, 0), bj(2026, 12, 14, 9, 0)) == timedelta(0)
    start = bj(2026, 10, 9, 16, 20)
    for minutes in (1, 60, 100, 541, 3000):
        assert H.elapsed(start, H.add(start, minutes * MIN)) == minutes * MIN


def test_next_open() -> None:
    assert H.next_open(bj(2026, 12, 13, 15, 0)) == bj(2026, 12, 14, 9, 0)  # a Sunday
    assert H.next_open(bj(2026, 12, 14, 15, 0)) == bj(2026, 12, 14, 15, 0)
    assert H.next_open(bj(2026, 10, 1, 0, 0)) == bj(2026, 10, 8, 9, 0)


def test_a_lunch_break_and_round_the_clock() -> None:
    lunch = WorkingHours.parse("09:00-12:00, 13:30-18:00")
    assert lunch.spans == ((540, 720), (810, 1080))
    assert not lunch.is_open(bj(2026, 12, 14, 12, 30))
    assert lunch.add(bj(2026, 12, 14, 11, 50), 15 * MIN) == bj(2026, 12, 14, 13, 35)
    assert lunch.describe() == "09:00–12:00、13:30–18:00"
    always = WorkingHours.parse("")
    assert always.always and always.describe() == "全天"
    assert always.is_open(bj(2026, 10, 1, 3, 0))
    assert always.add(bj(2026, 12, 11, 18, 30), 5 * MIN) == bj(2026, 12, 11, 18, 35)
    assert always.elapsed(bj(2026, 12, 11, 18, 30), bj(2026, 12, 12, 18, 30)) == 24 * 60 * MIN
    late = WorkingHours.parse("20:00-24:00")
    assert late.add(bj(2026, 12, 14, 23, 59), 2 * MIN) == bj(2026, 12, 15, 20, 1)


@pytest.mark.parametrize("text", ["9-18", "09:00", "18:00-09:00", "09:00-09:00",
                                  "25:00-26:00", "09:00-24:30", "09:00-12:00,11:00-18:00",
                                  "13:00-18:00,09:00-12:00", "09:60-10:00"])
def test_bad_hours_say_why(text: str) -> None:
    with pytest.raises(ValueError, match=r"span|times|end|order"):
        WorkingHours.parse(text)
