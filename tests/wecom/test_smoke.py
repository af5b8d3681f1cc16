from __future__ import annotations

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
