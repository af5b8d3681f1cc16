"""微信客服 conversations: auto-replies within WeCom's rules, welcome, session bookkeeping.

One customer message = one decision, taken once under the conversation's lock and stored with
the planned replies in one transaction (keyed by the inbound msgid, so a retried job only
finishes the sending). Then the replies go out in order, then the side effect (escalation,
group offer). The bot never speaks while a person has the session (state 2/3) and never
plans more than the kf budget (5 after the customer's last message, protocol.md §3.2); the
last message of an exhausted budget says a person will follow up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from bot.conversations import (
    compose,
    escalation,
    kefu_store,
    offer_group,
    order_progress,
    outbound,
    surveys,
)
from bot.conversations.keys import kf_key
from bot.infra.logs import get_logger
from bot.models import (
    ConversationMessage,
    Direction,
    KfConversation,
    KfWelcome,
    OutboxMessage,
    OutboxStatus,
    UnansweredQuestion,
    WelcomeOutcome,
)
from bot.models.surveys import parse_pick
from bot.ports import Ports
from bot.protocol import errors as E
from bot.protocol.errors import WeComAPIError
from bot.protocol.events import KfEnterSession, KfMsgSendFail, KfSessionStatusChange, KfText
from keywords import Message, Text, normalize

log = get_logger("bot.kefu")
WELCOME_WINDOW = 20.0
APPOINTMENT_PICK = "appt-"  # an appointment menu's click ids (bot.orders.appointments)


@dataclass
class Plan:
    rule_id: str | None = None
    messages: list[Message] = field(default_factory=list)
    action: str | None = None  # escalate:<reason> | offer_group


async def on_customer_text(ports: Ports, ev: KfText, *, fresh: bool = False) -> None:
    """``fresh``: the message's inbox row is new (its msgid never stored before), so no
    decision on it can exist yet and the look-up for one is skipped."""
    if ev.origin != 3 or not ev.open_kfid or not ev.external_userid or not ev.msgid:
        return  # servicer (5) messages are history only; the API's own sends never come back
    key = kf_key(ev.open_kfid, ev.external_userid)
    ref = f"kf:{ev.msgid}"
    wait = ports.settings.conversations.kf_conversation_wait_seconds
    async with ports.store.lock(f"conv:{key}", wait=wait):
        inbound = None if fresh else await ConversationMessage.get_or_none(
            msgid=ev.msgid, direction=Direction.IN)
        if inbound is not None:  # a retried job: the decision stands, finish the sending
            action, rule_id = inbound.action, inbound.rule_id
            sent = await ports.outbox.send_now(await outbound.pending_for(ref))
        else:
            action, rule_id, planned = await _decide(ports, ev, key, ref)
            # Rows committed just now: no other sender can have them yet.
            sent = await ports.outbox.send_now(planned, fresh=True)
        await _over_budget(ports, sent)
    rule = ports.rules.matcher.by_id.get(rule_id) if rule_id else None
    if rule is not None and rule.tag:
        # The rule's tags for the customer (marked in WeCom where a member has them as a
        # contact); giving a tag twice changes nothing, so a retried job may repeat it.
        await ports.customers.apply_tags(ports, ev.external_userid, rule.tag,
                                         cause=f"rule:{rule.id}")
    if action and action.startswith("escalate:"):
        await escalation.escalate_kf(ports, ev.open_kfid, ev.external_userid,
                                     reason=action.split(":", 1)[1], rule_id=rule_id)
    elif action == "offer_group":
        await offer_group.after_kf_reply(ports, ev.open_kfid, ev.external_userid)
    elif action and action.startswith(("rated:", "commented:")):
        kind, _, survey_id = action.partition(":")
        if survey_id.isdigit():
            after = surveys.after_rating if kind == "rated" else surveys.after_comment
            await after(ports, int(survey_id))


async def _over_budget(ports: Ports, rows: list[OutboxMessage]) -> None:
    """WeCom tells of a spent allowance either later, as msg_send_fail fail_type 6
    (``on_send_fail``), or at once, as errcode 95001: both end the same way in the history."""
    over = [r.id for r in rows if r.status == OutboxStatus.FAILED
            and ports.outbox.errcode(r) == E.KF_OVER_SEND_LIMIT]
    if over:
        ports.metrics.kf_budget_skip("over_limit", len(over))
        await ConversationMessage.filter(outbox_id__in=over, direction=Direction.OUT).update(
            status="failed", fail_type=FAIL_OVER_LIMIT)
        log.warning("kefu.send_failed", fail_type=FAIL_OVER_LIMIT, known=True, count=len(over))


FAIL_OVER_LIMIT = 6  # msg_send_fail's fail_type for "over the 5-message limit"


async def _decide(ports: Ports, ev: KfText, key: str, ref: str
                  ) -> tuple[str | None, str | None, list[OutboxMessage]]:
    cfg = ports.settings.conversations
    at = ports.clock.now()
    text = ev.content or ""
    conv = await _conversation(ev.open_kfid or "", ev.external_userid or "")
    if conv.session_state == 4:
        conv.session_state = 0  # a customer message re-opens an ended session (§3.4)
    plan = Plan()
    unanswered = suppressed = False
    answered = await _menu_answer(ports, conv.external_userid, ev, at)
    if answered is not None:
        # A rating or an appointment pick: recorded whoever has the session; answered only
        # while the bot may speak.
        reply, plan.action = answered
        conv.unmatched_streak = 0
        if conv.session_state not in (2, 3):
            plan.messages = [Text(reply)]
    elif conv.session_state not in (2, 3):
        matcher = ports.rules.matcher
        scope: dict[str, object] = {"open_kfid": ev.open_kfid}
        if "tag" in matcher.scope_keys:  # a rule for customers with a tag: theirs, read once
            scope["tag"] = await ports.customers.tag_names(conv.external_userid)
        picked = order_progress.picked_order(ev.menu_id)
        m = None if picked is not None else matcher.match(
            text, channel="kefu", at=at, menu_id=ev.menu_id, scope=scope)
        # The sentence after a rating, unless the customer asks for a person.
        rated = await surveys.awaiting_comment(ports, conv.external_userid, at) \
            if picked is None and not ev.menu_id and text.strip() \
            and (m is None or m.rule.action != "escalate") else None
        if rated is not None:
            conv.unmatched_streak = 0
            plan.messages = [Text(await surveys.take_comment(ports, rated, text))]
            plan.action = f"commented:{rated.id}"
        elif picked is not None:
            # The customer picked one of their orders from the progress menu.
            plan.messages = await order_progress.answer(ports, conv.external_userid, None, picked)
            if plan.messages:
                conv.unmatched_streak = 0
            else:
                _fallback(plan, conv, cfg)
        elif m is not None:
            conv.unmatched_streak = 0
            plan.rule_id = m.rule.id
            if await _cooling_down(ports, m.rule, key, ev.msgid or ""):
                suppressed = True
            elif m.rule.action == "order_progress":
                plan.messages = await order_progress.answer(ports, conv.external_userid, m.rule)
                if not plan.messages:  # no order to tell of: as if nothing had matched
                    _fallback(plan, conv, cfg)
            else:
                plan.messages = compose.pick(m.rule)
                if m.rule.action == "escalate":
                    plan.action = "escalate:rule"
                elif m.rule.action == "offer_group":
                    plan.action = "offer_group"
        elif ev.menu_id and ev.menu_id == cfg.human_menu_id:
            plan.action = "escalate:menu"
        else:
            unanswered = True
            _fallback(plan, conv, cfg)
    values = await _variables(ports, conv, plan.messages)
    if plan.action == "offer_group":
        plan.messages += await offer_group.kf_extra_messages(ports, conv.external_userid)
    payloads = await compose.kf_payloads(plan.messages, values,
                                         lambda url: ports.media.media_id_for_url(url))
    customer_at = sent_at(ev.send_time) or at
    asked = len(payloads)
    payloads, over = _within_budget(cfg, conv, customer_at, payloads)
    if over:
        # Replies dropped: a stale question's whole answer, or what the notice replaced.
        kept = len(payloads) - 1 if payloads else 0
        ports.metrics.kf_budget_skip("reply" if payloads else "backlog", asked - kept)
        unanswered = unanswered or not payloads
        plan.action = plan.action if plan.action and plan.action.startswith("escalate") \
            else "escalate:budget"
    planned: list[OutboxMessage] = []

    async def write(conn: Any) -> None:
        # May run twice (alone after a failed shared try on SQLite): rows are built afresh.
        replies = []
        for i, (msgtype, body) in enumerate(payloads):
            row = outbound.kf_row(ports, key=f"{ref}:{i}", open_kfid=conv.open_kfid,
                                  external_userid=conv.external_userid, msgtype=msgtype,
                                  body=body, ref=ref)
            replies.append((row, ConversationMessage(
                channel="kefu", conversation=key, direction=Direction.OUT, msgtype=msgtype,
                content=str(body.get("content", "")), payload=body, ref=ref,
                msgid=row.args.get("msgid"), rule_id=plan.rule_id, status="planned")))
        await kefu_store.record(conn, kefu_store.Decision(
            conversation=conv,
            inbound=ConversationMessage(
                channel="kefu", conversation=key, direction=Direction.IN, msgtype="text",
                content=text, msgid=ev.msgid, rule_id=plan.rule_id, action=plan.action),
            replies=replies, rule_id=plan.rule_id, at=at, customer_at=customer_at,
            unanswered=UnansweredQuestion(channel="kefu", conversation=key, content=text,
                                          normalized=normalize(text)) if unanswered else None,
            suppressed=suppressed))
        planned[:] = [row for row, _ in replies]

    # Ordered by the rule whose daily counter the write bumps (see Commits); on
    # PostgreSQL the write is a single statement.
    await ports.commits.run(write, order=plan.rule_id or "", single_statement=True)
    if plan.rule_id:
        ports.metrics.rule_hit(plan.rule_id, "kefu")
    log.info("kefu.decided", rule=plan.rule_id, replies=len(payloads), action=plan.action,
             state=conv.session_state)
    return plan.action, plan.rule_id, planned


async def _menu_answer(ports: Ports, external_userid: str, ev: KfText, at: datetime
                       ) -> tuple[str, str | None] | None:
    """A click on a rating menu or an appointment menu of this customer's: (the reply,
    the side effect to run after it); None for any other message."""
    rating = parse_pick(ev.menu_id)
    if rating is not None:
        reply = await surveys.answer_click(ports, external_userid, *rating, ev.msgid or "", at)
        return (reply, f"rated:{rating[0]}") if reply is not None else None
    if ev.menu_id and ev.menu_id.startswith(APPOINTMENT_PICK):
        reply = await ports.orders.appointment_answer(ports, external_userid, ev.menu_id)
        return (reply, None) if reply is not None else None
    return None


def _fallback(plan: Plan, conv: KfConversation, cfg: Any) -> None:
    """What an unanswered message gets: the fallback reply, which offers a person; the
    escalation itself after ``unmatched_escalate_after`` in a row."""
    conv.unmatched_streak += 1
    if conv.unmatched_streak >= cfg.unmatched_escalate_after:
        conv.unmatched_streak = 0
        plan.action = "escalate:unmatched"
    else:
        plan.messages = [Text(cfg.fallback_reply)]


def sent_at(send_time: int | None) -> datetime | None:
    """A kf item's ``send_time`` as a time (None when absent or not a plausible one)."""
    if send_time is None or not 0 < send_time < 2**33:
        return None
    return datetime.fromtimestamp(send_time, UTC)


# Kept for the customer's newest message when an older one of a backlog is decided: its
# answer and the notice that a person follows up.
NEWEST_RESERVE = 2


def _within_budget(cfg: Any, conv: KfConversation, customer_at: datetime,
                   payloads: list[tuple[str, dict[str, Any]]]
                   ) -> tuple[list[tuple[str, dict[str, Any]]], bool]:
    """The replies WeCom will take, and whether the budget cut them.

    WeCom allows ``kf_budget`` messages after the customer's last message, counted from
    when the customer sent it, not from when we handle it (protocol.md §3.2). A message
    older than the newest one known (a backlog after an outage) is answered only if that
    leaves the newest its answer; otherwise it is left to the person the escalation calls.
    The newest message's answer ends with the notice when it uses up the budget."""
    newest = conv.last_customer_at is None or conv.last_customer_at <= customer_at
    spent = conv.sent_since_customer if conv.last_customer_at is not None \
        and conv.last_customer_at >= customer_at else 0
    left = max(0, cfg.kf_budget - spent)
    if not newest:
        if payloads and len(payloads) > left - NEWEST_RESERVE:
            return [], True
        return payloads, False
    if len(payloads) >= left and payloads:
        return ([*payloads[: left - 1], ("text", {"content": cfg.budget_notice})]
                if left else []), True
    return payloads, False


async def _cooling_down(ports: Ports, rule: Any, key: str, msgid: str) -> bool:
    """Whether the rule answered this conversation within its cooldown. The claim names the
    message that took it: a retry of that message's decision (the first try failed before
    it was stored) is not suppressed by its own claim."""
    ttl = rule.cooldown_seconds
    if not ttl:
        return False
    name = f"cooldown:{rule.id}:{key}"
    if await ports.store.set_if_absent(name, msgid, ttl=ttl):
        return False
    return bool(await ports.store.get(name) != msgid)


async def _conversation(open_kfid: str, external_userid: str) -> KfConversation:
    """The conversation row, made on first contact. Not tortoise's get_or_create: that is a
    transaction with SELECT … FOR UPDATE, three round trips for what is nearly always one
    plain read (and the caller holds the conversation's lock). Read together with the other
    decisions under way (one SELECT for a pull's customers)."""
    conv = await kefu_store.conversation(open_kfid, external_userid)
    if conv is not None:
        return conv
    try:
        return await KfConversation.create(open_kfid=open_kfid, external_userid=external_userid)
    except IntegrityError:  # made meanwhile by a path that does not take the lock
        return await KfConversation.get(open_kfid=open_kfid, external_userid=external_userid)


async def _variables(ports: Ports, conv: KfConversation, messages: list[Message]
                     ) -> dict[str, str]:
    values: dict[str, str] = {}
    if compose.wants(messages, "nickname"):
        if conv.nickname is None:
            conv.nickname = await _nickname(ports, conv.external_userid)
        values["nickname"] = conv.nickname or ""
    wants_specialist = compose.wants(messages, "specialist")
    if compose.wants(messages, "order_no") or wants_specialist:
        order = await ports.orders.for_customer(conv.external_userid)
        if order is not None:
            values["order_no"] = order.order_no
            if wants_specialist:  # a directory look-up, the first time
                values["specialist"] = await ports.directory.staff_name(order.specialist)
    return values


async def _nickname(ports: Ports, external_userid: str) -> str:
    try:
        res = await ports.wecom.kf_customer_batchget([external_userid])
    except WeComAPIError as exc:
        log.warning("kefu.nickname_failed", errcode=exc.errcode)
        return ""
    for c in res.get("customer_list") or []:
        if c.get("external_userid") == external_userid:
            return str(c.get("nickname") or "")[:64]  # the column's width
    return ""


async def kf_welcome_for(cfg: Any, open_kfid: str | None
                         ) -> tuple[str, list[tuple[str, str]]]:
    """The welcome an admin set for this kf account, else for every account, else settings."""
    for key in (open_kfid, "*"):
        row = await KfWelcome.get_or_none(open_kfid=key) if key else None
        if row is not None:
            return row.text, [(str(i), str(c)) for i, c in row.menu]
    return cfg.kf_welcome_text, list(cfg.kf_welcome_menu)


async def on_enter_session(ports: Ports, ev: KfEnterSession) -> None:
    """The kf welcome (text + menu) via send_msg_on_event within its 20 s, once; a code that
    arrives too late is recorded as missed, never retried."""
    if not ev.external_userid:
        return
    if not ev.welcome_code:
        await WelcomeOutcome.create(kind="kefu", external_userid=ev.external_userid,
                                    outcome="no_code")
        return
    cfg = ports.settings.conversations
    issued = float(ev.send_time or 0)
    outcome, errcode = "missed", None
    if ports.clock.now().timestamp() - issued <= WELCOME_WINDOW:
        text, items = await kf_welcome_for(cfg, ev.open_kfid)
        menu = {"head_content": text,
                "list": [{"type": "click", "click": {"id": i, "content": c}} for i, c in items]}
        row = await outbound.kf_on_event(
            ports, ev.welcome_code, "msgmenu", menu, key=f"kfwelcome:{ev.msgid}",
            recipient=ev.external_userid,
            deadline=datetime.fromtimestamp(issued + WELCOME_WINDOW, UTC))
        outcome = {OutboxStatus.SENT: "sent", OutboxStatus.MISSED: "missed",
                   OutboxStatus.PENDING: "retrying"}.get(row.status, "failed")
        errcode = ports.outbox.errcode(row) if outcome == "failed" else None
    await WelcomeOutcome.create(kind="kefu", external_userid=ev.external_userid,
                                outcome=outcome, errcode=errcode)
    log.info("kefu.welcome", outcome=outcome, errcode=errcode)


async def on_send_fail(ports: Ports, ev: KfMsgSendFail) -> None:
    """Recorded against the message it failed (fail_type 6: over the 5-message limit)."""
    msg = await ConversationMessage.get_or_none(msgid=ev.fail_msgid, direction=Direction.OUT)
    if msg is not None:
        msg.status, msg.fail_type = "failed", ev.fail_type
        await msg.save(update_fields=["status", "fail_type"])
        if msg.outbox_id:
            await ports.outbox.mark(msg.outbox_id, OutboxStatus.FAILED,
                              error=f"msg_send_fail fail_type {ev.fail_type}")
    log.warning("kefu.send_failed", fail_type=ev.fail_type, known=msg is not None)


async def on_session_change(ports: Ports, ev: KfSessionStatusChange) -> None:
    """3 = ended: resolve the escalation, then the survey with the end code; 1/2/4 = a
    person has it now."""
    if not ev.open_kfid or not ev.external_userid:
        return
    conv = await _conversation(ev.open_kfid or "", ev.external_userid or "")
    key = kf_key(ev.open_kfid, ev.external_userid)
    servicer = ev.old_servicer_userid or conv.servicer_userid
    if ev.change_type == 3:
        conv.session_state, conv.servicer_userid = 4, None
        await escalation.resolve_conversation(ports, key, by="session_end")
    elif ev.change_type in (1, 2, 4):
        conv.session_state, conv.servicer_userid = 3, ev.new_servicer_userid
        await escalation.servicer_changed(key, ev.new_servicer_userid)
    # Only what this path owns: a full save would put back the decision fields as read above.
    await conv.save(update_fields=["session_state", "servicer_userid", "updated_at"])
    if ev.change_type == 3:
        await surveys.on_session_end(ports, ev, servicer)
