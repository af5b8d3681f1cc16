"""No token or secret reaches a log line; run_sandbox serves on its own port."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
import pytest
from structlog.testing import capture_logs

from bot.protocol.errors import WeComAPIError
from bot.settings import WeComConfig
from bot.wecom.client import WeComClient
from sandbox import SEED_KF, Sandbox, run_sandbox


async def test_logs_carry_no_token_or_secret(client: WeComClient, sandbox: Sandbox) -> None:
    main = client.app("main")
    with capture_logs() as logs:
        await main.kf_account_list()
        sandbox.corp.invalidate_tokens()
        sandbox.set_faults(busy_burst=1)
        await main.kf_account_list()
        with pytest.raises(WeComAPIError):
            await main.kf_send_text("wmNobody", SEED_KF, "secret message body")
    token = await main.tokens.get()
    text = repr(logs)
    assert logs and token not in text
    assert "main-secret-value" not in text and "secret message body" not in text
    assert any(entry.get("errcode") == 40014 for entry in logs)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_run_sandbox(config: WeComConfig) -> None:
    port = _free_port()
    task = asyncio.create_task(run_sandbox("127.0.0.1", port, config, None))
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(100):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/sandbox/world") as resp:
                        world = await resp.json()
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.02)
            else:
                raise AssertionError("sandbox did not start")
        assert world["world"]["kf_accounts"][0]["open_kfid"] == SEED_KF
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
