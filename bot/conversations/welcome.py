"""New external contacts: the welcome for the contact's channel code, within its 20 s.

The text is chosen by the most specific configuration: (channel code, staff member), then
(channel code), then (staff member), then the default row, then the settings default.
Outcomes are recorded (sent, missed, already_sent 41051, concurrent 41096, no_code, failed,
too_long: the text grew past WeCom's 4000 bytes once {nickname} was filled; not sent;
callback_lost: the add's callback was lost in an outage, found by reconciliation).
A welcome that could not go out at once (WeCom busy, another app sending with the same code)
is retried inside its window; its outcome is then "pending" and settled by the
``welcome_outcome`` job once the window has closed. A missed window is never retried.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.conversations import outbound
from bot.infra.logs import get_logger
from bot.models import ContactEvent, OutboxMessage, OutboxStatus, WelcomeOutcome, WelcomeText
from bot.ports import Ports
from bot.protocol import errors as E
from bot.protocol import text_limits as L
from bot.protocol.errors import WeComAPIError
from bot.protocol.events import ExternalContactChange

log = get_logger("bot.welcome")
WINDOW = 20.0
MAX_ATTACHMENTS = 9


async def choose(ports: Ports, state: str | None, userid: str | None
                 ) -> tuple[str, list[dict[str, Any]]]:
    rows = [r for r in await WelcomeText.all()
            if r.channel_code in (state, None) and r.userid in (userid, None)]
    # Most specific first: a channel code beats a staff override beats the default.
    rows.sort(key=lambda r: (r.channel_code is None, r.userid is None))
    if rows:
        return rows[0].text, list(rows[0].attachments or [])[:MAX_ATTACHMENTS]
    return ports.settings.conversations.contact_welcome, []


async def _nickname(ports: Ports, external_userid: str) -> str:
    try:
        res = await ports.wecom.externalcontact_get(external_userid)
    except WeComAPIError:
        return ""
    return str((res.get("external_contact") or {}).get("name") or "")


ADDED = ("add_external_contact", "add_half_external_contact")


# A 「联系我」 state (protocol-2 §1). Ids longer than WeCom issues never get here: the
# pipeline acts on no such event (bot.protocol.events.implausible_id).
STATE_MAX = 30


async def on_added(ports: Ports, ev: ExternalContactChange) -> str:
    euid, userid = ev.external_user_id or "", ev.user_id
    # A state longer than any code can carry came from no code of ours: no channel.
    state = ev.state if ev.state and len(ev.state) <= STATE_MAX else None
    await ContactEvent.create(change=ev.change_type or "add_external_contact", userid=userid,
                              external_userid=euid, channel_code=state)
    outcome, errcode = "sent", None
    row = None
    text, attachments = "", list[dict[str, Any]]()
    if not ev.welcome_code:
        outcome = "no_code"
    elif ports.clock.now().timestamp() - float(ev.create_time or 0) > WINDOW:
        outcome = "missed"
    else:
        text, attachments = await choose(ports, state, userid)
        if "{nickname}" in text:
            text = text.replace("{nickname}", await _nickname(ports, euid))
    if outcome == "sent" and L.size(text) > L.WELCOME_TEXT:
        # Grown past send_welcome_msg's 4000 bytes once filled: a welcome code carries one
        # message only, so it is not sent (never cut) and the reason is recorded.
        outcome = TOO_LONG
        log.warning("welcome.too_long", size=L.size(text), limit=L.WELCOME_TEXT)
    if outcome == "sent":
        row = await outbound.welcome(
            ports, ev.welcome_code or "", text, attachments, key=f"welcome:{ev.welcome_code}",
            recipient=euid, deadline=datetime.fromtimestamp(float(ev.create_time or 0) + WINDOW,
                                                            UTC))
        outcome, errcode = _outcome_of(ports, row)
    record = await WelcomeOutcome.create(kind="contact", userid=userid, external_userid=euid,
                                         channel_code=state, outcome=outcome, errcode=errcode)
    if row is not None and outcome == PENDING:
        await _settle_later(ports, record.id, row)
    log.info("welcome.contact", outcome=outcome, errcode=errcode, channel_code=state)
    return outcome


PENDING = "pending"
TOO_LONG = "too_long"  # the filled text is over WeCom's limit: not sent
# The add's callback never reached us (WeCom gave up during an outage): its code with it.
# Reconciliation found the contact afterwards (bot.conversations.contact_recovery).
CALLBACK_LOST = "callback_lost"
SETTLE_SLACK = 1.0  # past the row's next attempt, for its answer


async def _settle_later(ports: Ports, outcome_id: int, row: OutboxMessage) -> None:
    """Look at the row again just after its next attempt (within its 20 s window)."""
    wait = (row.next_attempt_at - ports.clock.now()).total_seconds()
    await ports.jobs.enqueue("welcome_outcome", outcome_id, row.id,
                             defer=max(0.0, wait) + SETTLE_SLACK)


def _outcome_of(ports: Ports, row: OutboxMessage) -> tuple[str, int | None]:
    """A welcome's outcome from its outbox row (``pending`` while it may still go out)."""
    if row.status in (OutboxStatus.SENT, OutboxStatus.DELIVERED):
        return "sent", None
    if row.status == OutboxStatus.PENDING:
        return PENDING, None
    errcode = ports.outbox.errcode(row)
    if errcode == E.WELCOME_CODE_USED:
        return "already_sent", errcode
    if errcode == E.WELCOME_CONCURRENT:
        # Another app held the code until the window closed: whether it delivered is not ours
        # to know.
        return "concurrent", errcode
    if row.status == OutboxStatus.MISSED:
        return "missed", errcode
    return "failed", errcode


async def settle_outcome(ports: Ports, outcome_id: int, row_id: int) -> None:
    """Job: a pending welcome's outcome, once its row has gone out or its window closed."""
    row = await OutboxMessage.get_or_none(id=row_id)
    if row is None:
        return
    outcome, errcode = _outcome_of(ports, row)
    if outcome == PENDING:
        await _settle_later(ports, outcome_id, row)
        return
    await WelcomeOutcome.filter(id=outcome_id, outcome=PENDING).update(outcome=outcome,
                                                                       errcode=errcode)
    log.info("welcome.settled", outcome=outcome, errcode=errcode)


async def on_removed(ports: Ports, ev: ExternalContactChange) -> None:
    """del_follow_user (the customer deleted the staff member: a lost customer) and
    del_external_contact are kept for the statistics, with the channel code the customer
    was added through, so losses show per channel."""
    added = await (ContactEvent.filter(change__in=ADDED, userid=ev.user_id,
                                       external_userid=ev.external_user_id)
                   .order_by("-id").first())
    await ContactEvent.create(change=ev.change_type or "", userid=ev.user_id,
                              external_userid=ev.external_user_id,
                              channel_code=added.channel_code if added else None)
