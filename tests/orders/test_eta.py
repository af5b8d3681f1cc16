"""Expected dates in business days on the mainland calendar, with fixed dates (no service).

2026 on the mainland: 国庆 and 中秋 are off from 1 to 7 October (and 25–27 September), and
Saturday 10 October is a make-up workday (调休); Saturday 5 and Sunday 6 December are a
plain weekend.
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.orders import eta
from bot.orders.pipelines import DEFAULT_PIPELINE, PipelineSpec, Stages, StageSpec
from keywords import Hours
from keywords.workdays import add_workdays, is_workday, workday_on_or_after, workdays_between

FRI, SAT, SUN, MON = date(2026, 12, 4), date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 7)
MAKE_UP_SAT = date(2026, 10, 10)


def stages(*days: float) -> Stages:
    names = ["签约", "量尺", "设计", "生产", "安装"][:len(days)]
    return Stages("t", PipelineSpec(stages=[StageSpec(name=n, expected_days=d)
                                            for n, d in zip(names, days, strict=True)]))


def test_the_calendar_knows_weekends_holidays_and_make_up_days() -> None:
    assert is_workday(FRI) and not is_workday(SAT) and not is_workday(SUN)
    assert not is_workday(date(2026, 10, 1)) and not is_workday(date(2026, 10, 7))
    assert is_workday(MAKE_UP_SAT) and is_workday(date(2026, 9, 20))  # 调休 Sat and Sun
    assert add_workdays(FRI, 1) == MON
    assert add_workdays(SAT, 1) == MON  # work begun on a weekend counts from Monday
    assert add_workdays(date(2026, 10, 9), 1) == MAKE_UP_SAT
    assert add_workdays(date(2026, 10, 9), 2) == date(2026, 10, 12)
    assert add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)  # over the holiday
    assert workday_on_or_after(SUN) == MON and workday_on_or_after(FRI) == FRI
    assert workdays_between(FRI, date(2026, 12, 9)) == 3
    assert workdays_between(date(2026, 9, 30), MAKE_UP_SAT) == 3


def test_business_hours_of_rules_ask_the_same_calendar() -> None:
    from datetime import datetime

    from keywords.hours import zone

    hours = Hours(days=(0, 1, 2, 3, 4), start=9 * 60, end=18 * 60, holidays="cn")
    at_ten = datetime(2026, 10, 10, 10, tzinfo=zone("Asia/Shanghai"))
    assert hours.contains(at_ten)  # the make-up Saturday is a workday for rules too
    assert not hours.contains(at_ten.replace(day=3))  # and 国庆 is not


@pytest.mark.parametrize(("days", "whole"), [(1, 1), (0.5, 1), (2.01, 3), (3, 3), (0.01, 1)])
def test_part_of_a_day_takes_the_day(days: float, whole: int) -> None:
    assert eta.business_days(days) == whole


def test_on_time_the_next_stage_is_due_after_its_business_days() -> None:
    plan = eta.project(stages(1, 2, 3), current="签约", since=FRI, today=FRI)
    assert [s.state for s in plan.stages] == ["current", "upcoming", "upcoming"]
    assert plan.next is not None and plan.next.name == "量尺"
    # 签约 (1 day) from Friday: 量尺 on Monday; 量尺 (2 days): 设计 on Wednesday.
    assert [s.expected_on for s in plan.stages[1:]] == [MON, date(2026, 12, 9)]
    assert plan.due == MON and not plan.late and not plan.finished


def test_a_make_up_workday_counts() -> None:
    plan = eta.project(stages(1, 2, 1), current="签约", since=date(2026, 10, 9),
                       today=date(2026, 10, 9))
    assert [s.expected_on for s in plan.stages[1:]] == [MAKE_UP_SAT, date(2026, 10, 13)]


def test_a_late_stage_moves_the_next_to_today_and_shifts_the_rest() -> None:
    # 量尺 was due Monday 30 November; on Thursday 3 December it is still going.
    s = stages(1, 1, 2, 5, 2)
    plan = eta.project(s, current="量尺", since=date(2026, 11, 27), today=date(2026, 12, 3))
    assert plan.late and plan.due == date(2026, 11, 30)
    assert plan.current is not None and plan.current.late
    nxt, later, last = plan.stages[2:]
    assert nxt.expected_on == date(2026, 12, 3)  # today, a workday
    assert later.expected_on == date(2026, 12, 7)  # 2 business days on, over the weekend
    assert last.expected_on == date(2026, 12, 14)
    # Seen on a Saturday, the next is the next business day.
    plan = eta.project(s, current="量尺", since=date(2026, 11, 27), today=SAT)
    assert plan.stages[2].expected_on == MON


def test_dates_the_order_names_win_and_shift_when_a_stage_is_late() -> None:
    s = stages(1, 1, 2, 5, 2)
    explicit = {"设计": date(2026, 12, 10), "安装": date(2026, 12, 21)}
    plan = eta.project(s, current="量尺", since=MON, today=MON, explicit=explicit)
    assert [p.expected_on for p in plan.stages[2:]] == [
        date(2026, 12, 10), date(2026, 12, 14), date(2026, 12, 21)]
    assert plan.due == date(2026, 12, 10) and not plan.late
    # Two business days past the ERP's 设计 date: its 安装 date moves two business days too.
    plan = eta.project(s, current="量尺", since=MON, today=date(2026, 12, 14),
                       explicit=explicit)
    assert plan.late and plan.stages[2].expected_on == date(2026, 12, 14)
    assert plan.stages[4].expected_on == date(2026, 12, 23)


def test_not_started_finished_and_done_stages() -> None:
    s = Stages("default", DEFAULT_PIPELINE)
    plan = eta.project(s, current=None, since=None, today=MON)
    assert plan.current is None and plan.next is not None and plan.next.name == "签约"
    assert all(p.expected_on is None for p in plan.stages) and not plan.late
    plan = eta.project(s, current="验收", since=FRI, today=MON,
                       reached={"签约": date(2026, 11, 2), "生产": date(2026, 11, 20)})
    assert plan.finished and plan.next is None and plan.due is None and not plan.late
    assert plan.stages[0].reached_on == date(2026, 11, 2) and plan.stages[1].reached_on is None
    assert plan.current is not None and plan.current.reached_on == FRI


def test_dates_read_as_people_read_them() -> None:
    assert eta.day_text(MON, FRI) == "12月7日（周一）"
    assert eta.day_text(date(2027, 1, 4), FRI) == "2027年1月4日（周一）"
    assert eta.day_text(None) == "待定"


def test_overdue_is_past_the_expected_business_day() -> None:
    from datetime import UTC, datetime

    from bot.models import Order
    from bot.orders.orders import is_overdue, overdue_since

    # 签约 (1 business day) reached Friday 10:00 北京时间: 量尺 is expected on Monday, so the
    # order is overdue from Tuesday 00:00, not over the weekend.
    order = Order(order_no="DD1", order_type="default", team={"specialist": "a"},
                  specialist="a", expected_dates={}, stage="签约",
                  stage_since=datetime(2026, 12, 4, 2, tzinfo=UTC))
    s = Stages("default", DEFAULT_PIPELINE)
    assert overdue_since(order, s) == datetime(2026, 12, 7, 16, tzinfo=UTC)
    assert not is_overdue(order, s, datetime(2026, 12, 5, 12, tzinfo=UTC))  # Saturday
    assert not is_overdue(order, s, datetime(2026, 12, 7, 15, 59, tzinfo=UTC))  # Mon 23:59
    assert is_overdue(order, s, datetime(2026, 12, 7, 16, 1, tzinfo=UTC))  # Tuesday 00:01
    order.stage = "验收"  # the last stage is the end: never overdue
    assert overdue_since(order, s) is None
