"""The statistics page's other tables as CSV (escalation SLA, welcome outcomes, notification
delivery, new and lost customers): UTF-8 with a BOM, Chinese headers and labels, names beside
codes, the page's date range, and the same figures as the JSON the page draws."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.delivery import outbox
from bot.models import ChannelCode, ContactEvent, Escalation, EscalationStatus, WelcomeOutcome
from bot.settings import Settings
from tests.harness.admin import bearer
from tests.harness.service import services_of, serving

BOM = "\ufeff"


async def _csv(client, path: str, headers: dict[str, str], **params: str) -> list[list[str]]:
    resp = await client.get("/api/v1" + path, headers=headers, params=params)
    assert resp.status == 200, (path, await resp.text())
    assert resp.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in resp.headers["Content-Disposition"]
    text = await resp.text(encoding="utf-8")
    assert text.startswith(BOM), path
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_statistics_tables_export_as_csv(mode_settings: Callable[..., Settings]) -> None:
    async with serving(mode_settings()) as c:
        h = await bearer("v-export", "viewer")
        now = datetime.now(UTC)
        t0 = now - timedelta(hours=2)
        for i, (claim, resolve) in enumerate([(4, 30), (10, None), (None, None)]):
            await Escalation.create(
                channel="kefu", conversation=f"kefu:kf1:x{i}", reason="rule", created_at=t0,
                status=(EscalationStatus.RESOLVED if resolve else EscalationStatus.CLAIMED
                        if claim else EscalationStatus.OPEN),
                claimed_at=t0 + timedelta(minutes=claim) if claim else None,
                resolved_at=t0 + timedelta(minutes=resolve) if resolve else None,
                renotified_at=t0 if claim is None else None, raised_at=t0 if i == 2 else None)
        # Forty days ago: outside the default range, inside a range that asks for it.
        await Escalation.create(channel="app", conversation="app:old", reason="menu",
                                created_at=now - timedelta(days=40))
        rows = await _csv(c, "/stats/escalations.csv", h)
        assert rows[0] == ["分类", "项目", "数值"]
        table = {(r[0], r[1]): r[2] for r in rows[1:]}
        assert table[("概况", "转人工总数")] == "3"
        assert table[("认领用时", "中位数（分钟）")] == "7"
        assert table[("认领用时", "P90（分钟）")] == "10"
        assert table[("解决用时", "已解决")] == "1"
        assert table[("解决用时", "中位数（分钟）")] == "30"
        assert table[("概况", "再次提醒")] == "1" and table[("概况", "上报主管")] == "1"
        assert float(table[("概况", "最久未认领（分钟）")]) >= 119
        assert table[("状态", "待认领")] == table[("状态", "处理中")] == "1"
        assert table[("状态", "已解决")] == "1"
        assert table[("原因", "规则")] == "3" and table[("渠道", "微信客服")] == "3"
        since = (now - timedelta(days=60)).date().isoformat()
        wide = {(r[0], r[1]): r[2] for r in (await _csv(c, "/stats/escalations.csv", h,
                                                        since=since))[1:]}
        assert wide[("概况", "转人工总数")] == "4" and wide[("渠道", "应用消息")] == "1"
        resp = await c.get("/api/v1/stats/escalations.csv", headers=h,
                           params={"since": "2030-01-02", "until": "2030-01-01"})
        assert resp.status == 400 and (await resp.json())["error"]["field"] == "since"

        await ChannelCode.create(code="showroom", name="展厅")
        for euid, code, outcome in (("a", "showroom", "sent"), ("b", "showroom", "missed"),
                                    ("c", None, "sent")):
            await WelcomeOutcome.create(kind="contact", userid="zhangwei", external_userid=euid,
                                        channel_code=code, outcome=outcome)
        await WelcomeOutcome.create(kind="kefu", external_userid="d", outcome="brand_new")
        rows = await _csv(c, "/stats/welcome.csv", h)
        head = rows[0]
        assert head[:5] == ["分组", "名称", "代码", "已发送", "超时未发"] and head[-1] == "合计"
        # An outcome the labels do not know yet still has its column.
        assert "brand_new" in head
        by = {(r[0], r[1]): dict(zip(head, r, strict=True)) for r in rows[1:]}
        assert by[("场景", "添加客户")]["已发送"] == "2" and by[("场景", "添加客户")]["合计"] == "3"
        assert by[("场景", "微信客服")]["brand_new"] == "1"
        assert by[("渠道", "展厅")]["代码"] == "showroom"
        assert by[("渠道", "展厅")]["超时未发"] == "1"
        assert by[("渠道", "（无渠道码）")]["合计"] == "2"

        services = services_of(c)
        row = await outbox.add(key="n:x", app="main", api="message_send",
                               args={"msgtype": "text", "payload": {"content": "x"},
                                     "touser": "zhangwei"}, recipient="zhangwei")
        await outbox.flush(services, [row])
        stats = await (await c.get("/api/v1/stats/notifications", headers=h)).json()
        rows = await _csv(c, "/stats/notifications.csv", h)
        head = rows[0]
        assert head[:3] == ["类型", "接口", "待发送"] and head[-1] == "合计"
        by = {r[0]: dict(zip(head, r, strict=True)) for r in rows[1:]}
        assert by["应用消息"]["接口"] == "message_send"
        assert by["全部"]["合计"] == str(sum(stats["by_status"].values())) == "1"

        for change, uid, euid, code in (
                ("add_external_contact", "zhangwei", "wmA", "showroom"),
                ("add_external_contact", "zhangwei", "wmB", "showroom"),
                ("add_external_contact", "lina", "wmC", None),
                ("del_follow_user", "zhangwei", "wmA", "showroom"),
                ("del_external_contact", "lina", "wmC", None)):
            await ContactEvent.create(change=change, userid=uid, external_userid=euid,
                                      channel_code=code)
        rows = await _csv(c, "/stats/contacts.csv", h)
        assert rows[0] == ["分组", "名称", "渠道码或账号", "新增", "流失（客户删除员工）",
                           "员工删除客户"]
        assert rows[1] == ["合计", "全部", "", "3", "1", "1"]
        assert ["渠道", "展厅", "showroom", "2", "1", "0"] in rows
        assert ["渠道", "（无渠道码）", "", "1", "0", "1"] in rows
        assert ["成员", "张伟", "zhangwei", "2", "1", "0"] in rows
        assert ["成员", "李娜", "lina", "1", "0", "1"] in rows
        # Viewers may read every export; nobody without a token may.
        assert (await c.get("/api/v1/stats/contacts.csv")).status == 401
