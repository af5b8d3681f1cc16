"""The end-of-session survey end to end through the sandbox: a servicer ends the kf session,
the rating menu goes out with the end code within its 20 s (and the sandbox refuses the
code a second time), the customer rates low and adds a sentence, the supervisor is told,
and the rating shows in the statistics and their CSV; a code handled too late is recorded
as missed, never sent."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from bot.api_access import create_token
from bot.conversations import rules_store
from bot.conversations.rulebook import changed, sample_rules_text
from bot.infra.clock import SettableClock
from bot.models import Escalation, EscalationStatus, Survey, SurveyPerson
from bot.models.surveys import pick_id
from bot.protocol import errors as E
from bot.settings import Settings
from sandbox.model import SandboxError
from tests.harness.waiting import one, wait_for
from tests.harness.world import CUSTOMER, KF, World, world


async def _ready(w: World) -> None:
    if not await rules_store.list_rules():
        await rules_store.import_rules(sample_rules_text(), mode="replace", actor="test")
    await changed(w.services.ports)


def menus(w: World) -> list[dict[str, Any]]:
    return [m for m in w.sandbox.inbox(CUSTOMER) if m["channel"] == "kf"
            and m["msgtype"] == "msgmenu" and "本次服务已结束" in str(m["payload"])]


async def _served_and_ended(w: World) -> str:
    """The customer writes, zhangwei answers from the client, then ends the session: the
    end code WeCom handed out."""
    await w.sandbox.customer_says(KF, CUSTOMER, "你好")
    await w.settle()
    await w.sandbox.servicer_says(KF, CUSTOMER, "zhangwei", "您好，我是张伟")
    await w.settle()
    ended = await w.sandbox.servicer_ends_session(KF, CUSTOMER)
    return str(ended["msg_code"])


async def test_session_end_survey_low_rating_sentence_supervisor_and_statistics(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings(conversations={"supervisors": {KF: "liuyang"}})
    async with world(settings) as w:
        await _ready(w)
        code = await _served_and_ended(w)
        menu = (await wait_for(lambda: menus(w)))[-1]
        assert menu["on_event"] == "kf_state"  # sent with the end code, not kf/send_msg
        survey = await wait_for(lambda: one(Survey, kind="session", ask_status="sent"))
        assert [(p.userid, p.role) for p in await SurveyPerson.filter(survey=survey)] == [
            ("zhangwei", "servicer")]
        assert [i["click"]["id"] for i in menu["payload"]["list"]] == [
            pick_id(survey.id, s) for s in (5, 4, 3, 2, 1)]
        # The code was used: WeCom (the sandbox) takes no second message with it.
        with pytest.raises(SandboxError) as refused:
            w.sandbox.kf_endpoints.send_msg_on_event(
                {"code": code, "msgtype": "text", "text": {"content": "再见"}})
        assert refused.value.errcode == E.KF_INVALID_MSG_CODE

        # The customer taps 2分: recorded, apologised for, raised to the account's supervisor.
        await w.sandbox.customer_clicks(KF, CUSTOMER, pick_id(survey.id, 2))
        await w.settle()
        assert any("非常抱歉" in t for t in w.kf_texts())
        survey = await Survey.get(id=survey.id)
        assert (survey.score, survey.answered_via) == (2, "kf")
        esc = await wait_for(lambda: one(Escalation, channel="survey"))
        assert (esc.reason, esc.raised_to, esc.status) == ("rating", "liuyang",
                                                           EscalationStatus.OPEN)
        card = (await wait_for(lambda: w.app_inbox("liuyang")))[-1]["payload"]
        assert "低分评价" in card["main_title"]["title"]
        values = {f["keyname"]: f["value"] for f in card["horizontal_content_list"]}
        assert values["评分"] == "2 分" and values["评价对象"] == "张伟（接待人员）"
        # The next message is the rating's sentence; the supervisor gets it too.
        await w.sandbox.customer_says(KF, CUSTOMER, "等了很久才有人回复")
        await w.settle()
        assert w.kf_texts()[-1].startswith("收到您的意见")
        assert (await Survey.get(id=survey.id)).comment == "等了很久才有人回复"
        follow = await wait_for(lambda: [m for m in w.app_inbox("liuyang")
                                         if "客户补充：等了很久才有人回复" in str(m)])
        assert f"#{esc.id}" in str(follow[-1])
        # Only one sentence: the message after it is answered as any other.
        await w.sandbox.customer_says(KF, CUSTOMER, "谢谢")
        await w.settle()
        assert not w.kf_texts()[-1].startswith("收到您的意见")
        # A second tap changes nothing.
        await w.sandbox.customer_clicks(KF, CUSTOMER, pick_id(survey.id, 5))
        await w.settle()
        assert "您已经评价过了" in w.kf_texts()[-1]
        assert (await Survey.get(id=survey.id)).score == 2
        assert await Escalation.filter(channel="survey").count() == 1

        # In the statistics, per person and per stage, and their CSV.
        headers = {"Authorization": "Bearer " + await create_token("stats", "viewer")}
        resp = await w.client.get("/api/v1/stats/satisfaction", headers=headers)
        stats = await resp.json()
        assert resp.status == 200 and (stats["answered"], stats["low"]) == (1, 1)
        assert stats["by_score"] == [0, 1, 0, 0, 0] and stats["by_kind"] == {"session": 1}
        assert [(p["userid"], p["name"], p["roles"], p["count"], p["average"])
                for p in stats["people"]] == [("zhangwei", "张伟", ["servicer"], 1, 2.0)]
        assert [(s["stage"], s["count"]) for s in stats["stages"]] == [("", 1)]
        resp = await w.client.get("/api/v1/stats/satisfaction.csv", headers=headers)
        text = (await resp.read()).decode("utf-8-sig")
        assert resp.status == 200 and "张伟（zhangwei）,接待人员,1,2.00,1" in text
        resp = await w.client.get("/api/v1/stats/satisfaction.csv?by=stage", headers=headers)
        assert "无订单（客服会话）,1,2.00,1" in (await resp.read()).decode("utf-8-sig")
        resp = await w.client.get("/api/v1/stats/satisfaction.csv?by=nobody", headers=headers)
        assert resp.status == 400
        # The raised rating is a case like any other: the supervisor claims it.
        got = await w.client.post(f"/api/v1/escalations/{esc.id}/claim", json={},
                                  headers={"Authorization": "Bearer " + await create_token(
                                      "liuyang", "specialist")})
        assert got.status == 200 and (await got.json())["claimed_by"] == "liuyang"


async def test_a_code_handled_after_its_20_seconds_is_missed_not_sent(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        await _ready(w)
        # The service's clock runs 25 s ahead of WeCom's: the end code it reads is stale.
        w.services.ports.clock = SettableClock(lambda: time.time() + 25)
        await _served_and_ended(w)
        survey = await wait_for(lambda: one(Survey, kind="session", ask_status="missed"))
        await w.settle()
        assert menus(w) == [] and survey.score is None
        assert not [c for c in w.sandbox.calls if c["path"] == "kf/send_msg_on_event"]


async def test_no_survey_when_turned_off(mode_settings: Callable[..., Settings]) -> None:
    async with world(mode_settings(conversations={"session_survey": False})) as w:
        await _ready(w)
        await _served_and_ended(w)
        await w.settle()
        assert menus(w) == [] and not await Survey.exists()
