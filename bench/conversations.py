"""Conversation benchmark: N sandbox customers chatting with the service at once.

    .venv/bin/python bench/conversations.py [--customers 50] [--messages 20]
        [--modes embedded,production] [--workers 1] [--rounds 1] [--statements] [--stages]

Each customer sends a question, waits for the reply in its sandbox inbox, then sends the next.
Measured end to end (customer message in → reply delivered to the customer by the sandbox):
messages/s and p50/p99 reply latency. Afterwards every customer must have exactly one reply per
question (none twice, none missing, none later than 10 s, no send failed). The service runs in
this process with the sandbox mounted (as ``wecom-bot serve`` does, on its event loop,
``bot.infra.event_loop``, as the echo bot does too); production mode (PostgreSQL, Redis) runs
``wecom-bot worker`` processes beside it.

The baseline, in the same run, before each round's first mode and after each mode: a bare
echo bot (``bench/echo_bot.py``: the kf callback, ``sync_msg``, ``send_msg`` of a fixed text;
no database, no matcher, no outbox) under the same load. Printed as ratios to the mean of
the two echo runs beside a mode (the host's speed drifts over a run): throughput (target
≥ 0.5×) and CPU per message. CPU per message is the sum over every process the
load runs in, read from /proc: this process (the customers, the sandbox and, embedded, the
service), the workers, the PostgreSQL backends of the bench's database and the Redis server
(started by the bench for itself unless ``BENCH_REDIS`` names one; a shared Redis's CPU is
everyone's). Also counted per message (``bench/probe.py``; the same on a loaded machine):
SQL statements (transactions' BEGIN/COMMIT included) and Redis round trips, of this process
and the workers; ``--statements`` lists each distinct statement. ``--stages`` times each
step of a message's way, from the customer's question to the reply handed to them
(``bench/stages.py``), to show where the time goes.

Environment: ``BENCH_PG`` (default the database ``bench_conv``), ``BENCH_REDIS`` (default a
redis-server of the bench's own), ``BENCH_PORTS`` ("18300-18399": the ports the bench may
listen on; default any free port).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loop, probe, stages  # noqa: E402  (loop: the one serve and worker run on)
from bench.bracket import bracketed  # noqa: E402

# Overridable, so that several checkouts can bench side by side.
PG_URL = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/bench_conv")
QUESTIONS = ["请问多久能发货", "安装要多久", "怎么开发票", "量尺怎么预约", "价格多少钱",
             "板材环保吗", "柜门坏了怎么维修", "门店地址在哪"]
TARGET_RATIO, TARGET_P99 = 0.5, 0.5  # of the echo bot's msg/s; seconds


def _ports() -> Iterator[int]:
    span = os.environ.get("BENCH_PORTS")
    if not span:
        while True:
            yield 0
    low, _, high = span.partition("-")
    while True:
        yield from range(int(low), int(high or low) + 1)


_PORTS = _ports()


def free_port() -> int:
    for _ in range(1000):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", next(_PORTS)))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise RuntimeError("no free port in BENCH_PORTS")


def write_config(path: Path, mode: str, port: int, db: str, redis_url: str) -> None:
    from bot.settings import random_aes_key

    apps = "".join(
        f'[[wecom.apps]]\nname = "{name}"\nkind = "{kind}"\n{agent}secret = "s3cr3t-{name}"\n'
        f'token = "tok{name}"\nencoding_aes_key = "{random_aes_key()}"\n\n'
        for name, kind, agent in (("main", "app", "agent_id = 1000002\n"),
                                  ("aibot", "aibot", "")))
    redis = f'redis_url = "{redis_url}"\n' if mode == "production" else ""
    path.write_text(
        f'listen = "127.0.0.1:{port}"\ndatabase_url = "{db}"\n{redis}log_level = "warning"\n'
        f'callback_max_age_seconds = 0\n\n[wecom]\ncorp_id = "ww_bench_conv"\n'
        f'api_base = "sandbox"\napi_calls_per_minute = 100000\n\n{apps}', encoding="utf-8")


class OwnRedis:
    """A redis-server for this bench alone (its CPU is then the load's own)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


async def reset(mode: str, redis_url: str) -> None:
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
    r = aioredis.from_url(redis_url)
    await r.flushdb()
    await r.aclose()


async def drive(sandbox: Any, customers: int, messages: int, meter: probe.Meter,
                outbox_failed: Callable[[], Any] | None = None) -> dict[str, Any]:
    """The load: each customer asks, waits for the reply, asks again. The meter runs around
    the load only (not the start-up nor the wait for stragglers)."""
    from sandbox import SEED_KF

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

    await meter.start()
    stages.collect()  # only the load's own moments (not the last run's)
    await asyncio.gather(*(customer(i) for i in range(customers)))
    reading = await meter.stop()
    moments = stages.collect() + stages.read(str(meter.probe_dir))
    await asyncio.sleep(1.0)  # let stragglers (a double answer) show up
    counts = [len(received.get(f"wmBench{i:06d}", [])) for i in range(customers)]
    total = customers * messages
    lat = sorted(latencies)
    return {
        "messages": total, "seconds": reading.seconds, "rate": total / reading.seconds,
        "p50": statistics.median(lat) if lat else float("nan"),
        "p99": lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else float("nan"),
        "twice": sum(max(0, c - messages) for c in counts),
        "missing": sum(max(0, messages - c) for c in counts), "late": late,
        "outbox_failed": await outbox_failed() if outbox_failed else 0,
        "cpu": reading.cpu, "seen": reading.seen, "counts": reading.counts,
        "stages": moments,
    }


async def run_echo(customers: int, messages: int) -> dict[str, Any]:
    from aiohttp import web

    from bench.echo_bot import EchoBot
    from bot.settings import load_settings
    from sandbox import DEFAULT_PREFIX, Sandbox, mount_sandbox

    tmp = Path(tempfile.mkdtemp(prefix="bench-echo-"))
    port = free_port()
    config = tmp / "bench.toml"
    write_config(config, "embedded", port, f"sqlite://{tmp}/unused.sqlite3", "")
    settings = load_settings(config, env={})
    base = f"http://127.0.0.1:{port}"
    sandbox = Sandbox(settings.wecom, callback_base_url=base)
    app = web.Application()
    mount_sandbox(app, sandbox, listen_url=base)
    main = next(a for a in settings.wecom.apps if a.kind == "app")
    bot = EchoBot(corp_id=settings.wecom.corp_id, secret=main.secret.get_secret_value(),
                  token=main.token.get_secret_value(),
                  aes_key=main.encoding_aes_key.get_secret_value(),
                  api_base=base + DEFAULT_PREFIX)
    bot.routes(app, f"/wecom/callback/{main.name}")
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        await bot.start()
        result = await drive(sandbox, customers, messages, probe.Meter())
    finally:
        await bot.close()
        await sandbox.close()
        await runner.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)
    return {"mode": "echo", **result}


def _worker_command(with_stages: bool) -> list[str]:
    # The worker with the probe installed first (its counts on SIGUSR1), and the stages'
    # moments noted if asked for (written on the same signal).
    code = ("import importlib.util, sys\n"
            "def load(name):\n"
            f"    path = {str(ROOT / 'bench')!r} + '/' + name + '.py'\n"
            "    spec = importlib.util.spec_from_file_location('bench_' + name, path)\n"
            "    module = sys.modules['bench_' + name] = importlib.util.module_from_spec(spec)\n"
            "    spec.loader.exec_module(module)\n"
            "    return module\n"
            "load('probe').install()\n"
            + ("load('stages').install()\n" if with_stages else "")
            + "from bot.cli import main\n"
            "sys.exit(main(['worker']))\n")
    return [sys.executable, "-c", code]


async def run_mode(mode: str, customers: int, messages: int, workers: int,
                   redis_url: str, redis_private: bool, with_stages: bool = False
                   ) -> dict[str, Any]:
    from aiohttp import web

    from bot.conversations import rules_store
    from bot.conversations.rulebook import changed, sample_rules_text
    from bot.infra.db import migrate
    from bot.infra.logs import configure_logging
    from bot.models import OutboxMessage
    from bot.settings import load_settings
    from bot.web.appkeys import SERVICES
    from bot.web.server import create_app

    await reset(mode, redis_url)
    tmp = Path(tempfile.mkdtemp(prefix="bench-conv-"))
    probe_dir = tmp / "probe"
    probe_dir.mkdir()
    port = free_port()
    db = PG_URL if mode == "production" else f"sqlite://{tmp}/bot.sqlite3"
    config = tmp / "bench.toml"
    write_config(config, mode, port, db, redis_url)
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
            env = {**os.environ, "WECOM_BOT_CONFIG": str(config),
                   "BENCH_PROBE_DIR": str(probe_dir)}
            # Started once, before the load; blocking here costs the measurement nothing.
            procs = [subprocess.Popen(_worker_command(with_stages), env=env,  # noqa: ASYNC220
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                     for _ in range(workers)]
            await asyncio.sleep(3.0)  # workers connect and load the rules
        meter = probe.Meter(
            workers=[p.pid for p in procs], probe_dir=str(probe_dir),
            pg_url=PG_URL if mode == "production" else None,
            redis_url=redis_url if mode == "production" else None)

        async def failed() -> int:
            return await OutboxMessage.filter(status="failed").count()

        result = await drive(sandbox, customers, messages, meter, failed)
        if mode == "production" and not redis_private:
            result["cpu"].pop("redis", None)  # a shared server's CPU is not the load's
        return {"mode": mode, **result}
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
        shutil.rmtree(tmp, ignore_errors=True)


def _per_message(r: dict[str, Any]) -> tuple[float, float, float]:
    """(CPU ms, SQL statements, Redis round trips) per message."""
    sql, redis = probe.totals(r["counts"])
    n = r["messages"]
    return sum(r["cpu"].values()) / n * 1000, sql / n, redis / n


def _kf_sends_per_minute() -> int:
    """WeCom's calls a minute per corp and API, as the sandbox holds to them."""
    from sandbox.corp import Limits

    return Limits().api_per_minute


def run_round(echo: Callable[[], dict[str, Any]], mode: Callable[[str], dict[str, Any]],
              modes: list[str]) -> list[dict[str, Any]]:
    """The echo bot before the first mode and after each: the host's speed drifts over a
    run, so each mode carries as its ``baseline`` the two echo runs beside it."""
    echoes, paired = bracketed(echo, [functools.partial(mode, name) for name in modes])
    rows = [echoes[0]]
    for row, before, after in paired:
        row["baseline"] = baseline(before, after)
        rows += [row, after]
    return rows


def baseline(*echoes: dict[str, Any]) -> dict[str, float]:
    """The echo runs' mean throughput and CPU ms per message."""
    return {"rate": statistics.fmean(e["rate"] for e in echoes),
            "cpu_ms": statistics.fmean(_per_message(e)[0] for e in echoes)}


def report(rows: list[dict[str, Any]], customers: int, messages: int,
           statements: bool, with_stages: bool = False) -> None:
    """``rows``: the echo runs and the modes; a mode is compared with its ``baseline`` (the
    echo runs beside it) or else with the first echo run."""
    echo = next(r for r in rows if r["mode"] == "echo")
    print(f"\n{customers} customers x {messages} messages each (targets: >= {TARGET_RATIO}x "
          f"the echo bot's msg/s, p99 <= {TARGET_P99 * 1000:.0f} ms, none twice or missing; "
          f"every process on {loop.choice()})")
    print(f"{'mode':<12}{'msg/s':>8}{'x echo':>8}{'p50 ms':>8}{'p99 ms':>8}{'twice':>6}"
          f"{'missing':>8}{'late':>5}{'failed':>7}{'CPU ms/msg':>11}{'x echo':>8}"
          f"{'SQL/msg':>8}{'Redis/msg':>10}{'ok':>4}")
    for r in rows:
        cpu, sql, redis = _per_message(r)
        clean = not (r["twice"] or r["missing"] or r["late"] or r["outbox_failed"])
        if r["mode"] == "echo":
            # A baseline has no ratio of its own; one that missed a reply is no baseline.
            ok, ratio_text, cpu_text = clean, f"{'-':>8}", f"{'-':>8}"
        else:
            base = r.get("baseline") or baseline(echo)
            ratio = r["rate"] / base["rate"]
            ok = clean and ratio >= TARGET_RATIO and r["p99"] <= TARGET_P99
            ratio_text, cpu_text = f"{ratio:>8.2f}", f"{cpu / base['cpu_ms']:>8.2f}"
        print(f"{r['mode']:<12}{r['rate']:>8.1f}{ratio_text}{r['p50'] * 1000:>8.1f}"
              f"{r['p99'] * 1000:>8.1f}{r['twice']:>6}{r['missing']:>8}{r['late']:>5}"
              f"{r['outbox_failed']:>7}{cpu:>11.2f}{cpu_text}{sql:>8.2f}"
              f"{redis:>10.2f}{'yes' if ok else 'NO':>4}")
    print("CPU ms per message by process: "
          + "; ".join(r["mode"] + " " + ", ".join(
              f"{g} {c / r['messages'] * 1000:.2f}" + (f" ({r['seen'][g]})" if g != "bench" else "")
              for g, c in r["cpu"].items()) for r in rows))
    # What the throughput is worth: WeCom sends a corp's kf replies at most this fast, and
    # each message here gets one. An estimate from this saturated run: the CPU counted
    # includes the simulated WeCom and customers, but at a lower rate pulls and group
    # commits cover fewer messages each, so a message may cost somewhat more.
    per_minute = _kf_sends_per_minute()
    ceiling = per_minute / 60
    print(f"at WeCom's ceiling ({per_minute:,} kf/send_msg a minute, "
          f"{ceiling:.0f} replies/s), estimated from this run's CPU per message: "
          + "; ".join(f"{r['mode']} {ceiling * _per_message(r)[0] / 1000:.2f} cores "
                      f"(the run went {r['rate'] / ceiling:.1f}x that rate)"
                      for r in rows if r["mode"] != "echo"))
    if with_stages:
        for r in rows:
            if r["stages"]:
                print(f"\n{r['mode']}: where a message's time goes (bench/stages.py)")
                print(stages.report(r["stages"]))
    if statements:
        for r in rows:
            if r["counts"]:
                print(f"\n{r['mode']}: statements and Redis commands per message")
                print(probe.table(r["counts"], r["messages"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=50)
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--modes", default="embedded,production")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=1,
                        help="repeat the echo bot and the modes, alternately")
    parser.add_argument("--statements", action="store_true",
                        help="list each distinct SQL statement and Redis command per message")
    parser.add_argument("--stages", action="store_true",
                        help="time each step of a message's way from question to reply")
    args = parser.parse_args()
    # Each run's sandbox is a fresh corp holding WeCom's limit of calls per API and minute:
    # past it the echo bot, which has no retries, would stall on 45009.
    per_minute = _kf_sends_per_minute()
    if args.customers * args.messages > per_minute:
        parser.error(f"{args.customers} x {args.messages} messages in one run would pass "
                     f"WeCom's {per_minute:,} kf/send_msg calls a minute (the sandbox holds "
                     "to it); use --rounds for a longer measurement")
    probe.install()
    if args.stages:
        stages.install()
    own = None
    redis_url = os.environ.get("BENCH_REDIS", "")
    if not redis_url and shutil.which("redis-server"):
        own = OwnRedis()
        redis_url = own.url
    redis_url = redis_url or "redis://127.0.0.1:6379/11"
    try:
        for _ in range(args.rounds):
            rows = run_round(
                lambda: loop.run(run_echo(args.customers, args.messages)),
                lambda mode: loop.run(run_mode(mode, args.customers, args.messages,
                                               args.workers, redis_url, own is not None,
                                               args.stages)),
                [m for m in args.modes.split(",") if m])
            report(rows, args.customers, args.messages, args.statements, args.stages)
    finally:
        if own is not None:
            own.stop()


if __name__ == "__main__":
    main()
