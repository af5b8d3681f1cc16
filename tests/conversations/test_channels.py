"""Welcomes (contacts and kefu), the kf budget, offer_group, the AI bot, and the chat archive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.infra.clock import SettableClock
from bot.models import (
    ArchiveCursor,
    ContactEvent,
    Escalation,
    InboxEvent,
    JoinWayRecord,
    OutboxMessage,
    OutboxStatus,
    WelcomeOutcome,
)
from bot.pipeline.pullers.archive_sync import SEQ_KEY, MemoryArchiveSource, poll
from bot.settings import Settings
from tests.harness.admin import bearer
from tests.harness.waiting import wait_for
from tests.harness.world import CUSTOMER, KF, load_sample_rules, world


async def test_contact_welcome_by_channel_code_staff_override_and_missed(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        h = await bearer("adm", "admin")
        c = w.client
        assert (await c.put("/api/v1/channel-codes", json={"code": "expo", "name": "展会"},
                            headers=h)).status == 200
        bad = await c.post("/api/v1/welcome-texts", json={"channel_code": "nope", "text": "x"},
                           headers=h)
        assert bad.status == 400
        for body in ({"text": "默认欢迎{nickname}"},
                     {"channel_code": "expo", "text": "感谢{nickname}在展会上添加我们！",
                      "attachments": [{"msgtype": "link", "link": {
                          "title": "展会优惠", "url": "https://example.com/expo"}}]},
                     {"userid": "lina", "text": "我是设计师李娜"}):
            assert (await c.post("/api/v1/welcome-texts", json=body, headers=h)).status == 201
        await w.sandbox.staff_adds_customer("zhangwei", "wmExpo1", name="周先生", state="expo")
        await w.sandbox.staff_adds_customer("lina", "wmPlain1", name="吴女士")
        await w.sandbox.staff_adds_customer("wangqiang", "wmPlain2", name="郑先生")
        await w.settle()
        expo = w.sandbox.inbox("wmExpo1")[-1]
        assert expo["text"]["content"] == "感谢周先生在展会上添加我们！"
        assert expo["attachments"][0]["link"]["title"] == "展会优惠"
        assert w.sandbox.inbox("wmPlain1")[-1]["text"]["content"] == "我是设计师李娜"
        assert w.sandbox.inbox("wmPlain2")[-1]["text"]["content"] == "默认欢迎郑先生"
        # A code that arrives after its 20 s is recorded as missed and never sent.
        clock = w.sandbox.corp.clock
        w.services.ports.clock = SettableClock(lambda: clock() + 30)
        await w.sandbox.staff_adds_customer("zhangwei", "wmLate1", name="迟到")
        await w.settle()
        assert w.sandbox.inbox("wmLate1") == []
        outcomes = {o.external_userid: o.outcome for o in await WelcomeOutcome.all()}
        assert outcomes == {"wmExpo1": "sent", "wmPlain1": "sent", "wmPlain2": "sent",
                            "wmLate1": "missed"}
        assert await ContactEvent.filter(channel_code="expo").count() == 1


async def test_welcome_codes_another_app_holds_or_wecom_calls_expired(
    mode_settings: Callable[..., Settings],
) -> None:
    """41096 (another app is sending) is retried inside the 20 s: sent if the other app's
    send failed, already_sent (41051) if it went out; 41050 from WeCom is missed, never
    failed or sent. Outcomes are pending until the row has gone out."""
    async with world(mode_settings()) as w:
        await w.sandbox.staff_adds_customer("zhangwei", "wmOurs", other_app_sending=1,
                                            other_app_delivers=False)
        await w.sandbox.staff_adds_customer("lina", "wmTheirs", other_app_sending=1)

        async def outcomes() -> dict[str, str]:
            return {o.external_userid: o.outcome for o in await WelcomeOutcome.all()}

        assert await wait_for(lambda: _all_settled(outcomes), timeout=15) == {
            "wmOurs": "sent", "wmTheirs": "already_sent"}
        ours = [m for m in w.sandbox.inbox("wmOurs") if m["channel"] == "welcome"]
        assert len(ours) == 1 and "另一个应用" not in str(ours[0])
        theirs = await WelcomeOutcome.get(external_userid="wmTheirs")
        assert theirs.errcode == 41051
        # WeCom says the code is past its window though our clock did not: missed.
        w.sandbox.corp.limits.welcome_ttl = 0
        await w.sandbox.staff_adds_customer("wangqiang", "wmExpired")
        late = await wait_for(lambda: _settled_one("wmExpired"))
        assert (late.outcome, late.errcode) == ("missed", 41050)
        row = await OutboxMessage.get(key__startswith="welcome:", recipient="wmExpired")
        assert row.status == OutboxStatus.MISSED and row.attempts == 0


async def _all_settled(outcomes: Callable[[], Any]) -> dict[str, str] | None:
    got = await outcomes()
    return got if len(got) == 2 and "pending" not in got.values() else None


async def _settled_one(euid: str) -> WelcomeOutcome | None:
    o = await WelcomeOutcome.get_or_none(external_userid=euid)
    return o if o is not None and o.outcome != "pending" else None


async def test_kf_welcome_menu_and_the_five_message_budget(
    mode_settings: Callable[..., Settings], kf_over_limit: str,
) -> None:
    """The bot plans within the budget, so WeCom's way of refusing a sixth message (event or
    95001) never comes up."""
    async with world(mode_settings()) as w:
        w.sandbox.corp.limits.kf_over_limit = kf_over_limit
        await load_sample_rules(w)
        await w.sandbox.customer_enters(KF, CUSTOMER)
        await w.wait_kf(1)
        welcome = w.sandbox.inbox(CUSTOMER)[0]
        assert welcome["msgtype"] == "msgmenu" and welcome["on_event"] == "kf_welcome"
        assert [i["click"]["id"] for i in welcome["payload"]["list"]] == [
            "progress", "faq", "human"]
        # A rule with six replies: four go out, the fifth says a person follows up.
        h = await bearer("adm2", "admin")
        many = {"id": "catalog", "when": {"any": ["目录"]}, "action": "reply", "replies": {
            "messages": [{"text": f"第{i}页"} for i in range(1, 7)]}}
        assert (await w.client.post("/api/v1/rules", json=many, headers=h)).status == 201
        await w.sandbox.customer_says(KF, CUSTOMER, "发我目录")
        await w.wait_kf(6)
        await w.settle()
        texts = w.kf_texts()[1:]
        assert texts[:4] == ["第1页", "第2页", "第3页", "第4页"]
        assert texts[4] == w.services.settings.conversations.budget_notice
        assert await Escalation.filter(reason="budget").exists()
        assert not [c for c in w.sandbox.kf.messages[KF]
                    if c.get("event", {}).get("event_type") == "msg_send_fail"]
        assert not [c for c in w.sandbox.calls if c["errcode"] == 95001]


async def test_offer_group_creates_the_join_way_once(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        group = await w.sandbox.staff_creates_group("zhangwei", "全屋定制服务群")
        cfg = w.services.settings.conversations.model_copy(
            update={"offer_group_chat_ids": (group["chat_id"],)})
        w.services.ports.settings = w.services.settings.model_copy(
            update={"conversations": cfg})
        await load_sample_rules(w)
        await w.sandbox.customer_says(KF, CUSTOMER, "可以进群吗")
        await w.wait_kf(2)
        await w.sandbox.customer_says(KF, CUSTOMER, "拉我进群")
        texts = await w.wait_kf(4)
        assert "服务群" in texts[0] and texts[1].startswith("扫码加入服务群：")
        assert texts[1] == texts[3]
        assert await JoinWayRecord.all().count() == 1
        assert sum(c["path"] == "externalcontact/groupchat/add_join_way"
                   for c in w.sandbox.calls) == 1


async def test_aibot_welcome_commands_and_staff_faq(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        await load_sample_rules(w)
        await w.sandbox.staff_mentions_aibot("lina", "@助手 安装验收标准是什么",
                                             chatid="wrInternal1")
        await w.sandbox.staff_mentions_aibot("lina", "进度 DD2024001")
        await w.sandbox.staff_says("wangqiang", "年假怎么请")
        await w.sandbox.drain()
        group = [m["reply"] for m in w.sandbox.inbox("wrInternal1")]
        assert "柜体水平误差" in group[-1]
        single = [m["reply"] for m in w.sandbox.inbox("lina") if m["channel"] == "aibot_reply"]
        assert "没有找到订单 DD2024001" in single[-1]
        app = [m["reply"] for m in w.sandbox.inbox("wangqiang") if m["channel"] == "app_reply"]
        assert "审批" in app[-1]


async def test_archive_escalate_rule_raises_an_escalation_without_reply(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings(conversations={"supervisors": {"*": "liuyang"}})
    async with world(settings) as w:
        await load_sample_rules(w)
        source = MemoryArchiveSource()
        w.services.ports.archive = source
        now_ms = int(w.services.ports.clock.now().timestamp() * 1000)
        source.add({"msgid": "a1", "action": "send", "from": "wmGroupCust1", "roomid": "wrG1",
                    "msgtime": now_ms - 2000, "msgtype": "text",
                    "text": {"content": "安装师傅迟到了"}})
        source.add({"msgid": "a2", "action": "send", "from": "wmGroupCust1", "roomid": "wrG1",
                    "msgtime": now_ms - 1000, "msgtype": "text", "text": {"content": "我要投诉！"}})
        assert await poll(w.services) == 2
        assert await poll(w.services) == 0  # seq saved: nothing twice

        async def raised() -> Escalation | None:
            return await Escalation.filter(channel="archive").first()

        esc = await wait_for(raised)
        assert esc.chat_id == "wrG1" and esc.rule_id == "complaint"
        await w.settle()
        assert w.app_inbox("liuyang")[-1]["msgtype"] == "template_card"
        assert w.sandbox.inbox("wrG1") == [] and w.sandbox.inbox("wmGroupCust1") == []


async def test_archive_records_older_than_the_inbox_remembers_are_not_acted_on(
    mode_settings: Callable[..., Settings],
) -> None:
    """The archive's seq lives in the store: lost, the pull starts again from 0. A record
    sent before the inbox's keys reach back (inbox_keep_days) could have been handled
    already, so it is skipped; a recent one, or one without a readable msgtime, is not."""
    settings = mode_settings(inbox_keep_days=7, conversations={"supervisors": {"*": "liuyang"}})
    async with world(settings) as w:
        await load_sample_rules(w)
        source = MemoryArchiveSource()
        w.services.ports.archive = source
        now_ms = int(w.services.ports.clock.now().timestamp() * 1000)
        day = 86_400_000
        source.add(_archived("old", now_ms - 7 * day - 2 * 3_600_000, "我要投诉！"))
        source.add(_archived("edge", now_ms - 7 * day + 2 * 3_600_000, "我要投诉！"))
        source.add(_archived("fresh", now_ms, "我要投诉！"))
        source.add(_archived("unreadable", "yesterday", "我要投诉！"))
        assert await poll(w.services) == 3
        stored = await InboxEvent.filter(fmt="archive").values_list("dedupe_key", flat=True)
        assert sorted(stored) == ["archive:edge", "archive:fresh", "archive:unreadable"]
        await w.settle()


async def test_the_archive_seq_is_kept_in_the_database(
    mode_settings: Callable[..., Settings],
) -> None:
    """Saved with each batch in the database, not in the store: a store that lost everything
    (Redis flushed, an embedded process restarted) does not pull the archive again from 0.
    Where a release that kept it in the store stopped, an upgrade goes on."""
    async with world(mode_settings()) as w:
        source = MemoryArchiveSource()
        w.services.ports.archive = source
        now_ms = int(w.services.ports.clock.now().timestamp() * 1000)
        for i in range(3):
            source.add(_archived(f"s{i}", now_ms, "你好"))
        await w.services.store.set(SEQ_KEY, "1")  # where the older release stopped
        assert await poll(w.services) == 2  # s1 and s2
        assert (await ArchiveCursor.get(source="archive")).seq == 3
        await w.services.store.set(SEQ_KEY, "0")  # the store's value no longer counts
        source.add(_archived("s3", now_ms, "你好"))
        assert await poll(w.services) == 1
        assert (await ArchiveCursor.get(source="archive")).seq == 4
        stored = await InboxEvent.filter(fmt="archive").values_list("dedupe_key", flat=True)
        assert sorted(stored) == ["archive:s1", "archive:s2", "archive:s3"]
        await w.settle()


def _archived(msgid: str, msgtime: object, text: str) -> dict[str, Any]:
    """A decrypted archive record: a customer's text in the group wrG1."""
    return {"msgid": msgid, "action": "send", "from": "wmGroupCust1", "roomid": "wrG1",
            "msgtime": msgtime, "msgtype": "text", "text": {"content": text}}


async def test_a_new_groups_owner_is_told_which_welcome_template_to_pick(
    mode_settings: Callable[..., Settings],
) -> None:
    """WeCom lets only the client attach a group welcome template: the owner is told which."""
    async with world(mode_settings()) as w:
        admin = await bearer("gw-admin", "admin")
        made = await w.client.post("/api/v1/group-welcome-templates", headers=admin, json={
            "name": "全屋定制欢迎", "text": "欢迎 %NICKNAME% 入群", "is_default": True})
        assert made.status == 201, await made.text()
        await w.sandbox.staff_creates_group("zhangwei", "陈女士的服务群")
        await w.settle()
        told = [m for m in w.app_inbox("zhangwei") if "入群欢迎语" in str(m.get("payload"))]
        assert len(told) == 1 and "全屋定制欢迎" in str(told[0]["payload"])


async def test_a_group_welcome_template_gone_from_wecom_is_made_again_or_deleted(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        admin = await bearer("gw-admin2", "admin")
        body = {"name": "旧名", "text": "欢迎入群", "is_default": False}
        made = await (await w.client.post("/api/v1/group-welcome-templates", headers=admin,
                                          json=body)).json()
        w.sandbox.mass_messaging.templates.clear()  # an admin deleted it in WeCom's own console
        put = await w.client.put(f"/api/v1/group-welcome-templates/{made['id']}", headers=admin,
                                 json={**body, "name": "新名", "text": "欢迎加入服务群"})
        assert put.status == 200, await put.text()
        got = await put.json()
        assert got["name"] == "新名" and got["template_id"] != made["template_id"]
        templates = w.sandbox.mass_messaging.templates.values()
        assert [t["text"]["content"] for t in templates] == ["欢迎加入服务群"]
        other = await w.client.post("/api/v1/group-welcome-templates", headers=admin,
                                    json={**body, "name": "另一个"})
        clash = await w.client.put(f"/api/v1/group-welcome-templates/{made['id']}",
                                   headers=admin, json={**body, "name": "另一个"})
        assert other.status == 201 and clash.status == 409
        await w.client.delete(f"/api/v1/group-welcome-templates/{(await other.json())['id']}",
                              headers=admin)
        w.sandbox.mass_messaging.templates.clear()
        gone = await w.client.delete(f"/api/v1/group-welcome-templates/{made['id']}",
                                     headers=admin)
        assert gone.status == 204
        assert await (await w.client.get("/api/v1/group-welcome-templates",
                                         headers=admin)).json() == []


async def test_a_staff_faq_answer_too_long_for_a_passive_reply_goes_in_parts(
    mode_settings: Callable[..., Settings],
) -> None:
    """A staff rule with two texts that together pass WeCom's 2,048 bytes (each fits when
    saved): WeCom would cut a passive reply, so the answer goes actively, in parts, whole,
    and the rule is counted once."""
    from bot.models import RuleStat

    async with world(mode_settings()) as w:
        h = await bearer("adm-faq", "admin")
        first, second = "甲" * 600, "乙" * 600  # 1,800 bytes each, 3,601 joined
        rule = {"id": "long-faq", "channels": ["app"], "when": {"any": ["报销流程"]},
                "action": "reply", "replies": {"mode": "all", "messages": [
                    {"text": first}, {"text": second}]}}
        res = await w.client.post("/api/v1/rules", json=rule, headers=h)
        assert res.status == 201, await res.text()
        await w.sandbox.staff_says("wangqiang", "报销流程是什么")
        await w.settle()
        got = [m for m in w.sandbox.inbox("wangqiang") if m["channel"] in ("app", "app_reply")]
        assert got and not any(m.get("truncated") for m in got), got
        text = "".join(str((m.get("payload") or {}).get("content") or m.get("reply") or "")
                       for m in got)
        assert first in text and second in text
        assert (await RuleStat.get(rule_id="long-faq", channel="app")).hits == 1


async def test_a_passive_answer_wecom_never_got_is_given_again_on_its_retry(
    mode_settings: Callable[..., Settings],
) -> None:
    """The service answered 帮助 inside the callback, but the answer never reached WeCom,
    which sends the callback again: the retry gets the same answer (not an empty 200), the
    command is not run twice, and the member reads the reply once."""
    async with world(mode_settings()) as w:
        lost = iter([True])  # the first answer is lost, every later one arrives
        w.sandbox.corp.driver._answer_lost = lambda: next(lost, False)
        await w.sandbox.staff_says("wangqiang", "帮助")
        await w.sandbox.drain()
        replies = [m for m in w.sandbox.inbox("wangqiang") if m["channel"] == "app_reply"]
        assert len(replies) == 1 and "认领" in replies[0]["reply"], replies
        [delivery] = [d for d in w.sandbox.corp.driver.deliveries if d.label == "app_text"]
        assert [a.get("error") for a in delivery.attempts] == ["AnswerLost", None]
        assert await InboxEvent.filter(event_type="text").count() == 1
