"""Fault battery: production mode as separate processes, one fault per run, under a mixed burst.

    .venv/bin/python bench/faults.py [--quick] [--faults none,kill-worker,...] [--seed N]

Per fault a fresh deploy starts (a database of its own on a private PostgreSQL cluster, a
private Redis emptied, ``wecom-bot sandbox`` as WeCom retrying callbacks 3 times 5 s apart,
or 1 s apart where the fault needs WeCom to give up (``RETRY_DELAY``), one ``serve``, two
``worker``); a burst runs through the sandbox's control API (kf customers
asking a question every ~2 s, new contacts, staff writing 帮助) and the fault hits at t = 8 s.
Everything is then measured from the sandbox's records (what WeCom delivered, gave up on,
and what people received) and the database:

- sent / acked / gave up: callbacks WeCom started, got a 200 for, stopped retrying;
- stored: acknowledged callbacks whose event is in the inbox (the rest are lost);
- processed: inbox rows handled, of all rows (pulled kf messages included);
- twice: a kf reply, a welcome or a staff answer received more than once;
- lost: a kf question without its answer (the kf budget's share also shown apart), a staff
  message acknowledged but unanswered, a new contact neither welcomed nor given up by WeCom;
- order: kf customers whose answers came in another order than their questions;
- welcomes: welcomed of new contacts, and why the others were not; a new contact whose
  callback WeCom gave up on is shown apart, with whether reconciliation found it again
  (its record made, its member told to greet in person): the row settles only once it has;
- settle: seconds from recovery (or the burst's end, if later) until nothing is pending
  and every outcome is in.

Goal on every row: 0 lost, 0 twice, 0 out of order, settled within 30 s. Exits 1 when a row
misses it. ``--quick`` (the test command's form): a few hundred events, kill -9 of a worker
and a Redis restart.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loop  # noqa: E402  (the loop serve and worker run on)
from tests.harness.fleet import Fleet, Stack  # noqa: E402

SETTLE_GOAL = 30.0
FAULT_AT = 8.0
SEED_KF = "wkSandbox0000000000000000000001"
STAFF = ("zhangwei", "lina", "wangqiang", "liuyang")
QUESTION, ANSWER = "演练问题{:02d}", "演练答复{:02d}"


def rules_yaml(n: int) -> str:
    """One rule per question number, each with an answer of its own, so that the order of
    the answers a customer gets shows the order they were sent in."""
    rules = "".join(
        f'  - id: drill-{k:02d}\n    name: 演练{k:02d}\n    priority: 100\n'
        f'    channels: [kefu]\n    when:\n      exact: ["{QUESTION.format(k)}"]\n'
        f'    action: reply\n    replies:\n      messages:\n'
        f'        - text: "{ANSWER.format(k)}"\n'
        for k in range(n))
    return "rules:\n" + rules


@dataclass
class Load:
    customers: int
    questions: int
    contacts: int
    staff_messages: int
    # Orders with their groups bound before the burst; each gets a milestone during it. Kept
    # so each member stays within WeCom's 30 app messages a minute (binding and milestone
    # cards, QR and confirm requests), which would otherwise only make them wait.
    orders: int = 0
    spacing: float = 2.0  # seconds between one customer's questions


FULL = Load(customers=60, questions=8, contacts=60, staff_messages=30, orders=12)
QUICK = Load(customers=30, questions=6, contacts=30, staff_messages=12, orders=4)
MILESTONE = "签约"


# -- the faults -----------------------------------------------------------------------------
# Each injects at t = FAULT_AT, recovers, and returns when recovery finished.

Fault = Callable[[Fleet, Stack], Awaitable[None]]


async def no_fault(fleet: Fleet, stack: Stack) -> None:
    return None


async def kill_worker(fleet: Fleet, stack: Stack) -> None:
    await fleet.kill("worker0")
    await asyncio.sleep(2.0)
    await fleet.start_worker(0)


async def kill_serve(fleet: Fleet, stack: Stack) -> None:
    await fleet.kill("serve")
    await asyncio.sleep(2.0)
    await fleet.start_serve()


async def redis_restart(fleet: Fleet, stack: Stack) -> None:
    await stack.redis.stop()  # killed: it comes back empty
    await asyncio.sleep(3.0)
    await stack.redis.start()


async def pg_restart(fleet: Fleet, stack: Stack) -> None:
    await stack.pg.stop("fast")
    await asyncio.sleep(3.0)
    await stack.pg.start()


async def pg_crash(fleet: Fleet, stack: Stack) -> None:
    await stack.pg.stop("immediate")
    await asyncio.sleep(3.0)
    await stack.pg.start()


async def pg_outage(fleet: Fleet, stack: Stack) -> None:
    # Longer than WeCom's retries (this row's sandbox retries 1 s apart): WeCom gives up on
    # what it sends meanwhile, and reconciliation reads the new contacts back.
    await stack.pg.stop("immediate")
    await asyncio.sleep(6.0)
    await stack.pg.start()


async def wecom_faults(fleet: Fleet, stack: Stack) -> None:
    # 20 % of API calls fail (-1, HTTP 503) for 8 s, after a burst of 45009s.
    await fleet.control("faults", error_rate=0.1, http5xx_rate=0.1, rate_limit_burst=20,
                        seed=7)
    await asyncio.sleep(8.0)
    await fleet.control("faults")


async def wecom_retries(fleet: Fleet, stack: Stack) -> None:
    # For 8 s WeCom loses 30 % of our answers and sends those callbacks again.
    await fleet.control("faults", callback_lost_rate=0.3, seed=7)
    await asyncio.sleep(8.0)
    await fleet.control("faults")


FAULTS: dict[str, Fault] = {
    "none": no_fault, "kill-worker": kill_worker, "kill-serve": kill_serve,
    "redis-restart": redis_restart, "pg-restart": pg_restart, "pg-crash": pg_crash,
    "pg-outage": pg_outage, "wecom-faults": wecom_faults, "wecom-retries": wecom_retries,
}
# The sandbox's pause between a callback's retries, where a fault needs WeCom's own pace
# (3 retries 1 s apart: it gives up after ~3 s of failures); the others get 5 s.
RETRY_DELAY = {"pg-outage": 1.0}
QUICK_FAULTS = ("kill-worker", "redis-restart")


# -- the burst --------------------------------------------------------------------------------


@dataclass
class Sent:
    questions: dict[str, int] = field(default_factory=dict)  # customer → questions asked
    contacts: list[str] = field(default_factory=list)
    staff: Counter[str] = field(default_factory=Counter)  # staff → 帮助 sent
    refused: list[str] = field(default_factory=list)  # control calls the sandbox refused
    asked: dict[tuple[str, int], float] = field(default_factory=dict)  # (customer, k) → time
    milestones: list[dict[str, Any]] = field(default_factory=list)  # orders the API took it for


# -- orders ----------------------------------------------------------------------------------


@dataclass
class Orders:
    """Orders of the drill, made and bound before the burst, and the admin API to reach."""
    api: str
    token: str
    plan: list[dict[str, Any]] = field(default_factory=list)


async def make_orders(fleet: Fleet, n: int) -> Orders:
    """N orders, each with a team of the seed staff, a kf customer who has written (so the
    session takes the milestone's message) and a customer group bound to it."""
    token = (await fleet.command("admin", "create-token", "--name", "drill",
                                 "--role", "admin")).strip()
    orders = Orders(api=f"{fleet.serve_url(0)}/api/v1", token=token)
    assert fleet.http is not None
    headers = {"Authorization": f"Bearer {token}"}
    for i in range(n):
        no, customer = f"DRILL{i:04d}", f"wmOrder{i:04d}"
        team = {"specialist": STAFF[i % len(STAFF)], "designer": STAFF[(i + 1) % len(STAFF)],
                "installer": STAFF[(i + 2) % len(STAFF)]}
        await fleet.control("kf/customer_says", open_kfid=SEED_KF, external_userid=customer,
                            text="你好")
        async with fleet.http.post(f"{orders.api}/orders", headers=headers, json={
                "order_no": no, "customer": {"external_userid": customer, "open_kfid": SEED_KF},
                "team": team}) as r:
            if r.status != 201:
                raise RuntimeError(f"order {no}: {r.status} {await r.text()}")
        chat = (await fleet.control("groups/create", owner=team["specialist"],
                                    name=f"{no} 服务群"))["chat_id"]
        async with fleet.http.post(f"{orders.api}/orders/{no}/group", headers=headers,
                                   json={"chat_id": chat}) as r:
            if r.status not in (200, 201):
                raise RuntimeError(f"bind {no}: {r.status} {await r.text()}")
        orders.plan.append({"order_no": no, "customer": customer, "chat_id": chat, **team})
    return orders


async def record_milestone(fleet: Fleet, orders: Orders, order: dict[str, Any]) -> bool:
    """POST the milestone as an ERP would: again on a failure (a serve down), with the same
    event id, until the API takes it (or half a minute has passed)."""
    assert fleet.http is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            async with fleet.http.post(
                    f"{orders.api}/orders/{order['order_no']}/milestones",
                    headers={"Authorization": f"Bearer {orders.token}"},
                    json={"milestone": MILESTONE, "event_id": f"drill-{order['order_no']}"},
                    timeout=aiohttp.ClientTimeout(total=10)) as r:
                if r.status == 201:
                    return True
        except (aiohttp.ClientError, TimeoutError):
            pass
        await asyncio.sleep(1.0)
    return False


async def burst(fleet: Fleet, load: Load, rng: random.Random,
                orders: Orders | None = None) -> Sent:
    sent = Sent()
    length = load.questions * load.spacing

    async def act(what: str, **body: Any) -> bool:
        try:
            await fleet.control(what, **body)
            return True
        except Exception as exc:  # counted, not hidden: the row shows it
            sent.refused.append(f"{what}: {exc}")
            return False

    async def customer(i: int) -> None:
        euid = f"wmDrill{i:04d}"
        await asyncio.sleep(rng.uniform(0, load.spacing))
        for k in range(load.questions):
            sent.asked[(euid, k)] = time.time()  # the sandbox's clock: the wall clock
            if await act("kf/customer_says", open_kfid=SEED_KF, external_userid=euid,
                         text=QUESTION.format(k)):
                sent.questions[euid] = k + 1
            await asyncio.sleep(load.spacing * rng.uniform(0.8, 1.2))

    async def contact(j: int) -> None:
        await asyncio.sleep(rng.uniform(0, length))
        euid = f"wmNew{j:04d}"
        if await act("contact/add", userid=STAFF[j % len(STAFF)], external_userid=euid):
            sent.contacts.append(euid)

    async def staff(j: int) -> None:
        await asyncio.sleep(rng.uniform(0, length))
        who = STAFF[j % len(STAFF)]
        if await act("app/staff_says", userid=who, text="帮助"):
            sent.staff[who] += 1

    async def milestone(made: Orders, order: dict[str, Any]) -> None:
        await asyncio.sleep(rng.uniform(0, length))
        if await record_milestone(fleet, made, order):
            sent.milestones.append(order)
        else:
            sent.refused.append(f"milestone {order['order_no']}: not taken")

    await asyncio.gather(*(customer(i) for i in range(load.customers)),
                         *(contact(j) for j in range(load.contacts)),
                         *(staff(j) for j in range(load.staff_messages)),
                         *(milestone(orders, o) for o in orders.plan) if orders else ())
    return sent


# -- measuring --------------------------------------------------------------------------------


@dataclass
class Row:
    fault: str
    sent: int = 0
    acked: int = 0
    gave_up: int = 0
    stored: int = 0
    unstored: int = 0  # acknowledged, not in the inbox
    rows: int = 0
    processed: int = 0
    twice: int = 0
    lost: int = 0
    budget: int = 0
    order: int = 0
    welcomed: int = 0
    contacts: int = 0
    gave_up_contacts: int = 0  # new contacts whose callback WeCom gave up on
    reconciled: int = 0  # of those, found again by reconciliation (record made, member told)
    why: Counter[str] = field(default_factory=Counter)
    staff: str = ""
    # Milestones: orders whose every notice (team cards, the owner's confirm request, the
    # group task, the customer's kf message) arrived exactly once, of those the API took.
    milestones: str = ""
    notices_missing: Counter[str] = field(default_factory=Counter)  # by kind of notice
    settle: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (not self.lost and not self.twice and not self.order
                and self.settle is not None and self.settle <= SETTLE_GOAL)


def _event_of(plaintext: str) -> tuple[str, dict[str, Any]]:
    """The inbox key the service files this callback under, and its fields."""
    from bot.protocol.events.parsing import dedupe_key, parse
    from bot.protocol.safexml import parse_xml

    return dedupe_key(parse(plaintext, fmt="xml"), plaintext), dict(parse_xml(plaintext))


async def _db(url: str, query: str) -> list[Any]:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://"), timeout=3)
    try:
        return list(await conn.fetch(query))
    finally:
        await conn.close()


async def measure(fleet: Fleet, db_url: str, sent: Sent, row: Row) -> bool:
    """Fill ``row`` from the sandbox's records and the database; True once settled."""
    deliveries = await fleet.read("deliveries")
    inboxes: dict[str, list[dict[str, Any]]] = await fleet.read("inboxes")
    keys = {r["dedupe_key"]: r["status"]
            for r in await _db(db_url, "SELECT dedupe_key, status FROM inbox_event")}
    outbox_pending = (await _db(
        db_url, "SELECT count(*) AS n FROM outbox_message WHERE status = 'pending'"))[0]["n"]
    outcomes = {r["external_userid"]: (r["outcome"], r["errcode"]) for r in await _db(
        db_url, "SELECT external_userid, outcome, errcode FROM welcome_outcome")}
    reconciled = {r["external_userid"] for r in await _db(
        db_url, "SELECT external_userid FROM missed_event WHERE kind = 'contact_add' AND "
        "done_at IS NOT NULL")}
    budget_refs = {(r["conversation"].rsplit(":", 1)[-1], r["content"]) for r in await _db(
        db_url, "SELECT i.conversation, i.content FROM conversation_message i WHERE "
        "i.direction = 'in' AND (i.action = 'escalate:budget' OR EXISTS (SELECT 1 FROM "
        "conversation_message o WHERE o.ref = 'kf:' || i.msgid AND o.direction = 'out' "
        "AND o.fail_type = 6))")}

    row.sent = len(deliveries)
    row.acked = sum(d["status"] == "delivered" for d in deliveries)
    row.gave_up = sum(d["status"] == "failed" for d in deliveries)
    pending_deliveries = sum(d["status"] == "pending" for d in deliveries)
    row.rows, row.processed = len(keys), sum(s == "done" for s in keys.values())
    contact_delivery: dict[str, str] = {}
    staff_acked: Counter[str] = Counter()
    row.stored = row.unstored = 0
    for d in deliveries:
        key, fields = _event_of(d["plaintext"])
        if d["status"] == "delivered":
            if key in keys:
                row.stored += 1
            else:
                row.unstored += 1
        if fields.get("ChangeType") == "add_external_contact":
            contact_delivery[str(fields.get("ExternalUserID"))] = d["status"]
        if fields.get("MsgType") == "text" and d["status"] == "delivered":
            staff_acked[str(fields.get("FromUserName"))] += 1

    # kf: one answer per question, in the order asked.
    row.twice = row.lost = row.budget = row.order = 0
    for euid, asked in sent.questions.items():
        expected = [ANSWER.format(k) for k in range(asked)]
        got = [str((m.get("payload") or {}).get("content", "")) for m in inboxes.get(euid, [])
               if m.get("channel") == "kf"]
        got = [g for g in got if g.startswith("演练答复")]
        counts = Counter(got)
        row.twice += sum(n - 1 for n in counts.values() if n > 1)
        for k, answer in enumerate(expected):
            if answer not in counts:
                if (euid, QUESTION.format(k)) in budget_refs:
                    row.budget += 1
                else:
                    row.lost += 1
        firsts = list(dict.fromkeys(got))
        if firsts != [a for a in expected if a in counts]:
            row.order += 1
    row.lost += row.budget + row.unstored

    # New contacts: welcomed once, or why not. One whose callback WeCom gave up on can only
    # be found again by reconciliation (its welcome code went with the callback).
    row.contacts, row.welcomed, row.why = len(sent.contacts), 0, Counter()
    row.gave_up_contacts = row.reconciled = 0
    for euid in sent.contacts:
        welcomes = [m for m in inboxes.get(euid, []) if m.get("channel") == "welcome"]
        row.twice += max(0, len(welcomes) - 1)
        if welcomes:
            row.welcomed += 1
            row.twice += euid in reconciled  # welcomed and reconciled: done twice
            continue
        status = contact_delivery.get(euid)
        if status == "failed":
            row.gave_up_contacts += 1
            if euid in reconciled:
                row.reconciled += 1
                row.why["WeCom gave up, reconciled (record made, member told)"] += 1
            else:
                row.why["WeCom gave up, not reconciled (yet)"] += 1
            continue
        outcome = outcomes.get(euid)
        reason = ("not processed" if outcome is None
                  else f"{outcome[0]}" + (f" {outcome[1]}" if outcome[1] else ""))
        row.why[reason] += 1
        row.lost += 1

    # Staff: a passive answer per acknowledged 帮助.
    answered = 0
    for who in sent.staff:
        replies = [m for m in inboxes.get(who, []) if m.get("channel") == "app_reply"]
        answered += len(replies)
        row.twice += max(0, len(replies) - staff_acked[who])
        row.lost += max(0, staff_acked[who] - len(replies))
    row.staff = f"{answered}/{sum(sent.staff.values())}"

    # Milestones: each notice of each order once.
    collecting = 0
    if sent.milestones:
        tasks = await fleet.read("tasks")
        collecting = (await _db(db_url, "SELECT count(*) AS n FROM order_group_notice "
                                "WHERE status = 'collecting'"))[0]["n"]
        complete = 0
        row.notices_missing = Counter()
        for order in sent.milestones:
            notices = _milestone_notices(order, inboxes, tasks)
            row.twice += sum(max(0, n - 1) for n in notices.values())
            missing = [what for what, n in notices.items() if n == 0]
            row.lost += len(missing)
            row.notices_missing.update(missing)
            complete += not missing and all(n == 1 for n in notices.values())
        row.milestones = f"{complete}/{len(sent.milestones)}"

    welcomes_open = sum(1 for e in sent.contacts if outcomes.get(e, ("",))[0] == "pending")
    return (pending_deliveries == 0 and collecting == 0 and row.processed == row.rows
            and outbox_pending == 0 and welcomes_open == 0 and row.lost == 0
            and row.reconciled == row.gave_up_contacts)


def _milestone_notices(order: dict[str, Any], inboxes: dict[str, list[dict[str, Any]]],
                      tasks: list[dict[str, Any]]) -> dict[str, int]:
    """How many times each of one order's milestone notices arrived."""
    no = order["order_no"]
    title = f"订单 {no}：{MILESTONE}"
    got: dict[str, int] = {}
    for role in ("specialist", "designer", "installer"):
        got[f"card {role}"] = sum(
            1 for m in inboxes.get(order[role], []) if m.get("channel") == "app"
            and (m.get("payload") or {}).get("title") == title)
    mine = [t for t in tasks if order["chat_id"] in t["targets"]]
    got["group task"] = len(mine)
    got["confirm request"] = sum(
        1 for m in inboxes.get(order["specialist"], []) if m.get("channel") == "app"
        and (m.get("payload") or {}).get("title") == f"请确认群发：订单 {no}")
    got["kf message"] = sum(
        1 for m in inboxes.get(order["customer"], []) if m.get("channel") == "kf"
        and MILESTONE in str((m.get("payload") or {}).get("content", "")))
    return got


@contextlib.asynccontextmanager
async def deployed(stack: Stack, name: str, database: str, load: Load, *, workers: int = 2,
                   serves: int = 1, retry_delay: float = 5.0) -> AsyncIterator[tuple[Fleet, str]]:
    """A fresh deploy on ``stack`` (a database of its own, Redis emptied), the drill's rules
    loaded: the fleet and its database URL; stopped on the way out."""
    db_url = await stack.pg.create_database(database)
    await stack.redis.stop()
    await stack.redis.start()
    folder = stack.folder / name
    folder.mkdir()
    fleet = Fleet(folder, db_url, stack.redis.url, workers=workers, serves=serves,
                  callback_retry_delay=retry_delay)
    rules = folder / "rules.yaml"
    rules.write_text(rules_yaml(load.questions), encoding="utf-8")
    try:
        await fleet.start()
        await fleet.command("rules", "import", str(rules), "--replace")
        await asyncio.sleep(1.0)  # every process has the rules (they are also told at once)
        yield fleet, db_url
    finally:
        await fleet.stop()


async def settle(fleet: Fleet, db_url: str, sent: Sent, row: Row, since: float,
                 settle_limit: float) -> None:
    """Measure into ``row`` until everything is settled (``row.settle``: seconds after
    ``since``) or ``settle_limit`` has passed; what is still open goes to the notes."""
    deadline = since + settle_limit
    while True:
        try:
            settled = await measure(fleet, db_url, sent, row)
        except Exception as exc:  # the database still recovering: look again
            row.notes.append(f"measure: {type(exc).__name__}")
            settled = False
        if settled:
            row.settle = time.monotonic() - since
            break
        if time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    if row.settle is not None:
        await asyncio.sleep(2.0)  # a late second answer would show now
        await measure(fleet, db_url, sent, row)
    if row.settle is None:  # what is still open, for the report
        left = await _db(db_url, "SELECT event_type, attempts, last_error, "
                         "received_at, enqueued_at FROM inbox_event WHERE status <> 'done'"
                         " ORDER BY id LIMIT 5")
        row.notes += [f"open: {dict(r)}" for r in left]
    exited = fleet.exited()
    if exited:
        row.notes.append(f"exited on their own: {exited}")


async def run_fault(name: str, stack: Stack, load: Load, seed: int, index: int,
                    settle_limit: float) -> Row:
    row = Row(name)
    async with deployed(stack, name, f"faults_{index}", load,
                        retry_delay=RETRY_DELAY.get(name, 5.0)) as (fleet, db_url):
        rng = random.Random(seed)
        orders = await make_orders(fleet, load.orders) if load.orders else None
        started = time.monotonic()

        async def inject() -> float:
            await asyncio.sleep(FAULT_AT)
            await FAULTS[name](fleet, stack)
            return time.monotonic()

        sent, recovered = await asyncio.gather(burst(fleet, load, rng, orders), inject())
        since = max(recovered, time.monotonic())
        row.notes += sent.refused[:3]
        await settle(fleet, db_url, sent, row, since, settle_limit)
        row.notes.append(f"burst {since - started:.0f} s")
    return row


def render(rows: list[Row]) -> str:
    head = (f"{'fault':<14}{'sent':>6}{'acked':>6}{'gave up':>8}{'stored':>7}{'proc':>10}"
            f"{'twice':>6}{'lost':>5}{'budget':>7}{'order':>6}{'welcomed':>9}{'staff':>7}"
            f"{'settle s':>9}  goal")
    lines = [head]
    for r in rows:
        settle = f"{r.settle:.1f}" if r.settle is not None else f">{SETTLE_GOAL:.0f}"
        lines.append(
            f"{r.fault:<14}{r.sent:>6}{r.acked:>6}{r.gave_up:>8}{r.stored:>7}"
            f"{f'{r.processed}/{r.rows}':>10}{r.twice:>6}{r.lost:>5}{r.budget:>7}{r.order:>6}"
            f"{f'{r.welcomed}/{r.contacts}':>9}{r.staff:>7}{r.milestones or '-':>7}{settle:>9}  "
            f"{'met' if r.ok else 'MISSED'}")
        if r.why:
            lines.append(f"{'':<14}welcomes not sent: "
                         + ", ".join(f"{n} {why}" for why, n in r.why.most_common()))
        if r.notices_missing:
            lines.append(f"{'':<14}milestone notices missing: "
                         + ", ".join(f"{n} {what}" for what, n in r.notices_missing.items()))
        if r.gave_up_contacts:
            lines.append(f"{'':<14}new contacts WeCom gave up on: {r.gave_up_contacts}, "
                         f"reconciled {r.reconciled}")
    return "\n".join(lines)


async def run(faults: list[str], load: Load, seed: int, settle_limit: float,
              verbose: bool = False) -> list[Row]:
    stack = Stack()
    rows = []
    try:
        await stack.start()
        for i, name in enumerate(faults):
            row = await run_fault(name, stack, load, seed, i, settle_limit)
            rows.append(row)
            if verbose:
                print(render([row]).splitlines()[1], *row.notes, sep="\n    ", flush=True)
    finally:
        await stack.stop()
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="a few hundred events, two faults (the test command's form)")
    parser.add_argument("--faults", default=None,
                        help=f"comma-separated, of: {', '.join(FAULTS)}")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    load = QUICK if args.quick else FULL
    faults = (args.faults.split(",") if args.faults
              else list(QUICK_FAULTS if args.quick else FAULTS))
    unknown = [f for f in faults if f not in FAULTS]
    if unknown:
        parser.error(f"unknown fault(s): {', '.join(unknown)}")
    # Waiting past the goal tells by how much a row missed it.
    rows = loop.run(run(faults, load, args.seed, settle_limit=SETTLE_GOAL * 2,
                        verbose=True))
    print(f"\n{load.customers} kf customers x {load.questions} questions ~{load.spacing:.0f} s "
          f"apart, {load.contacts} new contacts, {load.staff_messages} staff messages, "
          f"{load.orders} milestones (orders: every notice once); fault "
          f"at t = {FAULT_AT:.0f} s; goal: 0 lost, 0 twice, 0 out of order, settled <= "
          f"{SETTLE_GOAL:.0f} s after recovery")
    print(render(rows))
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
