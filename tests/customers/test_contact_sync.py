"""The contact sync: 5,000 contacts across 20 members read into customer records, resumed
after the run is killed, in a bounded number of WeCom calls; follows WeCom no longer has
marked gone; the first start's sync is due by itself."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable

from bot.customers import contact_sync
from bot.models import ContactSync, Customer, CustomerFollow
from bot.settings import CustomersConfig, Settings
from tests.harness.admin import Admin
from tests.harness.waiting import one, wait_for
from tests.harness.world import World, world

SYNC_APIS = ("externalcontact/get_follow_user_list", "externalcontact/batch/get_by_user")


def sync_calls(w: World) -> int:
    return sum(1 for c in w.sandbox.calls if c["path"] in SYNC_APIS)


async def _until_done(w: World) -> ContactSync:
    async def finished() -> ContactSync | None:
        if await contact_sync.run(w.services.ports) is None:
            return None  # another process has it (the worker's minutely check)
        run = await ContactSync.all().order_by("-id").first()
        return run if run is not None and run.status == "done" else None

    return await wait_for(finished, timeout=120)


async def test_five_thousand_contacts_resumed_after_a_kill_in_bounded_calls(
    mode_settings: Callable[..., Settings], tmp_path,
) -> None:
    settings = mode_settings(customers=CustomersConfig(
        media_dir=str(tmp_path / "media"), sync_on_first_start=False))
    async with world(settings) as w:
        w.sandbox.contact_listing.populate(staff=20, customers=5000)
        relations = sum(len(c.follow) for c in w.sandbox.corp.customers.values())
        assert relations == 5003  # and the seed world's three contacts

        task = asyncio.create_task(contact_sync.run(w.services.ports))

        async def halfway() -> bool:
            run = await ContactSync.all().first()
            return run is not None and run.contacts >= 2000

        await wait_for(halfway, timeout=60)
        task.cancel()  # killed mid-run: what it read is kept, and where it was
        await asyncio.gather(task, return_exceptions=True)
        killed = await ContactSync.get(status="running")
        assert 2000 <= killed.contacts < relations
        calls_at_kill = sync_calls(w)

        run = await _until_done(w)
        assert run.id == killed.id  # the same run, carried on
        assert await Customer.filter(is_contact=True).count() == relations
        assert await CustomerFollow.filter(status="active").count() == relations
        # 1 get_follow_user_list + one batch/get_by_user per 100 follows; at most one page
        # read twice (the one under way when the run was killed).
        bound = 1 + math.ceil(relations / 100) + 1
        calls = sync_calls(w)
        print(f"\ncontact sync: {relations} contacts, 20+4 members, {calls} WeCom calls "
              f"({calls_at_kill} before the kill), bound {bound}")
        assert calls <= bound
        assert calls - calls_at_kill < math.ceil(relations / 100)  # not started over

        # WeCom no longer has one follow (gone without a callback): the next run marks it.
        euid = "wmSync" + "0" * 21 + "00003"
        gone_user = next(iter(w.sandbox.corp.customers[euid].follow))
        del w.sandbox.corp.customers[euid].follow[gone_user]
        assert await contact_sync.run(w.services.ports, kind="daily") is not None
        follow = await CustomerFollow.get(customer__external_userid=euid, userid=gone_user)
        assert follow.status == "gone"


async def test_the_first_start_sync_is_due_and_runs_as_jobs(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        ports = w.services.ports
        assert await contact_sync.due(ports) == "full"
        assert await contact_sync.tick(ports) == "full"
        run = await wait_for(lambda: one(ContactSync, status="done"), timeout=30)
        assert run.contacts == 3 and run.calls == 2
        assert await contact_sync.due(ports) is None
        status, body = await _get(w, "/customers/sync")
        assert status == 200 and body["status"] == "done" and body["calls"] == 2


async def _get(w: World, path: str) -> tuple[int, dict]:
    admin = await Admin.make(w.client, "viewer")
    return await admin.call("GET", path)
