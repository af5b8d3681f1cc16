"""An errcode bot.protocol.errors does not name: logged once per code, counted every time."""

from __future__ import annotations

from typing import Any

import pytest
from structlog.testing import capture_logs

from bot.protocol.errors import WeComAPIError
from bot.wecom import unknown_codes
from bot.wecom.client import WeComClient
from sandbox import Sandbox
from sandbox.model import SandboxError


async def test_unknown_codes_are_logged_once_and_counted(client: WeComClient,
                                                         sandbox: Sandbox) -> None:
    unknown_codes.reset()
    main = client.app("main")
    answers = iter([96001, 96001, 96002, 40058])

    def refusing(body: dict[str, Any]) -> dict[str, Any]:
        raise SandboxError(next(answers), "odd thing, hint: [x], access_token=abc123")

    sandbox.kf_endpoints.account_list = refusing  # type: ignore[method-assign]
    with capture_logs() as logs:
        for _ in range(4):
            with pytest.raises(WeComAPIError):
                await main.kf_account_list()
    assert unknown_codes.counts() == {96001: 2, 96002: 1}  # 40058 is a known code
    lines = [e for e in logs if e["event"] == "wecom.unknown_errcode"]
    assert [(e["errcode"], e["api"]) for e in lines] == [(96001, "kf/account/list"),
                                                        (96002, "kf/account/list")]
    assert "odd thing" in lines[0]["errmsg"] and "abc123" not in repr(logs)
