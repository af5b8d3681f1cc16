"""Escalation to service specialists: open once per conversation, route, notify, SLA.

Routing (kefu): the specialist of the customer's order if they are receiving; else the
least-loaded receiving servicer under the per-servicer cap, ties by round robin; if nobody
can take it, the queue (state 2) with its notice. Then service_state/trans to 3. Opening,
routing and the first notice happen under the conversation's escalation lock, and routing
only once: a second trigger (转人工 right after a complaint) or a retried job continues where
the last one stopped instead of routing again to someone else.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from bot.conversations import cards, outbound
from bot.conversations.keys import kf_key
from bot.infra.clock import when_text
from bot.infra.logs import get_logger
from bot.models import Escalation, EscalationStatus, KfConversation
from bot.ports import LocalPorts, Ports
from bot.protocol import errors as E
from bot.protocol.errors import WeComAPIError, WeComError

log = get_logger("bot.escalation")
LIVE = (EscalationStatus.OPEN, EscalationStatus.CLAIMED)


class EscalationError(Exception):
    """A claim or resolve that cannot happen; the message is shown to the person."""


class NoSuchEscalation(EscalationError):
    """The escalation named does not exist (the message is still shown to the person)."""


def _lock(ports: Ports, conversation: str) -> Any:
    # Long enough for routing's WeCom calls (servicer list, trans, the notices).
    return ports.store.lock(f"esc:{conversation}", wait=60)


async def _open(ports: Ports, **fields: Any) -> Escalation:
    """The conversation's live escalation, or a new one (the caller holds ``_lock``)."""
    live = await Escalation.filter(conversation=fields["conversation"], status__in=LIVE).first()
    if live is not None:
        return live
    return await Escalation.create(created_at=ports.clock.now(), **fields)


async def escalate_kf(ports: Ports, open_kfid: str, external_userid: str, *, reason: str,
                      rule_id: str | None = None) -> Escalation:
    conv = await KfConversation.get_or_none(open_kfid=open_kfid, external_userid=external_userid)
    order = await ports.orders.for_customer(external_userid)
    key = kf_key(open_kfid, external_userid)
    async with _lock(ports, key):
        esc = await _open(ports, channel="kefu", conversation=key, open_kfid=open_kfid,
                          external_userid=external_userid, reason=reason, rule_id=rule_id,
                          customer_name=conv.nickname if conv else None,
                          order_no=order.order_no if order else None)
        if esc.notified_at is None:
            if esc.servicer_userid is None and not esc.queued:
                try:
                    await _route_kf(ports, esc, order.specialist if order else None)
                except WeComError as exc:
                    # People are told all the same; whoever claims it takes the session then.
                    log.warning("escalation.route_failed", escalation=esc.id,
                                error=type(exc).__name__)
            await notify(ports, esc)
    return esc


async def escalate_other(ports: Ports, *, channel: str, conversation: str, reason: str,
                         rule_id: str | None, chat_id: str | None = None,
                         external_userid: str | None = None) -> Escalation:
    """Escalations without a kf session (chat archive): the order's specialist or the
    supervisor is told; there is no session to transfer."""
    order = await ports.orders.for_customer(external_userid) if external_userid else None
    async with _lock(ports, conversation):
        esc = await _open(ports, channel=channel, conversation=conversation, reason=reason,
                          rule_id=rule_id, chat_id=chat_id, external_userid=external_userid,
                          order_no=order.order_no if order else None,
                          servicer_userid=order.specialist if order else None)
        if esc.notified_at is None:
            await notify(ports, esc)
    return esc


async def _receiving(ports: Ports, open_kfid: str) -> list[str]:
    res = await ports.wecom.kf_servicer_list(open_kfid)
    return [s["userid"] for s in res.get("servicer_list") or []
            if s.get("userid") and int(s.get("status", 1)) == 0]


async def _candidates(ports: Ports, esc: Escalation, specialist: str | None) -> list[str]:
    receiving = await _receiving(ports, esc.open_kfid or "")
    live = await Escalation.filter(status__in=LIVE, open_kfid=esc.open_kfid
                                   ).exclude(id=esc.id).values_list("servicer_userid", flat=True)
    load: Counter[str] = Counter(str(u) for u in live if u)
    cap = ports.settings.conversations.servicer_cap
    first = [specialist] if specialist in receiving else []
    pool = [u for u in receiving if load[u] < cap and u not in first]
    turn = await ports.store.incr(f"esc:rr:{esc.open_kfid}")
    # Least loaded first; among equals, rotate the starting point each time (round robin).
    order = {u: (i - turn) % max(len(pool), 1) for i, u in enumerate(pool)}
    pool.sort(key=lambda u: (load[u], order[u]))
    return first + pool


async def _route_kf(ports: Ports, esc: Escalation, specialist: str | None) -> None:
    cfg = ports.settings.conversations
    client = ports.wecom
    kfid, euid = esc.open_kfid or "", esc.external_userid or ""
    for userid in await _candidates(ports, esc, specialist):
        try:
            res = await client.kf_service_state_trans(kfid, euid, 3, userid)
        except WeComAPIError as exc:
            if exc.errcode in (E.KF_SERVICER_INACTIVE, E.KF_BAD_TRANSITION):
                log.info("escalation.servicer_refused", escalation=esc.id, errcode=exc.errcode)
                if exc.errcode == E.KF_BAD_TRANSITION:
                    break
                continue
            raise
        esc.servicer_userid, esc.queued = userid, False
        await esc.save(update_fields=["servicer_userid", "queued"])
        await KfConversation.filter(open_kfid=kfid, external_userid=euid).update(
            session_state=3, servicer_userid=userid)
        if res.get("msg_code"):
            text = cfg.transfer_notice
            if "{specialist}" in text:  # a directory look-up, the first time
                text = text.replace("{specialist}", await ports.directory.staff_name(userid))
            await _notice(ports, res["msg_code"], text, f"esc{esc.id}:t", euid)
        return
    moved = True
    try:
        res = await client.kf_service_state_trans(kfid, euid, 2)
    except WeComAPIError as exc:
        if exc.errcode != E.KF_BAD_TRANSITION:
            raise
        # The session cannot be queued (ended meanwhile): people are still told, and the
        # conversation keeps the state WeCom has.
        res, moved = {}, False
    esc.queued = True
    await esc.save(update_fields=["queued"])
    if moved:
        await KfConversation.filter(open_kfid=kfid, external_userid=euid).update(
            session_state=2)
    if res.get("msg_code"):
        await _notice(ports, res["msg_code"], queue_notice(ports), f"esc{esc.id}:q", euid)


def queue_notice(ports: LocalPorts) -> str:
    """What a queued customer is told: when the raise deadline falls outside working hours
    (a Friday evening, a holiday, just before the closing), when they will be contacted,
    else the plain queue notice."""
    cfg, hours = ports.settings.conversations, ports.settings.working_hours
    now = ports.clock.now()
    wait = timedelta(minutes=cfg.sla_raise_minutes)
    due = hours.add(now, wait)
    values = {"when": when_text(due, now), "hours": hours.describe()}
    text = cfg.queue_notice if due <= now + wait else cfg.queue_notice_closed
    return text.format(**values)


async def _notice(ports: Ports, code: str, text: str, key: str, euid: str) -> None:
    await outbound.kf_on_event(ports, code, "text", {"content": text}, key, recipient=euid)


async def _targets(ports: Ports, esc: Escalation) -> list[str]:
    if esc.servicer_userid:
        return [esc.servicer_userid]
    if esc.open_kfid:
        receiving = await _receiving(ports, esc.open_kfid)
        if receiving:
            return receiving
    sup = supervisor(ports, esc.open_kfid)
    return [sup] if sup else []


def supervisor(ports: Ports, open_kfid: str | None) -> str | None:
    sups = ports.settings.conversations.supervisors
    return sups.get(open_kfid or "") or sups.get("*")


async def notify(ports: Ports, esc: Escalation, *, attempt: int = 0,
                 to: list[str] | None = None) -> None:
    targets = to if to is not None else await _targets(ports, esc)
    if targets:
        card = await cards.escalation_card(ports, esc, attempt)
        await outbound.app_message(ports, targets, "template_card", card,
                                   key=f"esc{esc.id}:n{attempt}")
    else:
        log.warning("escalation.nobody_to_notify", escalation=esc.id)
    if attempt == 0:
        esc.notified_at = ports.clock.now()
        await esc.save(update_fields=["notified_at"])


async def claim(ports: LocalPorts, esc_id: int, userid: str) -> Escalation:
    """Claim a case for ``userid``. Local, so 认领 answers inside the callback; a kefu
    session still with someone else (or queued) is handed over by the ``escalation_hand_over``
    job. A repeat claim queues the hand-over again, which finishes one that was cut off."""
    esc = await Escalation.get_or_none(id=esc_id)
    if esc is None:
        raise NoSuchEscalation(f"没有编号为 {esc_id} 的转人工记录")
    if esc.status == EscalationStatus.RESOLVED:
        raise EscalationError(f"#{esc_id} 已解决")
    if esc.status == EscalationStatus.CLAIMED:
        if esc.claimed_by != userid:
            raise EscalationError(f"#{esc_id} 已由 {esc.claimed_by} 认领")
    else:
        updated = await Escalation.filter(id=esc_id, status=EscalationStatus.OPEN).update(
            status=EscalationStatus.CLAIMED, claimed_by=userid, claimed_at=ports.clock.now())
        if not updated:  # someone else won the race
            return await claim(ports, esc_id, userid)
        esc = await Escalation.get(id=esc_id)
    if _needs_hand_over(esc, userid):
        # No job id: arq keeps a finished job's id for a while, and a repeat claim must be
        # able to try again; the job itself does nothing once the session is the claimer's.
        await ports.jobs.enqueue("escalation_hand_over", esc.id, userid)
    return esc


def _needs_hand_over(esc: Escalation, userid: str) -> bool:
    return (esc.channel == "kefu" and esc.status == EscalationStatus.CLAIMED
            and esc.claimed_by == userid and userid != esc.servicer_userid)


async def hand_over(ports: Ports, esc_id: int, userid: str) -> None:
    """Job: give a claimed kefu case's session to its claimer, if it still needs it."""
    esc = await Escalation.get_or_none(id=esc_id)
    if esc is not None and _needs_hand_over(esc, userid):
        await _hand_session_to(ports, esc, userid)


async def _hand_session_to(ports: Ports, esc: Escalation, userid: str) -> None:
    """If WeCom refuses (the claimer is not an active servicer), the claim stands and the
    session stays where it is."""
    kfid, euid = esc.open_kfid or "", esc.external_userid or ""
    try:
        await ports.wecom.kf_service_state_trans(kfid, euid, 3, userid)
    except WeComAPIError as exc:
        log.info("escalation.claim_not_transferred", escalation=esc.id, errcode=exc.errcode)
        return
    esc.servicer_userid, esc.queued = userid, False
    await esc.save(update_fields=["servicer_userid", "queued"])
    await KfConversation.filter(open_kfid=kfid, external_userid=euid).update(
        session_state=3, servicer_userid=userid)


async def resolve(ports: LocalPorts, esc_id: int, userid: str) -> Escalation:
    at = ports.clock.now()
    # Conditional updates, not a save of a copy read earlier: a claim landing in between
    # keeps its claimer.
    if await Escalation.filter(id=esc_id, status__in=LIVE).update(
            status=EscalationStatus.RESOLVED, resolved_by=userid, resolved_at=at):
        await Escalation.filter(id=esc_id, claimed_by=None).update(claimed_by=userid,
                                                                    claimed_at=at)
    esc = await Escalation.get_or_none(id=esc_id)
    if esc is None:
        raise NoSuchEscalation(f"没有编号为 {esc_id} 的转人工记录")
    return esc


async def resolve_conversation(ports: LocalPorts, conversation: str, *, by: str) -> int:
    return await Escalation.filter(conversation=conversation, status__in=LIVE).update(
        status=EscalationStatus.RESOLVED, resolved_by=by, resolved_at=ports.clock.now())


async def servicer_changed(conversation: str, servicer: str | None) -> None:
    if servicer:
        await Escalation.filter(conversation=conversation, status__in=LIVE).update(
            servicer_userid=servicer, queued=False)


async def todo(userid: str) -> list[Escalation]:
    mine = await Escalation.filter(status__in=LIVE, servicer_userid=userid).order_by("id")
    claimed = await Escalation.filter(status__in=LIVE, claimed_by=userid).order_by("id")
    seen: dict[int, Escalation] = {e.id: e for e in [*mine, *claimed]}
    return sorted(seen.values(), key=lambda e: e.id)
