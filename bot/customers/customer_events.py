"""What WeCom tells of customers and tags: change_external_tag (an admin changed the tag
list in WeCom's console: read it again) and edit_external_contact (a member changed a
customer's remark or tags in the client: read the customer again)."""

from __future__ import annotations

from bot.customers import refresh, tags
from bot.ports import HandlerContext
from bot.protocol.events import EditExternalContactEvent, ExternalTagChangeEvent
from bot.routing import Router

router = Router("customers")


@router.on(ExternalTagChangeEvent)
async def tag_list_changed(event: ExternalTagChangeEvent, ctx: HandlerContext) -> None:
    # One callback per changed tag (protocol-2.md §2.6): the list is read whole each time,
    # which also catches what a missed callback changed.
    await tags.sync(ctx.ports)


@router.on(EditExternalContactEvent)
async def contact_edited(event: EditExternalContactEvent, ctx: HandlerContext) -> None:
    if event.external_user_id:
        await refresh.contact(ctx.ports, event.external_user_id)
