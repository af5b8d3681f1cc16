"""Memory over a long run: does anything accumulate per message?

    .venv/bin/python bench/memory.py [--rounds 8] [--customers 60] [--messages 10]

Production mode in one process (the service with the sandbox built in, and the job worker
beside it, as the tests run it; the sandbox's own allocations are left out of the count):
PostgreSQL database ``bench_mem``, Redis db 6 (``BENCH_PG`` / ``BENCH_REDIS``). Each round,
every customer asks ``--messages`` kf questions and a new contact is added per customer; then
the process settles, collects garbage and is measured (Python heap by tracemalloc, and RSS).
The first round warms caches up; the rounds after it must not grow the heap by more than
``--budget-kb`` per round on average (exit 1 otherwise). The sites that grew most between the
second and the last round are printed, so a growth names its line.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/bench_mem")
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/6")
QUESTIONS = ["请问什么时候发货", "安装要多久", "怎么开发票", "量尺怎么预约", "门店地址在哪"]


async def fresh() -> None:
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


def rss_mb() -> float:
    """Resident memory now (Linux /proc), in MB."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def _service_only(snapshot: tracemalloc.Snapshot) -> tracemalloc.Snapshot:
    """The service's own allocations: not the sandbox's (WeCom keeps every message it was
    given, by design), not this bench's, not tracemalloc's."""
    return snapshot.filter_traces([
        tracemalloc.Filter(False, "*/sandbox/*", all_frames=True),
        tracemalloc.Filter(False, __file__, all_frames=True),
        tracemalloc.Filter(False, tracemalloc.__file__),
    ])


async def main(rounds: int, customers: int, messages: int, budget_kb: float) -> int:
    from bot.conversations import rules_store
    from bot.conversations.rulebook import changed, sample_rules_text
    from bot.infra.logs import configure_logging
    from bot.models import InboxEvent, InboxStatus, OutboxMessage, OutboxStatus
    from sandbox import SEED_KF
    from tests.harness.service import serving
    from tests.harness.settings import settings_factory

    await fresh()
    settings = settings_factory("production", Path(tempfile.mkdtemp(prefix="bench-mem-")))(
        database_url=PG_URL, redis_url=REDIS_URL, log_level="error")
    configure_logging("json", "error")
    heap: list[float] = []
    snapshots: list[tracemalloc.Snapshot] = []
    tracemalloc.start(8)
    async with serving(settings) as client:
        from tests.harness.service import services_of

        services = services_of(client)
        sandbox = services.sandbox
        await rules_store.import_rules(sample_rules_text(), mode="replace", actor="bench")
        await changed(services.ports)

        async def settled() -> None:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                await sandbox.drain()
                busy = await InboxEvent.filter(status=InboxStatus.PENDING).exists() or \
                    await OutboxMessage.filter(status=OutboxStatus.PENDING).exists()
                if not busy:
                    return
                await asyncio.sleep(0.2)

        for r in range(rounds):
            started = time.monotonic()

            async def customer(i: int, r: int = r) -> None:
                euid = f"wmMem{r:03d}{i:05d}"
                for k in range(messages):
                    await sandbox.customer_says(SEED_KF, euid, QUESTIONS[(i + k) % len(QUESTIONS)])
                    await asyncio.sleep(0.05)
                await sandbox.staff_adds_customer("zhangwei", f"wmMemC{r:03d}{i:05d}")

            await asyncio.gather(*(customer(i) for i in range(customers)))
            await settled()
            await asyncio.sleep(1.0)
            gc.collect()
            snap = _service_only(tracemalloc.take_snapshot())
            heap.append(sum(t.size for t in snap.traces) / 2**20)
            snapshots = [*snapshots[:1], snap] if r >= 1 else []
            print(f"round {r + 1}: {customers * messages} messages in "
                  f"{time.monotonic() - started:.1f} s; service heap {heap[-1]:.2f} MB, "
                  f"process RSS {rss_mb():.1f} MB", flush=True)
    tracemalloc.stop()
    if len(heap) < 3:
        return 0
    per_round = (heap[-1] - heap[1]) / (len(heap) - 2) * 1024
    print(f"\nservice heap growth after the warm-up round: {per_round:.0f} KB per round "
          f"(budget {budget_kb:.0f})")
    if len(snapshots) == 2:
        print("sites that grew most (second round → last):")
        for stat in snapshots[1].compare_to(snapshots[0], "lineno")[:12]:
            print(f"  {stat.size_diff / 1024:+9.1f} KB {stat.count_diff:+7d}  {stat.traceback}")
    return 0 if per_round <= budget_kb else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--customers", type=int, default=60)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--budget-kb", type=float, default=256.0)
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.rounds, args.customers, args.messages, args.budget_kb)))
