"""``action: offer_group``: bring the customer into a group.

A customer with an order gets the order's group through kf ``customer/upgrade_service`` (the
official path from a kf chat into a customer group; the customer taps to join). Anyone else
gets the join-way QR of the configured service group, created once per ``state`` and reused.
"""

from __future__ import annotations

from bot.conversations.outbound import upgrade_service
from bot.infra.logs import get_logger
from bot.models import JoinWayRecord
from bot.ports import Ports
from bot.protocol.errors import WeComAPIError
from keywords import Message, Text

log = get_logger("bot.offer_group")


async def join_way_qr(ports: Ports) -> str | None:
    """The QR of the configured group's join way (created on first use, then cached)."""
    cfg = ports.settings.conversations
    if not cfg.offer_group_chat_ids:
        return None
    row = await JoinWayRecord.get_or_none(state=cfg.offer_group_state)
    if row is not None:
        return row.qr_code
    async with ports.store.lock(f"joinway:{cfg.offer_group_state}", wait=30):
        row = await JoinWayRecord.get_or_none(state=cfg.offer_group_state)
        if row is not None:
            return row.qr_code
        client = ports.wecom
        added = await client.add_join_way(scene=2, chat_id_list=list(cfg.offer_group_chat_ids),
                                          state=cfg.offer_group_state, remark="自动回复进群")
        way = await client.get_join_way(added["config_id"])
        qr = str((way.get("join_way") or {}).get("qr_code") or "")
        await JoinWayRecord.create(state=cfg.offer_group_state, config_id=added["config_id"],
                                   qr_code=qr, chat_ids=list(cfg.offer_group_chat_ids))
        log.info("offer_group.join_way_created", state=cfg.offer_group_state)
        return qr


async def kf_extra_messages(ports: Ports, external_userid: str) -> list[Message]:
    """What to add to the rule's replies in kefu: nothing for a customer with an order group
    (upgrade_service follows), else the QR link."""
    order = await ports.orders.for_customer(external_userid)
    if order is not None and order.group_chat_id:
        return []
    return await qr_messages(ports)


async def qr_messages(ports: Ports) -> list[Message]:
    try:
        qr = await join_way_qr(ports)
    except WeComAPIError as exc:
        log.warning("offer_group.join_way_failed", errcode=exc.errcode)
        return []
    return [Text(f"扫码加入服务群：{qr}")] if qr else []


async def after_kf_reply(ports: Ports, open_kfid: str, external_userid: str) -> None:
    order = await ports.orders.for_customer(external_userid)
    if order is None or not order.group_chat_id:
        return
    # 95021 when the group is not configured for 升级服务: the outbox records it as failed.
    await upgrade_service(ports, open_kfid, external_userid, order.group_chat_id,
                          ports.settings.conversations.offer_group_wording,
                          key=f"upgrade:{open_kfid}:{external_userid}:{order.group_chat_id}")
