"""Bounds on the memory glibc's allocator keeps after Python has freed it.

A long-running process allocates and frees the same few kinds of buffers all day (request
bodies, rows, connection buffers); glibc keeps what is freed inside its arenas, and under
that churn the resident size creeps though the Python heap does not grow (``bench/memory.py``
showed the workers' traced heap flat while their RSS rose). Two bounds, both on by default:

- at most ``malloc_arena_max`` arenas: glibc gives each new thread (the default executor's
  DNS look-ups, say) an arena of its own, up to 8 per core, each keeping its own free pages;
- every ``malloc_trim_seconds``, ``malloc_trim(0)`` hands the free pages of every arena back
  to the kernel.

Both do nothing where the C library is not glibc (musl, macOS): ``available()`` says.
"""

from __future__ import annotations

import asyncio
import ctypes
from typing import Any

M_ARENA_MAX = -8  # mallopt's parameter number (malloc.h)


def _glibc() -> Any:
    try:
        lib = ctypes.CDLL(None)  # the C library this process already runs on
    except OSError:
        return None
    needed = ("gnu_get_libc_version", "mallopt", "malloc_trim")
    return lib if all(hasattr(lib, name) for name in needed) else None


_LIBC = _glibc()


def available() -> bool:
    return _LIBC is not None


def limit_arenas(count: int) -> bool:
    """Cap the arenas glibc creates from now on (0 leaves glibc's default)."""
    if _LIBC is None or count <= 0:
        return False
    return bool(_LIBC.mallopt(M_ARENA_MAX, count))


def trim() -> bool:
    """Give free pages back to the kernel; True when some were."""
    return _LIBC is not None and bool(_LIBC.malloc_trim(0))


async def trim_forever(seconds: float) -> None:
    """``trim()`` every ``seconds`` (measured: ~0.05 ms, ~1 ms over a fragmented 60 MB heap)."""
    if _LIBC is None or seconds <= 0:
        return
    while True:
        await asyncio.sleep(seconds)
        trim()
