"""Group commit: callers that arrive while a write is in flight share the next one.

Every caller still waits for its own write to be durable (nothing is acknowledged before it
is stored), but N concurrent callbacks cost one transaction instead of N. No timer: at low
load a batch is a single item and adds no latency.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Failed:
    """A flush's result for one caller whose own write failed while others' held: that
    caller's ``submit`` raises ``exc``, the others get their results."""

    __slots__ = ("exc",)

    def __init__(self, exc: Exception) -> None:
        self.exc = exc


class Batcher(Generic[T, R]):
    """``flush`` gets the items of a burst and returns a result per item, or raises for all
    of them; a ``Failed`` result fails its caller alone."""

    def __init__(
        self, flush: Callable[[list[T]], Awaitable[Sequence[R | Failed]]], *,
        max_batch: int = 256
    ) -> None:
        self._flush = flush
        self._max = max_batch
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._task: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> R:
        """``item``'s result. A caller cancelled meanwhile leaves its item in the batch: it
        is flushed all the same (see ``submit_shielded``)."""
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain())
        return await future

    async def submit_shielded(self, item: T, *, grace: float = 10.0) -> R:
        """``submit``, but a caller cancelled while its item waits still waits for the
        item's flush (up to ``grace`` seconds) before the cancellation goes on: a write made
        under a lock lands before the lock is let go, else the next holder could read
        around it and its own write join the same batch."""
        task = asyncio.ensure_future(self.submit(item))
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            deadline = asyncio.get_running_loop().time() + grace
            while not task.done():
                left = deadline - asyncio.get_running_loop().time()
                if left <= 0:
                    break
                try:
                    await asyncio.wait([task], timeout=left)
                except asyncio.CancelledError:
                    continue  # cancelled again: still the same flush to wait for
            if task.done() and not task.cancelled():
                task.exception()  # retrieved: this caller is cancelled, not failed
            raise

    async def _drain(self) -> None:
        try:
            while self._pending:
                batch, self._pending = self._pending[: self._max], self._pending[self._max :]
                try:
                    results = await self._flush([item for item, _ in batch])
                except BaseException as exc:
                    for _, fut in batch:
                        if not fut.done():
                            fut.set_exception(
                                exc if isinstance(exc, Exception) else RuntimeError())
                    if not isinstance(exc, Exception):
                        raise
                    continue
                for (_, fut), result in zip(batch, results, strict=True):
                    if fut.done():
                        continue
                    if isinstance(result, Failed):
                        fut.set_exception(result.exc)
                    else:
                        fut.set_result(result)
        finally:
            # A finished task holds its loop: a batcher kept per loop would keep it alive.
            self._task = None


class LoopBatcher(Generic[T, R]):
    """A ``Batcher`` for the event loop at hand, made anew when the loop changes: for an
    object that outlives a loop (a store or queue kept across tests, each with a loop of
    its own), as a batcher's drain task and futures belong to one loop."""

    __slots__ = ("_batcher", "_flush", "_loop")

    def __init__(self, flush: Callable[[list[T]], Awaitable[Sequence[R | Failed]]]) -> None:
        self._flush = flush
        self._batcher: Batcher[T, R] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def submit(self, item: T) -> Coroutine[Any, Any, R]:
        """``Batcher.submit`` on this loop's batcher."""
        loop = asyncio.get_running_loop()
        if self._batcher is None or self._loop is not loop:
            self._batcher, self._loop = Batcher(self._flush), loop
        return self._batcher.submit(item)


Write = Callable[[Any], Awaitable[Any]]


class GroupCommit:
    """Small write transactions of concurrent callers committed together (SQLite).

    On SQLite, the one writer, each caller passes its writes as ``write(conn)``; a burst of
    callers shares one
    transaction, so it costs one commit (one fsync) instead of one each, and every caller
    still returns only once its writes are durable. The writes of a burst run one after the
    other, sorted by their ``order`` key (stable): writes that touch shared rows (e.g. a
    rule's daily counter) pass that row as the key, so concurrent transactions of several
    processes lock those rows in the same order and cannot deadlock. Should the shared
    transaction fail, each caller's writes are retried in a transaction of their own, so a
    failing write fails only its own caller (``write`` may therefore run twice: it must
    build its rows afresh on each call). Callers hold whatever lock makes their writes safe
    until ``run`` returns.

    On PostgreSQL each caller's transaction runs at once on a pooled connection of its own:
    the server commits concurrent transactions together by itself, and one shared
    transaction would run every caller's statements one round trip after another (it cost
    the kf conversations bench about a fifth of its throughput). Each such transaction
    touches one shared row at most (a rule's daily counter), so they cannot deadlock.
    """

    def __init__(self, *, max_batch: int = 64) -> None:
        self._batcher: Batcher[tuple[str, Write], Any] = Batcher(self._commit,
                                                                  max_batch=max_batch)

    async def run(self, write: Write, *, order: str = "", single_statement: bool = False) -> Any:
        """``single_statement``: the write is one statement, atomic by itself; on PostgreSQL
        it then runs without a transaction around it (no BEGIN and COMMIT round trips)."""
        from tortoise.transactions import in_transaction

        from bot.infra import sql
        from bot.infra.db import connection, in_a_transaction

        conn = connection()
        if sql.dialect_of(conn) != sql.SQLITE:
            if single_statement:
                return await write(conn)
            async with in_transaction() as conn:
                return await write(conn)
        if in_a_transaction():  # the caller's own transaction commits it
            return await write(conn)
        # Committed before the caller lets go of the locks it holds, even if cancelled.
        return await self._batcher.submit_shielded((order, write))

    @staticmethod
    async def _commit(items: list[tuple[str, Write]]) -> list[Any]:
        if len(items) > 1:
            ranked = sorted(range(len(items)), key=lambda i: items[i][0])
            try:
                out: list[Any] = [None] * len(items)
                written = await _in_one_transaction([items[i][1] for i in ranked])
                for i, result in zip(ranked, written, strict=True):
                    out[i] = result
                return out
            except Exception:  # noqa: S110 - each one again, alone
                pass
        results: list[Any] = []
        for _, w in items:
            try:
                results.extend(await _in_one_transaction([w]))
            except Exception as exc:
                results.append(Failed(exc))
        return results


Flush = Callable[[Any, list[Any]], Awaitable[None]]
# The writes deferred in each shared transaction under way (see ``defer``), by the id of its
# connection: {flush: items}.
_DEFERRED: dict[int, dict[Flush, list[Any]]] = {}


def defer(conn: Any, flush: Flush, item: Any) -> bool:
    """Inside a group commit's transaction (``conn``, as its writes are given it): ``item``
    is written by ``flush(conn, items)`` together with the items its other writes deferred
    to the same ``flush``, after the last of them ran and before the commit, so a burst's
    rows of one kind cost one statement instead of one each (SQLite, where each statement
    is a hop to aiosqlite's thread). The writer's results that depend on the write (ids)
    are set by ``flush``. False for any other connection: the caller writes now."""
    pending = _DEFERRED.get(id(conn))
    if pending is None:
        return False
    pending.setdefault(flush, []).append(item)
    return True


async def _in_one_transaction(writes: list[Write]) -> list[Any]:
    """``writes`` in one transaction, then what they deferred; their results."""
    from bot.infra.db import base_connection

    # Not the context's connection: the task flushing the batch inherited the context of
    # the caller that started it.
    async with base_connection()._in_transaction() as conn:
        deferred: dict[Flush, list[Any]] = {}
        _DEFERRED[id(conn)] = deferred
        try:
            out = [await w(conn) for w in writes]
            for flush, items in deferred.items():
                await flush(conn, items)
        finally:
            del _DEFERRED[id(conn)]
        return out


_GROUPS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, GroupCommit] = (
    weakref.WeakKeyDictionary())


def group_commit() -> GroupCommit:
    """The group committer of the running event loop."""
    loop = asyncio.get_running_loop()
    group = _GROUPS.get(loop)
    if group is None:
        group = _GROUPS[loop] = GroupCommit()
    return group


_BATCHERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, Batcher[Any, Any]]] = (
    weakref.WeakKeyDictionary())


def loop_batcher(name: str, flush: Callable[[list[T]], Awaitable[Sequence[R | Failed]]]
                 ) -> Batcher[T, R]:
    """The running event loop's batcher called ``name`` (made with ``flush`` on first use):
    a batcher's drain task belongs to one loop."""
    loop = asyncio.get_running_loop()
    named = _BATCHERS.get(loop)
    if named is None:
        named = _BATCHERS[loop] = {}
    batcher = named.get(name)
    if batcher is None:
        batcher = named[name] = Batcher(flush)
    return batcher
