"""How a process notices an outage and writes it down (bot.pipeline.outages): refused
callbacks counted once each, and later which of them no retry stored; one slow probe is no
outage; a window that cannot be written yet stays open; a serve's start covers the time since
the newest stored callback; the minutely tick queues what a lost job left open."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.infra.clock import utcnow
from bot.infra.db import connection
from bot.models import InboxEvent, StorageOutage
from bot.pipeline import outages, reconcile
from bot.settings import Settings
from tests.harness.callbacks import Signed, post_callback
from tests.harness.service import services_of, serving
from tests.harness.waiting import one, wait_for

EMBEDDED = pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)


async def stored(key: str) -> None:
    now = utcnow()
    await InboxEvent.create(app="main", dedupe_key=key, fmt="xml", event_type="text",
                            plaintext="<xml/>", received_at=now, enqueued_at=now)


@EMBEDDED
async def test_refused_callbacks_are_counted_once_and_the_lost_ones_by_kind(
    mode_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(outages, "LOST_AFTER", 0.5)
    async with serving(mode_settings(reconcile_delay_seconds=3600)) as client:
        services = services_of(client)
        watch = outages.OutageWatch("serve")
        watch.refused("sha256:a", "change_external_contact.add_external_contact")
        watch.refused("sha256:a", "change_external_contact.add_external_contact")  # a retry
        watch.refused("msg:1", "text")
        watch.refused("msg:2", "text")
        await stored("msg:2")  # WeCom's last retry of this one landed after recovery
        row = await watch.recovered(services)
        assert row is not None and not watch.open
        assert (row.source, row.refused, row.lost) == ("serve", 3, None)
        await watch.count_lost()  # WeCom's last retries may still land: not yet
        assert (await StorageOutage.get(id=row.id)).lost is None
        await asyncio.sleep(0.6)
        await watch.count_lost()
        counted = await StorageOutage.get(id=row.id)
        assert counted.lost == 2 and not watch.to_count
        assert counted.kinds == {"change_external_contact.add_external_contact": 1, "text": 1}


@EMBEDDED
async def test_one_slow_probe_is_no_outage_and_two_failed_probes_are(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings(reconcile_delay_seconds=3600)) as client:
        services = services_of(client)
        watch = outages.OutageWatch("worker")
        watch.storage_ok()
        watch.storage_failed()
        assert await watch.recovered(services) is None
        watch.last_ok = utcnow() - timedelta(seconds=5)
        watch.storage_failed()
        watch.storage_failed()
        row = await watch.recovered(services)
        assert row is not None and row.source == "worker" and row.refused == 0
        # It began after the last probe that still read the inbox.
        assert row.started_at == watch.last_ok
        assert await StorageOutage.all().count() == 1


@EMBEDDED
async def test_a_window_that_cannot_be_written_yet_stays_open(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings(reconcile_delay_seconds=3600)) as client:
        services = services_of(client)
        watch = outages.OutageWatch("serve")
        watch.refused("msg:1", "text")
        conn = connection()
        await conn.execute_script("ALTER TABLE storage_outage RENAME TO storage_outage_away")
        try:
            assert await watch.recovered(services) is None
            assert watch.open
            watch.refused("msg:2", "text")  # still out: the same window grows
        finally:
            await conn.execute_script("ALTER TABLE storage_outage_away RENAME TO "
                                      "storage_outage")
        row = await watch.recovered(services)
        assert row is not None and row.refused == 2


async def test_a_serve_start_covers_the_time_since_the_newest_stored_callback(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings(reconcile_delay_seconds=0)
    signed = Signed(settings)
    async with serving(settings) as client:
        assert (await post_callback(client, signed, signed.text_message("你好"))).status == 200
        await wait_for(lambda: InboxEvent.exists())
        assert not await StorageOutage.exists()  # a first start: nothing was ever missed
    # The service was down for ten minutes.
    newest = utcnow() - timedelta(minutes=10)
    async with serving(settings) as client:
        await wait_for(lambda: services_of(client).outages.started_checked)
        await StorageOutage.all().delete()  # this start's own, if the restart took a while
        await InboxEvent.all().update(received_at=newest)
    async with serving(settings):
        row = await wait_for(lambda: one(StorageOutage, source="startup",
                                         reconciled_at__isnull=False), timeout=20)
        assert row.started_at == newest
        # WeCom's corp has nobody added meanwhile (its customers are a month old).
        assert row.found == 0 and row.note == "没有发现遗漏"
    # Off, or a gap older than the cap: no window, or a capped one.
    async with serving(settings.model_copy(update={"reconcile_on_start": False})) as client:
        await wait_for(lambda: services_of(client).outages.last_ok)
        await StorageOutage.all().delete()
        await InboxEvent.all().update(received_at=utcnow() - timedelta(hours=5))
    async with serving(settings.model_copy(update={"reconcile_on_start": False})) as client:
        await wait_for(lambda: services_of(client).outages.last_ok)  # it has looked
        assert not await StorageOutage.exists()
    async with serving(settings.model_copy(update={"reconcile_max_hours": 1})):
        row = await wait_for(lambda: one(StorageOutage, source="startup"))
        assert timedelta(minutes=59) < row.ended_at - row.started_at <= timedelta(hours=1)


@EMBEDDED
async def test_the_tick_queues_a_run_for_windows_left_open(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings(reconcile_delay_seconds=0)) as client:
        services = services_of(client)
        long_ago = utcnow() - timedelta(minutes=5)
        row = await StorageOutage.create(source="worker", process="gone:1",
                                         started_at=long_ago, ended_at=long_ago)
        await StorageOutage.filter(id=row.id).update(recorded_at=long_ago)
        await services.store.set(reconcile.RUN_KEY, "someone", ttl=60)
        assert not await reconcile.tick(services)  # a run is under way: it is left to it
        await services.store.delete(reconcile.RUN_KEY)
        assert await reconcile.tick(services)
        done = await wait_for(lambda: one(StorageOutage, id=row.id,
                                          reconciled_at__isnull=False), timeout=20)
        assert done.note == "没有发现遗漏"
