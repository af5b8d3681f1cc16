"""A new contact whose add_external_contact callback WeCom gave up on (an outage), found by
reading WeCom back (``bot.customers.recovery``): what the callback would have done, where
that can still be done.

- the customer record, the member's follow, the channel code's tags and remark: done
  (``CustomerBook.contact_added``, as for the callback);
- the contact is counted for its channel (``contact_event``);
- the welcome: its code lived 20 s, and only in the lost callback, so it cannot be sent; it
  is recorded as ``callback_lost`` and the member who added the customer is told, by app
  message, to greet them in person;
- the item is kept in ``missed_event`` with why it was missed and what was done.

Nothing is done twice: reconciliation and the add handler take the same lock per (member,
customer); a callback that arrives after all finds the add reconciled and does nothing
(``late_callback``); a second reconciliation finds the add recorded.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from bot.conversations import outbound
from bot.conversations.welcome import ADDED, CALLBACK_LOST
from bot.infra.clock import CST, utcnow
from bot.infra.logs import get_logger
from bot.models import ContactEvent, MissedEvent, WelcomeOutcome
from bot.ports import Ports
from bot.protocol.events import AddExternalContactEvent, ExternalContactChange

log = get_logger("bot.contacts.recovery")
KIND = "contact_add"
# WeCom's add time against our clocks: a late callback's CreateTime, a handled add's row.
SLACK = timedelta(seconds=60)


def add_lock(ports: Ports, userid: str, external_userid: str
             ) -> AbstractAsyncContextManager[None]:
    """Held while an add of this follow is handled, by its callback or by reconciliation."""
    return ports.store.lock(f"contacts:add:{userid}:{external_userid}", wait=60)


def _when(at: datetime) -> str:
    return (at.astimezone(UTC) + CST).strftime("%m-%d %H:%M")


async def late_callback(ev: ExternalContactChange) -> bool:
    """The add's callback arrived after all, and reconciliation did its work already: it is
    noted on the missed item, and nothing is done again."""
    at = datetime.fromtimestamp(ev.create_time, UTC) if ev.create_time else utcnow()
    row = await MissedEvent.filter(
        kind=KIND, userid=ev.user_id, external_userid=ev.external_user_id,
        happened_at__gte=at - SLACK, happened_at__lte=at + SLACK).order_by("-id").first()
    if row is None:
        return False
    await MissedEvent.filter(id=row.id, late_callback_at__isnull=True).update(
        late_callback_at=utcnow())
    log.info("contacts.late_callback", missed_id=row.id, change=ev.change_type)
    return True


async def _handled(userid: str, external_userid: str, added_at: datetime) -> bool:
    return await ContactEvent.filter(change__in=ADDED, userid=userid,
                                     external_userid=external_userid,
                                     at__gte=added_at - SLACK).exists()


async def recover_add(ports: Ports, *, userid: str, external_userid: str, name: str,
                      state: str, added_at: datetime, outage_id: int | None,
                      window: tuple[datetime, datetime], reason: str) -> MissedEvent | None:
    """Do for this add what its callback would have done; None when nothing was missed
    (it was handled after all, or reconciled before)."""
    async with add_lock(ports, userid, external_userid):
        if await _handled(userid, external_userid, added_at):
            return None
        row, _ = await MissedEvent.claim(
            kind=KIND, ref=f"{userid}/{external_userid}/{int(added_at.timestamp())}",
            outage_id=outage_id, window_start=window[0], window_end=window[1],
            happened_at=added_at, userid=userid, external_userid=external_userid,
            reason=reason[:200])
        if row.done_at is not None:
            return None
        # A run that stopped half-way does it again: each step below may run twice.
        channel = state if state and len(state) <= 30 else None
        await ports.customers.contact_added(ports, AddExternalContactEvent(
            event="change_external_contact", change_type=ADDED[0], user_id=userid,
            external_user_id=external_userid, state=channel,
            create_time=int(added_at.timestamp())))
        tags = sorted(n for n in await ports.customers.tag_names(external_userid)
                      if "/" not in n)
        who = f"「{name}」" if name else f"（{external_userid[-6:]}）"
        text = (f"客户{who}于 {_when(added_at)}（北京时间）添加你为联系人时，系统短暂中断，没有收到"
                "企业微信的通知，新客户欢迎语（20 秒内有效）已无法补发。请亲自向客户打个招呼。")
        action = "已补建客户档案" + (f"，标签：{'、'.join(tags)}" if tags else "") + \
            f"；欢迎语无法补发（20 秒内有效，已过期）；已通知成员 {userid} 亲自问候"
        async with in_transaction() as conn:
            await ContactEvent.create(change=ADDED[0], userid=userid,
                                      external_userid=external_userid, channel_code=channel,
                                      using_db=conn)
            await WelcomeOutcome.create(kind="contact", userid=userid,
                                        external_userid=external_userid, channel_code=channel,
                                        outcome=CALLBACK_LOST, using_db=conn)
            notice = await outbound.app_message(ports, [userid], "text", {"content": text},
                                                key=f"missed:{row.id}", using_db=conn)
            await MissedEvent.filter(id=row.id).using_db(conn).update(
                done_at=utcnow(), action=action[:300])
        await ports.outbox.flush([notice])
    log.info("contacts.reconciled", missed_id=row.id, channel_code=channel, tags=len(tags))
    return await MissedEvent.get(id=row.id)
