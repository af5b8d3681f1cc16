"""Statements whose size follows their input keep one SQL text on PostgreSQL.

asyncpg prepares one statement per SQL text on each pooled connection and keeps the last
100 it used there, each holding codecs for its every marker (50 KB for a 100-row inbox
insert). A multi-row VALUES or an IN list spelled out per size made one statement per size
seen, on every connection of every process: the workers' memory crept for hours under load
(issue 19, defect 13; bench/memory.py). Tests run with a one-connection pool, so that
connection's prepared statements are all the process holds.
"""

from __future__ import annotations

from bot.customers import customer_store
from bot.infra.clock import utcnow
from bot.infra.db import connection
from bot.models import Customer, InboxEvent, KfConversation
from bot.pipeline import inbox, inbox_store

SIZES = range(1, 31)
WARM = 5  # sizes run before the count is taken: every statement of the path prepared once


async def prepared(database: str) -> int:
    """How many statements the pool's one connection holds prepared (0 on SQLite, whose
    statement cache is the sqlite3 module's, 128 at most)."""
    if database != "postgres":
        return 0
    rows = await connection().execute_query_dict(
        "SELECT count(*) AS n FROM pg_prepared_statements")
    return int(rows[0]["n"])


async def test_inbox_batches_of_every_size_share_one_statement_each(database: str) -> None:
    stamp = utcnow()
    ids: dict[str, int] = {}
    warm = 0
    for size in SIZES:
        if size == WARM + 1:
            warm = await prepared(database)
        got = await inbox_store.insert_new([
            ("main", f"size{size}:{i}", "xml", "text", False, "<xml/>", "pending", 0, stamp,
             stamp, None) for i in range(size)])
        assert len(got) == size
        await inbox.touch_enqueued(list(got.values()))
        # Marks done ride with the next batch's insert (as the callback path sends them).
        more = await inbox_store.insert_new(
            [("main", f"more{size}:{i}", "xml", "text", False, "<xml/>", "pending", 0,
              stamp, stamp, None) for i in range(size)], done=list(got.values()), at=stamp)
        await inbox_store.mark_done(list(more.values()), stamp)
        ids.update(got)
        ids.update(more)
    assert await prepared(database) == warm, "a statement per batch size"
    assert await InboxEvent.filter(status="done").count() == 2 * sum(SIZES) == len(ids)
    # A key stored before is still skipped, a new one beside it stored.
    again = await inbox_store.insert_new([
        ("main", key, "xml", "text", False, "<x/>", "pending", 0, stamp, stamp, None)
        for key in ("size3:1", "fresh")])
    assert list(again) == ["fresh"]


async def test_kf_pulls_of_every_size_share_one_statement(database: str) -> None:
    stamp = utcnow()
    warm = 0
    for size in SIZES:
        if size == WARM + 1:
            warm = await prepared(database)
        rows = [("main", f"kf:pull{size}x{i}", "kf", "text", False, "{}", "pending", 0, stamp,
                 stamp, f"kf:wkA:wm{i % 7}") for i in range(size)]
        wrote = [(f"kf:pull{size}x{i}", "wkA", f"wm{i % 7}", stamp) for i in range(size)]
        pulled = await inbox_store.insert_pulled(rows, wrote, ("wkA", f"cursor{size}"))
        assert len(pulled.ids) == size
        # Each row waits for the earlier pending rows of its customer, the batch's own too.
        first = pulled.ids[f"kf:pull{size}x0"]
        assert (size < 8 or first in pulled.earlier[f"kf:pull{size}x7"])
    assert await prepared(database) == warm, "a statement per batch size"
    assert await KfConversation.all().count() == 7
    assert await InboxEvent.all().count() == sum(SIZES)


async def test_kefu_customers_import_any_count_in_one_statement_each(database: str) -> None:
    # One customer known already (not yet as a kf customer): marked, not made twice.
    await Customer.create(external_userid="wmKnown", name="老客户")
    last = warm = 0
    for size in SIZES:
        if size == WARM + 1:
            warm = await prepared(database)
        await KfConversation.bulk_create([
            KfConversation(open_kfid="wkA", external_userid=f"wm{size}x{i}", nickname=f"客{i}")
            for i in range(size)])
        if size == 3:
            await KfConversation.create(open_kfid="wkA", external_userid="wmKnown")
        last = await customer_store.import_kefu_customers(last)
    assert await prepared(database) == warm, "a statement per count of customers"
    assert last == await KfConversation.all().count()
    customers = await Customer.all()
    assert len(customers) == sum(SIZES) + 1
    assert all(c.via_kefu for c in customers)
    assert (await Customer.get(external_userid="wmKnown")).name == "老客户"
