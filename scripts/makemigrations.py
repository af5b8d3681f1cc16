"""Generate the next aerich migration for both dialects from the current models.

Usage: .venv/bin/python scripts/makemigrations.py NAME
Needs the local PostgreSQL (127.0.0.1:5432, trust auth). Generated files are never edited
by hand after they land.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile

import asyncpg
from aerich import Command
from tortoise import Tortoise

from bot.db import migrations_location, tortoise_config

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_SCRATCH = "wecom_bot_makemigrations"


async def generate(database_url: str, name: str) -> None:
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
        written = await command.migrate(name)
        print(f"{location}: {written or 'no changes'}")
    await Tortoise.close_connections()


async def main(name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        await generate(f"sqlite://{tmp}/gen.sqlite3", name)
    admin = await asyncpg.connect(PG_ADMIN.replace("postgres://", "postgresql://"))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{PG_SCRATCH}"')
        await admin.execute(f'CREATE DATABASE "{PG_SCRATCH}"')
        await generate(f"postgres://postgres@127.0.0.1:5432/{PG_SCRATCH}", name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{PG_SCRATCH}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "update"))
