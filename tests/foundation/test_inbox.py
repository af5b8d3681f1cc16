"""Group-committed inbox writes: concurrent callbacks, duplicates inside and across batches."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.infra.group_commit import Batcher, Failed
from bot.models import InboxEvent
from bot.pipeline.inbox import NewEvent
from bot.settings import Settings
from tests.harness.databases import prepare
from tests.harness.service import services_of, serving
from tests.harness.settings import settings_factory


def ev(key: str) -> NewEvent:
    return NewEvent(app="main", dedupe_key=key, fmt="xml", event_type="text", time_boxed=False,
                    plaintext=f"<xml><MsgId>{key}</MsgId><Content><![CDATA[é'\");--]]></Content></xml>")


async def test_concurrent_stores_keep_each_key_exactly_once(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings()
    async with serving(settings) as client:
        writer = services_of(client).inbox
        keys = [f"msg:{i % 150}" for i in range(400)]  # 150 keys, most of them repeated
        ids = await asyncio.gather(*(writer.store(ev(k)) for k in keys))
        owners: dict[str, int] = {}
        for key, row_id in zip(keys, ids, strict=True):
            if row_id is not None:
                assert key not in owners, "two callers were told they own the same key"
                owners[key] = row_id
        assert set(owners) == set(keys)
        stored = await InboxEvent.all()
        assert sorted(r.dedupe_key for r in stored) == sorted(owners)
        assert {r.id for r in stored} == set(owners.values())
        row = stored[0]
        assert row.plaintext.endswith("<Content><![CDATA[é'\");--]]></Content></xml>")
        # A later retry of a stored key is a duplicate, not a new row.
        assert await writer.store(ev("msg:3")) is None
        await asyncio.gather(*(writer.mark_done(i) for i in owners.values()))
        assert await InboxEvent.filter(status="done").count() == 150
        done = await InboxEvent.get(id=owners["msg:3"])
        assert done.processed_at is not None and done.processed_at >= done.received_at


async def test_done_marks_ride_with_the_stores_of_the_same_burst(
    mode_settings: Callable[..., Settings],
) -> None:
    """A passive answer's done-mark and the next callbacks' rows share one flush: each
    caller still gets its own result, and both writes are durable when it returns."""
    async with serving(mode_settings()) as client:
        writer = services_of(client).inbox
        first = await asyncio.gather(*(writer.store(ev(f"msg:a{i}")) for i in range(20)))
        assert all(isinstance(i, int) for i in first)
        got = await asyncio.gather(
            *(writer.mark_done(i) for i in first if i is not None),
            *(writer.store(ev(f"msg:b{i}")) for i in range(20)),
            writer.store(ev("msg:a1")))  # a retry inside the burst: still a duplicate
        assert got[:20] == [None] * 20
        assert all(isinstance(i, int) for i in got[20:40]) and got[40] is None
        done = await InboxEvent.filter(status="done").values_list("id", flat=True)
        assert sorted(done) == sorted(first)
        pending = await InboxEvent.filter(status="pending").values_list("id", flat=True)
        assert sorted(pending) == sorted(got[20:40])
        # Marks alone, with no store beside them, are written too.
        await writer.mark_done(got[20])
        assert (await InboxEvent.get(id=got[20])).status == "done"


async def test_on_sqlite_a_failed_mark_fails_only_the_marks_of_its_flush(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SQLite stores and marks in two statements: when one fails, its callers get the
    error and the others their results (a stored callback answered 503 would wait for the
    sweep, and a welcome code would expire meanwhile)."""
    from bot.pipeline import inbox_store

    await prepare("embedded", tmp_path)
    async with serving(settings_factory("embedded", tmp_path)()) as client:
        writer = services_of(client).inbox
        first = await asyncio.gather(*(writer.store(ev(f"msg:a{i}")) for i in range(5)))
        real_mark, real_insert = inbox_store.mark_done, inbox_store.insert_new

        async def locked(*_: object, **__: object) -> None:
            raise OSError("database is locked")

        monkeypatch.setattr(inbox_store, "mark_done", locked)
        got = await asyncio.gather(
            *(writer.mark_done(i) for i in first if i is not None),
            *(writer.store(ev(f"msg:b{i}")) for i in range(5)), return_exceptions=True)
        assert all(isinstance(g, OSError) for g in got[:5]), got
        assert all(isinstance(g, int) for g in got[5:]), got
        assert await InboxEvent.filter(dedupe_key__startswith="msg:b").count() == 5
        assert await InboxEvent.filter(status="done").count() == 0

        monkeypatch.setattr(inbox_store, "mark_done", real_mark)
        monkeypatch.setattr(inbox_store, "insert_new", locked)
        got = await asyncio.gather(
            *(writer.mark_done(i) for i in first if i is not None),
            writer.store(ev("msg:c")), return_exceptions=True)
        assert got[:5] == [None] * 5 and isinstance(got[5], OSError), got
        assert sorted(await InboxEvent.filter(status="done").values_list("id", flat=True)) \
            == sorted(first)
        monkeypatch.setattr(inbox_store, "insert_new", real_insert)
        assert isinstance(await writer.store(ev("msg:c")), int)


async def test_batcher_shares_one_flush_between_concurrent_callers() -> None:
    flushes: list[list[int]] = []

    async def flush(items: list[int]) -> list[int]:
        flushes.append(items)
        await asyncio.sleep(0.01)
        return [i * 2 for i in items]

    batcher: Batcher[int, int] = Batcher(flush, max_batch=50)
    results = await asyncio.gather(*(batcher.submit(i) for i in range(120)))
    assert results == [i * 2 for i in range(120)]
    assert len(flushes) < 10 and max(len(f) for f in flushes) <= 50


async def test_batcher_failure_reaches_every_caller_of_that_batch() -> None:
    async def flush(items: list[int]) -> list[int]:
        if 3 in items:
            raise OSError("disk gone")
        return items

    batcher: Batcher[int, int] = Batcher(flush)
    results = await asyncio.gather(*(batcher.submit(i) for i in range(5)),
                                   return_exceptions=True)
    assert all(isinstance(r, OSError) for r in results)
    assert await batcher.submit(7) == 7  # the next batch is unaffected
    with pytest.raises(OSError):
        await batcher.submit(3)


async def test_a_failed_result_fails_its_caller_alone() -> None:
    async def flush(items: list[int]) -> list[int | Failed]:
        return [Failed(OSError(f"row {i}")) if i == 3 else i for i in items]

    batcher: Batcher[int, int] = Batcher(flush)
    results = await asyncio.gather(*(batcher.submit(i) for i in range(5)),
                                   return_exceptions=True)
    assert results[:3] == [0, 1, 2] and results[4] == 4
    assert isinstance(results[3], OSError) and str(results[3]) == "row 3"


async def test_a_kf_pull_is_stored_whole_or_not_at_all(
    database: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pull's rows, its customers' budgets and the account's cursor commit together
    (one statement on PostgreSQL, one transaction on SQLite): a pull whose cursor cannot be
    saved leaves nothing behind, and is pulled again whole."""
    from bot.infra.clock import utcnow
    from bot.models import KfConversation, KfCursor
    from bot.pipeline import inbox_store

    stamp = utcnow()
    rows = [("main", f"kf:whole{i}", "kf", "text", False, "{}", "pending", 0, stamp, stamp,
             f"kf:wkA:wm{i}") for i in range(3)]
    wrote = [(f"kf:whole{i}", "wkA", f"wm{i}", stamp) for i in range(3)]
    monkeypatch.setattr(inbox_store, "_save_cursor",
                        lambda p, *_: "INSERT INTO no_such_table VALUES (1)")
    with pytest.raises(Exception, match="no_such_table"):
        await inbox_store.insert_pulled(rows, wrote, ("wkA", "cursor1"))
    assert await InboxEvent.all().count() == 0
    assert await KfConversation.all().count() == 0
    assert await KfCursor.all().count() == 0
    monkeypatch.undo()
    pulled = await inbox_store.insert_pulled(rows, wrote, ("wkA", "cursor1"))
    assert len(pulled.ids) == 3
    assert (await KfCursor.get(open_kfid="wkA")).cursor == "cursor1"
    assert await KfConversation.all().count() == 3


async def test_settled_rows_past_the_keep_days_are_pruned_in_batches(
    mode_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Done and failed rows older than ``inbox_keep_days`` go, a batch at a time; pending
    rows stay whatever their age, as do recent rows and the newest row of all (a serve's
    start reads when the last callback came). A key pruned is a new callback again."""
    from datetime import timedelta

    from bot.infra.clock import utcnow
    from bot.pipeline import inbox
    from bot.pipeline.registry import JOBS

    settings = mode_settings(inbox_keep_days=7)
    async with serving(settings) as client:
        services = services_of(client)
        writer = services.inbox
        ids = {}
        for key in [*(f"old-done:{i}" for i in range(7)), "old-failed", "old-pending",
                    "recent-done", "newest-old-done"]:
            ids[key] = await writer.store(ev(key))
        for key, row_id in ids.items():
            if "done" in key:
                await writer.mark_done(row_id)
        await inbox.record_failure(ids["old-failed"], "boom", final=True)
        long_ago = utcnow() - timedelta(days=7, minutes=1)
        for i in range(7):  # oldest first: old-done:0 .. old-done:6, then old-failed
            await InboxEvent.filter(dedupe_key=f"old-done:{i}").update(
                received_at=long_ago - timedelta(minutes=10 - i))
        await InboxEvent.filter(dedupe_key__in=["old-failed", "old-pending"]).update(
            received_at=long_ago - timedelta(minutes=1))
        await InboxEvent.filter(dedupe_key="newest-old-done").update(received_at=long_ago)
        recent = utcnow() - timedelta(days=6, hours=23)
        await InboxEvent.filter(dedupe_key="recent-done").update(received_at=recent)

        monkeypatch.setattr(inbox, "PRUNE_BATCH", 3)
        monkeypatch.setattr(inbox, "PRUNE_SECONDS", 0.0)  # one batch a run
        assert await JOBS["inbox_prune"](services) == 3  # oldest first
        assert await JOBS["inbox_prune"](services) == 3
        left = set(await InboxEvent.all().values_list("dedupe_key", flat=True))
        assert left == {"old-done:6", "old-failed", "old-pending", "recent-done",
                        "newest-old-done"}
        assert await JOBS["inbox_prune"](services) == 2
        assert await JOBS["inbox_prune"](services) == 0
        left = set(await InboxEvent.all().values_list("dedupe_key", flat=True))
        assert left == {"old-pending", "recent-done", "newest-old-done"}
        assert (await InboxEvent.get(dedupe_key="old-pending")).status == "pending"
        # Batch after batch within a run's time; the newest row is now a later one.
        monkeypatch.setattr(inbox, "PRUNE_SECONDS", 10.0)
        more = [await writer.store(ev(f"more:{i}")) for i in range(7)]
        for row_id in more:
            await writer.mark_done(row_id)
        await InboxEvent.filter(dedupe_key__startswith="more:").update(received_at=long_ago)
        assert await JOBS["inbox_prune"](services) == 7  # more:0-5 and newest-old-done
        left = set(await InboxEvent.all().values_list("dedupe_key", flat=True))
        assert left == {"old-pending", "recent-done", "more:6"}
        # Past the keep days a key is forgotten: the same key stores a new row.
        assert await writer.store(ev("old-done:0")) is not None
