"""The event loop a bench's own process runs on: the one its services run on.

``wecom-bot serve`` and ``worker`` take the loop from their settings, where
``WECOM_BOT_EVENT_LOOP`` may change it, and the benches' services inherit the variable. A
bench reads the same variable through the same settings, so its in-process service, its
load and its baselines run on the loop the services do (uvloop unless it says otherwise).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from bot.infra import event_loop
from bot.settings import ENV_PREFIX, load_settings

T = TypeVar("T")
VARIABLE = f"{ENV_PREFIX}EVENT_LOOP"


def choice() -> str:
    """"uvloop" or "asyncio", as the services would read it (a bad value is refused)."""
    env = {VARIABLE: os.environ[VARIABLE]} if VARIABLE in os.environ else {}
    return load_settings(None, env=env).event_loop


def run(main: Coroutine[Any, Any, T]) -> T:
    return event_loop.run(main, choice())


def factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    return event_loop.factory(choice())
