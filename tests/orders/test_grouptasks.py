"""Group tasks: coalesced per day, one per group per day, owner reminded until sent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.models import GroupNotice, GroupNoticeStatus, OutboxMessage, OutboxStatus
from bot.protocol import errors as E
from bot.protocol.errors import WeComAPIError
from bot.settings import Settings
from tests.harness.admin import Admin
from tests.harness.policies import FAST
from tests.harness.service import services_of, serving, set_clock
from tests.harness.waiting import outbox_settled, wait_for
from tests.orders.helpers import bound_order, new_order, orders_settings, run_tick

NO = "DD20260020"
DAY = 24 * 3600


async def notices() -> list[GroupNotice]:
    return await GroupNotice.all().order_by("id")


async def sent_task(notice_id: int) -> OutboxMessage:
    async def sent() -> OutboxMessage | None:
        notice = await GroupNotice.get(id=notice_id)
        return await OutboxMessage.get_or_none(id=notice.outbox_id or 0,
                                               status=OutboxStatus.SENT)

    return await wait_for(sent)


async def test_reminders_then_one_task_per_day(embedded_settings: Callable[..., Settings]) -> None:
    settings = orders_settings(embedded_settings, group_task_remind_seconds=3600,
                               group_task_max_reminders=2)
    async with serving(settings) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        # 09:00 北京时间 tomorrow: the steps below span hours and must stay within one China
        # day, and the service's clock must stay ahead of the real one (a fixed date became
        # the past once the real clock passed it).
        tomorrow = datetime.now(UTC).date() + timedelta(days=1)
        set_clock(services, datetime.combine(tomorrow, time(1, 0), tzinfo=UTC))
        sandbox = services.sandbox
        admin = await Admin.make(client)
        await new_order(admin, NO)
        chat = (await bound_order(admin, NO)).group_chat_id
        ms = f"/orders/{NO}/milestones"
        await admin.call("POST", ms, {"milestone": "签约", "event_id": "1"})
        await run_tick(client, ahead=30)  # not due yet (60 s window)
        assert [n.status for n in await notices()] == [GroupNoticeStatus.COLLECTING]
        await run_tick(client, ahead=61)
        first = (await notices())[0]
        msgid = (await sent_task(first.id)).result["msgid"]

        # Right after creation WeCom is still dispatching it (41063): not yet, no failure.
        await run_tick(client, ahead=1800)
        assert [c["errcode"] for c in sandbox.calls
                if c["path"] == "externalcontact/get_groupmsg_task"] == [41063]
        assert (await GroupNotice.get(id=first.id)).status == GroupNoticeStatus.CREATED
        sandbox.corp.clock.advance(sandbox.corp.limits.groupmsg_dispatch_seconds)

        # Not confirmed: reminded once per hour, at most twice, through remind_groupmsg_send.
        await run_tick(client, ahead=1800)
        assert (await GroupNotice.get(id=first.id)).reminders == 0
        await run_tick(client, ahead=3700)
        await run_tick(client, ahead=7300)
        await wait_for(lambda: len([m for m in sandbox.inbox("zhangwei")
                                    if m["channel"] == "task_reminder"]) == 2)
        assert sandbox.mass_messaging.tasks[msgid].reminders == 2

        # A milestone while the task waits: a new notice for the next day, not a 2nd task.
        await admin.call("POST", ms, {"milestone": "量尺", "event_id": "2"})
        await run_tick(client, ahead=8000)
        second = (await notices())[1]
        assert second.status == GroupNoticeStatus.COLLECTING and second.day > first.day
        assert len(sandbox.mass_messaging.tasks) == 1

        # Confirmed today: delivered; the next notice still waits for another day.
        await sandbox.owner_confirms_task(msgid, "zhangwei")
        await run_tick(client, ahead=8100)
        assert (await GroupNotice.get(id=first.id)).status == GroupNoticeStatus.DELIVERED
        await run_tick(client, ahead=8200)
        assert (await GroupNotice.get(id=second.id)).status == GroupNoticeStatus.COLLECTING
        assert len(sandbox.mass_messaging.tasks) == 1

        # The next day: the second task is created; confirmed, the group gets it.
        sandbox.corp.clock.advance(DAY)
        await run_tick(client, ahead=DAY)
        msgid2 = (await sent_task(second.id)).result["msgid"]
        await sandbox.owner_confirms_task(msgid2, "zhangwei")
        await run_tick(client, ahead=DAY + 100)
        assert (await GroupNotice.get(id=second.id)).status == GroupNoticeStatus.DELIVERED
        texts = [m["text"]["content"] for m in sandbox.inbox(chat)]
        assert len(texts) == 2 and "签约" in texts[0] and "量尺" in texts[1]
        await outbox_settled()


async def test_owner_who_never_sends_ends_failed(embedded_settings: Callable[..., Settings],
                                                 ) -> None:
    settings = orders_settings(embedded_settings, group_task_remind_seconds=3600,
                               group_task_max_reminders=1, group_task_delay_seconds=0)
    async with serving(settings) as client:
        services_of(client).wecom.retry = FAST
        admin = await Admin.make(client)
        await new_order(admin, NO)
        await bound_order(admin, NO)
        await admin.call("POST", f"/orders/{NO}/milestones", {"milestone": "签约",
                                                             "event_id": "1"})
        notice = (await wait_for(notices))[0]
        row = await sent_task(notice.id)
        sandbox = services_of(client).sandbox
        sandbox.corp.clock.advance(sandbox.corp.limits.groupmsg_dispatch_seconds)
        for ahead in (3700, 7300, 11000):
            await run_tick(client, ahead=ahead)
        notice = await GroupNotice.get(id=notice.id)
        assert notice.status == GroupNoticeStatus.FAILED and "群主仍未发送" in notice.detail
        assert (await OutboxMessage.get(id=row.id)).status == OutboxStatus.FAILED
        _, tl = await admin.call("GET", f"/orders/{NO}/timeline")
        entry = next(e for e in tl["entries"] if e["kind"] == "milestone")
        group = [n for n in entry["notifications"] if n["channel"] == "group"]
        assert group[0]["status"] == "failed" and "群主仍未发送" in group[0]["detail"]
        await outbox_settled()


async def test_at_most_three_reminders_in_24_hours(embedded_settings: Callable[..., Settings],
                                                   ) -> None:
    """WeCom allows 3 reminders per 群发 in 24 h (docs 97610): the 4th waits until a day
    after the 1st, and the sandbox refuses one that would not."""
    settings = orders_settings(embedded_settings, group_task_remind_seconds=3600,
                               group_task_max_reminders=4, group_task_delay_seconds=0)
    async with serving(settings) as client:
        services_of(client).wecom.retry = FAST
        sandbox = services_of(client).sandbox
        admin = await Admin.make(client)
        await new_order(admin, NO)
        await bound_order(admin, NO)
        await admin.call("POST", f"/orders/{NO}/milestones", {"milestone": "签约",
                                                             "event_id": "1"})
        notice = (await wait_for(notices))[0]
        await sent_task(notice.id)
        sandbox.corp.clock.advance(sandbox.corp.limits.groupmsg_dispatch_seconds)
        for hour in (1, 2, 3, 4, 5, 23):
            await run_tick(client, ahead=hour * 3600 + 10)
        await outbox_settled()
        assert (await GroupNotice.get(id=notice.id)).reminders == 3
        # A day after the first reminder (and WeCom's clock agrees): the 4th goes out.
        sandbox.corp.clock.advance(DAY)
        await run_tick(client, ahead=DAY + 3600 + 400)
        await outbox_settled()
        notice = await GroupNotice.get(id=notice.id)
        assert notice.reminders == 4 and notice.status == GroupNoticeStatus.CREATED
        reminds = [c["errcode"] for c in sandbox.calls
                   if c["path"] == "externalcontact/remind_groupmsg_send"]
        assert reminds == [0, 0, 0, 0]
        # The last reminder had its hour: the owner never sent it.
        await run_tick(client, ahead=DAY + 2 * 3600 + 500)
        assert (await GroupNotice.get(id=notice.id)).status == GroupNoticeStatus.FAILED


async def test_the_sandbox_refuses_a_fourth_reminder_within_a_day(
    embedded_settings: Callable[..., Settings],
) -> None:
    settings = orders_settings(embedded_settings, group_task_delay_seconds=0)
    async with serving(settings) as client:
        services_of(client).wecom.retry = FAST
        sandbox = services_of(client).sandbox
        admin = await Admin.make(client)
        await new_order(admin, NO)
        await bound_order(admin, NO)
        await admin.call("POST", f"/orders/{NO}/milestones", {"milestone": "签约",
                                                             "event_id": "1"})
        msgid = (await sent_task((await wait_for(notices))[0].id)).result["msgid"]
        main = services_of(client).wecom.app("main")
        for _ in range(3):
            await main.remind_groupmsg_send(msgid)
        with pytest.raises(WeComAPIError) as info:
            await main.remind_groupmsg_send(msgid)
        assert info.value.errcode == E.GROUPMSG_REMIND_LIMIT
        sandbox.corp.clock.advance(DAY)
        await main.remind_groupmsg_send(msgid)
        await outbox_settled()
