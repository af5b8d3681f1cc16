"""Every 客户联系 event the sandbox can send, through the real service: what each handler
did, and that events without a handler are stored and marked done without an error."""

from __future__ import annotations

from collections.abc import Callable

from bot.models import ContactEvent, InboxEvent, InboxStatus, WelcomeOutcome
from bot.settings import Settings
from tests.harness.world import world

P = "change_external_contact."


async def test_contact_events_reach_their_handlers(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        sb = w.sandbox
        await sb.staff_adds_customer("zhangwei", "wmEv1", name="周先生", state="expo")
        await sb.staff_adds_customer("wangqiang", "wmEv2", name="吴女士", state="expo")
        half = await sb.customer_adds_unverified("lina", "wmHalf1", state="expo")
        await w.settle()  # people take seconds between adding and deleting
        await sb.staff_edits_customer("zhangwei", "wmEv1", remark="VIP")
        await sb.transfer_fails("lina", "wmEv1", "customer_limit_exceed")
        await sb.staff_deletes_customer("zhangwei", "wmEv1", by_transfer=True)
        await sb.customer_deletes_staff("wmEv2", "wangqiang")
        await w.settle()
        # add_half_external_contact: welcomed with its code, like a full add.
        assert half["welcome_code"]
        assert sb.inbox("wmHalf1")[-1]["channel"] == "welcome"
        assert (await WelcomeOutcome.get(external_userid="wmHalf1")).outcome == "sent"
        changes = {(c.change, c.external_userid): c.channel_code
                   for c in await ContactEvent.all()}
        assert changes == {
            ("add_external_contact", "wmEv1"): "expo",
            ("add_external_contact", "wmEv2"): "expo",
            ("add_half_external_contact", "wmHalf1"): "expo",
            # Losses keep the channel the customer came through (DELETE_BY_TRANSFER too).
            ("del_external_contact", "wmEv1"): "expo",
            ("del_follow_user", "wmEv2"): "expo",
        }
        rows = await InboxEvent.all()
        assert {r.event_type for r in rows} == {P + c for c in (
            "add_external_contact", "add_half_external_contact", "edit_external_contact",
            "transfer_fail", "del_external_contact", "del_follow_user")}
        # edit_external_contact and transfer_fail have no handler yet: stored, done, no error.
        assert all(r.status == InboxStatus.DONE and r.last_error is None for r in rows)
        assert {d.label for d in sb.corp.driver.deliveries if d.status != "delivered"} == set()
