"""Appointment times as people write them (北京时间), and every way of getting one wrong
refused with a Chinese reason and nothing guessed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.orders.appointments import remind_at
from bot.orders.slot_times import SlotError, parse_each, parse_slots, slot_text

# 2026-12-05 12:00 北京时间, a Saturday.
NOW = datetime(2026, 12, 5, 4, 0, tzinfo=UTC)


def beijing(y: int, mo: int, d: int, h: int, mi: int) -> datetime:
    """A 北京时间 wall-clock time as the UTC instant."""
    return datetime(y, mo, d, h, mi, tzinfo=timezone(timedelta(hours=8))).astimezone(UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("12月9日14:00", [beijing(2026, 12, 9, 14, 0)]),
    ("2026-12-09 14:00", [beijing(2026, 12, 9, 14, 0)]),
    ("2026/12/9 9:30", [beijing(2026, 12, 9, 9, 30)]),
    ("2026年12月9日 14:00", [beijing(2026, 12, 9, 14, 0)]),
    ("12月9号 下午2点半", [beijing(2026, 12, 9, 14, 30)]),
    ("12月9日晚上8点", [beijing(2026, 12, 9, 20, 0)]),
    ("12月9日中午12点", [beijing(2026, 12, 9, 12, 0)]),
    ("１２月９日　１４：００", [beijing(2026, 12, 9, 14, 0)]),  # full-width
    ("12-09 14:00", [beijing(2026, 12, 9, 14, 0)]),
    ("明天 10:00", [beijing(2026, 12, 6, 10, 0)]),
    ("2026-12-09T06:00:00Z", [beijing(2026, 12, 9, 14, 0)]),
    ("2026-12-09T14:00:00+08:00", [beijing(2026, 12, 9, 14, 0)]),
    ("1月3日10:00", [beijing(2027, 1, 3, 10, 0)]),  # long gone this year: next year's
    # Several, any separator, given in any order: earliest first.
    ("12月10日 10:00、12月9日14:00，2026-12-11 9:30", [
        beijing(2026, 12, 9, 14, 0), beijing(2026, 12, 10, 10, 0), beijing(2026, 12, 11, 9, 30)]),
])
def test_times_people_write(text: str, expected: list[datetime]) -> None:
    assert parse_slots(text, NOW) == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("", "请写出预约时间"),
    ("12月9日", "「12月9日」缺少几点几分"),
    ("12月9日 14:00 12月10日", "「12月10日」缺少几点几分"),
    ("下周三 14:00", "看不懂"),
    ("abc 12月9日14:00", "「abc」看不懂"),
    ("13月1日 10:00", "没有这一天"),
    ("2月30日 10:00", "没有这一天"),
    ("12月9日 25:00", "时间不对"),
    ("12月9日 14:61", "时间不对"),
    ("12月4日 10:00", "已经过去了"),  # yesterday: a mistake, not next year's
    ("今天 11:00", "已经过去了"),
    ("2028-01-01 10:00", "一年以内"),
    ("12月9日14:00 12月9日 下午2点", "重复了"),
    ("12月9日14:00 12月10日14:00 12月11日14:00 12月12日14:00", "最多提供 3 个"),
    ("2026-12-09T14:00:00+15:00", "时区不对"),
])
def test_what_cannot_be_read_or_used_is_refused_in_chinese(text: str, reason: str) -> None:
    with pytest.raises(SlotError) as got:
        parse_slots(text, NOW)
    assert reason in str(got.value)


def test_the_api_takes_one_time_per_item() -> None:
    assert parse_each(["12月9日14:00", "2026-12-10 10:00"], NOW) == [
        beijing(2026, 12, 9, 14, 0), beijing(2026, 12, 10, 10, 0)]
    with pytest.raises(SlotError, match="看不懂"):
        parse_each(["12月9日14:00 12月10日10:00"], NOW)  # two times in one item


def test_shown_back_in_beijing_time_with_the_weekday() -> None:
    assert slot_text(beijing(2026, 12, 9, 14, 0), NOW) == "12月9日（周三）14:00"
    assert slot_text(beijing(2027, 1, 3, 9, 5), NOW) == "2027年1月3日（周日）09:05"


def test_the_reminder_is_due_the_day_before_at_the_hour() -> None:
    assert remind_at(beijing(2026, 12, 9, 14, 0), 10) == beijing(2026, 12, 8, 10, 0)
    # Just after midnight: still the calendar day before, in 北京时间.
    assert remind_at(beijing(2026, 12, 9, 0, 30), 10) == beijing(2026, 12, 8, 10, 0)


@given(st.text(max_size=80))
def test_any_text_is_read_or_refused_never_crashes(text: str) -> None:
    try:
        got = parse_slots(text, NOW)
    except SlotError:
        return
    assert 1 <= len(got) <= 3 and got == sorted(got) and all(t > NOW for t in got)


def test_the_api_names_a_date_without_a_time() -> None:
    with pytest.raises(SlotError, match="「12月9日」缺少几点几分"):
        parse_each(["12月9日"], NOW)
    with pytest.raises(SlotError, match="看不懂"):
        parse_each([" "], NOW)
