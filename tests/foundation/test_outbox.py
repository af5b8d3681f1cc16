"""The outbox: messages sent once through the sandbox, retried durably, failures visible."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.delivery import outbox
from bot.infra.clock import utcnow
from bot.models import OutboxMessage, OutboxStatus
from bot.runtime import Services
from bot.settings import Settings
from bot.wecom.policy import RetryPolicy
from tests.harness.policies import FAST
from tests.harness.service import services_of, serving
from tests.harness.waiting import wait_for


async def status_of(row_id: int) -> OutboxStatus:
    return (await OutboxMessage.get(id=row_id)).status


async def test_app_message_is_sent_once_even_if_added_twice(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        services = services_of(client)
        sandbox = services.sandbox
        rows = []
        for _ in range(2):
            rows.append(await outbox.add(
                key="notice:1", app="main", api="message_send",
                args={"msgtype": "text", "payload": {"content": "订单 A1 已发货"},
                      "touser": ["zhangwei"]},
                recipient="zhangwei", ref="test:1"))
            await outbox.flush(services, rows[-1:])
        assert rows[0].id == rows[1].id
        await wait_for(lambda: status_of(rows[0].id), timeout=10)
        await wait_for(lambda: _is(rows[0].id, OutboxStatus.SENT))
        row = await OutboxMessage.get(id=rows[0].id)
        assert row.result and row.result["msgid"] and row.attempts == 1
        got = [m for m in sandbox.inbox("zhangwei") if "已发货" in str(m)]
        assert len(got) == 1
        assert await OutboxMessage.all().count() == 1


async def _is(row_id: int, status: OutboxStatus) -> bool:
    return await status_of(row_id) == status


async def _app_text(services: Services, key: str, content: str, touser: str = "lina", *,
                    app: str = "main") -> OutboxMessage:
    """An app text message to one member, added to the outbox and flushed."""
    row = await outbox.add(key=key, app=app, api="message_send",
                           args={"msgtype": "text", "payload": {"content": content},
                                 "touser": touser}, recipient=touser)
    await outbox.flush(services, [row])
    return row


async def test_transient_failures_retry_from_the_database_then_succeed(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        sandbox = services.sandbox
        # Enough -1 answers to exhaust the client's own 3 retries, once.
        sandbox.set_faults(busy_burst=4, paths=["message/send"])
        row = await _app_text(services, "notice:2", "量尺已预约")
        await wait_for(lambda: _is(row.id, OutboxStatus.SENT), timeout=15)
        row = await OutboxMessage.get(id=row.id)
        assert row.attempts == 2  # one failed attempt (4 × -1), then the retry
        assert len([m for m in sandbox.inbox("lina") if "量尺" in str(m)]) == 1


async def test_permanent_errors_fail_visibly_without_retrying(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        services = services_of(client)
        row = await _app_text(services, "notice:3", "x", "nobody_here")
        await wait_for(lambda: _is(row.id, OutboxStatus.FAILED))
        row = await OutboxMessage.get(id=row.id)
        assert row.attempts == 1 and row.last_error and row.last_error.startswith("81013")


async def test_time_boxed_message_past_its_deadline_is_missed(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        services = services_of(client)
        row = await outbox.add(key="welcome:late", app="main", api="send_welcome_msg",
                               args={"welcome_code": "CODE", "text": {"content": "欢迎"}},
                               recipient="wmX", deadline=utcnow() - timedelta(seconds=1),
                               priority=True)
        await outbox.flush(services, [row])
        await wait_for(lambda: _is(row.id, OutboxStatus.MISSED))
        assert not any(c.get("path", "").endswith("send_welcome_msg")
                       for c in services.sandbox.calls)


async def test_kf_retry_after_a_lost_answer_does_not_send_twice(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        services = services_of(client)
        sandbox = services.sandbox
        from sandbox import SEED_CUSTOMERS, SEED_KF

        customer = SEED_CUSTOMERS[0][0]
        await sandbox.customer_says(SEED_KF, customer, "你好")
        row = await outbox.add(key="kf:reply:1", app="main", api="kf_send_msg",
                               args={"touser": customer, "open_kfid": SEED_KF,
                                     "msgtype": "text", "payload": {"content": "您好！"}},
                               recipient=customer)
        # The first attempt reached WeCom but its answer was lost: WeCom has the msgid.
        await services.wecom.app("main").kf_send_msg(customer, SEED_KF, "text",
                                                     {"content": "您好！"},
                                                     msgid=row.args["msgid"])
        await OutboxMessage.filter(id=row.id).update(attempts=1,
                                                     last_error="kf/send_msg: HTTP 503")
        await outbox.flush(services, [await OutboxMessage.get(id=row.id)])
        await wait_for(lambda: _is(row.id, OutboxStatus.SENT))
        row = await OutboxMessage.get(id=row.id)
        assert row.result == {"msgid": row.args["msgid"], "duplicate": True, "errcode": 40058}
        assert len([m for m in sandbox.inbox(customer) if "您好！" in str(m)]) == 1


@pytest.mark.parametrize("dup_errcode", [40058, 95099])
async def test_a_repeated_kf_msgid_is_told_by_code_and_the_rows_own_history(
    mode_settings: Callable[..., Settings], dup_errcode: int,
) -> None:
    """WeCom's answer to a repeated msgid is not published: whatever code it is (40058, one
    not in bot.protocol.errors), it means "done" only after an unanswered try of this very
    row; the same refusal to a row that never went unanswered is a failure."""
    async with serving(mode_settings()) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        sandbox, customer, kf = await _kf_session(services)
        sandbox.corp.limits.kf_duplicate_msgid_errcode = dup_errcode
        sandbox.set_faults(lost_answer_burst=1, paths=["kf/send_msg"])
        lost = await _kf_text(services, "kf:dup:lost", customer, kf, "第一条")
        await wait_for(lambda: _is(lost.id, OutboxStatus.SENT), timeout=10)
        assert (await OutboxMessage.get(id=lost.id)).result["errcode"] == dup_errcode
        # A row whose msgid someone else used, with no unanswered try of its own: failed.
        row = outbox.new_row(key="kf:dup:clash", app="main", api="kf_send_msg",
                             args={"touser": customer, "open_kfid": kf, "msgtype": "text",
                                   "payload": {"content": "第二条"}}, recipient=customer)
        await services.wecom.app("main").kf_send_msg(customer, kf, "text",
                                                     {"content": "别的消息"},
                                                     msgid=row.args["msgid"])
        await row.save()
        await outbox.flush(services, [row])
        await wait_for(lambda: _is(row.id, OutboxStatus.FAILED), timeout=10)
        assert (await OutboxMessage.get(id=row.id)).last_error.startswith(str(dup_errcode))
        texts = [m["payload"]["content"] for m in sandbox.inbox(customer)
                 if m["channel"] == "kf"]
        assert texts.count("第一条") == 1 and "第二条" not in texts


async def test_sweeper_sends_rows_whose_job_was_lost(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        services = services_of(client)
        row = await outbox.add(key="notice:lost", app="main", api="message_send",
                               args={"msgtype": "text", "payload": {"content": "安装完成"},
                                     "touser": "wangqiang"}, recipient="wangqiang")
        # No flush: as if the process died right after the commit.
        assert await outbox.sweep(services) == 0
        await OutboxMessage.filter(id=row.id).update(
            next_attempt_at=utcnow() - timedelta(minutes=5))
        assert await outbox.sweep(services) == 1
        await wait_for(lambda: _is(row.id, OutboxStatus.SENT))


async def test_unknown_api_is_refused(mode_settings: Callable[..., Settings]) -> None:
    import pytest

    async with serving(mode_settings()):
        with pytest.raises(ValueError, match="cannot send"):
            await outbox.add(key="k", app="main", api="gettoken", args={}, recipient="x")


async def test_a_full_rate_limit_window_reschedules_instead_of_waiting(
    mode_settings: Callable[..., Settings],
) -> None:
    from bot.wecom.policy import RateLimits

    async with serving(mode_settings()) as client:
        services = services_of(client)
        services.wecom.limits = RateLimits(per_api=2)
        services.wecom.retry = RetryPolicy(base_delay=0.01, max_delay=0.02, busy_retries=3,
                                           limiter_wait=0.2)
        # One -1 answer: the call and its retry are two calls, and both count.
        services.sandbox.set_faults(busy_burst=1, paths=["message/send"])
        rows = []
        for n in range(2):
            rows.append(await outbox.add(
                key=f"burst:{n}", app="main", api="message_send",
                args={"msgtype": "text", "payload": {"content": f"第{n}条"},
                      "touser": "zhangwei"}, recipient="zhangwei"))
            await outbox.flush(services, rows[-1:])
            if n == 0:
                await wait_for(lambda: _is(rows[0].id, OutboxStatus.SENT))
        await wait_for(lambda: _rescheduled(rows[1].id))
        second = await OutboxMessage.get(id=rows[1].id)
        assert second.status == OutboxStatus.PENDING and second.attempts == 0
        assert second.next_attempt_at > utcnow() + timedelta(seconds=30)


async def _rescheduled(row_id: int) -> bool:
    row = await OutboxMessage.get(id=row_id)
    return row.next_attempt_at > utcnow() + timedelta(seconds=5)


async def test_group_task_retry_after_a_lost_answer_does_not_create_a_second(
    mode_settings: Callable[..., Settings],
) -> None:
    """WeCom created the 群发 but its answer was lost: the client does not repeat the call,
    and the outbox's retry finds the task WeCom kept (by its text and sender) instead of
    creating another one the owner would have to confirm twice."""
    async with serving(mode_settings()) as client:
        services = services_of(client)
        sandbox = services.sandbox
        chat = (await sandbox.staff_creates_group("zhangwei", "O001"))["chat_id"]
        sandbox.corp.faults.paths = ("externalcontact/add_msg_template",)
        sandbox.corp.faults.lost_answer_burst = 1
        row = await outbox.add(key="grouptask:lost", app="main", api="add_msg_template",
                               args={"chat_type": "group", "sender": "zhangwei",
                                     "chat_id_list": [chat], "text": "订单 D1 已发货"},
                               recipient=chat)
        await outbox.flush(services, [row])

        async def retried() -> OutboxMessage | None:
            got = await OutboxMessage.get(id=row.id)
            return got if got.status == OutboxStatus.SENT else None

        sent = await wait_for(retried)
        [task] = sandbox.mass_messaging.tasks.values()  # one task, made by the first try
        assert sent.result == {"msgid": task.msgid, "recovered": True}
        assert sent.attempts == 2  # the lost try, then the look-up that found it


async def test_group_task_look_up_while_wecom_dispatches_spends_no_attempt(
    mode_settings: Callable[..., Settings],
) -> None:
    """After an unanswered try, the look-up lists the corp's 群发; WeCom refuses that list
    with 41063 while any task is being dispatched (a burst keeps it so for long). The row
    waits and asks again, without spending attempts, and the task is found once listed."""
    async with serving(mode_settings()) as client:
        services = services_of(client)
        sandbox = services.sandbox
        chat = (await sandbox.staff_creates_group("zhangwei", "O002"))["chat_id"]
        sandbox.corp.limits.groupmsg_dispatch_seconds = 3600
        sandbox.set_faults(lost_answer_burst=1, paths=["externalcontact/add_msg_template"])
        row = await outbox.add(key="grouptask:dispatching", app="main", api="add_msg_template",
                               args={"chat_type": "group", "sender": "zhangwei",
                                     "chat_id_list": [chat], "text": "订单 D2 已发货"},
                               recipient=chat)
        await outbox.flush(services, [row])

        def refused_twice() -> bool:
            return sum(1 for c in sandbox.calls if c["errcode"] == 41063) >= 2

        await wait_for(refused_twice, timeout=30)
        waiting = await OutboxMessage.get(id=row.id)
        assert waiting.status == OutboxStatus.PENDING and waiting.attempts == 1
        sandbox.corp.clock.advance(3600)

        async def sent() -> OutboxMessage | None:
            got = await OutboxMessage.get(id=row.id)
            return got if got.status == OutboxStatus.SENT else None

        done = await wait_for(sent, timeout=30)
        assert done.result["recovered"] and len(sandbox.mass_messaging.tasks) == 1


async def _group_task_unanswered(services: Services, chat: str, n: int, *,
                                 landed: bool) -> OutboxMessage:
    """A group-task row whose first try went unanswered (``landed``: WeCom made the task),
    parked an hour ahead so only the test's own calls send it, its try recorded 10 s ago."""
    sandbox = services.sandbox
    assert sandbox is not None
    if landed:
        sandbox.set_faults(lost_answer_burst=1, paths=["externalcontact/add_msg_template"])
    else:
        sandbox.set_faults(http5xx_burst=1, paths=["externalcontact/add_msg_template"])
    row = await outbox.add(key=f"grouptask:shared:{n}", app="main", api="add_msg_template",
                           args={"chat_type": "group", "sender": "zhangwei",
                                 "chat_id_list": [chat], "text": f"订单 S{n} 已发货"},
                           recipient=chat)
    await outbox.flush(services, [row])

    async def tried() -> bool:
        return (await OutboxMessage.get(id=row.id)).attempts == 1

    await wait_for(tried)
    sandbox.set_faults()
    await OutboxMessage.filter(id=row.id).update(
        next_attempt_at=utcnow() + timedelta(hours=1),
        updated_at=utcnow() - timedelta(seconds=10))
    return await OutboxMessage.get(id=row.id)


async def _send_now(services: Services, row_id: int) -> OutboxMessage:
    await OutboxMessage.filter(id=row_id).update(next_attempt_at=utcnow())
    await outbox.send_outbox(services, row_id)
    return await OutboxMessage.get(id=row_id)


async def test_one_listing_of_the_corps_group_tasks_answers_every_unanswered_row(
    mode_settings: Callable[..., Settings],
) -> None:
    """Rows whose tries went unanswered share one listing of the corp's 群发: a row that
    finds nothing and creates its task anew does not keep the next row's look-up waiting on
    WeCom's 41063 (a burst drained one row per wait when each listed on its own)."""
    async with serving(mode_settings()) as client:
        services = services_of(client)
        sandbox = services.sandbox
        chat = (await sandbox.staff_creates_group("zhangwei", "S 服务群"))["chat_id"]
        lost = await _group_task_unanswered(services, chat, 1, landed=False)
        kept = [await _group_task_unanswered(services, chat, n, landed=True) for n in (2, 3)]
        sandbox.corp.clock.advance(sandbox.corp.limits.groupmsg_dispatch_seconds)
        listed = len(sandbox.calls)

        resent = await _send_now(services, lost.id)
        assert resent.status == OutboxStatus.SENT and not resent.result.get("recovered")
        # Its new task is being dispatched now: a listing would answer 41063.
        for row in kept:
            found = await _send_now(services, row.id)
            assert found.status == OutboxStatus.SENT and found.result.get("recovered")
        listings = [c["errcode"] for c in sandbox.calls[listed:]
                    if c["path"] == "externalcontact/get_groupmsg_list_v2"]
        assert listings == [0]
        assert len(sandbox.mass_messaging.tasks) == 3


async def test_a_listing_older_than_a_rows_try_is_not_its_answer(
    mode_settings: Callable[..., Settings],
) -> None:
    """A listing that began before (or just after) a row's unanswered try cannot say the try
    did not land: the row lists again and finds its task, rather than creating a second."""
    async with serving(mode_settings()) as client:
        services = services_of(client)
        sandbox = services.sandbox
        chat = (await sandbox.staff_creates_group("zhangwei", "T 服务群"))["chat_id"]
        first = await _group_task_unanswered(services, chat, 11, landed=True)
        sandbox.corp.clock.advance(sandbox.corp.limits.groupmsg_dispatch_seconds)
        assert (await _send_now(services, first.id)).result.get("recovered")
        later = await _group_task_unanswered(services, chat, 12, landed=True)
        await OutboxMessage.filter(id=later.id).update(updated_at=utcnow())
        sandbox.corp.clock.advance(sandbox.corp.limits.groupmsg_dispatch_seconds)
        found = await _send_now(services, later.id)
        assert found.status == OutboxStatus.SENT and found.result.get("recovered")
        assert len(sandbox.mass_messaging.tasks) == 2
        assert sum(1 for c in sandbox.calls
                   if c["path"] == "externalcontact/get_groupmsg_list_v2") == 2


async def test_a_listing_cut_short_by_the_page_cap_is_not_a_rows_answer(
    mode_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A shared listing starts at the oldest pending row; with more 群发 since then than its
    pages reach, a later row's task may lie past the last page. The row then lists from its
    own start (as alone) and finds its task, instead of creating a second one."""
    from bot.delivery import groupmsg_lookup

    async with serving(mode_settings()) as client:
        services = services_of(client)
        sandbox = services.sandbox
        chat = (await sandbox.staff_creates_group("zhangwei", "U 服务群"))["chat_id"]
        oldest = await _group_task_unanswered(services, chat, 21, landed=False)
        await OutboxMessage.filter(id=oldest.id).update(
            created_at=utcnow() - timedelta(minutes=10))  # pending for ten minutes
        main = services.wecom.app("main")
        sandbox.corp.clock.offset = -300.0  # one page's worth of other 群发, 5 minutes ago
        for i in range(100):
            await main.add_msg_template(sender="zhangwei", chat_type="group",
                                        chat_id_list=[chat], text=f"其他群发 {i}")
        sandbox.corp.clock.offset = 0.0
        later = await _group_task_unanswered(services, chat, 22, landed=True)
        sandbox.corp.clock.advance(sandbox.corp.limits.groupmsg_dispatch_seconds)
        monkeypatch.setattr(groupmsg_lookup, "MAX_PAGES", 1)
        tasks = len(sandbox.mass_messaging.tasks)
        found = await _send_now(services, later.id)
        assert found.status == OutboxStatus.SENT and found.result.get("recovered")
        assert len(sandbox.mass_messaging.tasks) == tasks


async def _kf_session(services: object) -> tuple[object, str, str]:
    from sandbox import SEED_CUSTOMERS, SEED_KF

    sandbox = services.sandbox  # type: ignore[attr-defined]
    customer = SEED_CUSTOMERS[1][0]
    await sandbox.customer_says(SEED_KF, customer, "你好")
    # The service answers it (the fallback reply) before the test injects its faults.
    await wait_for(lambda: any(m.get("channel") == "kf" for m in sandbox.inbox(customer)))
    return sandbox, customer, SEED_KF


async def _kf_text(services: Services, key: str, customer: str, kf: str, content: str, *,
                   msgtype: str = "text") -> OutboxMessage:
    """A kf message to a customer, added to the outbox and flushed."""
    row = await outbox.add(key=key, app="main", api="kf_send_msg",
                           args={"touser": customer, "open_kfid": kf, "msgtype": msgtype,
                                 "payload": {"content": content}}, recipient=customer)
    await outbox.flush(services, [row])
    return row


async def test_a_kf_reply_whose_answer_was_lost_inside_the_client_counts_as_sent(
    mode_settings: Callable[..., Settings],
) -> None:
    """The client repeats a kf send after an unanswered try; WeCom refuses the repeat as a
    duplicate msgid. That refusal means the first try landed: sent, not failed."""
    async with serving(mode_settings()) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        sandbox, customer, kf = await _kf_session(services)
        sandbox.set_faults(lost_answer_burst=1, paths=["kf/send_msg"])
        row = await _kf_text(services, "kf:lost:1", customer, kf, "这就为您查询")
        await wait_for(lambda: _is(row.id, OutboxStatus.SENT), timeout=10)
        assert len([m for m in sandbox.inbox(customer) if "这就为您查询" in str(m)]) == 1


async def test_an_answered_invalid_parameter_is_not_taken_for_a_duplicate(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        sandbox, customer, kf = await _kf_session(services)
        sandbox.set_faults(busy_burst=4, paths=["kf/send_msg"])  # a failed, answered try
        row = await _kf_text(services, "kf:bad:1", customer, kf, "x", msgtype="nonsense")
        await wait_for(lambda: _is(row.id, OutboxStatus.FAILED), timeout=15)
        assert (await OutboxMessage.get(id=row.id)).last_error.startswith("40058")


async def test_kf_replies_wait_behind_one_that_must_be_retried(
    mode_settings: Callable[..., Settings],
) -> None:
    from bot.conversations import outbound

    async with serving(mode_settings()) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        sandbox, customer, kf = await _kf_session(services)
        rows = [outbound.kf_row(services.ports, key=f"kf:order:{i}", open_kfid=kf,
                                external_userid=customer, msgtype="text",
                                body={"content": f"第{i}条"}, ref="kf:order") for i in (1, 2)]
        for r in rows:
            await r.save()
        sandbox.set_faults(http5xx_burst=5, paths=["kf/send_msg"])  # the first reply fails
        done = await services.ports.outbox.send_now(rows, fresh=True)
        assert [r.status for r in done] == [OutboxStatus.PENDING, OutboxStatus.PENDING]
        await wait_for(lambda: _is(rows[1].id, OutboxStatus.SENT), timeout=20)
        texts = [m["payload"]["content"] for m in sandbox.inbox(customer)
                 if m.get("channel") == "kf" and "条" in str(m.get("payload"))]
        assert texts == ["第1条", "第2条"]


async def test_a_failed_landing_check_never_lets_a_group_task_be_created_twice(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        sandbox = services.sandbox
        chat = await sandbox.staff_creates_group("zhangwei", "DD1 服务群")
        chat_id = chat["chat_id"]
        sandbox.set_faults(lost_answer_burst=1, paths=["externalcontact/add_msg_template"])
        row = await outbox.add(key="grouptask:twice", app="main", api="add_msg_template",
                               args={"chat_type": "group", "sender": "zhangwei",
                                     "chat_id_list": [chat_id], "text": "订单 DD1 已发货"},
                               recipient=chat_id)
        await outbox.flush(services, [row])

        async def tried_once() -> bool:
            return (await OutboxMessage.get(id=row.id)).attempts == 1

        await wait_for(tried_once)
        # The look-up that would find the landed task is refused for a while.
        sandbox.set_faults(rate_limit_burst=50,
                           paths=["externalcontact/get_groupmsg_list_v2"])
        await OutboxMessage.filter(id=row.id).update(next_attempt_at=utcnow())
        await outbox.send_outbox(services, row.id)
        row = await OutboxMessage.get(id=row.id)
        assert row.status == OutboxStatus.PENDING and outbox.errcode_of(row) is None
        sandbox.set_faults()
        # Past WeCom's dispatching of the new task (41063 until then).
        sandbox.corp.clock.advance(sandbox.corp.limits.groupmsg_dispatch_seconds)
        await OutboxMessage.filter(id=row.id).update(next_attempt_at=utcnow())
        await outbox.send_outbox(services, row.id)
        row = await OutboxMessage.get(id=row.id)
        assert row.status == OutboxStatus.SENT and row.result.get("recovered")
        tasks = [c for c in sandbox.calls if c["path"] == "externalcontact/add_msg_template"]
        assert len(tasks) == 1


async def test_a_row_that_cannot_be_sent_as_it_is_fails_visibly(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        services = services_of(client)
        row = await _app_text(services, "notice:renamed", "x", app="renamed-away")
        await wait_for(lambda: _is(row.id, OutboxStatus.FAILED))
        assert (await OutboxMessage.get(id=row.id)).last_error.startswith("KeyError")


async def test_a_rate_limited_row_waits_out_the_ban_without_spending_attempts(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        sandbox = services.sandbox
        # More 45009 answers than one attempt's retries (1 + 4 calls).
        sandbox.set_faults(rate_limit_burst=7, paths=["message/send"])
        row = await _app_text(services, "notice:banned", "设计稿已上传")
        await wait_for(lambda: _is(row.id, OutboxStatus.SENT), timeout=10)
        assert (await OutboxMessage.get(id=row.id)).attempts == 1  # the sending one only
        assert len([m for m in sandbox.inbox("lina") if "设计稿" in str(m)]) == 1


async def test_a_time_boxed_row_whose_window_closes_during_the_call_is_missed(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        services = services_of(client)
        sandbox = services.sandbox
        sandbox.set_faults(latency=0.5, paths=["externalcontact/send_welcome_msg"])
        row = await outbox.add(key="welcome:closing", app="main", api="send_welcome_msg",
                               args={"welcome_code": "CODE-GONE", "text": {"content": "欢迎"}},
                               recipient="wmY", deadline=utcnow() + timedelta(seconds=0.2),
                               priority=True)
        await outbox.flush(services, [row])
        await wait_for(lambda: _is(row.id, OutboxStatus.MISSED), timeout=10)


async def test_statuses_only_move_forward(mode_settings: Callable[..., Settings]) -> None:
    """A fact learned meanwhile (WeCom's msg_send_fail marking a row failed) is never
    overwritten by the sender's late "sent"; final states stay final."""
    async with serving(mode_settings()) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        row = await outbox.add(key="late:1", app="main", api="message_send",
                               args={"msgtype": "text", "payload": {"content": "x"},
                                     "touser": "zhangwei"}, recipient="zhangwei")
        assert await outbox.mark(row.id, OutboxStatus.FAILED, error="fail_type 6")
        # The sender still holds its copy of the row as pending, and sends it.
        sent = await outbox.send_outbox(services, row.id, row=row)
        assert sent is not None and sent.status == OutboxStatus.FAILED
        stored = await OutboxMessage.get(id=row.id)
        assert (stored.status, stored.last_error) == (OutboxStatus.FAILED, "fail_type 6")

        other = await outbox.add(key="late:2", app="main", api="message_send",
                                 args={"msgtype": "text", "payload": {"content": "y"},
                                       "touser": "zhangwei"}, recipient="zhangwei")
        await outbox.send_outbox(services, other.id)
        assert await outbox.mark(other.id, OutboxStatus.DELIVERED)
        assert not await outbox.mark(other.id, OutboxStatus.FAILED, error="late")
        assert not await outbox.mark(row.id, OutboxStatus.DELIVERED)
        assert (await OutboxMessage.get(id=other.id)).status == OutboxStatus.DELIVERED
        assert (await OutboxMessage.get(id=row.id)).status == OutboxStatus.FAILED


async def test_senders_finishing_together_share_a_statement_and_keep_their_own_fates(
    pg_database: str,
) -> None:
    """PostgreSQL: the outcomes of rows sent side by side are written in one statement;
    each sender still learns whether its row was pending (a later fact stands), a row named
    twice is written once, and a value the database refuses fails only its own sender."""
    from bot.delivery import outbox_store
    from bot.infra.db import connection
    from bot.infra.group_commit import Failed

    rows = [await outbox.add(key=f"together:{i}", app="main", api="message_send",
                             args={"msgtype": "text", "payload": {"content": "好"},
                                   "touser": "lina"}, recipient="lina")
            for i in range(6)]
    await OutboxMessage.filter(id=rows[1].id).update(status=OutboxStatus.FAILED)
    now = utcnow()
    sent = {"status": OutboxStatus.SENT, "result": {"msgid": "m"}, "last_error": None,
            "updated_at": now, "sent_at": now, "attempts": 1}
    missed = {"status": OutboxStatus.MISSED, "result": None, "last_error": "late",
              "updated_at": now}
    got = await outbox_store.finish_together(connection(), [
        (rows[0].id, sent), (rows[1].id, sent), (rows[2].id, missed),
        (rows[0].id, missed)])
    assert got == [True, False, True, False]
    assert [(await OutboxMessage.get(id=r.id)).status for r in rows[:3]] == [
        OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.MISSED]
    first = await OutboxMessage.get(id=rows[0].id)
    assert first.result == {"msgid": "m"} and first.attempts == 1 and first.sent_at

    too_long = {**missed, "last_error": "x" * 501}  # the column holds 500
    got = await outbox_store.finish_together(connection(), [
        (rows[3].id, missed), (rows[4].id, too_long), (rows[5].id, sent)])
    assert got[0] is True and isinstance(got[1], Failed) and got[2] is True, got
    assert [(await OutboxMessage.get(id=r.id)).status for r in rows[3:]] == [
        OutboxStatus.MISSED, OutboxStatus.PENDING, OutboxStatus.SENT]


async def test_senders_finishing_side_by_side_write_their_outcomes_in_one_statement(
    database: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Both dialects: the outcomes of senders finishing at once go in one UPDATE (SQLite:
    at the end of the group commit's transaction they share); each sender still learns
    whether its row was pending, and a row finished already keeps its state."""
    import asyncio
    from types import SimpleNamespace

    from bot.infra.db import connection
    from bot.infra.metrics import make_recorder

    rows = [await outbox.add(key=f"side:{i}", app="main", api="message_send",
                             args={"msgtype": "text", "payload": {"content": "好"},
                                   "touser": "lina"}, recipient="lina")
            for i in range(5)]
    await OutboxMessage.filter(id=rows[1].id).update(status=OutboxStatus.FAILED,
                                                     last_error="earlier")
    updates: list[str] = []
    client = type(connection())
    for name in ("execute_query", "execute_query_dict"):
        original = getattr(client, name)

        async def counted(self: object, query: str, values: object = None, *,
                          _original: object = original) -> object:
            if query.startswith("UPDATE") and "outbox_message" in query:
                updates.append(query)
            return await _original(self, query, values)  # type: ignore[operator]

        monkeypatch.setattr(client, name, counted)
    services = SimpleNamespace(metrics=make_recorder(False))
    await asyncio.gather(*(
        outbox._finish(services, row, OutboxStatus.SENT, result={"msgid": f"m{i}"})  # type: ignore[arg-type]
        for i, row in enumerate(rows[:4])),
        outbox._finish(services, rows[4], OutboxStatus.MISSED, error="late"))  # type: ignore[arg-type]
    monkeypatch.undo()
    # One statement per set of fields written: the sent rows', the missed row's.
    assert len(updates) == 2, updates
    assert [r.status for r in rows] == [OutboxStatus.SENT, OutboxStatus.FAILED,
                                        OutboxStatus.SENT, OutboxStatus.SENT,
                                        OutboxStatus.MISSED]
    assert rows[1].last_error == "earlier"  # read back: the later fact stands
    stored = {r.id: r for r in await OutboxMessage.filter(key__startswith="side:")}
    assert [stored[r.id].status for r in rows] == [r.status for r in rows]
    assert stored[rows[2].id].result == {"msgid": "m2"} and stored[rows[2].id].attempts == 1
    assert stored[rows[4].id].last_error == "late"
