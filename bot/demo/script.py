"""The demo's script: what a step sees (``Demo``) and the steps, in order. The days
(``kefu_day``, ``order_day``) add theirs on import; ``runner`` plays them."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TextIO


class DemoFailure(Exception):
    pass


@dataclass
class Demo:
    services: Any
    sandbox: Any
    out: TextIO
    transcript: list[str] = field(default_factory=list)

    def say(self, who: str, text: str) -> None:
        line = f"    {who}: {text}"
        self.transcript.append(line)
        print(line, file=self.out, flush=True)

    async def settle(self, seconds: float = 0.3) -> None:
        """Let callbacks, jobs and outbox sends run."""
        await self.sandbox.drain()
        runner = self.services.queue
        if hasattr(runner, "join"):
            await runner.join(10)
        await asyncio.sleep(seconds)
        await self.sandbox.drain()

    async def wait_for(self, what: str, check: Callable[[], Any], limit: float = 10.0) -> Any:
        deadline = time.monotonic() + limit
        while True:
            result = check()
            if inspect.isawaitable(result):  # coroutines and tortoise querysets
                result = await result
            if result:
                return result
            if time.monotonic() > deadline:
                raise DemoFailure(f"expected {what}")
            await asyncio.sleep(0.05)

    def received(self, recipient: str, since: int = 0) -> list[dict[str, Any]]:
        from bot.web.admin.playground_api import summarize

        return [{**m, "summary": summarize(m)} for m in self.sandbox.inbox(recipient)[since:]]


Step = Callable[[Demo], Awaitable[None]]
STEPS: list[tuple[str, Step]] = []


def step(title: str) -> Callable[[Step], Step]:
    def register(fn: Step) -> Step:
        STEPS.append((title, fn))
        return fn

    return register


@step("a staff member asks the app what it can do")
async def staff_help(demo: Demo) -> None:
    before = len(demo.sandbox.inbox("zhangwei"))
    demo.say("张伟（专员）→ 应用", "帮助")
    await demo.sandbox.staff_says("zhangwei", "帮助")
    got = await demo.wait_for("a reply listing the commands",
                              lambda: [m for m in demo.received("zhangwei", before)
                                       if "可用命令" in m["summary"]])
    demo.say("应用 → 张伟", got[-1]["summary"].replace("\n", " "))


