"""Notifications API: list and filter the outbox, retry failures, delivery statistics."""

from __future__ import annotations

from collections.abc import Callable

from bot.delivery import outbox
from bot.models import OutboxMessage, OutboxStatus
from bot.settings import Settings
from tests.harness.admin import bearer
from tests.harness.service import services_of, serving
from tests.harness.waiting import wait_for


async def test_failed_message_is_listed_retried_and_counted(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        services = services_of(client)
        admin = await bearer("root", "admin")
        viewer = await bearer("v", "viewer")
        good = await outbox.add(key="n:good", app="main", api="message_send",
                                args={"msgtype": "text", "payload": {"content": "ok"},
                                      "touser": "zhangwei"}, recipient="zhangwei",
                                ref="order:A1")
        bad = await outbox.add(key="n:bad", app="main", api="message_send",
                               args={"msgtype": "text", "payload": {"content": "x"},
                                     "touser": "ghost"}, recipient="ghost", ref="order:A1")
        await outbox.flush(services, [good, bad])

        async def settled() -> bool:
            statuses = {r.key: r.status for r in await OutboxMessage.all()}
            return statuses == {"n:good": OutboxStatus.SENT, "n:bad": OutboxStatus.FAILED}

        await wait_for(settled)
        failed = await (await client.get("/api/v1/notifications?status=failed",
                                         headers=viewer)).json()
        assert [n["key"] for n in failed] == ["n:bad"] and failed[0]["last_error"]
        by_ref = await (await client.get("/api/v1/notifications?ref=order:A1",
                                         headers=viewer)).json()
        assert {n["key"] for n in by_ref} == {"n:good", "n:bad"}
        stats = await (await client.get("/api/v1/stats/notifications", headers=viewer)).json()
        assert stats["by_status"] == {"sent": 1, "failed": 1}
        assert stats["by_api"]["message_send"] == {"sent": 1, "failed": 1}

        assert (await client.post(f"/api/v1/notifications/{bad.id}/retry",
                                  headers=viewer)).status == 403
        conflict = await client.post(f"/api/v1/notifications/{good.id}/retry", headers=admin)
        assert conflict.status == 409
        missing = await client.post("/api/v1/notifications/999999/retry", headers=admin)
        assert missing.status == 404
        # An admin fixes the recipient, then the retry goes through.
        await OutboxMessage.filter(id=bad.id).update(
            args={"msgtype": "text", "payload": {"content": "x"}, "touser": "lina"})
        retried = await client.post(f"/api/v1/notifications/{bad.id}/retry", headers=admin)
        assert retried.status == 200 and (await retried.json())["status"] == "pending"
        await wait_for(lambda: _status(bad.id, OutboxStatus.SENT))


async def _status(row_id: int, status: OutboxStatus) -> bool:
    return (await OutboxMessage.get(id=row_id)).status == status


async def test_retrying_a_kf_message_sends_it_under_a_new_msgid(
    mode_settings: Callable[..., Settings],
) -> None:
    """A kf message WeCom reported undelivered (msg_send_fail) is sent again when an admin
    retries it: under its old msgid WeCom would refuse it as a duplicate, which the outbox
    would have taken for an earlier delivery."""
    from bot.models import ConversationMessage, Direction
    from sandbox import SEED_CUSTOMERS, SEED_KF

    async with serving(mode_settings()) as client:
        services = services_of(client)
        sandbox = services.sandbox
        admin = await bearer("root", "admin")
        customer = SEED_CUSTOMERS[2][0]
        await sandbox.customer_says(SEED_KF, customer, "你好")
        await wait_for(lambda: any(m["channel"] == "kf" for m in sandbox.inbox(customer)))
        row = await outbox.add(key="kf:again", app="main", api="kf_send_msg",
                               args={"touser": customer, "open_kfid": SEED_KF,
                                     "msgtype": "text", "payload": {"content": "量尺时间已定"}},
                               recipient=customer)
        old = row.args["msgid"]
        await ConversationMessage.create(channel="kefu", conversation="kefu:x", msgid=old,
                                         direction=Direction.OUT, msgtype="text",
                                         outbox_id=row.id)
        await outbox.flush(services, [row])
        await wait_for(lambda: _status(row.id, OutboxStatus.SENT))
        await outbox.mark(row.id, OutboxStatus.FAILED, error="msg_send_fail fail_type 0")
        retried = await client.post(f"/api/v1/notifications/{row.id}/retry", headers=admin)
        assert retried.status == 200
        await wait_for(lambda: _status(row.id, OutboxStatus.SENT))
        row = await OutboxMessage.get(id=row.id)
        assert row.args["msgid"] != old and not (row.result or {}).get("duplicate")
        assert len([m for m in sandbox.inbox(customer) if "量尺时间已定" in str(m)]) == 2
        history = await ConversationMessage.get(outbox_id=row.id)
        assert history.msgid == row.args["msgid"]
