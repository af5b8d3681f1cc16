from __future__ import annotations

from typing import Any

import pytest

from bot.wecom.client import WeComClient
from sandbox import SEED_CUSTOMERS, SEED_KF, Sandbox

C1 = SEED_CUSTOMERS[0][0]


async def test_kf_roundtrip(client: WeComClient, sandbox: Sandbox) -> None:
    main = client.app("main")
    res = await main.kf_account_list()
    assert res["account_list"][0]["open_kfid"] == SEED_KF
    said = await sandbox.customer_says(SEED_KF, C1, "你好")
    sync = await main.kf_sync_msg(open_kfid=SEED_KF, token=said["token"])
    assert [m["text"]["content"] for m in sync["msg_list"]] == ["你好"]
    sent = await main.kf_send_text(C1, SEED_KF, "您好")
    assert sent["msgid"]
    assert sandbox.inbox(C1)[-1]["payload"] == {"content": "您好"}


async def test_a_closed_client_opens_no_new_session(client: WeComClient) -> None:
    """Work outliving the shutdown fails at once instead of opening an HTTP session that
    nobody closes any more (asyncio's "Unclosed client session" at exit)."""
    main = client.app("main")
    await main.kf_account_list()
    await client.close()
    with pytest.raises(RuntimeError, match="closed"):
        await main.kf_account_list()


async def test_the_clock_skew_follows_the_date_header_parsed_once_per_value(
    client: WeComClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every answer's Date header moves the skew estimate; a header seen just before (the
    same second of WeCom's clock) is not parsed again."""
    import time
    from email.utils import formatdate

    from bot.wecom import client as client_module

    parsed: list[str] = []
    real = client_module.parsedate_to_datetime

    def counting(date: str) -> Any:
        parsed.append(date)
        return real(date)

    monkeypatch.setattr(client_module, "parsedate_to_datetime", counting)
    now = time.time()
    ahead = formatdate(int(now) + 30, usegmt=True)
    client._note_clock(ahead, now)
    client._note_clock(ahead, now)
    assert parsed == [ahead] and client.clock_skew is not None
    assert 28 <= client.clock_skew <= 31
    behind = formatdate(int(now) - 60, usegmt=True)
    client._note_clock(behind, time.time())
    assert parsed == [ahead, behind] and -62 <= client.clock_skew <= -59
    client._note_clock("not a date", time.time())  # ignored, the estimate kept
    assert -62 <= client.clock_skew <= -59
