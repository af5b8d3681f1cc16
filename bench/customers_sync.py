"""Contact-sync benchmark: N contacts across M members read into customer records, the run
killed halfway and resumed, with the WeCom calls it cost against the bound.

    .venv/bin/python bench/customers_sync.py [--contacts 5000] [--staff 20]
        [--pg postgres://…/db --redis redis://…/n]

Embedded (SQLite in a temporary directory, in-process jobs) by default; with ``--pg`` and
``--redis``, production mode on those (the database's schema is dropped first: give it one
of its own). The service runs in this process on a loopback port with its built-in sandbox
as WeCom. Prints one table: contacts, members, calls (and before the kill), the bound
1 + ceil(contacts / 100) + 1, seconds, contacts per second. Exits 1 if the bound is broken
or a contact is missing.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loop  # noqa: E402  (the loop serve and worker run on)

SYNC_APIS = ("externalcontact/get_follow_user_list", "externalcontact/batch/get_by_user")


async def reset(pg: str, redis_url: str) -> None:
    import asyncpg
    import redis.asyncio as aioredis

    conn = await asyncpg.connect(pg.replace("postgres://", "postgresql://"))
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()
    client = aioredis.from_url(redis_url)
    await client.flushdb()
    await client.aclose()


async def bench(args: argparse.Namespace) -> int:
    from aiohttp.test_utils import TestClient, TestServer
    from pydantic import SecretStr

    from bot.app import bind_public_url
    from bot.customers import contact_sync
    from bot.infra.db import migrate
    from bot.infra.logs import configure_logging
    from bot.models import ContactSync, Customer
    from bot.pipeline.worker import run_worker
    from bot.settings import AppConfig, CustomersConfig, Settings, WeComConfig, random_aes_key
    from bot.web.appkeys import SERVICES
    from bot.web.server import create_app

    configure_logging("json", "warning")
    tmp = tempfile.TemporaryDirectory(prefix="bench-sync-")
    production = bool(args.pg)
    if production:
        await reset(args.pg, args.redis)
        await migrate(args.pg)
    app_cfg = AppConfig(name="main", kind="app", agent_id=1000002, secret=SecretStr("s"),
                        token=SecretStr("t"), encoding_aes_key=SecretStr(random_aes_key()))
    settings = Settings(
        database_url=args.pg or f"sqlite://{tmp.name}/bench.sqlite3",
        redis_url=args.redis if production else "", log_level="warning",
        wecom=WeComConfig(corp_id="ww_bench", api_base="sandbox", apps=(app_cfg,)),
        customers=CustomersConfig(media_dir=f"{tmp.name}/media", sync_on_first_start=False),
        conversations={"load_sample_rules": False})  # type: ignore[arg-type]
    app = create_app(settings)
    async with TestClient(TestServer(app)) as client:
        services = app[SERVICES]
        bind_public_url(services, str(client.make_url("")))
        stop = asyncio.Event()
        worker = asyncio.create_task(run_worker(services, stop=stop)) if production else None
        sandbox = services.sandbox
        sandbox.contact_listing.populate(staff=args.staff, customers=args.contacts)
        relations = sum(len(c.follow) for c in sandbox.corp.customers.values())

        def calls() -> int:
            return sum(1 for c in sandbox.calls if c["path"] in SYNC_APIS)

        started = time.perf_counter()
        task = asyncio.create_task(contact_sync.run(services.ports))
        while True:
            run = await ContactSync.all().first()
            if run is not None and run.contacts >= relations // 2:
                break
            await asyncio.sleep(0.01)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        at_kill = calls()
        while (await contact_sync.run(services.ports)) is None:
            await asyncio.sleep(0.1)
        seconds = time.perf_counter() - started
        stored = await Customer.filter(is_contact=True).count()
        total = calls()
        stop.set()
        if worker is not None:
            await worker
    tmp.cleanup()
    bound = 1 + math.ceil(relations / 100) + 1
    mode = "PostgreSQL + Redis" if production else "embedded (SQLite)"
    print(f"| mode | contacts | members | calls (before the kill) | bound | seconds | "
          f"contacts/s |\n|---|---|---|---|---|---|---|\n"
          f"| {mode} | {relations:,} | {len(sandbox.corp.staff)} | {total} ({at_kill}) | "
          f"{bound} | {seconds:.1f} | {relations / seconds:,.0f} |")
    ok = total <= bound and stored == relations
    if not ok:
        print(f"FAILED: {stored} of {relations} contacts stored, {total} calls (bound {bound})")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--pg", default="", help="a PostgreSQL database of its own")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    return loop.run(bench(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
