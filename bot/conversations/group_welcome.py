"""Group welcome templates: managed here, synced to WeCom's ``group_welcome_template``.

WeCom has no API to bind a template to a group (protocol.md §4.5): the owner picks it in the
client. So when a group is created the owner is told by app message which template to use
(:func:`tell_owner`, called by the group-create handler). A template WeCom no longer has
(deleted in its admin console) is made again on the next change, and deleting it here works.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from bot.conversations import outbound
from bot.models import GroupWelcomeTemplate
from bot.ports import Ports
from bot.protocol import errors as E
from bot.protocol.errors import WeComAPIError


def _attachment(row: GroupWelcomeTemplate) -> dict[str, Any]:
    return dict(row.attachment or {})


async def _resolved(ports: Ports, attachment: dict[str, Any] | None) -> dict[str, Any]:
    """The attachment as WeCom takes it: media library files as a picture URL or media_id
    (the template keeps our reference, so a later edit resolves afresh)."""
    return await ports.media.resolve("group_welcome_template", attachment or {})


async def create(ports: Ports, *, name: str, text: str, attachment: dict[str, Any] | None,
                 is_default: bool) -> GroupWelcomeTemplate:
    """Created in WeCom first: a template WeCom refused is never stored."""
    client = ports.wecom
    res = await client.group_welcome_template_add(text=text, notify=0,
                                                  **await _resolved(ports, attachment))
    async with in_transaction() as conn:
        if is_default:
            await GroupWelcomeTemplate.filter(is_default=True).using_db(conn).update(
                is_default=False)
        return await GroupWelcomeTemplate.create(
            name=name, text=text, attachment=attachment, is_default=is_default,
            template_id=res["template_id"], synced_at=datetime.now(UTC), using_db=conn)


async def update(ports: Ports, row: GroupWelcomeTemplate, *, name: str, text: str,
                 attachment: dict[str, Any] | None, is_default: bool) -> GroupWelcomeTemplate:
    client = ports.wecom
    edited = False
    if row.template_id:
        try:
            await client.group_welcome_template_edit(row.template_id, text=text,
                                                     **await _resolved(ports, attachment))
            edited = True
        except WeComAPIError as exc:
            if exc.errcode != E.INVALID_PARAM:
                raise
            # WeCom no longer has it (deleted in the admin console): made again below.
    if not edited:
        res = await client.group_welcome_template_add(text=text, notify=0,
                                                      **await _resolved(ports, attachment))
        row.template_id = res["template_id"]
    async with in_transaction() as conn:
        if is_default:
            await GroupWelcomeTemplate.filter(is_default=True).exclude(id=row.id).using_db(
                conn).update(is_default=False)
        row.name, row.text, row.attachment, row.is_default = name, text, attachment, is_default
        row.synced_at = datetime.now(UTC)
        await row.save(using_db=conn)
    return row


async def delete(ports: Ports, row: GroupWelcomeTemplate) -> None:
    if row.template_id:
        try:
            await ports.wecom.group_welcome_template_del(row.template_id)
        except WeComAPIError as exc:
            if exc.errcode != E.INVALID_PARAM:  # else WeCom no longer has it: gone either way
                raise
    await row.delete()


async def tell_owner(ports: Ports, *, chat_id: str, owner: str, group_name: str = "",
                     template: GroupWelcomeTemplate | None = None) -> bool:
    """App message to a new group's owner: which welcome template the group should use."""
    if template is None:
        template = await GroupWelcomeTemplate.filter(is_default=True).first()
    if template is None:
        return False
    text = (f"新客户群「{group_name or chat_id}」已建立，请在群设置 → 入群欢迎语中选择"
            f"「{template.name}」。")
    await outbound.app_message(ports, [owner], "text", {"content": text},
                               key=f"groupwelcome:{chat_id}")
    return True
