"""Fixed-window rate limiter on the store, so a limit holds across processes (Redis in
production, the in-process store embedded).

A call takes a slot with ``incr`` on the window's counter (created with the window's ttl).
``acquire`` waits its turn over the limit (WeCom calls: nothing is dropped); ``try_acquire``
says no at once (requests from outside: the caller answers 429).

A busy process leases slots for ``acquire``: for a large limit (a corp's calls per API) it
takes as many slots in one ``incr`` as it used in this or the last second (at most 1/100 of the
limit, at most 64) and hands them out locally until the window ends or a second has passed.
Every slot is counted in the store before it is used, so the limit holds across processes as
before; what a lease costs is that slots it took and did not use (demand stopped) are lost to
the window, at most one lease's worth per process. Under load this saves a store round trip on
nearly every WeCom call. Calls that arrive while a take of their key is under way (a burst)
wait for its answer and are served from its lease, rather than each taking slots at once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass

from bot.ports import Store
from bot.protocol.errors import LimiterBusy

_MIN_WAIT = 0.005
LEASE_SHARE = 100  # a lease takes at most this share (1/n) of a limit
LEASE_MAX = 64
LEASE_SECONDS = 1.0  # how long leased slots are handed out (and the demand they follow)
_MARGIN = 0.05  # seconds: leased slots stop this long before the store's window ends


def _cap(limit: int) -> int:
    """The most slots one lease takes of ``limit``."""
    return min(LEASE_MAX, limit // LEASE_SHARE)


@dataclass
class _Lease:
    left: int = 0  # slots taken in the store, not handed out yet
    until: float = 0.0  # monotonic time they may be handed out until
    second: int = 0  # the second ``count`` counts calls of
    count: int = 0
    last: int = 0  # calls in the second before
    window_end: float = 0.0  # monotonic time the store's current window ends (0: unknown)
    taking: asyncio.Event | None = None  # set once this process's take under way is answered


class RateLimiter:
    def __init__(self, store: Store, *, prefix: str = "wecom:rl:") -> None:
        self._store = store
        self._prefix = prefix
        self._leases: dict[str, _Lease] = {}

    def _leased(self, full: str, limit: int) -> tuple[_Lease | None, int]:
        """The key's lease and how many slots to take from the store now; (None, 1) for a
        limit too small to lease from."""
        cap = _cap(limit)
        if cap < 2:
            return None, 1
        lease = self._leases.get(full)
        if lease is None:
            lease = self._leases[full] = _Lease()
        now = time.monotonic()
        second = int(now / LEASE_SECONDS)
        if second != lease.second:
            lease.last = lease.count if second == lease.second + 1 else 0
            lease.second, lease.count = second, 0
        lease.count += 1
        if self._hand_out(lease):
            return lease, 0
        return lease, self._size(lease, cap)

    @staticmethod
    def _hand_out(lease: _Lease) -> bool:
        """Whether a leased slot was there for the call (then it is taken)."""
        if lease.left > 0 and time.monotonic() < lease.until:
            lease.left -= 1
            return True
        return False

    @staticmethod
    def _size(lease: _Lease, cap: int) -> int:
        return max(1, min(cap, max(lease.last, lease.count)))

    async def acquire(
        self, key: str, limit: int, window: float, *, max_wait: float | None = None
    ) -> float:
        """Take one slot of ``limit`` per ``window`` seconds; returns the seconds waited.

        Raises LimiterBusy when the wait would pass ``max_wait`` (no slot is kept then).
        """
        waited = 0.0
        full = self._prefix + key
        lease, size = self._leased(full, limit)
        if not size:
            return waited  # a slot of the lease
        while lease is not None and lease.taking is not None:
            # A burst of calls (a pull's replies, side by side): a take is under way, so
            # they wait for its answer (one round trip) and its lease rather than each
            # taking slots of its own. Should it fall short, the first of them takes for
            # the burst so far (its size counts them), and the rest wait for that one.
            await lease.taking.wait()
            if self._hand_out(lease):
                return waited
            size = self._size(lease, _cap(limit))
        while True:
            sent = time.monotonic()
            taking = None
            if lease is not None and lease.taking is None:
                taking = lease.taking = asyncio.Event()
            try:
                n = await self._store.incr(full, size, ttl=window)
                got = min(size, limit - (n - size))
                if got > 0:
                    if lease is not None:
                        # A counter this take created ends a window after it was sent, or
                        # later.
                        await self._keep(lease, full, got - 1,
                                         sent + window if n == size else None)
                    return waited
            finally:
                if lease is not None and taking is not None:
                    lease.taking = None  # answered, failed or cancelled: the others go on
                    taking.set()
            left = await self._store.ttl(full)
            if left is None:
                # A counter without expiry (lost ttl): restore it, then wait a window.
                await self._store.set(full, str(n), ttl=window)
                left = window
            pause = max(_MIN_WAIT, min(left, window))
            if max_wait is not None and waited + pause > max_wait:
                raise LimiterBusy(key, waited + pause)
            await asyncio.sleep(pause)
            waited += pause

    async def try_acquire(self, key: str, limit: int, window: float) -> float | None:
        """Take one slot of ``limit`` per ``window`` seconds if there is one: None, else the
        seconds until the window ends."""
        full = self._prefix + key
        n = await self._store.incr(full, 1, ttl=window)
        if n <= limit:
            return None
        left = await self._store.ttl(full)
        if left is None:  # a counter without expiry (lost ttl): give it one again
            await self._store.set(full, str(n), ttl=window)
            left = window
        return max(_MIN_WAIT, min(left, window))

    async def _keep(self, lease: _Lease, full: str, spare: int, ends: float | None) -> None:
        """Keep ``spare`` slots just taken for the next calls, until the store's window
        ends or the lease's time is up. ``ends``: the window began with this take; else its
        end is known from an earlier take, or asked of the store. Ends are reckoned from
        when the request was sent, so they are never later than the store's, however late
        the answer is read."""
        if ends is not None:
            lease.window_end = ends
        elif spare > 0 and lease.window_end <= time.monotonic():
            sent = time.monotonic()
            left = await self._store.ttl(full)
            lease.window_end = sent + left if left is not None else 0.0
        now = time.monotonic()
        until = min(now + LEASE_SECONDS, lease.window_end - _MARGIN)
        if spare <= 0 or until <= now:
            return
        if lease.left > 0 and now < lease.until:
            # Concurrent takes: both sets are kept until the earlier of their ends.
            lease.left, lease.until = lease.left + spare, min(lease.until, until)
        else:
            lease.left, lease.until = spare, until

    async def acquire_all(
        self, limits: Iterable[tuple[str, int, float]], *, max_wait: float | None = None
    ) -> float:
        waited = 0.0
        for key, limit, window in limits:
            budget = None if max_wait is None else max(0.0, max_wait - waited)
            waited += await self.acquire(key, limit, window, max_wait=budget)
        return waited
