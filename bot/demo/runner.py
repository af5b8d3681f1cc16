"""``wecom-bot demo``: a scripted day in the sandbox, with a readable transcript.

It starts the real service (embedded: a temporary SQLite file, the built-in sandbox) on a
loopback port and plays people through the sandbox, so every step goes through the real
encrypted callbacks, the inbox, the jobs and the outbox. Each step checks what the people
involved received; the exit code is 0 only if every expected thing happened.
"""

from __future__ import annotations

import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import TextIO

# The days register their steps on import, after the script's own.
from bot.demo import kefu_day, order_day  # noqa: F401
from bot.demo.script import STEPS, Demo, DemoFailure
from bot.settings import Settings, WeComConfig, sandbox_apps


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def run_demo(out: TextIO = sys.stdout) -> int:
    from bot.app import bind_public_url
    from bot.infra.logs import configure_logging
    from bot.web.appkeys import SERVICES
    from bot.web.server import create_app, listening

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
        results: list[tuple[str, str, float]] = []
        async with listening(app, "127.0.0.1", port):
            services = app[SERVICES]
            bind_public_url(services, f"http://127.0.0.1:{port}")
            demo = Demo(services, services.sandbox, out)
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
    print("\nsummary", file=out)
    width = max(len(t) for t, _, _ in results)
    for title, outcome, seconds in results:
        print(f"  {title:<{width}}  {outcome:<6}  {seconds:5.2f}s", file=out)
    failed = [t for t, o, _ in results if o != "ok"]
    verdict = (f"every one of the {len(results)} steps happened" if not failed
               else f"{len(failed)} of {len(results)} steps did not happen")
    print(f"\ndemo: {verdict}", file=out, flush=True)
    return 1 if failed else 0

