"""Conversation benchmark: N sandbox customers chatting with the service at once.

    .venv/bin/python bench/conversations.py [--customers 50] [--messages 20]
        [--modes embedded,production] [--workers 1]

Each customer sends a question, waits for the reply in its sandbox inbox, then sends the
next. Measured end to end (customer message in → reply delivered to the customer by the
sandbox): messages/s and p50/p99 reply latency. Afterwards every customer must have exactly
one reply per question (none twice, none missing, none later than 10 s, no send failed). The
service runs in this process with the sandbox mounted (as ``wecom-bot serve`` does);
production mode (PostgreSQL database ``bench_conv``, Redis db 11) runs ``wecom-bot worker``
processes beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Overridable, so that several checkouts can bench side by side.
PG_URL = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/bench_conv")
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/11")
QUESTIONS = ["请问什么时候发货", "安装要多久", "怎么开发票", "量尺怎么预约", "价格多少钱",
             "板材环保吗", "柜门坏了怎么维修", "门店地址在哪"]
TARGET_RATE, TARGET_P99 = 200.0, 0.5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_config(path: Path, mode: str, port: int, db: str) -> None:
    from bot.settings import random_aes_key

    apps = "".join(
        f'[[wecom.apps]]\nname = "{name}"\nkind = "{kind}"\n{agent}secret = "s3cr3t-{name}"\n'
        f'token = "tok{name}"\nencoding_aes_key = "{random_aes_key()}"\n\n'
        for name, kind, agent in (("main", "app", "agent_id = 1000002\n"),
                                  ("aibot", "aibot", "")))
    redis = f'redis_url = "{REDIS_URL}"\n' if mode == "production" else ""
    path.write_text(
        f'listen = "127.0.0.1:{port}"\ndatabase_url = "{db}"\n{redis}log_level = "warning"\n'
        f'callback_max_age_seconds = 0\n\n[wecom]\ncorp_id = "ww_bench_conv"\n'
        f'api_base = "sandbox"\napi_calls_per_minute = 100000\n\n{apps}', encoding="utf-8")


async def reset(mode: str) -> None:
    if mode != "production":
        return
    import asyncpg
    import redis.asyncio as aioredis

    url = PG_URL.replace("postgres://", "postgresql://")
    try:
        conn = await asyncpg.connect(url)
    except asyncpg.InvalidCatalogNameError:  # a fresh machine: make the bench's own database
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


async def run_mode(mode: str, customers: int, messages: int, workers: int) -> dict[str, Any]:
    from aiohttp import web

    from bot.conversations import rules_store
    from bot.conversations.rulebook import changed, sample_rules_text
    from bot.infra.db import migrate
    from bot.infra.logs import configure_logging
    from bot.models import OutboxMessage
    from bot.settings import load_settings
    from bot.web.appkeys import SERVICES
    from bot.web.server import create_app
    from sandbox import SEED_KF

    await reset(mode)
    tmp = Path(tempfile.mkdtemp(prefix="bench-conv-"))
    port = free_port()
    db = PG_URL if mode == "production" else f"sqlite://{tmp}/bot.sqlite3"
    config = tmp / "bench.toml"
    write_config(config, mode, port, db)
    settings = load_settings(config, env={})
    configure_logging("json", "warning")
    procs: list[subprocess.Popen[bytes]] = []
    if mode == "production":
        await migrate(settings.database_url)
    app = create_app(settings)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        services = app[SERVICES]
        sandbox = services.sandbox
        if mode == "production":
            await rules_store.import_rules(sample_rules_text(), mode="replace", actor="bench")
            await changed(services.ports)
            env = {**os.environ, "WECOM_BOT_CONFIG": str(config)}
            # Started once, before the load; blocking here costs the measurement nothing.
            procs = [subprocess.Popen([str(ROOT / ".venv/bin/wecom-bot"), "worker"], env=env,  # noqa: ASYNC220
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                     for _ in range(workers)]
            await asyncio.sleep(3.0)  # workers connect and load the rules
        waiting: dict[str, asyncio.Event] = {}
        received: dict[str, list[float]] = {}
        original = sandbox.corp.deliver

        def deliver(recipient: str, channel: str, sender: str, msgtype: str, **kw: Any) -> None:
            original(recipient, channel, sender, msgtype, **kw)
            if channel == "kf":
                received.setdefault(recipient, []).append(time.perf_counter())
                if recipient in waiting:
                    waiting[recipient].set()

        sandbox.corp.deliver = deliver
        latencies: list[float] = []
        late = 0  # replies not there within 10 s: left out of the latencies, so counted here

        async def customer(i: int) -> None:
            nonlocal late
            euid = f"wmBench{i:06d}"
            waiting[euid] = asyncio.Event()
            for k in range(messages):
                waiting[euid].clear()
                sent = time.perf_counter()
                await sandbox.customer_says(SEED_KF, euid, QUESTIONS[(i + k) % len(QUESTIONS)])
                try:
                    await asyncio.wait_for(waiting[euid].wait(), 10.0)
                except TimeoutError:
                    late += 1
                    continue
                latencies.append(received[euid][-1] - sent)

        started = time.perf_counter()
        await asyncio.gather(*(customer(i) for i in range(customers)))
        elapsed = time.perf_counter() - started
        await asyncio.sleep(1.0)  # let stragglers (a double answer) show up
        counts = [len(received.get(f"wmBench{i:06d}", [])) for i in range(customers)]
        twice = sum(max(0, c - messages) for c in counts)
        missing = sum(max(0, messages - c) for c in counts)
        total = customers * messages
        failed = await OutboxMessage.filter(status="failed").count()
        lat = sorted(latencies)
        return {
            "mode": mode, "messages": total, "seconds": elapsed, "rate": total / elapsed,
            "p50": statistics.median(lat) if lat else float("nan"),
            "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else float("nan"),
            "twice": twice, "missing": missing, "late": late, "outbox_failed": failed,
        }
    finally:
        for p in procs:
            p.terminate()
        # Wait without blocking the loop: a draining worker may still be calling the
        # sandbox, which this process serves.
        deadline = time.monotonic() + 60
        while any(p.poll() is None for p in procs) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        for p in procs:
            if p.poll() is None:
                p.kill()
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--modes", default="embedded,production")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    rows = []
    for mode in args.modes.split(","):
        rows.append(asyncio.run(run_mode(mode, args.customers, args.messages, args.workers)))
    print(f"\n{args.customers} customers x {args.messages} messages each "
          f"(targets: >= {TARGET_RATE:.0f} msg/s, p99 <= {TARGET_P99 * 1000:.0f} ms)")
    print(f"{'mode':<12}{'msgs':>7}{'msg/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'twice':>7}{'missing':>9}{'late':>6}{'failed':>8}{'ok':>5}")
    for r in rows:
        ok = (r["rate"] >= TARGET_RATE and r["p99"] <= TARGET_P99 and not r["twice"]
              and not r["missing"] and not r["late"] and not r["outbox_failed"])
        print(f"{r['mode']:<12}{r['messages']:>7}{r['rate']:>9.1f}{r['p50'] * 1000:>9.1f}"
              f"{r['p99'] * 1000:>9.1f}{r['twice']:>7}{r['missing']:>9}{r['late']:>6}"
              f"{r['outbox_failed']:>8}{'yes' if ok else 'NO':>5}")


if __name__ == "__main__":
    main()
