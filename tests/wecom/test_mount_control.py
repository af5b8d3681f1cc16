"""The sandbox mounted as a sub-app, driven through its HTTP control API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.infra.store import MemoryStore
from bot.settings import WeComConfig
from bot.wecom.client import WeComClient
from sandbox import SEED_CUSTOMERS, SEED_KF, Sandbox, mount_sandbox
from tests.harness.policies import FAST_CLIENT

C1 = SEED_CUSTOMERS[0][0]
PREFIX = "/wecom-sandbox"


@pytest.fixture
async def mounted(sandbox: Sandbox) -> AsyncIterator[str]:
    async def health(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    outer = web.Application()
    outer.router.add_get("/healthz", health)
    mount_sandbox(outer, sandbox, PREFIX)
    srv = TestServer(outer, host="127.0.0.1")
    await srv.start_server()
    try:
        yield str(srv.make_url(PREFIX))
    finally:
        await srv.close()


async def test_mounted_sandbox_serves_client_and_control(
    config: WeComConfig, sandbox: Sandbox, mounted: str
) -> None:
    client = WeComClient(config, MemoryStore(), base_url=mounted, retry=FAST_CLIENT)
    async with aiohttp.ClientSession() as http:

        async def control(action: str, body: dict[str, object]) -> dict[str, object]:
            async with http.post(f"{mounted}/sandbox/{action}", json=body) as resp:
                assert resp.status == 200, await resp.text()
                return dict(await resp.json())

        async def read(path: str) -> dict[str, object]:
            async with http.get(f"{mounted}/sandbox/{path}") as resp:
                assert resp.status == 200
                return dict(await resp.json())

        said = await control(
            "kf/customer_says", {"open_kfid": SEED_KF, "external_userid": C1, "text": "你好"}
        )
        main = client.app("main")
        sync = await main.kf_sync_msg(open_kfid=SEED_KF, token=str(said["token"]))
        assert sync["msg_list"][0]["text"]["content"] == "你好"
        await main.kf_send_text(C1, SEED_KF, "您好！")
        inbox = await read(f"inbox/{C1}")
        assert inbox["inbox"][-1]["payload"] == {"content": "您好！"}  # type: ignore[index]

        await control("tokens/invalidate", {"app": "main"})
        await main.kf_account_list()
        await control("faults", {"busy_burst": 1})
        await main.kf_account_list()
        await control("clock/advance", {"seconds": 10})

        mention = await control("aibot/mention", {"userid": "lina", "text": "@bot hi"})
        assert str(mention["response_url"]).startswith(f"{mounted}/cgi-bin/aibot/response?")

        created = await control("groups/create", {"owner": "zhangwei", "name": "A001"})
        joined = await control(
            "groups/join", {"external_userid": C1, "chat_id": created["chat_id"]}
        )
        assert joined["chat_id"] == created["chat_id"]
        task = await main.add_msg_template(
            chat_type="group", sender="zhangwei", chat_id_list=[str(created["chat_id"])], text="t"
        )
        await control("tasks/confirm", {"msgid": task["msgid"]})
        added = await control("contact/add", {"userid": "lina", "external_userid": "wmCtl1"})
        gone = await control("contact/customer_deletes",
                             {"external_userid": added["external_userid"], "userid": "lina"})
        assert gone["change"] == "del_follow_user"
        async with http.post(f"{mounted}/sandbox/contact/staff_deletes",
                             json={"userid": "lina", "external_userid": "wmCtl1"}) as resp:
            assert resp.status == 400  # no longer her contact
        world = await read("world")
        assert any(g["chat_id"] == created["chat_id"] for g in world["world"]["groups"])  # type: ignore[index]

        calls: Any = (await read("calls"))["calls"]
        codes = [(c["path"], c["errcode"]) for c in calls]
        assert ("kf/account/list", 40014) in codes and ("kf/account/list", -1) in codes
        assert codes.count(("gettoken", 0)) == 2
        text = str(calls)
        assert "access_token" not in text and "main-secret-value" not in text

        async with http.post(f"{mounted}/sandbox/kf/customer_says", json={}) as resp:
            assert resp.status == 400
        async with http.post(
            f"{mounted}/sandbox/kf/customer_says",
            json={"open_kfid": "wkNope", "external_userid": C1, "text": "x"},
        ) as resp:
            assert resp.status == 400 and (await resp.json())["errcode"] == 95004
        async with http.get(f"{mounted}/cgi-bin/kf/nope") as resp:
            assert resp.status == 404
        async with http.post(f"{mounted}/cgi-bin/kf/account/list?access_token=zzz") as resp:
            assert (await resp.json())["errcode"] == 40014
        async with http.post(f"{mounted}/cgi-bin/kf/account/list") as resp:
            assert (await resp.json())["errcode"] == 41001
        async with http.get(f"{mounted}/cgi-bin/gettoken?corpid=wrong&corpsecret=x") as resp:
            assert (await resp.json())["errcode"] == 40013
    await client.close()


async def test_bad_json_body_is_47001(client: WeComClient, sandbox: Sandbox) -> None:
    main = client.app("main")
    token = await main.tokens.get()
    url = f"{client.base_url}/cgi-bin/kf/sync_msg"
    async with aiohttp.ClientSession() as http:
        async with http.post(url, params={"access_token": token}, data=b"{not json") as resp:
            assert (await resp.json())["errcode"] == 47001


def test_client_needs_a_base_url_for_the_sandbox(config: WeComConfig) -> None:
    with pytest.raises(ValueError):
        WeComClient(config, MemoryStore())
    real = config.model_copy(update={"api_base": "https://qyapi.weixin.qq.com"})
    assert WeComClient(real, MemoryStore()).base_url == "https://qyapi.weixin.qq.com"
