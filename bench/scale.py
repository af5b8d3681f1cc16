"""Scale bench: the fault battery's mixed load on 1 serve + 1 worker, then on 2 serve + 2 worker.

    .venv/bin/python bench/scale.py [--customers N] [--questions K] [--contacts M]
                                    [--serves 2] [--workers 2] [--spacing S] [--seed N]

Each layout gets a fresh deploy on the same private PostgreSQL cluster and Redis
(``tests.harness.fleet``): a database of its own, ``wecom-bot sandbox`` as WeCom, the
``serve`` processes each on a port of their own, the ``worker`` processes. WeCom has one
callback URL per app; a deploy of several ``serve`` puts a load balancer behind it, which the
sandbox plays here: each callback POST (a retry too) goes to the next serve in turn. The
same load runs on both layouts, one after the other in the same run (bench/faults.py's
burst, no fault): kf customers asking a question every ~S s, each answered by a rule of its
own, new contacts to welcome, staff writing 帮助. Measured as bench/faults.py measures (the
sandbox's records and the database), per layout:

- callbacks sent / acked / stored, and the acked ones per serve (the split);
- kf replies received, and msg/s: replies over the seconds from the first question to the
  last reply; p50 / p99 reply latency: a question's send to its answer in the customer's
  inbox;
- twice, lost (a kf question unanswered, a contact not welcomed, a 帮助 unanswered), out of
  order (customers whose answers came in another order than their questions), settle;
- the throughput ratio of the second layout to the first.

Goal on every row: 0 lost, 0 twice, 0 out of order, settled; exits 1 when a row misses it.
The ratio is printed, not judged: on a 2-core machine it cannot show scaling, since every
process (PostgreSQL, Redis, the sandbox, the serves and workers, this script) shares the two
cores, and with questions paced S s apart it measures the offered rate until the machine
saturates. What a run proves is correctness with the load split across serves: no callback
lost or handled twice, and each customer's answers in order, while a customer's callbacks
reach two serve processes and their jobs two workers.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loop  # noqa: E402  (the loop serve and worker run on)
from bench.faults import (  # noqa: E402
    ANSWER,
    FULL,
    SETTLE_GOAL,
    Load,
    Row,
    Sent,
    burst,
    deployed,
    settle,
)
from tests.harness.fleet import Fleet, Stack  # noqa: E402


@dataclass
class Layout:
    serves: int
    workers: int
    row: Row
    per_serve: list[int] = field(default_factory=list)  # acked callback POSTs per serve
    replies: int = 0
    rate: float = 0.0  # kf replies per second
    latencies: list[float] = field(default_factory=list)  # seconds, question to answer

    @property
    def name(self) -> str:
        return f"{self.serves}x{self.workers}"

    @property
    def ok(self) -> bool:
        r = self.row
        return not r.lost and not r.twice and not r.order and r.settle is not None

    def percentile(self, q: int) -> float | None:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else None
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[q - 1]


def split(fleet: Fleet, deliveries: list[dict[str, Any]]) -> list[int]:
    """The callback POSTs each serve answered with 200, from the sandbox's delivery records."""
    by_url = Counter(a.get("url") for d in deliveries for a in d["attempts"]
                     if a["status"] == 200)
    return [by_url[fleet.serve_url(i)] for i in range(len(fleet.ports))]


def replies(layout: Layout, sent: Sent, inboxes: dict[str, list[dict[str, Any]]]) -> None:
    """Reply latency and throughput from when each question went out and its first answer
    reached the customer (the sandbox stamps its inbox with the wall clock)."""
    answered: list[float] = []
    for euid, asked in sent.questions.items():
        first: dict[str, float] = {}
        for m in inboxes.get(euid, []):
            if m.get("channel") == "kf":
                first.setdefault(str((m.get("payload") or {}).get("content", "")), m["at"])
        for k in range(asked):
            at = first.get(ANSWER.format(k))
            if at is not None:
                answered.append(at)
                layout.latencies.append(at - sent.asked[(euid, k)])
    layout.replies = len(answered)
    if answered and sent.asked:
        layout.rate = len(answered) / max(1e-9, max(answered) - min(sent.asked.values()))


async def run_layout(stack: Stack, load: Load, serves: int, workers: int, seed: int,
                     index: int, settle_limit: float) -> Layout:
    layout = Layout(serves, workers, Row(f"{serves}x{workers}"))
    async with deployed(stack, layout.name, f"scale_{index}", load, workers=workers,
                        serves=serves) as (fleet, db_url):
        sent = await burst(fleet, load, random.Random(seed))
        layout.row.notes += sent.refused[:3]
        await settle(fleet, db_url, sent, layout.row, time.monotonic(), settle_limit)
        layout.per_serve = split(fleet, await fleet.read("deliveries"))
        replies(layout, sent, await fleet.read("inboxes"))
    return layout


async def run(load: Load, layouts: list[tuple[int, int]], seed: int = 1,
              settle_limit: float = SETTLE_GOAL * 2) -> list[Layout]:
    """Each (serves, workers) layout in turn, the same load, on one private stack."""
    stack = Stack()
    done = []
    try:
        await stack.start()
        for i, (serves, workers) in enumerate(layouts):
            done.append(await run_layout(stack, load, serves, workers, seed, i, settle_limit))
    finally:
        await stack.stop()
    return done


def render(layouts: list[Layout]) -> str:
    head = (f"{'layout':<8}{'sent/acked/stored':>19}{'per serve':>12}{'kf replies':>11}"
            f"{'msg/s':>7}{'p50 ms':>8}{'p99 ms':>8}{'twice':>6}{'lost':>5}{'order':>6}"
            f"{'settle s':>9}  goal")
    lines = [head]
    for lay in layouts:
        r = lay.row
        p50, p99 = lay.percentile(50), lay.percentile(99)
        ms = [f"{p * 1000:.0f}" if p is not None else "-" for p in (p50, p99)]
        settle_s = f"{r.settle:.1f}" if r.settle is not None else "no"
        lines.append(
            f"{lay.name:<8}{f'{r.sent}/{r.acked}/{r.stored}':>19}"
            f"{'/'.join(map(str, lay.per_serve)):>12}{lay.replies:>11}{lay.rate:>7.1f}"
            f"{ms[0]:>8}{ms[1]:>8}{r.twice:>6}{r.lost:>5}{r.order:>6}{settle_s:>9}  "
            f"{'met' if lay.ok else 'MISSED'}")
        lines += [f"{'':<8}{note}" for note in r.notes if not note.startswith("measure:")]
    if len(layouts) == 2 and layouts[0].rate:
        a, b = layouts
        lines.append(f"throughput {b.name} / {a.name}: {b.rate / a.rate:.2f}x "
                     "(not judged: on 2 cores every process shares them)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=FULL.customers)
    parser.add_argument("--questions", type=int, default=FULL.questions)
    parser.add_argument("--contacts", type=int, default=FULL.contacts,
                        help="new contacts; half as many staff write 帮助")
    parser.add_argument("--serves", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--spacing", type=float, default=FULL.spacing,
                        help="seconds between one customer's questions")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if min(args.customers, args.questions, args.serves, args.workers) < 1:
        parser.error("--customers, --questions, --serves and --workers must be at least 1")
    load = Load(customers=args.customers, questions=args.questions, contacts=args.contacts,
                staff_messages=args.contacts // 2, spacing=args.spacing)
    layouts = loop.run(run(load, [(1, 1), (args.serves, args.workers)], args.seed))
    print(f"{load.customers} kf customers x {load.questions} questions ~{load.spacing:g} s "
          f"apart, {load.contacts} new contacts, {load.staff_messages} staff 帮助; "
          "goal: 0 lost, 0 twice, 0 out of order, settled")
    print(render(layouts))
    return 0 if all(lay.ok for lay in layouts) else 1


if __name__ == "__main__":
    raise SystemExit(main())
