"""``wecom-bot demo`` steps for conversations: a kefu customer is welcomed, gets answers,
complains and is handed to a specialist who claims it; a new contact is welcomed by the
channel they came through."""

from __future__ import annotations

from typing import Any

from bot.demo.script import Demo, DemoFailure, step

KF_CUSTOMER = "wmSandboxCustomer000000000000002"
NEW_CONTACT = "wmDemoShowroomVisitor00000000001"


def _kf(demo: Demo) -> str:
    from sandbox import SEED_KF

    return SEED_KF


async def _ask(demo: Demo, text: str, expect: str) -> str:
    before = len(demo.sandbox.inbox(KF_CUSTOMER))
    demo.say("孙先生 → 客服", text)
    await demo.sandbox.customer_says(_kf(demo), KF_CUSTOMER, text)
    got = await demo.wait_for(f"an answer about {expect}", lambda: [
        m for m in demo.received(KF_CUSTOMER, before) if expect in m["summary"]])
    for m in demo.received(KF_CUSTOMER, before):
        demo.say("客服 → 孙先生", m["summary"].replace("\n", " "))
    return str(got[-1]["summary"])


@step("a customer opens the kefu session and is welcomed with a menu")
async def kefu_welcome(demo: Demo) -> None:
    demo.say("孙先生", "打开微信客服「全屋定制客服」")
    await demo.sandbox.customer_enters(_kf(demo), KF_CUSTOMER)
    got = await demo.wait_for("the welcome", lambda: demo.received(KF_CUSTOMER))
    demo.say("客服 → 孙先生", got[-1]["summary"].replace("\n", " "))


@step("the customer asks about delivery and installation and gets answers")
async def kefu_answers(demo: Demo) -> None:
    await _ask(demo, "请问下单后多久发货？", "送货")
    await _ask(demo, "安装要师傅上门吗", "安装")


@step("the customer complains; a specialist gets the case and claims it")
async def kefu_escalation(demo: Demo) -> None:
    from bot.models import Escalation, EscalationStatus

    before = len(demo.sandbox.inbox(KF_CUSTOMER))
    demo.say("孙先生 → 客服", "我要投诉，柜门装歪了一直没人管")
    await demo.sandbox.customer_says(_kf(demo), KF_CUSTOMER, "我要投诉，柜门装歪了一直没人管")
    # Stored first, then routed: wait for the routing.
    esc: Any = await demo.wait_for("an escalation routed", lambda: Escalation.filter(
        external_userid=KF_CUSTOMER, servicer_userid__not_isnull=True).first())
    for m in demo.received(KF_CUSTOMER, before):
        demo.say("客服 → 孙先生", m["summary"].replace("\n", " "))
    who = esc.servicer_userid
    if not who:
        raise DemoFailure("the escalation was routed to nobody")
    card = await demo.wait_for(f"{who}'s card", lambda: [
        m for m in demo.received(who) if m.get("msgtype") == "template_card"])
    demo.say(f"应用 → {who}", card[-1]["summary"])
    demo.say(f"{who}", "点击「我来处理」")
    await demo.sandbox.staff_clicks_card(who, f"claim:{esc.id}", f"esc{esc.id}-0")
    await demo.wait_for("the escalation claimed", lambda: Escalation.get_or_none(
        id=esc.id, status=EscalationStatus.CLAIMED))
    demo.say("服务", f"升级 #{esc.id} 已由 {who} 认领")


@step("a staff member adds a customer from the showroom; the welcome matches the channel")
async def contact_welcome(demo: Demo) -> None:
    from bot.models import ChannelCode, WelcomeText

    await ChannelCode.update_or_create(code="showroom", defaults={"name": "展厅扫码"})
    await WelcomeText.update_or_create(channel_code="showroom", userid=None, defaults={
        "text": "您好{nickname}，感谢到店参观！展厅同款可预约免费上门量尺。"})
    demo.say("李娜", "在展厅用「联系我」二维码（渠道码 showroom）添加客户")
    await demo.sandbox.staff_adds_customer("lina", NEW_CONTACT, name="周女士", state="showroom")
    got = await demo.wait_for("the showroom welcome", lambda: [
        m for m in demo.sandbox.inbox(NEW_CONTACT) if m.get("channel") == "welcome"])
    text = (got[-1].get("text") or {}).get("content", "")
    if "展厅" not in text:
        raise DemoFailure("the welcome did not match the channel")
    demo.say("李娜 → 周女士（欢迎语）", text)
