"""Opt-in memory diagnostics for a running process (``tracemalloc`` setting, off by default).

With ``tracemalloc = N`` (N frames per allocation; ``WECOM_BOT_TRACEMALLOC=25``) the process
traces its allocations from start-up, and each SIGUSR2 writes a report to
``tracemalloc_dir``: what grew since the previous report and since the first one, grouped by
the allocating traceback; the cyclic garbage a full collection freed (which otherwise waits
for the collector's rare oldest-generation runs), by type; and the live
objects by type. Comparing two reports taken a few minutes apart under load shows what
accumulates. Tracing costs CPU and memory of its own (several times the allocations
traced): for a diagnosis, not for everyday running.
"""

from __future__ import annotations

import asyncio
import gc
import linecache
import os
import signal
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bot.infra.logs import get_logger

log = get_logger("bot.infra.memory_report")
TOP = 40  # tracebacks listed per comparison
TYPES = 40  # object types listed
# tracemalloc's own bookkeeping and the import machinery are not the service's memory.
_NOISE = (
    tracemalloc.Filter(False, tracemalloc.__file__),
    tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
    tracemalloc.Filter(False, "<frozen importlib._bootstrap_external>"),
    tracemalloc.Filter(False, "<unknown>"),
    # The report's own work (linecache reads source files to show the lines).
    tracemalloc.Filter(False, __file__, all_frames=True),
    tracemalloc.Filter(False, linecache.__file__),
)


def rss_bytes() -> int | None:
    """This process's resident set size (Linux; None elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _type_counts() -> Counter[str]:
    return Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.get_objects())


@dataclass
class Garbage:
    """Objects only reference cycles kept alive, found by a full collection. Python frees
    them only when its oldest generation is collected, which happens less often as the
    heap grows: until then they count in the resident size like live memory."""

    objects: int
    bytes: int
    types: Counter[str]


def _collect() -> Garbage:
    """A full collection that first counts what it frees, by type and allocation."""
    before = tracemalloc.get_traced_memory()[0]
    flags = gc.get_debug()
    gc.set_debug(flags | gc.DEBUG_SAVEALL)  # the unreachable go to gc.garbage, to be counted
    try:
        gc.collect()
        found = list(gc.garbage)
        gc.garbage.clear()
    finally:
        gc.set_debug(flags)
    types = Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in found)
    count = len(found)
    del found
    gc.collect()  # now freed for real
    return Garbage(count, max(0, before - tracemalloc.get_traced_memory()[0]), types)


class MemoryReport:
    """Snapshots of one process, compared on demand (``write``)."""

    def __init__(self, role: str, frames: int, folder: Path) -> None:
        self.role = role
        self.frames = frames
        self.folder = folder
        self.count = 0
        self._first: tracemalloc.Snapshot | None = None
        self._last: tracemalloc.Snapshot | None = None
        self._types: Counter[str] = Counter()
        self._garbage = Garbage(0, 0, Counter())

    def start(self) -> None:
        if not tracemalloc.is_tracing():
            tracemalloc.start(self.frames)
        self._first = self._last = self._snapshot()
        self._types = _type_counts()

    def stop(self) -> None:
        tracemalloc.stop()
        self._first = self._last = None

    def _snapshot(self) -> tracemalloc.Snapshot:
        self._garbage = _collect()  # what only a cycle keeps alive is not growth
        return tracemalloc.take_snapshot().filter_traces(_NOISE)

    def write(self) -> Path:
        """Write the next report; returns its path."""
        assert self._first is not None and self._last is not None, "not started"
        started = time.perf_counter()
        snap = self._snapshot()
        types = _type_counts()
        self.count += 1
        path = self.folder / f"wecom-bot-{self.role}-{os.getpid()}-{self.count:03d}.txt"
        current, peak = tracemalloc.get_traced_memory()
        rss = rss_bytes()
        lines = [f"wecom-bot {self.role} pid {os.getpid()} report {self.count}",
                 f"rss_bytes {rss if rss is not None else 'unknown'}",
                 f"traced_bytes {current} peak {peak} frames {self.frames}", ""]
        for title, before in (("since the previous report", self._last),
                              ("since tracing started", self._first)):
            diffs = snap.compare_to(before, "traceback")
            total = sum(d.size_diff for d in diffs)
            lines.append(f"== growth {title}: {total:+d} bytes; top {TOP} by size ==")
            for d in diffs[:TOP]:
                lines.append(f"{d.size_diff:+d} bytes {d.count_diff:+d} blocks "
                             f"(now {d.size} bytes in {d.count} blocks)")
                lines.extend("    " + ln for ln in d.traceback.format(most_recent_first=True))
            lines.append("")
        g = self._garbage
        lines.append(f"== cyclic garbage the collector freed now: {g.objects} objects, "
                     f"{g.bytes} bytes; by type (top {TYPES}) ==")
        lines.extend(f"{n} {name}" for name, n in g.types.most_common(TYPES))
        lines.append("")
        grown = Counter({k: types[k] - self._types.get(k, 0) for k in types})
        lines.append(f"== live objects by type: change since the previous report; top {TYPES} ==")
        for name, n in grown.most_common(TYPES):
            if n <= 0:
                break
            lines.append(f"{n:+d} {name} (now {types[name]})")
        self.folder.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self._last, self._types = snap, types
        log.info("memory.report", path=str(path), rss_bytes=rss, traced_bytes=current,
                 seconds=round(time.perf_counter() - started, 2))
        return path


def install(role: str, frames: int, folder: str) -> MemoryReport | None:
    """Start tracing and write a report on each SIGUSR2 (``frames`` 0: off, None back).
    Call from inside the running event loop; ``uninstall`` undoes it."""
    if frames <= 0:
        return None
    report = MemoryReport(role, frames, Path(folder))
    report.start()

    def on_signal() -> None:
        try:
            report.write()
        except Exception as exc:  # a diagnostic must never take the process down
            log.warning("memory.report_failed", error=type(exc).__name__, detail=str(exc)[:200])

    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR2, on_signal)
    log.info("memory.tracing", role=role, frames=frames, folder=folder)
    return report


def uninstall(report: MemoryReport | None) -> None:
    if report is None:
        return
    asyncio.get_running_loop().remove_signal_handler(signal.SIGUSR2)
    report.stop()
