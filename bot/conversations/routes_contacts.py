"""客户联系 events: welcomes for new contacts, lost customers recorded; chat archive."""

from __future__ import annotations

from bot.conversations import archive, contact_recovery, welcome
from bot.conversations.archive import ArchivedMessage
from bot.ports import HandlerContext
from bot.protocol.events import (
    AddExternalContactEvent,
    AddHalfExternalContactEvent,
    DelExternalContactEvent,
    DelFollowUserEvent,
)
from bot.routing import Router

router = Router("contacts")


@router.on(AddExternalContactEvent, AddHalfExternalContactEvent)
async def added(event: AddExternalContactEvent, ctx: HandlerContext) -> None:
    # Under the lock reconciliation takes for the same follow: an add it recovered after an
    # outage is not handled again when its callback turns up late.
    async with contact_recovery.add_lock(ctx.ports, event.user_id or "",
                                         event.external_user_id or ""):
        if await contact_recovery.late_callback(event):
            return
        # The welcome first (its code lives 20 s), then the customer record, the channel
        # code's tags and remark.
        await welcome.on_added(ctx.ports, event)
        await ctx.ports.customers.contact_added(ctx.ports, event)


@router.on(DelFollowUserEvent, DelExternalContactEvent)
async def removed(event: DelFollowUserEvent, ctx: HandlerContext) -> None:
    await welcome.on_removed(ctx.ports, event)
    await ctx.ports.customers.contact_removed(ctx.ports, event)


@router.on(ArchivedMessage)
async def archived(event: ArchivedMessage, ctx: HandlerContext) -> None:
    await archive.on_message(ctx.ports, event)
