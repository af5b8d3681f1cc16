"""Where a kf message's time goes: the moments each customer message passes, across processes.

``install()`` wraps, in whichever process runs it (the bench with the sandbox and ``serve``, a
worker), the functions a kf message passes through on its way to its reply, and notes the
wall-clock moment each one is reached for each customer:

    asked     the sandbox takes the customer's message (and calls the service back)
    pulled    ``kf/sync_msg`` returned it to the puller
    stored    the pull's batch is in the inbox (the handlers start from here)
    deciding  the decision begins (its conversation lock is held)
    decided   the decision is stored (its reply planned in the outbox)
    answered  the sandbox handed the reply to the customer (inside ``kf/send_msg``)

``collect()`` returns this process's moments since the last call; with ``BENCH_PROBE_DIR``
set, SIGUSR1 (the probe's signal) also writes them to ``<dir>/<pid>-<n>.stages``.
``report()`` pairs the moments of each customer's messages in order (in the bench a customer
has one message under way at a time) and prints, for each step, the mean, median and 90th
percentile in ms. The clocks of processes on one machine agree well within a millisecond.

Timings, unlike the probe's counts, move with the machine's load: compare runs taken
alternately, and look at where the time is, not at its absolute size.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

STAGES = ("asked", "pulled", "stored", "deciding", "decided", "answered")
_moments: list[tuple[str, str, float]] = []  # (stage, customer, unix time)
_installed = False
_dumps = 0


def _note(stage: str, customer: Any) -> None:
    if customer:
        _moments.append((stage, str(customer), time.time()))


def install() -> None:
    """Start noting moments in this process (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    from bot.conversations import kefu, kefu_store
    from bot.pipeline.pullers import kf_sync
    from bot.wecom.api_kf import KfAPI
    from sandbox.corp import Corp
    from sandbox.kf_sessions import KfSessions

    says = KfSessions.customer_says

    async def customer_says(self: Any, open_kfid: str, external_userid: str, *args: Any,
                            **kwargs: Any) -> Any:
        _note("asked", external_userid)
        return await says(self, open_kfid, external_userid, *args, **kwargs)

    KfSessions.customer_says = customer_says  # type: ignore[method-assign]
    sync = KfAPI.kf_sync_msg

    async def kf_sync_msg(self: Any, **kwargs: Any) -> Any:
        res = await sync(self, **kwargs)
        for item in res.get("msg_list") or []:
            if isinstance(item, dict) and item.get("origin") == 3:
                _note("pulled", item.get("external_userid"))
        return res

    KfAPI.kf_sync_msg = kf_sync_msg  # type: ignore[method-assign]
    store = kf_sync._store

    async def stored(services: Any, items: list[dict[str, Any]], cursor: Any) -> Any:
        rows = await store(services, items, cursor)
        for item in items:
            if item.get("origin") == 3:
                _note("stored", item.get("external_userid"))
        return rows

    kf_sync._store = stored
    decide = kefu._decide

    async def deciding(ports: Any, ev: Any, *args: Any) -> Any:
        _note("deciding", ev.external_userid)
        return await decide(ports, ev, *args)

    kefu._decide = deciding  # type: ignore[assignment]
    record = kefu_store.record

    async def decided(conn: Any, d: Any) -> None:
        await record(conn, d)
        _note("decided", d.conversation.external_userid)

    kefu_store.record = decided
    deliver = Corp.deliver

    def answered(self: Any, recipient: str, channel: str, *args: Any, **kwargs: Any) -> Any:
        if channel == "kf":
            _note("answered", recipient)
        return deliver(self, recipient, channel, *args, **kwargs)

    Corp.deliver = answered  # type: ignore[method-assign]
    directory = os.environ.get("BENCH_PROBE_DIR")
    if directory:
        # Written on the probe's signal, before its counts (which the bench waits for).
        counts = signal.getsignal(signal.SIGUSR1)

        def both(signum: int, frame: Any) -> None:
            dump(directory)
            if callable(counts):
                counts(signum, frame)

        signal.signal(signal.SIGUSR1, both)


def collect() -> list[tuple[str, str, float]]:
    """This process's moments since the last call."""
    out = list(_moments)
    del _moments[: len(out)]
    return out


def dump(directory: str) -> None:
    """Write ``collect()`` to ``<directory>/<pid>-<n>.stages`` (from the probe's SIGUSR1)."""
    global _dumps
    _dumps += 1
    path = Path(directory) / f"{os.getpid()}-{_dumps}.stages"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(collect()), encoding="utf-8")
    tmp.rename(path)


def read(directory: str) -> list[tuple[str, str, float]]:
    out: list[tuple[str, str, float]] = []
    for path in Path(directory).glob("*.stages"):
        out.extend(tuple(m) for m in json.loads(path.read_text(encoding="utf-8")))
    return out


def report(moments: list[tuple[str, str, float]]) -> str:
    """Each step's mean / median / 90th percentile in ms, over the messages whose every
    stage was seen once (a customer with a stage seen more or fewer times than the others,
    a retry say, is left out and counted)."""
    by: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for stage, customer, at in moments:
        by[customer][stage].append(at)
    steps: dict[str, list[float]] = defaultdict(list)
    seen = [s for s in STAGES if any(s in stages for stages in by.values())]
    left_out = 0
    for stages in by.values():
        lists = [sorted(stages.get(s, [])) for s in seen]
        if len({len(v) for v in lists}) != 1:
            left_out += 1
            continue
        for k in range(len(lists[0])):
            for i in range(1, len(seen)):
                steps[f"{seen[i - 1]} → {seen[i]}"].append((lists[i][k] - lists[i - 1][k]) * 1000)
            steps[f"{seen[0]} → {seen[-1]}"].append((lists[-1][k] - lists[0][k]) * 1000)
    lines = [f"{'step':<22}{'mean ms':>9}{'p50 ms':>9}{'p90 ms':>9}"]
    for step, values in steps.items():
        values.sort()
        lines.append(f"{step:<22}{statistics.mean(values):>9.1f}"
                     f"{values[len(values) // 2]:>9.1f}{values[int(len(values) * 0.9)]:>9.1f}")
    if left_out:
        lines.append(f"(customers left out, a stage seen more often than another: {left_out})")
    return "\n".join(lines)
