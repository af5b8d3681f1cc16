"""The scale bench's short form (``bench/scale.py``): 2 ``serve`` + 2 ``worker`` processes on
PostgreSQL and Redis, the sandbox sending callbacks to both serves in turn, under a few dozen
mixed events; nothing lost, nothing twice, each customer's answers in order. Nothing is timed."""

from __future__ import annotations

import sys

import pytest

from tests.harness.fleet import AVAILABLE, ROOT

if str(ROOT) not in sys.path:  # bench/ is scripts, not an installed package
    sys.path.insert(0, str(ROOT))

from bench.faults import Load
from bench.scale import render, run

pytestmark = pytest.mark.skipif(not AVAILABLE,
                                reason="needs PostgreSQL's initdb and redis-server")

SMALL = Load(customers=6, questions=3, contacts=6, staff_messages=3, spacing=1.0)


async def test_two_serves_two_workers_lose_nothing_and_do_nothing_twice() -> None:
    [layout] = await run(SMALL, [(2, 2)])
    table = render([layout])
    row = layout.row
    assert row.sent >= 6 * 3 + 6 + 3 and row.acked == row.sent == row.stored, table
    assert (row.lost, row.twice, row.order) == (0, 0, 0), table
    assert row.settle is not None, table
    assert layout.replies == 6 * 3 and row.welcomed == 6 and row.staff == "3/3", table
    # The load was split: each serve answered callbacks.
    assert len(layout.per_serve) == 2 and all(layout.per_serve), table
    assert sum(layout.per_serve) == row.acked, table
