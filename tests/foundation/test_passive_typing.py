"""Passive handlers run inside the callback request, so the type checker must refuse one
that could reach WeCom: this runs mypy (with the project's settings) on handlers written
the wrong ways and the right way, and reads its verdict line by line."""

from __future__ import annotations

import textwrap
import uuid
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[2]

SNIPPET = textwrap.dedent('''
    from bot.ports import HandlerContext, PassiveContext
    from bot.protocol.events import TextMessage
    from bot.protocol.replies import TextReply
    from bot.routing import Router

    router = Router("typing")


    @router.passive(TextMessage)
    async def calls_wecom(event: TextMessage, ctx: PassiveContext) -> TextReply | None:
        await ctx.ports.wecom.kf_service_state_trans("kf", "wm", 3, "u")  # line 12
        return None


    @router.passive(TextMessage)  # line 16
    async def wants_every_port(event: TextMessage, ctx: HandlerContext) -> TextReply | None:
        return None


    @router.passive(TextMessage)
    async def sends(event: TextMessage, ctx: PassiveContext) -> TextReply | None:
        await ctx.ports.outbox.flush()  # line 23
        return None


    @router.passive(TextMessage)
    async def local_only(event: TextMessage, ctx: PassiveContext) -> TextReply | None:
        await ctx.ports.jobs.enqueue("escalation_hand_over", 1, "u")
        return TextReply(await ctx.ports.names.known_name("u"))


    @router.on(TextMessage)
    async def a_job(event: TextMessage, ctx: HandlerContext) -> TextReply | None:
        await ctx.ports.wecom.kf_service_state_trans("kf", "wm", 3, "u")
        return None
''')


def test_mypy_refuses_passive_handlers_that_could_call_wecom(tmp_path: Path) -> None:
    source = tmp_path / "passive_typing_probe.py"
    # A fresh comment on the last line: mypy's cache would otherwise skip an unchanged
    # module, and not repeat its errors.
    source.write_text(SNIPPET + f"# {uuid.uuid4()}\n")
    out, err, status = api.run([
        "--config-file", str(ROOT / "pyproject.toml"),
        "--cache-dir", str(ROOT / ".mypy_cache"),
        "--show-error-codes", "--no-error-summary", str(source),
    ])
    assert status == 1, (out, err)
    flagged = {int(line.split(":")[1]): line for line in out.splitlines()
               if line.startswith(str(source))}
    assert "wecom" in flagged[12] and "attr-defined" in flagged[12]
    assert "type-var" in flagged[16] and "HandlerContext" in flagged[16]
    assert "outbox" in flagged[23]
    assert set(flagged) == {12, 16, 23}, out
