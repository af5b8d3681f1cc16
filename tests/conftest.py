"""Fixtures shared by every test directory; the pieces they are made of are in tests.harness.

Storage, queue, lock and cache tests run against the real servers on this machine
(PostgreSQL and Redis as tests.harness.env says); only WeCom is simulated.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.harness.databases import flush_redis
from tests.harness.env import REDIS_URL
from tests.harness.settings import MODES, SettingsFactory, prepare, settings_factory


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    """The tests' Redis database, empty before and after."""
    await flush_redis()
    yield REDIS_URL
    await flush_redis()


@pytest.fixture(params=MODES)
async def mode_settings(request: pytest.FixtureRequest, tmp_path: Path
                        ) -> AsyncIterator[SettingsFactory]:
    """A settings factory for embedded (SQLite, no Redis) and production (PostgreSQL + Redis),
    its databases empty."""
    await prepare(request.param, tmp_path)
    yield settings_factory(request.param, tmp_path)
    if request.param == "production":
        await flush_redis()
