"""CSV exports of the console's lists: ``GET /api/v1/<list>.csv`` takes the list's own
filters and answers every matching row (up to ``MAX_ROWS``), streamed page by page.

UTF-8 with a BOM so that Excel opens it as UTF-8; Chinese headers; times in 北京时间; people
and rules by name, ids beside them. Rows come from the list endpoints' own handlers, so an
export and the list it was started from can never disagree on what matches.
"""

from __future__ import annotations

import csv
import io
import operator
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any, Literal
from urllib.parse import quote

from aiohttp import web
from pydantic import Field

from bot.infra.clock import CST, cst_date
from bot.orders.schemas import OrderQuery
from bot.web.admin import (
    conversations_api,
    customers_api,
    notifications_api,
    orders_api,
    stats_api,
)
from bot.web.admin.framework import Api, ApiRequest
from bot.web.admin.names import channel_names, staff_names
from bot.web.admin.paging import Paged

api = Api()
READ = ("admin", "specialist", "viewer")
MAX_ROWS = 50_000  # bounded: an export is a report, not a backup
PAGE = 200
BOM = "\ufeff"

ESC_STATUS = {"open": "待认领", "claimed": "处理中", "resolved": "已解决"}
ESC_REASON = {"rule": "规则", "unmatched": "连续未识别", "menu": "菜单", "budget": "消息额度",
              "archive": "会话存档", "rating": "低分评价"}
CHANNEL = {"kefu": "微信客服", "app": "应用消息", "aibot": "智能机器人", "archive": "会话存档",
           "group": "客户群", "survey": "满意度评价"}
RATED_ROLE = {"servicer": "接待人员", "specialist": "专员", "designer": "设计师",
              "installer": "安装师傅"}
NOTIF_STATUS = {"pending": "待发送", "sent": "已发送", "delivered": "已送达", "failed": "失败",
                "missed": "已错过", "skipped": "已跳过"}
API_NAME = {"message_send": "应用消息", "kf_send_msg": "客服消息",
            "kf_send_msg_on_event": "客服欢迎语", "send_welcome_msg": "新客户欢迎语",
            "add_msg_template": "群发任务", "get_groupmsg_send_result": "群发结果",
            "groupchat_add_join_way": "加群二维码", "user_get": "成员信息"}

Column = tuple[str, Callable[[Any], Any]]


def beijing(at: datetime | None) -> str:
    """"2026-12-05 15:04:05" in 北京时间 (CST, no daylight saving)."""
    if at is None:
        return ""
    return (at.astimezone(UTC) + CST).strftime("%Y-%m-%d %H:%M:%S")


def person(userid: str | None, name: str | None) -> str:
    """「张伟（zhangwei）」, or the id alone when that is all there is."""
    if not userid:
        return ""
    return f"{name}（{userid}）" if name and name != userid else userid


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ is a formula to Excel: customers' words must stay words.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


async def csv_response(req: ApiRequest, filename: str, columns: Sequence[Column],
                       pages: Callable[[int], Awaitable[list[Any]]]) -> web.StreamResponse:
    """Stream ``pages(1), pages(2)…`` as CSV until a short page or ``MAX_ROWS``."""
    resp = web.StreamResponse(headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}",
        "Cache-Control": "no-store"})
    await resp.prepare(req.request)
    buf = io.StringIO()
    out = csv.writer(buf)
    buf.write(BOM)
    out.writerow([h for h, _ in columns])
    sent, page = 0, 1
    while sent < MAX_ROWS:
        rows = await pages(page)
        for row in rows[:MAX_ROWS - sent]:
            out.writerow([_cell(get(row)) for _, get in columns])
        sent += len(rows)
        await resp.write(buf.getvalue().encode("utf-8"))
        buf.seek(0)
        buf.truncate()
        if len(rows) < PAGE:
            break
        page += 1
    await resp.write_eof()
    return resp


def _paged(req: ApiRequest, handler: Callable[[ApiRequest], Awaitable[Paged]]
           ) -> Callable[[int], Awaitable[list[Any]]]:
    """The list endpoint's handler, one page at a time, with the request's filters."""
    async def pages(n: int) -> list[Any]:
        req.query = req.query.model_copy(update={"page": n, "page_size": PAGE})
        return list((await handler(req)).items)
    return pages


def _stamp(name: str) -> str:
    return f"{name}-{cst_date(datetime.now(UTC)).isoformat()}.csv"


@api.route("GET", "/orders.csv", roles=READ, query=OrderQuery, tag="exports",
           media=("text/csv",))
async def orders_csv(req: ApiRequest) -> web.StreamResponse:
    """Orders matching the list's filters, as CSV."""
    def team(o: Any, role: str) -> str:
        return person(getattr(o.team, role), o.team_names.get(getattr(o.team, role) or ""))

    async def pages(n: int) -> list[Any]:
        req.query = req.query.model_copy(update={"page": n, "page_size": PAGE})
        return list((await orders_api.order_list(req)).orders)

    return await csv_response(req, _stamp("订单"), [
        ("订单号", lambda o: o.order_no), ("订单类型", lambda o: o.order_type),
        ("客户", lambda o: o.customer.name), ("手机号", lambda o: o.customer.phone),
        ("客户 ID", lambda o: o.customer.external_userid),
        ("阶段", lambda o: o.stage or "未开始"), ("阶段开始于", lambda o: beijing(o.stage_since)),
        ("下一阶段", lambda o: o.next_stage), ("超期", lambda o: "是" if o.overdue else "否"),
        ("专员", lambda o: team(o, "specialist")), ("设计师", lambda o: team(o, "designer")),
        ("安装师傅", lambda o: team(o, "installer")),
        ("客户群", lambda o: o.group_name or o.group_chat_id or "未建群"),
        ("预计日期", lambda o: "；".join(f"{k} {v}" for k, v in o.expected_dates.items())),
        ("创建于", lambda o: beijing(o.created_at)),
    ], pages)


@api.route("GET", "/escalations.csv", roles=READ, query=conversations_api.EscalationQuery,
           tag="exports", media=("text/csv",))
async def escalations_csv(req: ApiRequest) -> web.StreamResponse:
    """Escalations matching the list's filters, as CSV."""
    return await csv_response(req, _stamp("转人工"), [
        ("编号", lambda e: e.id), ("状态", lambda e: ESC_STATUS.get(e.status, e.status)),
        ("原因", lambda e: ESC_REASON.get(e.reason, e.reason)),
        ("渠道", lambda e: CHANNEL.get(e.channel, e.channel)),
        ("客户", lambda e: e.customer or e.external_userid), ("订单号", lambda e: e.order_no),
        ("规则", lambda e: e.rule_name or e.rule_id),
        ("接待人员", lambda e: person(e.servicer_userid, e.servicer_name)),
        ("认领人", lambda e: person(e.claimed_by, e.claimed_by_name)),
        ("认领于", lambda e: beijing(e.claimed_at)),
        ("解决人", lambda e: person(e.resolved_by, e.resolved_by_name)),
        ("解决于", lambda e: beijing(e.resolved_at)),
        ("升级给", lambda e: person(e.raised_to, e.raised_to_name)),
        ("发起于", lambda e: beijing(e.created_at)),
    ], _paged(req, conversations_api.list_escalations))


@api.route("GET", "/notifications.csv", roles=READ,
           query=notifications_api.NotificationQuery, tag="exports", media=("text/csv",))
async def notifications_csv(req: ApiRequest) -> web.StreamResponse:
    """Notifications matching the list's filters, as CSV."""
    return await csv_response(req, _stamp("通知"), [
        ("编号", lambda n: n.id), ("类型", lambda n: API_NAME.get(n.api, n.api)),
        ("收件人", lambda n: person(n.recipient, n.recipient_name)),
        ("关联", lambda n: n.ref), ("状态", lambda n: NOTIF_STATUS.get(n.status, n.status)),
        ("尝试次数", lambda n: n.attempts), ("错误", lambda n: n.last_error),
        ("创建于", lambda n: beijing(n.created_at)), ("发送于", lambda n: beijing(n.sent_at)),
    ], _paged(req, notifications_api.list_notifications))


@api.route("GET", "/unanswered.csv", roles=READ, query=conversations_api.PageQuery,
           tag="exports", media=("text/csv",))
async def unanswered_csv(req: ApiRequest) -> web.StreamResponse:
    """Unanswered questions matching the list's filters, as CSV."""
    return await csv_response(req, _stamp("未回答问题"), [
        ("时间", lambda u: beijing(u.at)), ("渠道", lambda u: CHANNEL.get(u.channel, u.channel)),
        ("会话", lambda u: u.conversation), ("问题", lambda u: u.content),
    ], _paged(req, conversations_api.list_unanswered))


async def _once(rows: list[Any]) -> Callable[[int], Awaitable[list[Any]]]:
    async def pages(n: int) -> list[Any]:
        return rows if n == 1 else []
    return pages


@api.route("GET", "/stats/rules.csv", roles=READ, query=stats_api.RuleStatsQuery,
           tag="exports", media=("text/csv",))
async def rule_stats_csv(req: ApiRequest) -> web.StreamResponse:
    """The top rules of the range, each with its hits per day, as CSV."""
    out: stats_api.RuleStatsOut = await stats_api.rule_stats(req)
    days: list[date] = out.days
    return await csv_response(req, _stamp("规则命中"), [
        ("规则", lambda r: r.rule_name or r.rule_id), ("规则 ID", lambda r: r.rule_id),
        ("命中", lambda r: r.hits), ("回复", lambda r: r.replies),
        ("被抑制", lambda r: r.suppressed),
        *((d.isoformat(), lambda r, i=i: r.per_day[i]) for i, d in enumerate(days)),
    ], await _once(list(out.rules)))


@api.route("GET", "/stats/unanswered.csv", roles=READ, query=stats_api.UnansweredQuery,
           tag="exports", media=("text/csv",))
async def unanswered_stats_csv(req: ApiRequest) -> web.StreamResponse:
    """Unanswered questions of the range grouped by normalized text, as CSV."""
    out: stats_api.UnansweredStatsOut = await stats_api.unanswered_stats(req)
    return await csv_response(req, _stamp("未回答问题统计"), [
        ("问题（归一化）", lambda g: g.normalized), ("次数", lambda g: g.count),
        ("例句", lambda g: g.example), ("最近一次", lambda g: beijing(g.last_at)),
    ], await _once(list(out.groups)))


# -- the statistics page's other tables ------------------------------------------------------

WELCOME_OUTCOME = {"sent": "已发送", "missed": "超时未发", "already_sent": "已被发过",
                   "concurrent": "其他应用在发", "no_code": "无欢迎语凭证", "failed": "失败",
                   "pending": "发送中", "too_long": "文本过长未发"}
WELCOME_KIND = {"contact": "添加客户", "kefu": "微信客服"}
Row = tuple[str, ...]


def _outcome_columns(known: dict[str, str], seen: Sequence[dict[str, int]]) -> list[str]:
    """The known values in their order, then any the labels do not know yet (never lost)."""
    extra = sorted({k for counts in seen for k in counts} - set(known))
    return [*known, *extra]


async def _table(req: ApiRequest, name: str, header: Sequence[str], rows: list[Row]
                 ) -> web.StreamResponse:
    columns: list[Column] = [(h, operator.itemgetter(i)) for i, h in enumerate(header)]
    return await csv_response(req, _stamp(name), columns, await _once(rows))


@api.route("GET", "/stats/escalations.csv", roles=READ, query=stats_api.RangeQuery,
           tag="exports", media=("text/csv",))
async def escalation_stats_csv(req: ApiRequest) -> web.StreamResponse:
    """The escalation SLA figures of the range (the statistics page's 转人工 card), as CSV:
    one figure a row."""
    out: stats_api.EscalationStatsOut = await stats_api.escalation_stats(req)

    def minutes(v: float | None) -> str:
        return "" if v is None else f"{v:g}"

    rows: list[Row] = [
        ("概况", "转人工总数", str(out.total)),
        ("认领用时", "已认领", str(out.to_claim.count)),
        ("认领用时", "中位数（分钟）", minutes(out.to_claim.median_minutes)),
        ("认领用时", "P90（分钟）", minutes(out.to_claim.p90_minutes)),
        ("解决用时", "已解决", str(out.to_resolve.count)),
        ("解决用时", "中位数（分钟）", minutes(out.to_resolve.median_minutes)),
        ("解决用时", "P90（分钟）", minutes(out.to_resolve.p90_minutes)),
        ("概况", "再次提醒", str(out.renotified)), ("概况", "上报主管", str(out.raised)),
        ("概况", "最久未认领（分钟）", minutes(out.open_oldest_minutes)),
        *(("状态", ESC_STATUS.get(k, k), str(out.by_status.get(k, 0)))
          for k in _outcome_columns(ESC_STATUS, [out.by_status])),
        *(("原因", ESC_REASON.get(k, k), str(v)) for k, v in sorted(out.by_reason.items())),
        *(("渠道", CHANNEL.get(k, k), str(v)) for k, v in sorted(out.by_channel.items())),
    ]
    return await _table(req, "转人工时效", ("分类", "项目", "数值"), rows)


@api.route("GET", "/stats/welcome.csv", roles=READ, query=stats_api.RangeQuery,
           tag="exports", media=("text/csv",))
async def welcome_stats_csv(req: ApiRequest) -> web.StreamResponse:
    """Welcome outcomes of the range by scene and by channel code, as CSV: one row each,
    one column per outcome."""
    out: stats_api.WelcomeStatsOut = await stats_api.welcome_stats(req)
    names = await channel_names()
    outcomes = _outcome_columns(WELCOME_OUTCOME, [*out.by_kind.values(),
                                                  *out.by_channel_code.values()])

    def row(group: str, name: str, code: str, counts: dict[str, int]) -> Row:
        return (group, name, code, *(str(counts.get(o, 0)) for o in outcomes),
                str(sum(counts.values())))

    rows = [row("场景", WELCOME_KIND.get(k, k), k, c) for k, c in sorted(out.by_kind.items())]
    rows += [row("渠道", names.get(code, "") if code else "（无渠道码）", code, c)
             for code, c in sorted(out.by_channel_code.items())]
    return await _table(req, "欢迎语统计", (
        "分组", "名称", "代码", *(WELCOME_OUTCOME.get(o, o) for o in outcomes), "合计"), rows)


@api.route("GET", "/stats/notifications.csv", roles=READ, tag="exports", media=("text/csv",))
async def notification_stats_csv(req: ApiRequest) -> web.StreamResponse:
    """Outbound messages in each state, per kind and overall, as CSV."""
    out: notifications_api.DeliveryStats = await notifications_api.notification_stats(req)
    statuses = _outcome_columns(NOTIF_STATUS, [out.by_status])

    def row(name: str, code: str, counts: dict[str, int]) -> Row:
        return (name, code, *(str(counts.get(s, 0)) for s in statuses),
                str(sum(counts.values())))

    rows = [row(API_NAME.get(a, a), a, c) for a, c in sorted(out.by_api.items())]
    rows.append(row("全部", "", out.by_status))
    return await _table(req, "通知投递", (
        "类型", "接口", *(NOTIF_STATUS.get(s, s) for s in statuses), "合计"), rows)


@api.route("GET", "/stats/contacts.csv", roles=READ, query=stats_api.RangeQuery,
           tag="exports", media=("text/csv",))
async def contact_stats_csv(req: ApiRequest) -> web.StreamResponse:
    """New and lost customers of the range by channel code and by member, as CSV."""
    out: stats_api.ContactStatsOut = await stats_api.contact_stats(req)

    def row(group: str, name: str, code: str, c: stats_api.ContactCounts) -> Row:
        return (group, name, code, str(c.added), str(c.lost), str(c.deleted))

    rows = [row("合计", "全部", "", out.total)]
    rows += [row("渠道", out.channel_names.get(code, "") if code else "（无渠道码）", code, c)
             for code, c in sorted(out.by_channel_code.items())]
    rows += [row("成员", out.staff_names.get(uid, uid) if uid else "（未知成员）", uid, c)
             for uid, c in sorted(out.by_userid.items())]
    return await _table(req, "客户增减", (
        "分组", "名称", "渠道码或账号", "新增", "流失（客户删除员工）", "员工删除客户"), rows)


@api.route("GET", "/customers.csv", roles=READ, query=customers_api.CustomerQuery,
           tag="exports", media=("text/csv",))
async def customers_csv(req: ApiRequest) -> web.StreamResponse:
    """Customers matching the list's filters, as CSV (phone numbers masked for viewers, as
    the list masks them)."""
    names: dict[str, str] = {}

    async def pages(n: int) -> list[Any]:
        req.query = req.query.model_copy(update={"page": n, "page_size": PAGE})
        rows = list((await customers_api.list_customers(req)).items)
        names.update(await staff_names(req.services, [u for r in rows for u in r.staff]))
        return rows

    return await csv_response(req, _stamp("客户"), [
        ("客户", lambda c: c.name), ("客户 ID", lambda c: c.external_userid),
        ("手机号", lambda c: c.phone),
        ("企业微信联系人", lambda c: "是" if c.is_contact else "否"),
        ("来自微信客服", lambda c: "是" if c.via_kefu else "否"),
        ("跟进成员", lambda c: "、".join(person(u, names.get(u)) for u in c.staff)),
        ("标签", lambda c: "、".join(c.tags)), ("更新于", lambda c: beijing(c.updated_at)),
    ], pages)


class SatisfactionCsvQuery(stats_api.RangeQuery):
    by: Literal["person", "stage"] = Field(default="person", description="one row per …")


@api.route("GET", "/stats/satisfaction.csv", roles=READ, query=SatisfactionCsvQuery,
           tag="exports", media=("text/csv",))
async def satisfaction_csv(req: ApiRequest) -> web.StreamResponse:
    """Satisfaction ratings of the range per person (``by=person``) or per stage, as CSV."""
    by = req.query.by
    out: stats_api.SatisfactionOut = await stats_api.satisfaction_stats(req)
    scores: list[Column] = [
        ("评价数", lambda r: r.count),
        ("平均分", lambda r: "" if r.average is None else f"{r.average:.2f}"),
        ("低分（≤2）", lambda r: r.low),
        *((f"{n}分", lambda r, i=n - 1: r.by_score[i]) for n in range(5, 0, -1)),
    ]
    if by == "stage":
        return await csv_response(req, _stamp("满意度-按阶段"), [
            ("阶段", lambda r: r.stage or "无订单（客服会话）"), *scores,
        ], await _once(list(out.stages)))
    return await csv_response(req, _stamp("满意度-按人员"), [
        ("人员", lambda r: person(r.userid, r.name)),
        ("角色", lambda r: "、".join(RATED_ROLE.get(x, x) for x in r.roles)), *scores,
    ], await _once(list(out.people)))
