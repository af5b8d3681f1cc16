"""Generate the next aerich migration for both dialects from the current models.

Usage: .venv/bin/python scripts/makemigrations.py NAME
Needs the local PostgreSQL (127.0.0.1:5432, trust auth). Generated files are never edited
by hand after they land.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile

import asyncpg
from aerich import Command
from tortoise.context import TortoiseContext

from bot.infra.db import migrations_location, tortoise_config

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_SCRATCH = "wecom_bot_makemigrations"


async def generate(database_url: str, name: str) -> None:
    async with TortoiseContext():  # each dialect in a context of its own
        await _generate(database_url, name)


async def _generate(database_url: str, name: str) -> None:
    location = migrations_location(database_url)
    location.mkdir(parents=True, exist_ok=True)
    command = Command(tortoise_config(database_url), app="models", location=str(location))
    has_any = any((location / "models").glob("*.py")) if (location / "models").exists() else False
    if not has_any:
        await command.init_migrations(safe=True)
        print(f"{location}: initial migration written")
    else:
        await command.init()
        await command.upgrade(run_in_transaction=True)
        await command.init()  # re-read the last applied version, now that it exists
        written = await command.migrate(name)
        print(f"{location}: {written or 'no changes'}")


async def sqlite(name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        await generate(f"sqlite://{tmp}/gen.sqlite3", name)


async def postgres(name: str) -> None:
    admin = await asyncpg.connect(PG_ADMIN.replace("postgres://", "postgresql://"))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{PG_SCRATCH}"')
        await admin.execute(f'CREATE DATABASE "{PG_SCRATCH}"')
        await generate(f"postgres://postgres@127.0.0.1:5432/{PG_SCRATCH}", name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{PG_SCRATCH}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    migration_name = sys.argv[1] if len(sys.argv) > 1 else "update"
    if len(sys.argv) > 2:
        asyncio.run({"sqlite": sqlite, "postgres": postgres}[sys.argv[2]](migration_name))
    else:
        # aerich keeps its pending SQL in class attributes: one process per dialect.
        for which in ("sqlite", "postgres"):
            subprocess.run([sys.executable, __file__, migration_name, which], check=True)
