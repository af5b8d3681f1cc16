"""The round-trip bench (``bench/round_trips.py``) in a tiny form: it reaches every server it
prices and prices each operation. Nothing is timed against a limit."""

from __future__ import annotations

import sys

import pytest

from tests.harness.env import PG_URL, REDIS_URL
from tests.harness.fleet import ROOT

if str(ROOT) not in sys.path:  # bench/ is scripts, not an installed package
    sys.path.insert(0, str(ROOT))

from bench import round_trips


async def test_every_round_trip_is_priced(monkeypatch: pytest.MonkeyPatch,
                                          redis_url: str) -> None:
    monkeypatch.setattr(round_trips, "PG_URL", PG_URL)
    monkeypatch.setattr(round_trips, "REDIS_URL", REDIS_URL)
    results = await round_trips.measure(20, 1)
    names = [name for name, _ in results]
    assert names[0].endswith("(baseline)")
    assert any("bot.infra.redis_pool" in n for n in names)
    assert any("through the pool" in n for n in names)
    assert any("aiosqlite" in n for n in names)
    assert sum("ArqQueue" in n for n in names) == 2
    assert all(us > 0 for _, us in results), results
