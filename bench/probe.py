"""Counting what a process asks of its database and Redis, and the CPU a load costs.

``install()`` wraps tortoise's database clients (every ``execute_*`` and the transactions'
BEGIN/COMMIT/ROLLBACK, on PostgreSQL and SQLite) and redis-py's asyncio client (each command,
a pipeline as one round trip), counting each distinct statement (its text with parameters
folded, so ``IN ($1,$2,$3)`` and ``IN ($1)`` are one statement). ``snapshot()`` returns the
counts; with ``BENCH_PROBE_DIR`` set, SIGUSR1 writes them to ``<dir>/<pid>-<n>.json``, so a
bench can read a worker process's counts at the start and the end of its load.

``Meter`` reads, around a load, the CPU seconds of this process, its worker processes, the
PostgreSQL backends of its database and the Redis server (from /proc, as far as they run on
this machine) and the counts of this process and its workers.

Counts, unlike timings, are the same on a loaded machine as on a quiet one; CPU seconds
drift less with the machine's load than throughput does.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import re
import signal
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

counts: Counter[str] = Counter()  # raw statement text (folded by ``snapshot``)
_installed = False
_dumps = 0
_PARAMS = re.compile(r"\$\d+|\?")
_LISTS = re.compile(r"\$(?:\s*,\s*\$)+")
_SPACE = re.compile(r"\s+")


def statement(text: str) -> str:
    """A statement's text with its parameters folded (one key per statement shape)."""
    text = _SPACE.sub(" ", text.strip())
    text = _LISTS.sub("$…", _PARAMS.sub("$", text))
    return text[:240]


def _wrap_sql(cls: type, name: str) -> None:
    original = cls.__dict__.get(name)
    if original is None:
        return

    @functools.wraps(original)
    async def counted(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        counts["sql " + query] += 1
        return await original(self, query, *args, **kwargs)

    setattr(cls, name, counted)


def _wrap_tx(cls: type, name: str) -> None:
    original = cls.__dict__.get(name)
    if original is None:
        return

    @functools.wraps(original)
    async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        counts[f"sql {name.upper()}"] += 1
        return await original(self, *args, **kwargs)

    setattr(cls, name, counted)


def install() -> None:
    """Start counting in this process (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    from redis.asyncio.client import Pipeline, Redis
    from tortoise.backends.asyncpg.client import AsyncpgDBClient
    from tortoise.backends.asyncpg.client import TransactionWrapper as PgTx
    from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionWrapper

    for cls in (AsyncpgDBClient, PgTx, SqliteClient, SqliteTransactionWrapper):
        for name in ("execute_query", "execute_query_dict", "execute_insert", "execute_many",
                     "execute_script"):
            _wrap_sql(cls, name)
    for cls in (PgTx, SqliteTransactionWrapper):
        for name in ("begin", "commit", "rollback"):
            _wrap_tx(cls, name)

    command = Redis.execute_command

    @functools.wraps(command)
    async def redis_command(self: Any, *args: Any, **options: Any) -> Any:
        counts[f"redis {str(args[0]).upper() if args else '?'}"] += 1
        return await command(self, *args, **options)

    Redis.execute_command = redis_command  # type: ignore[method-assign]
    execute = Pipeline.execute

    @functools.wraps(execute)
    async def pipeline(self: Any, raise_on_error: bool = True) -> Any:
        names = "+".join(sorted({str(c[0][0]).upper() for c in self.command_stack}))
        counts[f"redis PIPELINE[{names}]"] += 1
        return await execute(self, raise_on_error)

    Pipeline.execute = pipeline  # type: ignore[method-assign]
    if os.environ.get("BENCH_PROBE_DIR"):
        signal.signal(signal.SIGUSR1, _dump)


def snapshot() -> dict[str, int]:
    """The counts so far, each statement's text folded (``statement``)."""
    out: Counter[str] = Counter()
    for key, n in list(counts.items()):
        out["sql " + statement(key[4:]) if key.startswith("sql ") else key] += n
    return dict(out)


def _dump(signum: int, frame: Any) -> None:
    global _dumps
    _dumps += 1
    path = Path(os.environ["BENCH_PROBE_DIR"]) / f"{os.getpid()}-{_dumps}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(snapshot()), encoding="utf-8")
    tmp.rename(path)


def delta(before: dict[str, int], after: dict[str, int]) -> Counter[str]:
    out: Counter[str] = Counter()
    for key, n in after.items():
        if n - before.get(key, 0):
            out[key] = n - before.get(key, 0)
    return out


def totals(c: Counter[str]) -> tuple[int, int]:
    """(SQL statements, Redis round trips) in ``c``."""
    sql = sum(n for k, n in c.items() if k.startswith("sql "))
    return sql, sum(n for k, n in c.items() if k.startswith("redis "))


def table(c: Counter[str], per: int, limit: int = 60) -> str:
    """Each distinct statement with its count per ``per`` messages, most frequent first."""
    lines = [f"{n / per:8.2f}  {key}" for key, n in c.most_common(limit)]
    return "\n".join(lines)


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int | str) -> float | None:
    """User + system CPU seconds of a process (all its threads); None if not readable."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


@dataclass
class Reading:
    seconds: float
    cpu: dict[str, float]  # CPU seconds by process group
    seen: dict[str, int]  # processes read, by group
    counts: Counter[str] = field(default_factory=Counter)


class Meter:
    """CPU and counts around a load: ``await start()``, the load, ``await stop()``.

    ``workers``: pids of worker processes that run ``install()`` with ``BENCH_PROBE_DIR``
    (their counts are asked for with SIGUSR1); ``pg_url``: the database whose backends are
    read; ``redis_url``: the Redis whose server is read (its CPU is everyone's who uses it).
    """

    def __init__(self, *, workers: list[int] | None = None, pg_url: str | None = None,
                 redis_url: str | None = None, probe_dir: str | None = None) -> None:
        self.workers = workers or []
        self.pg_url = pg_url.replace("postgres://", "postgresql://") if pg_url else None
        self.redis_url = redis_url
        self.probe_dir = Path(probe_dir or os.environ.get("BENCH_PROBE_DIR") or "/nonexistent")
        self._pg: Any = None
        self._redis_pid: int | None = None
        self._before: dict[str, dict[str, float]] = {}
        self._counts: dict[str, int] = {}
        self._started = 0.0

    async def _pids(self) -> dict[str, list[int]]:
        pids: dict[str, list[int]] = {"bench": [os.getpid()], "workers": list(self.workers)}
        if self._pg is not None:
            rows = await self._pg.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid()")
            pids["postgres"] = [int(r["pid"]) for r in rows]
        if self._redis_pid is not None:
            pids["redis"] = [self._redis_pid]
        return pids

    async def _read(self) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for group, pids in (await self._pids()).items():
            out[group] = {str(p): c for p in pids if (c := cpu_seconds(p)) is not None}
        return out

    async def _worker_counts(self) -> dict[str, int]:
        total: Counter[str] = Counter(snapshot())
        if not self.workers:
            return dict(total)
        known = set(self.probe_dir.glob("*.json"))
        for pid in self.workers:
            os.kill(pid, signal.SIGUSR1)
        deadline = time.monotonic() + 5
        fresh: set[Path] = set()
        while time.monotonic() < deadline and len(fresh) < len(self.workers):
            await asyncio.sleep(0.05)
            fresh = set(self.probe_dir.glob("*.json")) - known
        for path in fresh:
            total.update(json.loads(path.read_text(encoding="utf-8")))
        return dict(total)

    async def start(self) -> None:
        if self.pg_url:
            import asyncpg

            self._pg = await asyncpg.connect(self.pg_url)
        if self.redis_url:
            import redis.asyncio as aioredis

            r = aioredis.from_url(self.redis_url)
            self._redis_pid = int((await r.info("server"))["process_id"])
            await r.aclose()
        self._counts = await self._worker_counts()
        self._before = await self._read()
        self._started = time.perf_counter()

    async def stop(self) -> Reading:
        seconds = time.perf_counter() - self._started
        after = await self._read()
        counts = delta(self._counts, await self._worker_counts())
        if self._pg is not None:
            await self._pg.close()
        cpu = {g: sum(c - self._before.get(g, {}).get(p, 0.0) for p, c in procs.items())
               for g, procs in after.items()}
        return Reading(seconds, cpu, {g: len(p) for g, p in after.items()}, counts)
