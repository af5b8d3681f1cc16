"""The long fuzz run: generated hostile input at every entry point a stranger can reach.

    .venv/bin/python bench/fuzz.py [--cases 100000] [--seed 1] [--mode embedded|production]

Callbacks at each layer (unsigned bytes, forged envelopes, and correctly encrypted and signed
plaintexts with hostile fields), ERP requests signed and unsigned, rule files (dry runs): see
``tests/harness/fuzzing.py``. Prints the statuses per kind; fails (exit 1) on any 5xx, on a
stored event whose handler crashed, or on a service not healthy afterwards. Production mode
uses PostgreSQL database ``bench_fuzz`` and Redis db 7 (``BENCH_PG`` / ``BENCH_REDIS``).
The test command runs a short form (``tests/foundation/test_fuzz.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loop  # noqa: E402  (the loop serve and worker run on)

PG_URL = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/bench_fuzz")
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/7")


async def fresh_production() -> None:
    import asyncpg
    import redis.asyncio as aioredis

    url = PG_URL.replace("postgres://", "postgresql://")
    try:
        conn = await asyncpg.connect(url)
    except asyncpg.InvalidCatalogNameError:
        base, _, name = url.rpartition("/")
        admin = await asyncpg.connect(f"{base}/postgres")
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        conn = await asyncpg.connect(url)
    await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    await conn.close()
    r = aioredis.from_url(REDIS_URL)
    await r.flushdb()
    await r.aclose()


async def main(cases: int, seed: int, mode: str) -> int:
    from bot.infra.logs import configure_logging
    from bot.models import InboxEvent
    from bot.orders import erp
    from tests.harness.admin import bearer
    from tests.harness.fuzzing import Case, Generator, run
    from tests.harness.service import serving
    from tests.harness.settings import settings_factory

    folder = Path(tempfile.mkdtemp(prefix="bench-fuzz-"))
    overrides: dict[str, object] = {"erp_signing_secret": "fuzz-signing-secret-0123456789",
                                    "log_level": "error"}
    if mode == "production":
        await fresh_production()
        overrides.update(database_url=PG_URL, redis_url=REDIS_URL)
    settings = settings_factory(mode, folder)(**overrides)
    configure_logging("json", "error")
    async with serving(settings) as client:
        key = await erp.create_key(settings, "erp-fuzz")
        token = (await bearer("adm-fuzz", "admin"))["Authorization"].split()[1]

        async def send(case: Case) -> int:
            resp = await client.request(case.method, case.path, params=case.params,
                                        data=case.body, headers=case.headers)
            await resp.read()
            return resp.status

        started = time.monotonic()
        tally = await run(send, Generator(settings, seed, erp=key, admin_token=token), cases)
        took = time.monotonic() - started
        healthy = (await client.get("/healthz")).status == 200 \
            and (await client.get("/readyz")).status == 200
        await asyncio.sleep(2)  # the last stored events' handlers
        crashed = await InboxEvent.filter(attempts__gt=0).values_list("event_type", "last_error")
    print(f"{cases} cases, seed {seed}, {mode}, {took:.0f} s ({cases / took:.0f}/s)")
    for kind, statuses in tally.summary().items():
        print(f"  {kind:<10} {dict(sorted(statuses.items()))}")
    print(f"5xx: {len(tally.server_errors)}  handlers crashed: {len(crashed)}  "
          f"healthy after: {healthy}")
    for number, kind, status in tally.server_errors[:10]:
        print(f"  case {number} ({kind}): {status}")
    for event_type, error in crashed[:10]:
        print(f"  {event_type}: {error}")
    return 0 if not tally.server_errors and not crashed and healthy else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--mode", choices=("embedded", "production"), default="embedded")
    args = parser.parse_args()
    sys.exit(loop.run(main(args.cases, args.seed, args.mode)))
