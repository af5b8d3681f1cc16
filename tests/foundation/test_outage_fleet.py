"""Outages of a real deploy (separate processes, a PostgreSQL of its own stopped for real):
WeCom (the sandbox, retrying 3 times 1 s apart) gives up on a new contact's callback while
the database is down, and each time the contact is reconciled once it is back, whoever is
left to tell: serve (it refused the callback), the worker (serve was killed during the
outage, its memory of it with it), or the next serve's start (both were killed)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.harness.fleet import AVAILABLE, Fleet, Stack

pytestmark = pytest.mark.skipif(not AVAILABLE,
                                reason="needs PostgreSQL's initdb and redis-server")


async def query(url: str, sql: str, *args: Any) -> list[Any]:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://"), timeout=3)
    try:
        return list(await conn.fetch(sql, *args))
    finally:
        await conn.close()


async def until(check: Any, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        try:
            got = await check()
        except Exception:  # the database coming back
            got = None
        if got:
            return got
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.3)


@pytest.fixture
async def deploy() -> AsyncIterator[tuple[Fleet, Stack, str]]:
    stack = Stack()
    await stack.start()
    fleet: Fleet | None = None
    try:
        url = await stack.pg.create_database("outages")
        (stack.folder / "fleet").mkdir()
        fleet = Fleet(stack.folder / "fleet", url, stack.redis.url, workers=1,
                      callback_retry_delay=1.0)
        fleet.env["WECOM_BOT_RECONCILE_DELAY_SECONDS"] = "1"
        await fleet.start()
        yield fleet, stack, url
    finally:
        if fleet is not None:
            await fleet.stop()
        await stack.stop()


async def delivery_of(fleet: Fleet, euid: str) -> dict[str, Any]:
    for d in await fleet.read("deliveries"):
        if euid in d["plaintext"] and "add_external_contact" in d["plaintext"]:
            return dict(d)
    raise AssertionError(f"no callback for {euid}")


async def gave_up(fleet: Fleet, euid: str) -> None:
    async def failed() -> bool:
        return (await delivery_of(fleet, euid))["status"] == "failed"

    await until(failed, timeout=30)
    d = await delivery_of(fleet, euid)
    assert len(d["attempts"]) == 4
    assert all(a["status"] == 503 or a["error"] for a in d["attempts"]), d["attempts"]


async def reconciled(fleet: Fleet, url: str, userid: str, euid: str) -> dict[str, Any]:
    """The contact reconciled: its missed item done, its record and lost welcome, and the
    member told to greet in person (in WeCom, the sandbox)."""
    rows = await until(lambda: query(url, "SELECT m.*, o.source FROM missed_event m JOIN "
                                     "storage_outage o ON o.id = m.outage_id WHERE "
                                     "m.external_userid = $1 AND m.done_at IS NOT NULL", euid))
    (row,) = rows
    assert row["kind"] == "contact_add" and row["userid"] == userid
    assert await query(url, "SELECT 1 FROM customer_follow f JOIN customer c ON "
                       "c.id = f.customer_id WHERE c.external_userid = $1 AND f.userid = $2",
                       euid, userid)
    (outcome,) = await query(url, "SELECT outcome FROM welcome_outcome WHERE "
                             "external_userid = $1", euid)
    assert outcome["outcome"] == "callback_lost"

    async def told() -> list[Any]:
        inbox = (await fleet.read("inboxes")).get(userid, [])
        return [m for m in inbox if "亲自" in str(m.get("payload"))]

    assert len(await until(told)) == 1
    return dict(row)


async def test_outages_of_a_real_deploy_are_reconciled(
    deploy: tuple[Fleet, Stack, str],
) -> None:
    fleet, stack, url = deploy
    # A contact added before anything goes wrong: welcomed, and the inbox not empty.
    await fleet.control("contact/add", userid="zhangwei", external_userid="wmFleetBefore01")

    async def welcomed() -> bool:
        inbox = (await fleet.read("inboxes")).get("wmFleetBefore01", [])
        return any(m["channel"] == "welcome" for m in inbox)

    await until(welcomed)

    # 1. The database stops while serve runs: the callback is refused until WeCom gives up.
    await stack.pg.stop("fast")
    await fleet.control("contact/add", userid="lina", external_userid="wmFleetOutage01")
    await gave_up(fleet, "wmFleetOutage01")
    await stack.pg.start()
    first = await reconciled(fleet, url, "lina", "wmFleetOutage01")
    assert first["source"] == "serve"
    serve = await until(lambda: query(url, "SELECT * FROM storage_outage WHERE "
                                      "source = 'serve' AND lost IS NOT NULL"))
    assert serve[0]["refused"] == 1 and serve[0]["lost"] == 1

    # 2. Again, and serve is killed during the outage (its count of refusals with it): the
    # worker saw the database out too, and its window is reconciled.
    await stack.pg.stop("immediate")
    await fleet.control("contact/add", userid="wangqiang", external_userid="wmFleetOutage02")
    await gave_up(fleet, "wmFleetOutage02")
    await fleet.kill("serve")
    await asyncio.sleep(6.0)  # the worker probes every 5 s
    await stack.pg.start()
    second = await reconciled(fleet, url, "wangqiang", "wmFleetOutage02")
    assert second["source"] == "worker"
    await fleet.start_serve()  # its start-up window finds nothing more

    # 3. The worst case: serve and the worker both killed during an outage, nobody left who
    # saw it. The next serve's start covers the time since the newest stored callback.
    await until(lambda: query(url, "SELECT 1 FROM storage_outage WHERE source = 'startup' "
                              "AND reconciled_at IS NOT NULL"))
    await fleet.kill("worker0")
    await stack.pg.stop("immediate")
    await fleet.control("contact/add", userid="liuyang", external_userid="wmFleetOutage03")
    await gave_up(fleet, "wmFleetOutage03")
    await fleet.kill("serve")
    await stack.pg.start()
    await fleet.start_serve()
    await fleet.start_worker(0)
    third = await reconciled(fleet, url, "liuyang", "wmFleetOutage03")
    assert third["source"] == "startup"

    # Nothing was done twice: one reconciled item each, the first contact untouched.
    assert len(await query(url, "SELECT 1 FROM missed_event")) == 3
    for euid in ("wmFleetOutage01", "wmFleetOutage02"):
        assert len(await query(url, "SELECT 1 FROM welcome_outcome WHERE external_userid = "
                               "$1", euid)) == 1
    assert not await query(url, "SELECT 1 FROM missed_event WHERE external_userid = "
                           "'wmFleetBefore01'")
    assert not fleet.exited()
