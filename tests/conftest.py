"""Fixtures shared by every test directory; the pieces they are made of are in tests.harness.

Storage, queue, lock and cache tests run against the real servers on this machine
(PostgreSQL and Redis as tests.harness.env says); only WeCom is simulated.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient

from bot.infra.db import close_db, init_db
from tests.harness.databases import flush_redis, fresh_postgres, fresh_sqlite, prepare
from tests.harness.env import PG_URL, REDIS_URL
from tests.harness.service import serving
from tests.harness.settings import MODES, SettingsFactory, settings_factory


@pytest.fixture(autouse=True)
def cli_logs_uncached(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI caches each logger on first use (a process configures logging once); tests
    run commands in-process, so that would pin every module's logger to one test's output
    and hide later tests' logs from ``capture_logs``."""
    import structlog

    from bot.infra.logs import configure_logging

    monkeypatch.setattr("bot.cli.configure_logging",
                        lambda fmt, level, cache=False: configure_logging(fmt, level))
    yield
    structlog.reset_defaults()


@pytest.fixture
async def pg_database() -> AsyncIterator[str]:
    """A migrated, empty PostgreSQL database for tests of domain functions (no service)."""
    await fresh_postgres()
    await init_db(PG_URL)
    try:
        yield PG_URL
    finally:
        await close_db()


@pytest.fixture(params=["postgres", "sqlite"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A migrated, empty database of each dialect for tests of store modules (no service):
    PostgreSQL through a one-connection pool (so that connection's prepared statements are
    all the process holds), or a SQLite file."""
    if request.param == "postgres":
        await fresh_postgres()
        await init_db(f"{PG_URL}?maxsize=1")
    else:
        await init_db(f"sqlite://{await fresh_sqlite(tmp_path)}")
    try:
        yield request.param
    finally:
        await close_db()


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


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=MODES)
async def module_client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                        ) -> AsyncIterator[TestClient]:
    """One running service per mode for a whole module, for tests that differ only in their
    input and leave nothing another test of the module reads. Booting once instead of per
    test is the point. The module must run its tests in the module's event loop:
    ``pytestmark = pytest.mark.asyncio(loop_scope="module")``."""
    folder = tmp_path_factory.mktemp(f"module-{request.param}")
    await prepare(request.param, folder)
    async with serving(settings_factory(request.param, folder)()) as client:
        yield client
    if request.param == "production":
        await flush_redis()
