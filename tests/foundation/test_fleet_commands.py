"""The fleet harness runs its commands to their end on either loop (tests/harness/fleet.py).

``pg_ctl start`` exits leaving the postmaster behind. On uvloop a child keeps the
descriptors it inherited (libuv does not close them), so an output read through a pipe never
ended while the daemon lived: the fault battery's harness hung before its PostgreSQL started.
"""

from __future__ import annotations

import asyncio
import os
import signal

import pytest

from bot.infra import event_loop
from tests.harness.fleet import _run

# A daemon in miniature: it outlives the command, its own outputs sent elsewhere.
LEAVES_A_DAEMON = ["sh", "-c", "sleep 600 >/dev/null 2>&1 </dev/null & echo $!"]


@pytest.mark.parametrize("loop", ["uvloop", "asyncio"])
def test_a_command_that_leaves_a_daemon_returns_its_output(loop: str) -> None:
    async def main() -> str:
        # A guard against the hang, not a timing: the command itself takes milliseconds.
        return await asyncio.wait_for(_run(LEAVES_A_DAEMON), 30)

    out = event_loop.run(main(), loop)
    daemon = int(out.strip())
    try:
        os.kill(daemon, 0)  # it is still running: the command returned without waiting for it
    finally:
        os.kill(daemon, signal.SIGKILL)


def test_a_failing_command_raises_with_what_it_wrote() -> None:
    with pytest.raises(RuntimeError, match="to stderr"):
        event_loop.run(_run(["sh", "-c", "echo to stderr >&2; exit 3"]))
