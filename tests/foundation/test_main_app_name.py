"""The self-built app may be called anything: which app is "the main app" is decided once
(the first of kind ``app``), and conversations and orders both go through it. Here it is
named ``crm`` and listed after the AI bot, and the whole service runs through the sandbox
in both modes: a kefu complaint is answered, routed and claimed; an order's group is bound,
a milestone reaches the team, the group and the customer; 进度 answers in app chat."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from pydantic import SecretStr

from bot.conversations import rules_store
from bot.conversations.rulebook import changed, sample_rules_text
from bot.models import (
    Escalation,
    EscalationStatus,
    GroupNotice,
    GroupNoticeStatus,
    OutboxMessage,
    OutboxStatus,
)
from bot.settings import AppConfig, Settings, WeComConfig, random_aes_key
from tests.harness.admin import Admin
from tests.harness.policies import FAST
from tests.harness.settings import CORP_ID
from tests.harness.waiting import one, outbox_settled, wait_for
from tests.harness.world import CUSTOMER, KF, World, world
from tests.orders.helpers import bound_order, cards, new_order, orders_settings, run_tick

NO = "DD20260777"


def _crm_settings(factory: Callable[..., Settings]) -> Settings:
    def key() -> SecretStr:
        return SecretStr(random_aes_key())

    apps = (
        AppConfig(name="assistant", kind="aibot", token=SecretStr(secrets.token_hex(4)),
                  encoding_aes_key=key()),
        AppConfig(name="crm", kind="app", agent_id=1000009, secret=SecretStr("crm-secret"),
                  token=SecretStr(secrets.token_hex(4)), encoding_aes_key=key()),
    )
    return orders_settings(factory, wecom=WeComConfig(corp_id=CORP_ID, api_base="sandbox",
                                                      apps=apps))


def _answer(w: World, userid: str, word: str) -> str:
    """The last answer to a member's command containing ``word`` (passive or active)."""
    found = [str(m.get("reply") or m.get("payload")) for m in w.sandbox.inbox(userid)
             if m["channel"] in ("app_reply", "app") and word in str(m)]
    return found[-1] if found else ""


async def _escalation() -> Escalation | None:
    """The customer's escalation once routed (it is stored first, then routed)."""
    return await Escalation.filter(conversation__contains=CUSTOMER,
                                   servicer_userid__not_isnull=True).first()


async def test_everything_runs_through_an_app_not_named_main(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = _crm_settings(mode_settings)
    assert settings.wecom.app("main") is None
    async with world(settings) as w:
        w.services.wecom.retry = FAST
        assert w.services.ports.main_app.name == "crm"
        if not await rules_store.list_rules():
            await rules_store.import_rules(sample_rules_text(), mode="replace", actor="test")
        await changed(w.services.ports)

        # Conversations: a complaint in kefu is answered, routed to a specialist (a card
        # through the app) and claimed from app chat, which hands the session over.
        await w.sandbox.set_servicer_status(KF, "liuyang", False)
        await w.sandbox.customer_says(KF, CUSTOMER, "我要投诉")
        esc = await wait_for(_escalation)
        assert esc.servicer_userid == "zhangwei"
        await wait_for(lambda: w.app_inbox("zhangwei"))
        assert "优先转接" in (await w.wait_kf(1))[0]
        await w.sandbox.set_servicer_status(KF, "liuyang", True)
        await w.sandbox.staff_says("liuyang", f"认领 {esc.id}")
        assert "已认领" in await wait_for(lambda: _answer(w, "liuyang", f"#{esc.id}"))
        await wait_for(lambda: w.sandbox.kf.sessions[(KF, CUSTOMER)].servicer_userid
                       == "liuyang")
        esc = await Escalation.get(id=esc.id)
        assert esc.status == EscalationStatus.CLAIMED and esc.claimed_by == "liuyang"

        # Orders: the group is bound by its name, a milestone reaches everyone.
        admin = await Admin.make(w.client)
        await new_order(admin, NO)
        order = await bound_order(admin, NO)
        for uid in ("zhangwei", "lina", "wangqiang"):
            await wait_for(lambda uid=uid: cards(w.sandbox, uid, "已绑定客户群"))
        status, _ = await admin.call("POST", f"/orders/{NO}/milestones",
                                     {"milestone": "签约", "event_id": "crm-1"})
        assert status == 201
        for uid in ("zhangwei", "lina", "wangqiang"):
            await wait_for(lambda uid=uid: cards(w.sandbox, uid, "签约"))
        # The group's notice: a 群发 task for the owner to confirm, then delivered.
        await run_tick(w.client, ahead=61)
        notice = await GroupNotice.get(chat_id=order.group_chat_id)
        row = await wait_for(lambda: one(OutboxMessage, id=notice.outbox_id,
                                         status=OutboxStatus.SENT))
        await w.sandbox.owner_confirms_task(row.result["msgid"], "zhangwei")
        await run_tick(w.client, ahead=120)
        assert (await GroupNotice.get(id=notice.id)).status == GroupNoticeStatus.DELIVERED
        assert "签约" in str(w.sandbox.inbox(order.group_chat_id))
        await w.sandbox.staff_says("wangqiang", f"进度 {NO}")
        assert NO in await wait_for(lambda: _answer(w, "wangqiang", "当前阶段：签约"))
        await outbox_settled()
        # Every row went out through the app that exists; none is stuck on a missing one.
        apps = set(await OutboxMessage.all().values_list("app", flat=True))
        assert apps <= {"crm", "assistant"} and "crm" in apps
