"""Group commit: concurrent callers share one transaction on SQLite (their own each on
PostgreSQL); a failing write fails only itself."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from bot.infra.group_commit import group_commit
from bot.models import KfCursor
from bot.settings import Settings
from tests.harness.service import serving


async def test_burst_shares_a_transaction_in_key_order_and_a_failure_stays_alone(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings()
    async with serving(settings):
        ran: list[str] = []

        def writer(name: str, fail: bool = False) -> Any:
            async def write(conn: Any) -> str:
                ran.append(name)
                if fail:
                    raise RuntimeError(name)
                await KfCursor.create(open_kfid=name, cursor="c", using_db=conn)
                return name

            return write

        group = group_commit()
        names = [f"kf{i:02d}" for i in range(10)]
        results = await asyncio.gather(
            *(group.run(writer(n), order=str(9 - i)) for i, n in enumerate(names)),
            group.run(writer("bad", fail=True), order="z"),
            return_exceptions=True,
        )
        assert results[:10] == names
        assert isinstance(results[10], RuntimeError)
        # Every good write is committed once, the failing one nowhere.
        assert sorted(c.open_kfid for c in await KfCursor.all()) == names
        if settings.embedded:
            # SQLite: writes after the first (which commits alone) shared a try, in key order.
            first_try = ran[1:ran.index("bad") + 1]
            assert first_try == sorted(first_try, key=lambda n: "z" if n == "bad" else str(
                9 - names.index(n)))
        else:
            # PostgreSQL: each caller's own transaction, run at once; nobody runs twice.
            assert sorted(ran) == sorted([*names, "bad"])
        with pytest.raises(RuntimeError):
            await group.run(writer("alone", fail=True))
