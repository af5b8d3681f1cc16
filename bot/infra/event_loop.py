"""The event loop every ``wecom-bot`` process runs on.

uvloop (libuv, by the asyncpg authors) by default: the same asyncio API with a cheaper loop
and transports. Each callback, job, database and Redis round trip passes through the loop
several times: in bench/callbacks.py uvloop took about a quarter off the CPU of an embedded
callback (a production one's stayed within the noise), in bench/conversations.py about a
tenth off a kf message's. ``event_loop = "asyncio"`` (or
``WECOM_BOT_EVENT_LOOP=asyncio``) runs the standard library's loop instead, as does a
machine without uvloop (it has no Windows build).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def factory(choice: str = "uvloop") -> Callable[[], asyncio.AbstractEventLoop] | None:
    """The loop factory for ``choice`` ("uvloop" or "asyncio"); None: asyncio's own."""
    if choice != "uvloop":
        return None
    try:
        import uvloop
    except ImportError:  # not built for this platform
        return None
    return uvloop.new_event_loop


def run(main: Coroutine[Any, Any, T], choice: str = "uvloop") -> T:
    """``asyncio.run`` on the chosen loop."""
    with asyncio.Runner(loop_factory=factory(choice)) as runner:
        return runner.run(main)


def running_name() -> str:
    """The running loop's kind, for the start-up line: uvloop or asyncio."""
    module = type(asyncio.get_running_loop()).__module__
    return "uvloop" if module.startswith("uvloop") else "asyncio"
