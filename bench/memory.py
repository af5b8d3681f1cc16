"""Memory under sustained load: does each process level off, or creep?

    .venv/bin/python bench/memory.py [--rounds 10] [--round-seconds 30] [--warmup 3]
        [--trace FRAMES]

Production mode as separate processes (``tests.harness.fleet``: a private PostgreSQL and
Redis, ``wecom-bot sandbox`` as WeCom, one ``serve``, ``--workers`` ``worker``). Each round
drives the sandbox's control API for ``--round-seconds``: new kf customers asking questions
2 s apart (each answered by a rule: a kf callback, a pull, a reply), new contacts (a callback
and a welcome), staff writing 帮助 (a callback answered passively), and orders created with a
milestone recorded (team text cards, a kf notice). After each round it waits until nothing
is pending and reads every process's resident set size (VmRSS, /proc) — the real
processes, not a probe in this one.

It prints RSS per round and, after the warm-up rounds, the growth per round (least-squares
slope) over all measured rounds and over the last half of them, beside the goal. New
customers, contacts and orders every round: whatever is kept per customer, per message or
per order shows as growth that does not stop.

``--trace N`` starts the processes with ``tracemalloc = N`` (bot.infra.memory_report) and
sends SIGUSR2 after every round: the reports (what grew, by traceback) are kept in
``--reports`` and the top entries of the last one per process are printed. Tracing costs
memory of its own: RSS with ``--trace`` is not the number to judge.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loop  # noqa: E402  (the loop serve and worker run on)
from tests.harness.fleet import WECOM_BOT, Fleet, Stack  # noqa: E402

SEED_KF = "wkSandbox0000000000000000000001"
STAFF = ("zhangwei", "lina", "wangqiang", "liuyang")
QUESTION, ANSWER = "内存问题{:02d}", "内存答复{:02d}"
QUESTIONS = 6  # per kf customer, ~2 s apart
MB = 1024 * 1024
# The goal: after the warm-up, a process grows by at most this much per round over the last
# half of the rounds (least-squares slope). A structure that keeps something per customer,
# message or order grows in proportion to the load, round after round (the issue's probe:
# 3.4 MB per round of 9,000 callbacks); what is bounded stops. What is left is the allocator:
# pymalloc arenas (256 KiB each) and glibc's heap come and go with the peak of a round, a few
# hundred KiB either way, so the bound is a fraction of a megabyte per round.
GOAL_MB_PER_ROUND = 0.25


def rules_yaml() -> str:
    rules = "".join(
        f'  - id: mem-{k:02d}\n    name: 内存{k:02d}\n    priority: 100\n'
        f'    channels: [kefu]\n    when:\n      exact: ["{QUESTION.format(k)}"]\n'
        f'    action: reply\n    replies:\n      messages:\n'
        f'        - text: "{ANSWER.format(k)}"\n'
        for k in range(QUESTIONS))
    return "rules:\n" + rules


@dataclass
class Rates:
    kf: float  # kf questions per second
    contacts: float  # new contacts per second
    staff: float  # staff 帮助 per second
    orders: float  # orders created, each with a milestone, per second


@dataclass
class Round:
    index: int
    sent: dict[str, int] = field(default_factory=dict)
    refused: int = 0
    settle: float | None = None
    delivered: int = 0  # outbox rows WeCom took this round (kf replies, welcomes, cards)
    rss: dict[str, int] = field(default_factory=dict)
    conns: dict[str, tuple[int, int]] = field(default_factory=dict)  # (PostgreSQL, Redis)


def rss_of(pid: int) -> int:
    """VmRSS of a process, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def connections_of(pid: int, ports: tuple[int, int]) -> tuple[int, int]:
    """The process's open TCP connections to each of ``ports`` (PostgreSQL, Redis): pools
    that grow to their peak concurrency and keep it show here, not as a leak."""
    inodes = set()
    folder = Path(f"/proc/{pid}/fd")
    for fd in folder.iterdir():
        try:
            link = os.readlink(fd)
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    counts = [0, 0]
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            cols = line.split()
            remote_port = int(cols[2].rsplit(":", 1)[1], 16)
            if cols[9] in inodes and remote_port in ports:
                counts[ports.index(remote_port)] += 1
    return counts[0], counts[1]


async def _db(url: str, query: str) -> list[Any]:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://"), timeout=5)
    try:
        return list(await conn.fetch(query))
    finally:
        await conn.close()


async def pending(db_url: str) -> int:
    rows = await _db(db_url, "SELECT (SELECT count(*) FROM inbox_event WHERE status <> 'done')"
                     " + (SELECT count(*) FROM outbox_message WHERE status = 'pending') AS n")
    return int(rows[0]["n"])


async def sent_by_api(db_url: str) -> dict[str, int]:
    """Outbox rows WeCom took, by API: kf replies, welcomes, text cards."""
    rows = await _db(db_url, "SELECT api, count(*) AS n FROM outbox_message WHERE status "
                     "NOT IN ('pending', 'failed', 'missed') GROUP BY api")
    return {r["api"]: int(r["n"]) for r in rows}


async def admin_token(fleet: Fleet) -> str:
    proc = await asyncio.create_subprocess_exec(
        WECOM_BOT, "admin", "create-token", "--role", "admin", "--name", "memory-bench",
        "--config", str(fleet.config), stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL)
    out, _ = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError("admin create-token failed")
    return out.decode().strip().splitlines()[0]


class Driver:
    """One round of load through the sandbox's control API and the admin API."""

    def __init__(self, fleet: Fleet, token: str, rates: Rates, seconds: float,
                 rng: random.Random) -> None:
        self.fleet = fleet
        self.token = token
        self.rates = rates
        self.seconds = seconds
        self.rng = rng

    async def round(self, r: int) -> Round:
        result = Round(r)
        sent = result.sent
        for key in ("kf", "contacts", "staff", "orders"):
            sent[key] = 0
        asked: list[str] = []  # kf customers who wrote this round (their session is open)

        async def act(kind: str, what: str, **body: Any) -> bool:
            try:
                await self.fleet.control(what, **body)
            except Exception:
                result.refused += 1
                return False
            sent[kind] += 1
            return True

        async def customer(i: int, start: float) -> None:
            euid = f"wmMem{r:03d}x{i:05d}"
            await asyncio.sleep(start)
            for k in range(QUESTIONS):
                if await act("kf", "kf/customer_says", open_kfid=SEED_KF,
                             external_userid=euid, text=QUESTION.format(k)) and k == 0:
                    asked.append(euid)
                await asyncio.sleep(2.0 * self.rng.uniform(0.8, 1.2))

        async def contact(j: int, at: float) -> None:
            await asyncio.sleep(at)
            await act("contacts", "contact/add", userid=STAFF[j % len(STAFF)],
                      external_userid=f"wmMemNew{r:03d}x{j:05d}")

        async def staff(j: int, at: float) -> None:
            await asyncio.sleep(at)
            await act("staff", "app/staff_says", userid=STAFF[j % len(STAFF)], text="帮助")

        async def order(j: int, at: float) -> None:
            await asyncio.sleep(at)
            if not asked:
                return
            no = f"MEM{r:03d}{j:05d}"
            body = {"order_no": no,
                    "customer": {"external_userid": self.rng.choice(asked),
                                 "open_kfid": SEED_KF},
                    "team": {"specialist": STAFF[0], "designer": STAFF[1],
                             "installer": STAFF[2]}}
            if await self._api("POST", "/api/v1/orders", body) and await self._api(
                    "POST", f"/api/v1/orders/{no}/milestones",
                    {"milestone": "签约", "event_id": f"mem-{no}", "note": "合同已签"}):
                sent["orders"] += 1
            else:
                result.refused += 1

        n = self.seconds
        # A customer asks QUESTIONS questions over ~2 s each: start them over the round so
        # the question rate is even, the last ones finishing a few seconds after it.
        customers = max(1, round(self.rates.kf * n / QUESTIONS))
        span = max(0.0, n - 2.0 * QUESTIONS)
        await asyncio.gather(
            *(customer(i, span * i / customers) for i in range(customers)),
            *(contact(j, self.rng.uniform(0, n)) for j in range(round(self.rates.contacts * n))),
            *(staff(j, self.rng.uniform(0, n)) for j in range(round(self.rates.staff * n))),
            *(order(j, self.rng.uniform(n / 4, n)) for j in range(round(self.rates.orders * n))),
        )
        return result

    async def _api(self, method: str, path: str, body: dict[str, Any]) -> bool:
        assert self.fleet.http is not None
        async with self.fleet.http.request(
                method, f"http://127.0.0.1:{self.fleet.port}{path}", json=body,
                headers={"Authorization": f"Bearer {self.token}"}) as resp:
            return resp.status < 300


def _conns(c: tuple[int, int]) -> str:
    return f"{c[0]}/{c[1]}"


def slope(values: list[float]) -> float:
    """Least-squares growth per step."""
    n = len(values)
    if n < 2:
        return 0.0
    mx, my = (n - 1) / 2, sum(values) / n
    num = sum((i - mx) * (v - my) for i, v in enumerate(values))
    den = sum((i - mx) ** 2 for i in range(n))
    return num / den


async def reports(fleet: Fleet, folder: Path, count: int) -> None:
    """SIGUSR2 to every traced process; wait for their ``count``-th report."""
    names = [n for n in fleet.procs if n != "sandbox"]
    for name in names:
        fleet.procs[name].send_signal(signal.SIGUSR2)
    deadline = time.monotonic() + 600  # a traced process under load reports slowly
    for name in names:
        pid = fleet.procs[name].pid
        while not _has_report(folder, pid, count):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name}: no memory report {count}")
            await asyncio.sleep(0.5)


def _has_report(folder: Path, pid: int, count: int) -> bool:
    return any(folder.glob(f"wecom-bot-*-{pid}-{count:03d}.txt"))


def print_report_heads(fleet: Fleet, folder: Path, lines: int) -> None:
    for name, proc in fleet.procs.items():
        if name == "sandbox":
            continue
        found = sorted(folder.glob(f"wecom-bot-*-{proc.pid}-*.txt"))
        if not found:
            continue
        text = found[-1].read_text(encoding="utf-8").splitlines()
        print(f"\n--- {name}: {found[-1]} (first {lines} lines) ---")
        print("\n".join(text[:lines]))


async def run(args: argparse.Namespace) -> int:
    rates = Rates(kf=args.kf_rate, contacts=args.contact_rate, staff=args.staff_rate,
                  orders=args.order_rate)
    stack = Stack()
    report_dir = Path(args.reports) if args.reports else stack.folder / "reports"
    rounds: list[Round] = []
    fleet: Fleet | None = None
    try:
        await stack.start()
        db_url = await stack.pg.create_database("memory")
        folder = stack.folder / "fleet"
        folder.mkdir()
        fleet = Fleet(folder, db_url, stack.redis.url, workers=args.workers)
        if args.trace:
            fleet.start_timeout = 120.0  # tracing every allocation slows the start
            fleet.env = {**fleet.env, "WECOM_BOT_TRACEMALLOC": str(args.trace),
                         "WECOM_BOT_TRACEMALLOC_DIR": str(report_dir)}
        rules = folder / "rules.yaml"
        rules.write_text(rules_yaml(), encoding="utf-8")
        await fleet.start()
        await fleet.command("rules", "import", str(rules), "--replace")
        token = await admin_token(fleet)
        await asyncio.sleep(1.0)
        names = [n for n in fleet.procs if n != "sandbox"]
        start_rss = {n: rss_of(fleet.procs[n].pid) for n in names}
        ports = (stack.pg.port, stack.redis.port)
        driver = Driver(fleet, token, rates, args.round_seconds, random.Random(args.seed))
        print(f"{args.rounds} rounds of {args.round_seconds:.0f} s: kf {rates.kf}/s, contacts "
              f"{rates.contacts}/s, staff {rates.staff}/s, orders {rates.orders}/s; "
              f"{args.workers} workers" + (f"; tracemalloc {args.trace} frames" if args.trace
                                           else ""), flush=True)
        print("RSS MB at start: " + "  ".join(f"{n} {v / MB:.1f}" for n, v in start_rss.items()),
              flush=True)
        head = (f"{'round':>5}{'kf':>6}{'contacts':>9}{'staff':>6}{'orders':>7}{'refused':>8}"
                f"{'sent':>6}{'settle s':>9}" + "".join(f"{n:>10}{'pg/redis':>10}"
                                                        for n in names))
        print(head, flush=True)
        delivered = 0
        for r in range(args.rounds):
            row = await driver.round(r)
            t0 = time.monotonic()
            while time.monotonic() - t0 < args.settle_limit:
                try:
                    if await pending(db_url) == 0:
                        row.settle = time.monotonic() - t0
                        break
                except Exception:  # the database is busy: look again
                    pass
                await asyncio.sleep(0.5)
            await asyncio.sleep(args.quiet)  # in-flight work and its garbage go
            total = sum((await sent_by_api(db_url)).values())
            row.delivered, delivered = total - delivered, total
            exited = fleet.exited()
            if exited:
                raise RuntimeError(f"processes exited: {exited}")
            row.rss = {n: rss_of(fleet.procs[n].pid) for n in names}
            row.conns = {n: connections_of(fleet.procs[n].pid, ports) for n in names}
            rounds.append(row)
            settle = f"{row.settle:.1f}" if row.settle is not None else "-"
            print(f"{r:>5}{row.sent['kf']:>6}{row.sent['contacts']:>9}{row.sent['staff']:>6}"
                  f"{row.sent['orders']:>7}{row.refused:>8}{row.delivered:>6}{settle:>9}"
                  + "".join(f"{row.rss[n] / MB:>10.1f}{_conns(row.conns[n]):>10}"
                            for n in names), flush=True)
            if args.trace:
                await reports(fleet, report_dir, r + 1)
        ok = summary(rounds, names, args.warmup, args.trace)
        if args.trace:
            print_report_heads(fleet, report_dir, args.report_lines)
            print(f"\nreports: {report_dir}")
        return 0 if ok else 1
    finally:
        if fleet is not None:
            await fleet.stop()
        await stack.stop()


def summary(rounds: list[Round], names: list[str], warmup: int, traced: int) -> bool:
    measured = rounds[warmup:]
    if len(measured) < 4:
        print(f"\nfewer than 4 rounds after {warmup} of warm-up: no verdict")
        return False
    half = measured[len(measured) // 2:]
    print(f"\ngrowth per round after {warmup} warm-up rounds (least squares), MB; goal: "
          f"last {len(half)} rounds <= {GOAL_MB_PER_ROUND} MB/round per process")
    print(f"{'process':<10}{'first':>8}{'last':>8}{'all':>8}{'last half':>10}  goal")
    ok = True
    for n in names:
        values = [r.rss[n] / MB for r in measured]
        tail = [r.rss[n] / MB for r in half]
        met = slope(tail) <= GOAL_MB_PER_ROUND
        ok = ok and met
        print(f"{n:<10}{values[0]:>8.1f}{values[-1]:>8.1f}{slope(values):>8.2f}"
              f"{slope(tail):>10.2f}  {'met' if met else 'MISSED'}")
    unsettled = [r.index for r in rounds if r.settle is None]
    if unsettled:
        print(f"rounds that did not settle: {unsettled} (their RSS includes a backlog)")
    if traced:
        print("(traced: RSS includes tracemalloc's own memory; judge RSS without --trace)")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--round-seconds", type=float, default=30.0)
    parser.add_argument("--warmup", type=int, default=3, help="rounds before measuring growth")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kf-rate", type=float, default=20.0, help="kf questions per second")
    parser.add_argument("--contact-rate", type=float, default=3.0)
    parser.add_argument("--staff-rate", type=float, default=10.0)
    parser.add_argument("--order-rate", type=float, default=0.5)
    parser.add_argument("--settle-limit", type=float, default=60.0)
    parser.add_argument("--quiet", type=float, default=3.0,
                        help="seconds after settling before RSS is read")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--trace", type=int, default=0, metavar="FRAMES",
                        help="run the processes with tracemalloc (FRAMES per allocation) and "
                             "write a report after every round")
    parser.add_argument("--reports", default="", help="folder for the reports (default: "
                        "inside the run's temporary folder, removed at the end)")
    parser.add_argument("--report-lines", type=int, default=60)
    args = parser.parse_args(argv)
    if args.trace and not args.reports:
        args.reports = str(Path.cwd() / "memory-reports")
    if args.reports:
        args.reports = str(Path(args.reports).resolve())
    return loop.run(_stoppable(run(args)))


async def _stoppable(main: Any) -> int:
    """SIGTERM as SIGINT: the run is cancelled and its processes and servers stopped."""
    task = asyncio.ensure_future(main)
    loop = asyncio.get_running_loop()

    def stop() -> None:  # once: a second cancel would cut the clean-up short
        loop.remove_signal_handler(signal.SIGTERM)
        loop.add_signal_handler(signal.SIGTERM, lambda: None)
        task.cancel()

    loop.add_signal_handler(signal.SIGTERM, stop)
    try:
        return int(await task)
    except asyncio.CancelledError:
        print("stopped", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
