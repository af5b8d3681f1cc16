"""glibc's free pages go back to the kernel: what a long-running process freed in the middle
of its heap (pinned by a later allocation, so plain free() cannot shrink it) is released by
``native_memory.trim``; a running service trims on its own schedule."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from bot.infra import native_memory
from bot.infra.memory_report import rss_bytes
from bot.settings import Settings
from tests.harness.service import serving

pytestmark = pytest.mark.skipif(not native_memory.available(), reason="glibc only")


def test_trim_gives_freed_heap_pages_back() -> None:
    blocks = [bytearray(4000) for _ in range(20_000)]  # ~80 MB in malloc's heap, not mmap
    pin = bytearray(4000)  # allocated last: the heap's top stays in use
    before = rss_bytes()
    del blocks
    freed = rss_bytes()
    assert native_memory.trim()
    after = rss_bytes()
    assert before is not None and freed is not None and after is not None
    # free() alone kept the pages (the top is pinned); the trim returned most of them.
    assert freed - after > 40 * 2**20, (before, freed, after)
    del pin


def test_the_arena_cap_is_taken_and_zero_leaves_the_default() -> None:
    assert native_memory.limit_arenas(2)
    assert not native_memory.limit_arenas(0)


async def test_a_running_service_trims_on_its_schedule(
    mode_settings: Callable[..., Settings],
) -> None:
    """Pages freed under a pinned top of the heap (free() alone keeps them: the test above)
    go back to the kernel while the service runs, with nobody calling trim by hand."""
    async with serving(mode_settings(malloc_trim_seconds=0.05)):
        tasks = {t.get_name(): t for t in asyncio.all_tasks()}
        assert "malloc-trim" in tasks and not tasks["malloc-trim"].done()
        blocks = [bytearray(4000) for _ in range(20_000)]
        pin = bytearray(4000)
        before = rss_bytes()
        del blocks
        after = before
        for _ in range(40):  # up to 2 s: dozens of the schedule's 0.05 s turns
            await asyncio.sleep(0.05)
            after = rss_bytes()
            if before is not None and after is not None and before - after > 40 * 2**20:
                break
        assert before is not None and after is not None
        assert before - after > 40 * 2**20, (before, after)
        del pin
