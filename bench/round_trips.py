"""What one round trip costs this process: `.venv/bin/python bench/round_trips.py`.

The service's cost per callback and per kf message is mostly its round trips (SQL
statements, Redis commands, SQLite statements through aiosqlite's thread), so their price on
the machine at hand says what a change of their number is worth, and where the floors of
bench/callbacks.py and bench/conversations.py lie. Each is measured as the CPU seconds of
this process per operation (the client's share; the server's comes on top), sequentially,
against a baseline in the same run: a bare asyncio TCP request and reply to a local echo
server, the least a round trip can cost from Python.

Needs PostgreSQL and Redis on this machine (``BENCH_PG``, ``BENCH_REDIS``: the URLs;
defaults ``postgres://postgres@127.0.0.1:5432/test`` and ``redis://127.0.0.1:6379/13``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loop  # noqa: E402  (the loop serve and worker run on)

PG_URL = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")

Op = Callable[[], Awaitable[object]]


async def cpu_us(op: Op, n: int, rounds: int) -> float:
    """The median over ``rounds`` of this process's CPU µs per call of ``op``."""
    for _ in range(min(n, 200)):  # connections made, statements prepared
        await op()
    samples = []
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(n):
            await op()
        samples.append((time.process_time() - started) / n * 1e6)
    return statistics.median(samples)


async def echo_server() -> tuple[asyncio.AbstractServer, int]:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while line := await reader.readline():
            writer.write(line)
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def measure(n: int, rounds: int) -> list[tuple[str, float]]:
    import aiosqlite
    import asyncpg
    import redis.asyncio as aioredis

    from bot.infra import redis_pool
    from bot.infra.db import _NoResetConnection

    out: list[tuple[str, float]] = []
    server, port = await echo_server()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)

    async def tcp() -> None:
        writer.write(b"ping\n")
        await reader.readline()

    out.append(("asyncio TCP request and reply (baseline)", await cpu_us(tcp, n, rounds)))
    writer.close()
    server.close()

    library = aioredis.Redis.from_pool(aioredis.BlockingConnectionPool.from_url(
        REDIS_URL, decode_responses=True, max_connections=redis_pool.MAX_CONNECTIONS,
        timeout=30))
    ours = aioredis.Redis.from_pool(redis_pool.pool(REDIS_URL, decode_responses=True))
    await ours.set("bench:round_trips", "1")
    out.append(("Redis GET, redis-py's pool check", await cpu_us(
        lambda: library.get("bench:round_trips"), n, rounds)))
    out.append(("Redis GET, bot.infra.redis_pool", await cpu_us(
        lambda: ours.get("bench:round_trips"), n, rounds)))
    lock_name = "bench:round_trips:lock"

    async def lock_cycle() -> None:
        lk = ours.lock(lock_name, timeout=30, blocking_timeout=1, sleep=0.01)
        await lk.acquire()
        await lk.release()

    out.append(("Redis lock taken and released (2 round trips)", await cpu_us(
        lock_cycle, n, rounds)))
    await ours.delete("bench:round_trips")
    await library.aclose()
    await ours.aclose()
    out += await job_enqueues(n, rounds)

    pg = await asyncpg.connect(PG_URL)
    out.append(("PostgreSQL SELECT $1 (asyncpg, one connection)", await cpu_us(
        lambda: pg.fetch("SELECT $1::int AS x", 1), n, rounds)))
    await pg.close()
    # As the service runs a statement outside a transaction: a connection of the pool
    # taken and given back around it (bot.infra.db's pool, no reset query).
    pool = await asyncpg.create_pool(PG_URL, min_size=1, max_size=4,
                                     connection_class=_NoResetConnection)
    out.append(("PostgreSQL SELECT $1 (asyncpg, through the pool)", await cpu_us(
        lambda: pool.fetch("SELECT $1::int AS x", 1), n, rounds)))
    await pool.close()

    with tempfile.TemporaryDirectory() as tmp:
        db = await aiosqlite.connect(str(Path(tmp) / "bench.db"))
        out.append(("SQLite SELECT ? (aiosqlite: a hop to its thread)", await cpu_us(
            lambda: db.execute_fetchall("SELECT ?", (1,)), n, rounds)))
        await db.close()
    return out


async def job_enqueues(n: int, rounds: int) -> list[tuple[str, float]]:
    """A job queued by arq's own ``enqueue_job`` (WATCH, EXISTS, MULTI/EXEC: three round
    trips on a held connection) and by the service's ``ArqQueue`` (one script for the jobs
    of a burst), alone and 16 at once (per job)."""
    from bot.pipeline.runners import DEFAULT_QUEUE, ArqQueue

    queue = await ArqQueue.connect(REDIS_URL)
    ids = iter(range(10**9))
    queue_name = "bench:round_trips:jobs"

    def burst(enqueue: Callable[[], Awaitable[object]], size: int) -> Op:
        async def op() -> None:
            await asyncio.gather(*(enqueue() for _ in range(size)))
        return op

    def arq() -> Awaitable[object]:
        return queue.pool.enqueue_job("bench", _job_id=f"bench:a{next(ids)}",
                                      _queue_name=queue_name)

    def ours() -> Awaitable[object]:
        return queue.enqueue("bench", job_id=f"bench:o{next(ids)}")

    out = [("job queued, arq's enqueue_job (3 round trips)", await cpu_us(arq, n, rounds)),
           ("job queued, bot's ArqQueue (one script)", await cpu_us(ours, n, rounds))]
    for name, enqueue in (("arq's enqueue_job", arq), ("bot's ArqQueue", ours)):
        per_burst = await cpu_us(burst(enqueue, 16), max(1, n // 16), rounds)
        out.append((f"job queued 16 at once, {name}", per_burst / 16))
    # Only what this bench made: the database may be another's too (ArqQueue's jobs went
    # to the service's own queue, which may hold others' jobs).
    stale = [key async for key in queue.pool.scan_iter(match="arq:job:bench:*", count=1000)]
    ours_queued = [key.removeprefix(b"arq:job:") for key in stale
                   if key.startswith(b"arq:job:bench:o")]
    for i in range(0, len(stale), 1000):
        await queue.pool.delete(*stale[i:i + 1000])
    for i in range(0, len(ours_queued), 1000):
        await queue.pool.zrem(DEFAULT_QUEUE, *ours_queued[i:i + 1000])
    await queue.pool.delete(queue_name)
    await queue.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=2000, help="calls per round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    results = loop.run(measure(args.n, args.rounds))
    base = results[0][1]
    print(f"\nround trips from this process, {args.n} calls x {args.rounds} rounds, "
          f"median CPU µs per call ({os.cpu_count()} cores)")
    print(f"{'operation':<50}{'cpu µs':>9}{'x base':>9}")
    print("-" * 68)
    for name, us in results:
        print(f"{name:<50}{us:>9.1f}{us / base:>9.2f}")


if __name__ == "__main__":
    main()
