"""The outbox as the domain sees it (``bot.ports.Outbox``): rows through the main app.

Which app is "the main app" is decided once, by the composition root; rows never name an
app of their own choosing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tortoise import BaseDBAsyncClient

from bot.delivery import outbox
from bot.models import OutboxMessage, OutboxStatus

if TYPE_CHECKING:
    from bot.runtime import Services


class OutboxWriter:
    def __init__(self, services: Services, app: str) -> None:
        self.services = services
        self.app = app

    def row(self, *, key: str, api: str, args: dict[str, Any], recipient: str,
            ref: str | None = None, deadline: datetime | None = None,
            priority: bool = False) -> OutboxMessage:
        return outbox.new_row(key=key, app=self.app, api=api, args=args, recipient=recipient,
                              ref=ref, deadline=deadline, priority=priority)

    async def add(self, *, key: str, api: str, args: dict[str, Any], recipient: str,
                  ref: str | None = None, deadline: datetime | None = None,
                  priority: bool = False, using_db: BaseDBAsyncClient | None = None
                  ) -> OutboxMessage:
        return await outbox.add(key=key, app=self.app, api=api, args=args, recipient=recipient,
                                ref=ref, deadline=deadline, priority=priority,
                                using_db=using_db)

    async def flush(self, rows: Iterable[OutboxMessage]) -> None:
        await outbox.flush(self.services, rows)

    def errcode(self, row: OutboxMessage) -> int | None:
        return outbox.errcode_of(row)

    async def mark(self, row_id: int, status: OutboxStatus, *, error: str | None = None
                   ) -> bool:
        return await outbox.mark(row_id, status, error=error)

    async def send_now(self, rows: Sequence[OutboxMessage], *, fresh: bool = False
                       ) -> list[OutboxMessage]:
        """One attempt at each row, in order, stopping at one that could not go out yet.

        ``fresh``: the rows were committed by the caller just now, so no other sender can
        have touched them; they are used as they are instead of being read back.
        """
        done: list[OutboxMessage] = []
        for i, row in enumerate(rows):
            if row.status == OutboxStatus.PENDING:
                sent = await outbox.send_outbox(self.services, row.id,
                                                row=row if fresh else None)
                row = sent if sent is not None else await OutboxMessage.get(id=row.id)
            done.append(row)
            if row.status == OutboxStatus.PENDING:
                # Not out yet (its retry is scheduled, or another sender has it): the rest
                # wait behind it and its retry sends them, so the customer reads them in order.
                return [*done, *rows[i + 1:]]
        return done
