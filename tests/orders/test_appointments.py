"""Appointments end to end through the sandbox: proposed (API, console's order page, chat),
offered as a kf menu, picked, recorded on the timeline and told to the team, reminded the
day before exactly once; a customer kf cannot reach gets the times through the group's task
and the specialist is asked to settle it in person; bad input refused in Chinese."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from bot.infra.clock import CST, cst_date, utcnow
from bot.models import Appointment, AppointmentStatus, GroupNotice, KfConversation, Notification
from bot.orders import appointments
from bot.settings import Settings
from sandbox import SEED_KF
from tests.harness.admin import Admin
from tests.harness.policies import FAST
from tests.harness.service import sandbox_of, services_of, serving
from tests.harness.waiting import one, outbox_settled, wait_for
from tests.harness.world import CUSTOMER, World, load_sample_rules
from tests.orders.helpers import TEAM, bound_order, cards, new_order, orders_settings, run_tick

NO = "DD20261209"


def day_text(days: int, hm: str) -> tuple[str, datetime]:
    """"12月9日14:00" ``days`` from today (北京时间), and the instant it names."""
    day = cst_date(utcnow()) + timedelta(days=days)
    h, m = (int(x) for x in hm.split(":"))
    at = datetime(day.year, day.month, day.day, h, m, tzinfo=utcnow().tzinfo) - CST
    return f"{day.month}月{day.day}日{hm}", at


def kf_menus(client: TestClient, euid: str = CUSTOMER) -> list[dict[str, Any]]:
    return [m for m in sandbox_of(client).inbox(euid)
            if m["channel"] == "kf" and m["msgtype"] == "msgmenu"]


def kf_texts(client: TestClient, euid: str = CUSTOMER) -> list[str]:
    return [m["payload"]["content"] for m in sandbox_of(client).inbox(euid)
            if m["channel"] == "kf" and m["msgtype"] == "text"]


async def start(client: TestClient) -> Admin:
    services_of(client).wecom.retry = FAST
    await load_sample_rules(World(client))
    return await Admin.make(client)


async def customer_writes(client: TestClient) -> None:
    """The customer writes in kefu (their window opens) and the bot's answer has gone."""
    before = len(kf_texts(client))
    await sandbox_of(client).customer_says(SEED_KF, CUSTOMER, "你好")
    await wait_for(lambda: len(kf_texts(client)) > before)
    await outbox_settled()


async def test_proposed_picked_on_the_timeline_told_and_reminded_once(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(mode_settings)) as client:
        admin = await start(client)
        sandbox = sandbox_of(client)
        await new_order(admin, NO, customer={"external_userid": CUSTOMER, "name": "陈女士",
                                             "open_kfid": SEED_KF}, team=TEAM)
        await customer_writes(client)
        first, first_at = day_text(3, "14:00")
        second, _ = day_text(4, "10:00")
        status, got = await admin.call("POST", f"/orders/{NO}/appointments", {
            "stage": "量尺", "slots": [second, first], "event_id": "appt-1"})
        assert status == 201, got
        assert got["status"] == "proposed" and got["slots"][0].startswith(
            first_at.isoformat()[:16]) and len(got["slot_texts"]) == 2
        # A repeat of the request is the same proposal, nothing sent twice.
        status, again = await admin.call("POST", f"/orders/{NO}/appointments", {
            "stage": "量尺", "slots": [second, first], "event_id": "appt-1"})
        assert status == 201 and again["id"] == got["id"] and again["replayed"]

        menu = (await wait_for(lambda: kf_menus(client)))[-1]["payload"]
        assert "【量尺预约】" in menu["head_content"] and NO in menu["head_content"]
        labels = [i["click"]["content"] for i in menu["list"]]
        assert labels == [*got["slot_texts"], "都不合适，换个时间"]
        # The menu is one of the five messages WeCom allows after the customer wrote.
        conv = await KfConversation.get(external_userid=CUSTOMER)
        assert conv.sent_since_customer == 2

        await sandbox.customer_clicks(SEED_KF, CUSTOMER, menu["list"][0]["click"]["id"])
        reply = await wait_for(lambda: [t for t in kf_texts(client) if "已为您预约" in t])
        assert got["slot_texts"][0] in reply[-1]
        a = await wait_for(lambda: one(Appointment, id=got["id"],
                                       status=AppointmentStatus.CHOSEN))
        assert a.chosen_at == first_at
        # The team is told (one card to each), and it is on the timeline.
        for uid in TEAM.values():
            told = await wait_for(lambda uid=uid: cards(sandbox, uid, "客户已选定量尺时间"))
            assert got["slot_texts"][0] in str(told[-1])
        _, tl = await admin.call("GET", f"/orders/{NO}/timeline")
        kinds = [e["kind"] for e in tl["entries"]]
        assert kinds.count("appointment") == 1 and "appointment_chosen" in kinds
        chosen = next(e for e in tl["entries"] if e["kind"] == "appointment_chosen")
        assert chosen["appointment"]["chosen_text"] == got["slot_texts"][0]
        assert sorted(n["recipient"] for n in chosen["notifications"]) == sorted(TEAM.values())
        offer = next(e for e in tl["entries"] if e["kind"] == "appointment")
        assert [(n["channel"], n["status"]) for n in offer["notifications"]] in (
            [("kefu", "sent")], [("kefu", "delivered")])
        # A second click: the first choice stands.
        await sandbox.customer_clicks(SEED_KF, CUSTOMER, menu["list"][1]["click"]["id"])
        await wait_for(lambda: any("您已选定" in t for t in kf_texts(client)))
        assert (await Appointment.get(id=a.id)).chosen_at == first_at

        # The day before, at 10:00 北京时间: the team and the customer, once.
        ports = services_of(client).ports
        due = appointments.remind_at(first_at, services_of(client).settings
                                     .appointment_remind_hour)
        assert await appointments.remind(ports, due - timedelta(minutes=1)) == 0
        assert await appointments.remind(ports, due + timedelta(minutes=1)) == 1
        assert await appointments.remind(ports, due + timedelta(minutes=2)) == 0
        await run_tick(client, ahead=(due - utcnow()).total_seconds() + 300)  # the tick too
        for uid in TEAM.values():
            await wait_for(lambda uid=uid: cards(sandbox, uid, "明日量尺"))
            assert len(cards(sandbox, uid, "明日量尺")) == 1
        await wait_for(lambda: [t for t in kf_texts(client) if "温馨提醒" in t])
        assert len([t for t in kf_texts(client) if "温馨提醒" in t]) == 1
        _, tl = await admin.call("GET", f"/orders/{NO}/timeline")
        reminder = [e for e in tl["entries"] if e["kind"] == "appointment_reminder"]
        assert len(reminder) == 1
        assert {n["channel"] for n in reminder[0]["notifications"]} == {"app", "kefu"}
        await outbox_settled()


async def test_another_time_and_a_new_proposal_replacing_the_last(
    embedded_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        admin = await start(client)
        sandbox = sandbox_of(client)
        await new_order(admin, NO, customer={"external_userid": CUSTOMER, "open_kfid": SEED_KF})
        await customer_writes(client)
        slot, _ = day_text(2, "09:00")
        _, old = await admin.call("POST", f"/orders/{NO}/appointments",
                                  {"stage": "安装", "slots": [slot]})
        old_menu = (await wait_for(lambda: kf_menus(client)))[-1]["payload"]
        later, _ = day_text(5, "15:30")
        _, new = await admin.call("POST", f"/orders/{NO}/appointments",
                                  {"stage": "安装", "slots": [later]})
        assert (await Appointment.get(id=old["id"])).status == AppointmentStatus.REPLACED
        # The old menu's time now only points to the newest.
        await sandbox.customer_clicks(SEED_KF, CUSTOMER, old_menu["list"][0]["click"]["id"])
        await wait_for(lambda: any("已更新" in t for t in kf_texts(client)))
        new_menu = await wait_for(lambda: [m for m in kf_menus(client)
                                           if str(new["id"]) in str(m["payload"])])
        other = new_menu[-1]["payload"]["list"][-1]["click"]
        assert other["content"] == "都不合适，换个时间"
        await sandbox.customer_clicks(SEED_KF, CUSTOMER, other["id"])
        await wait_for(lambda: any("专员会尽快与您联系" in t for t in kf_texts(client)))
        a = await Appointment.get(id=new["id"])
        assert a.status == AppointmentStatus.DECLINED and a.chosen_at is None
        # The specialist alone is told, with how to propose again.
        told = await wait_for(lambda: cards(sandbox, "zhangwei", "客户希望换个安装时间"))
        assert f"预约 {NO} 安装" in str(told[-1]) and not cards(sandbox, "lina", "换个安装时间")
        _, tl = await admin.call("GET", f"/orders/{NO}/timeline")
        assert [e["kind"] for e in tl["entries"]].count("appointment_declined") == 1
        _, listed = await admin.call("GET", f"/orders/{NO}/appointments")
        assert [x["status"] for x in listed] == ["replaced", "declined"]
        await outbox_settled()


async def test_unreachable_customer_the_group_task_carries_the_times(
    embedded_settings: Callable[..., Settings],
) -> None:
    """The customer never wrote in kefu: no menu; the specialist is asked to settle the
    time in person, and the group's next task carries the times as text."""
    async with serving(orders_settings(embedded_settings)) as client:
        admin = await start(client)
        sandbox = sandbox_of(client)
        await new_order(admin, NO, customer={"external_userid": CUSTOMER, "open_kfid": SEED_KF})
        await bound_order(admin, NO)
        slot, _ = day_text(3, "14:00")
        _, got = await admin.call("POST", f"/orders/{NO}/appointments",
                                  {"stage": "量尺", "slots": [slot]})
        offer = await wait_for(lambda: one(Notification, appointment_id=got["id"], channel="kefu",
                                           status="skipped"))
        assert "状态为 4" in (offer.detail or "")
        told = await wait_for(lambda: cards(sandbox, "zhangwei", "请联系客户确认量尺时间"))
        assert got["slot_texts"][0] in str(told[-1]) and "群发任务" in str(told[-1])
        assert not kf_menus(client)
        await wait_for(lambda: GroupNotice.filter(order__order_no=NO).exists())
        await run_tick(client, ahead=120)
        tasks = await wait_for(lambda: list(sandbox.mass_messaging.tasks.values()))
        text = tasks[-1].content["text"]["content"]
        assert f"【量尺预约】可选时间：{got['slot_texts'][0]}" in text
        _, tl = await admin.call("GET", f"/orders/{NO}/timeline")
        entry = next(e for e in tl["entries"] if e["kind"] == "appointment")
        assert {(n["channel"], n["recipient"]) for n in entry["notifications"]} >= {
            ("kefu", CUSTOMER), ("app", "zhangwei")}
        assert any(n["channel"] == "group" for n in entry["notifications"])
        await outbox_settled()


async def test_the_chat_command_and_chinese_refusals(
    embedded_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        admin = await start(client)
        sandbox = sandbox_of(client)
        await new_order(admin, NO, customer={"external_userid": CUSTOMER, "open_kfid": SEED_KF})

        async def says(userid: str, text: str) -> str:
            before = len(sandbox.inbox(userid))
            await sandbox.staff_says(userid, text)
            # The command's answer (a text), not the cards the proposal causes.
            got = await wait_for(lambda: [m for m in sandbox.inbox(userid)[before:]
                                          if m.get("msgtype") != "textcard"])
            return str(got[-1])

        first, _ = day_text(3, "14:00")
        answer = await says("zhangwei", f"预约 {NO} 量尺 {first} {day_text(4, '09:30')[0]}")
        assert "已记录订单" in answer and "量尺" in answer
        a = await wait_for(lambda: one(Appointment, source="chat"))
        assert a.proposed_by == "zhangwei" and len(a.slots) == 2
        assert "缺少几点几分" in await says("zhangwei", f"预约 {NO} 量尺 12月9日")
        assert "不是需要预约的节点" in await says("zhangwei", f"预约 {NO} 设计 {first}")
        assert "不在订单" in await says("liuyang", f"预约 {NO} 量尺 {first}")
        assert "用法" in await says("zhangwei", "预约 DD1")
        assert (await Appointment.all().count()) == 1

        # The API: each refusal names the field, in Chinese, and changes nothing.
        def post(body: dict[str, Any], who: Admin = admin) -> Any:
            return who.call("POST", f"/orders/{NO}/appointments", body)

        status, err = await post({"stage": "量尺", "slots": ["明年某天"]})
        assert status == 400 and err["error"]["field"] == "slots" and "看不懂" in \
            err["error"]["message"]
        status, err = await post({"stage": "量尺", "slots": [first] * 4})
        assert status == 400 and err["error"]["field"].startswith("slots")
        status, err = await post({"stage": "量尺", "slots": ["2020-01-01 10:00"]})
        assert status == 400 and "已经过去了" in err["error"]["message"]
        status, err = await post({"stage": "设计", "slots": [first]})
        assert status == 400 and err["error"]["field"] == "stage"
        status, err = await post({"stage": "不存在", "slots": [first]})
        assert status == 404
        status, _ = await admin.call("POST", "/orders/NOPE/appointments",
                                     {"stage": "量尺", "slots": [first]})
        assert status == 404
        specialist = Admin(client, "")
        specialist.headers = (await Admin.make(client, "specialist")).headers
        status, err = await post({"stage": "量尺", "slots": [first]}, specialist)
        assert status == 403  # a specialist token named for no one on this team
        viewer = await Admin.make(client, "viewer")
        status, _ = await post({"stage": "量尺", "slots": [first]}, viewer)
        assert status == 403
        for i, stage in enumerate(("签约", "量尺", "设计")):
            await admin.call("POST", f"/orders/{NO}/milestones",
                             {"milestone": stage, "event_id": f"m{i}"})
        status, err = await post({"stage": "量尺", "slots": [first]})
        assert status == 409 and "已过了「量尺」" in err["error"]["message"]
        assert (await Appointment.all().count()) == 1
        assert (await Appointment.get(id=a.id)).status == AppointmentStatus.PROPOSED
        await outbox_settled()


async def test_a_pick_while_a_person_has_the_session_is_recorded_silently(
    embedded_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        admin = await start(client)
        sandbox = sandbox_of(client)
        await new_order(admin, NO, customer={"external_userid": CUSTOMER, "open_kfid": SEED_KF})
        await customer_writes(client)
        slot, at = day_text(2, "11:00")
        _, got = await admin.call("POST", f"/orders/{NO}/appointments",
                                  {"stage": "量尺", "slots": [slot]})
        menu = (await wait_for(lambda: kf_menus(client)))[-1]["payload"]
        await sandbox.servicer_says(SEED_KF, CUSTOMER, "zhangwei", "您好，我是张伟")
        await outbox_settled()
        texts = len(kf_texts(client))
        await sandbox.customer_clicks(SEED_KF, CUSTOMER, menu["list"][0]["click"]["id"])
        a = await wait_for(lambda: one(Appointment, id=got["id"],
                                       status=AppointmentStatus.CHOSEN))
        assert a.chosen_at == at
        await wait_for(lambda: cards(sandbox, "lina", "客户已选定量尺时间"))
        await outbox_settled()
        # WeCom lets no bot message in while a person has the session: none was tried.
        assert len(kf_texts(client)) == texts
        assert sandbox.kf.sessions[(SEED_KF, CUSTOMER)].state == 3
