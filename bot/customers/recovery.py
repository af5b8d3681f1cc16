"""New contacts added while we could not hear: read back from WeCom after an outage.

An add_external_contact callback WeCom gave up on never comes again, but the follow it
announced is listed: batch/get_by_user (read as the contact sync reads it, 100 members and
100 follows a call, with WeCom's cursor) gives each follow's add time (``createtime``). A
follow added within an outage's window that no add was ever recorded for here
(``contact_event``, written by the add handler and by reconciliation alike) was missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.customers import customer_store as db
from bot.customers.contact_sync import BATCH, PAGE, page_items
from bot.ports import Ports
from bot.protocol import errors as E
from bot.protocol.errors import WeComAPIError

# WeCom's clock against ours, and a callback handled a moment after the add it announces.
SLACK = timedelta(seconds=60)


@dataclass(frozen=True)
class NewFollow:
    userid: str
    external_userid: str
    name: str
    state: str
    added_at: datetime


async def follow_users(ports: Ports) -> list[str]:
    """The members with 客户联系 the app sees (get_follow_user_list)."""
    return [str(u) for u in (await ports.wecom.get_follow_user_list()).get("follow_user") or []]


def batches(members: list[str]) -> list[list[str]]:
    return [members[i:i + BATCH] for i in range(0, len(members), BATCH)]


async def unrecorded_page(ports: Ports, members: list[str], cursor: str, since: datetime,
                          until: datetime) -> tuple[list[NewFollow], str]:
    """One page of these members' follows: those added within [since, until] that nothing
    recorded, and the cursor of the next page ("" after the last)."""
    try:
        res = await ports.wecom.batch_get_by_user(members, cursor=cursor or None, limit=PAGE)
    except WeComAPIError as exc:
        if exc.errcode != E.INVALID_PARAM or not cursor:
            raise
        # WeCom no longer takes the cursor: these members again from the start (a page read
        # twice finds the same follows, and what was reconciled is recorded).
        res = await ports.wecom.batch_get_by_user(members, limit=PAGE)
    found = [NewFollow(f.userid, str(c["external_userid"]), str(c.get("name") or "")[:64],
                       f.state, f.add_time)
             for c, f in page_items(dict(res))
             if f.add_time is not None and since <= f.add_time <= until]
    recorded = await db.adds_recorded([(n.userid, n.external_userid) for n in found],
                                      since - SLACK)
    missed = [n for n in found
              if not any(at >= n.added_at - SLACK
                         for at in recorded.get((n.userid, n.external_userid), ()))]
    return missed, str(res.get("next_cursor") or "")


async def recorded(userid: str, external_userid: str, added_at: datetime) -> bool:
    """An add of this follow at ``added_at`` is recorded here (handled, or reconciled)."""
    found = await db.adds_recorded([(userid, external_userid)], added_at - SLACK)
    return bool(found)
