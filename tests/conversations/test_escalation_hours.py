"""Escalation SLAs on the business calendar, end to end through the sandbox on a set clock:
re-notify and raise count working time only (09:00-18:00 北京时间, mainland holidays off,
调休 workdays on), and the queued customer is told when they will be contacted."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.conversations.escalation_sla import check_sla, unclaimed_past_raise
from bot.models import Escalation
from bot.settings import Settings
from keywords.workdays import BEIJING
from sandbox import SEED_CUSTOMERS, SandboxClock
from tests.harness.waiting import wait_for
from tests.harness.world import KF, World, load_sample_rules, world

FIRST, SECOND, THIRD = (c for c, _ in SEED_CUSTOMERS)
SUPERVISOR = "liuyang"


def bj(*args: int) -> datetime:
    return datetime(*args, tzinfo=BEIJING)  # type: ignore[misc]


def hours_settings(mode_settings: Callable[..., Settings], hours: str = "09:00-18:00"
                   ) -> Settings:
    return mode_settings(business_hours=hours,
                         conversations={"supervisors": {KF: SUPERVISOR}})


async def _queued(w: World, customer: str) -> Escalation:
    """The customer asks for a person while nobody receives: the case is queued."""
    await w.sandbox.customer_says(KF, customer, "转人工")
    await w.settle()

    async def found() -> Escalation | None:
        return await Escalation.filter(external_userid=customer).first()

    esc: Escalation = await wait_for(found)
    assert esc.queued
    return esc


async def _nobody_receiving(w: World) -> None:
    for userid in ("zhangwei", SUPERVISOR):
        await w.sandbox.set_servicer_status(KF, userid, False)


def _cards(w: World) -> list[str]:
    return [m["payload"]["main_title"]["title"] for m in w.app_inbox(SUPERVISOR)]


async def _at(clock: SandboxClock, w: World, when: datetime) -> tuple[int, int]:
    """Move both clocks to ``when`` and run the SLA check there."""
    clock.advance((when - w.services.ports.clock.now()).total_seconds())
    return await check_sla(w.services.ports)


async def _sla_state(esc: Escalation) -> tuple[datetime | None, datetime | None]:
    row = await Escalation.get(id=esc.id)
    return row.renotified_at, row.raised_at


async def test_a_friday_evening_case_is_renotified_on_monday_morning_not_saturday(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(hours_settings(mode_settings)) as w:
        await load_sample_rules(w)
        clock = w.set_clock(bj(2026, 12, 11, 18, 30))  # a Friday, after the closing
        await _nobody_receiving(w)
        esc = await _queued(w, FIRST)
        # The customer is told when: the raise deadline, 15 minutes into Monday.
        assert w.kf_texts(FIRST)[-1] == ("您已进入排队。专员的工作时间是工作日 09:00–18:00"
                                         "（北京时间），周一 09:15 前会有专员联系您。")
        assert len(_cards(w)) == 1  # the case itself is told at once
        for when in (bj(2026, 12, 11, 23, 0), bj(2026, 12, 12, 9, 5),
                     bj(2026, 12, 12, 15, 0), bj(2026, 12, 13, 9, 30),
                     bj(2026, 12, 14, 8, 59), bj(2026, 12, 14, 9, 4)):
            await _at(clock, w, when)
            assert await _sla_state(esc) == (None, None), when
        await w.settle()
        assert len(_cards(w)) == 1  # nobody was paged over the weekend
        await _at(clock, w, bj(2026, 12, 14, 9, 5, 30))
        renotified, raised = await _sla_state(esc)
        assert renotified is not None and raised is None
        assert bj(2026, 12, 14, 9, 5) <= renotified < bj(2026, 12, 14, 9, 6)
        await _at(clock, w, bj(2026, 12, 14, 9, 15, 30))
        renotified, raised = await _sla_state(esc)
        assert raised is not None and bj(2026, 12, 14, 9, 15) <= raised < bj(2026, 12, 14, 9, 16)
        await w.settle()
        titles = _cards(w)
        assert len(titles) == 3 and "提醒" in titles[1] and "超时上报" in titles[2]
        # Inside working hours the queued customer gets the plain notice.
        await _queued(w, SECOND)
        assert w.kf_texts(SECOND)[-1] == w.services.settings.conversations.queue_notice


async def test_a_holiday_is_skipped_and_a_make_up_saturday_counts(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(hours_settings(mode_settings)) as w:
        await load_sample_rules(w)
        # The eve of the National Day holiday (Wednesday 2026-09-30, 10-01..10-07 off).
        clock = w.set_clock(bj(2026, 9, 30, 18, 30))
        await _nobody_receiving(w)
        esc = await _queued(w, FIRST)
        assert "10月8日（周四）09:15 前会有专员联系您" in w.kf_texts(FIRST)[-1]
        for day in range(1, 8):  # every day of the holiday, at 10:00
            await _at(clock, w, bj(2026, 10, day, 10, 0))
            assert await _sla_state(esc) == (None, None), day
        await _at(clock, w, bj(2026, 10, 8, 9, 5, 30))
        renotified, _ = await _sla_state(esc)
        assert renotified is not None and renotified >= bj(2026, 10, 8, 9, 5)
        # Friday 10-09 evening: Saturday 10-10 is a 调休 workday, so it is due then.
        await _at(clock, w, bj(2026, 10, 9, 18, 30))
        late = await _queued(w, THIRD)
        assert "明天 09:15 前会有专员联系您" in w.kf_texts(THIRD)[-1]
        await _at(clock, w, bj(2026, 10, 10, 9, 4))
        assert await _sla_state(late) == (None, None)
        await _at(clock, w, bj(2026, 10, 10, 9, 5, 30))
        renotified, _ = await _sla_state(late)
        assert renotified is not None and renotified < bj(2026, 10, 10, 9, 6)


async def test_round_the_clock_counts_wall_clock_time(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(hours_settings(mode_settings, hours="")) as w:
        await load_sample_rules(w)
        clock = w.set_clock(bj(2026, 12, 11, 18, 30))
        await _nobody_receiving(w)
        esc = await _queued(w, FIRST)
        assert w.kf_texts(FIRST)[-1] == w.services.settings.conversations.queue_notice
        await _at(clock, w, bj(2026, 12, 11, 18, 35) + timedelta(seconds=30))
        renotified, _ = await _sla_state(esc)
        assert renotified is not None and renotified < bj(2026, 12, 11, 18, 36)


async def test_the_past_raise_gauge_counts_working_time(pg_database: str) -> None:
    for i, opened in enumerate((bj(2026, 12, 11, 18, 30), bj(2026, 12, 11, 17, 0),
                                bj(2026, 12, 14, 9, 10))):
        await Escalation.create(channel="kefu", conversation=f"c{i}", reason="menu",
                                created_at=opened)
    nine_to_six, always = Settings(), Settings(business_hours="")
    assert await unclaimed_past_raise(nine_to_six, bj(2026, 12, 12, 12, 0)) == 1  # 17:00's
    assert await unclaimed_past_raise(always, bj(2026, 12, 12, 12, 0)) == 2
    assert await unclaimed_past_raise(nine_to_six, bj(2026, 12, 14, 9, 15)) == 2
    assert await unclaimed_past_raise(nine_to_six, bj(2026, 12, 14, 9, 25)) == 3
