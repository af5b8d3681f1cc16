"""A migrated, empty PostgreSQL database for tests of domain functions (no service around)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.infra.db import close_db, init_db, migrate
from tests.conftest import PG_URL, reset_postgres


@pytest.fixture
async def pg_database() -> AsyncIterator[str]:
    await reset_postgres()
    await migrate(PG_URL)
    await init_db(PG_URL)
    try:
        yield PG_URL
    finally:
        await close_db()
