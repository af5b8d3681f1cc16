"""``wecom-bot demo`` runs its scripted day and succeeds only if every step happened."""

from __future__ import annotations

import io

from bot.demo.runner import STEPS, run_demo


async def test_demo_day_succeeds_with_a_transcript() -> None:
    out = io.StringIO()
    assert await run_demo(out) == 0, out.getvalue()
    text = out.getvalue()
    assert f"[{len(STEPS)}/{len(STEPS)}]" in text
    assert "可用命令" in text
    assert f"every one of the {len(STEPS)} steps happened" in text
