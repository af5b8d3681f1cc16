"""``wecom-bot demo``: a scripted day in the sandbox, with a readable transcript.

It starts the real service (embedded: a temporary SQLite file, the built-in sandbox) on a
loopback port and plays people through the sandbox, so every step goes through the real
encrypted callbacks, the inbox, the jobs and the outbox. Each step checks what the people
involved received; the exit code is 0 only if every expected thing happened.
"""

from __future__ import annotations

import asyncio
import inspect
import socket
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from aiohttp import web

from bot.settings import Settings, WeComConfig, sandbox_apps


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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def run_demo(out: TextIO = sys.stdout) -> int:
    from bot.app import bind_public_url
    from bot.infra.logs import configure_logging
    from bot.web.appkeys import SERVICES
    from bot.web.server import create_app

    configure_logging("console", "warning")
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        settings = Settings(
            listen=f"127.0.0.1:{port}",
            database_url=f"sqlite://{Path(tmp) / 'demo.sqlite3'}",
            log_level="warning",
            wecom=WeComConfig(corp_id="wwDemoCorp0000001", api_base="sandbox",
                              apps=sandbox_apps()),
        )
        app = create_app(settings)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        services = app[SERVICES]
        bind_public_url(services, f"http://127.0.0.1:{port}")
        demo = Demo(services, services.sandbox, out)
        results: list[tuple[str, str, float]] = []
        try:
            print(f"wecom-bot demo: {len(STEPS)} steps in the sandbox", file=out, flush=True)
            for i, (title, fn) in enumerate(STEPS, 1):
                print(f"[{i}/{len(STEPS)}] {title}", file=out, flush=True)
                started = time.perf_counter()
                try:
                    await fn(demo)
                    outcome = "ok"
                except DemoFailure as exc:
                    outcome = f"FAILED: {exc}"
                    print(f"    ✗ {exc}", file=out, flush=True)
                except Exception as exc:  # a broken step is a failed step, the rest still run
                    outcome = f"FAILED: {type(exc).__name__}: {str(exc)[:200]}"
                    print(f"    ✗ {outcome}", file=out, flush=True)
                results.append((title, outcome, time.perf_counter() - started))
        finally:
            await runner.cleanup()
    print("\nsummary", file=out)
    width = max(len(t) for t, _, _ in results)
    for title, outcome, seconds in results:
        print(f"  {title:<{width}}  {outcome:<6}  {seconds:5.2f}s", file=out)
    failed = [t for t, o, _ in results if o != "ok"]
    verdict = (f"every one of the {len(results)} steps happened" if not failed
               else f"{len(failed)} of {len(results)} steps did not happen")
    print(f"\ndemo: {verdict}", file=out, flush=True)
    return 1 if failed else 0


# Steps of other features register themselves on import, after the ones above.
from bot.demo import kefu_day, order_day  # noqa: E402,F401
