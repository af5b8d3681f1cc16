"""The team pickers' directory: the members the app sees (its visible range), by name, read
from WeCom (agent/get, user/simplelist, user/get) once per ten minutes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.api_access import create_token
from bot.settings import Settings
from bot.wecom.directory import MEMBERS_KEY
from tests.harness.service import sandbox_of, services_of, serving


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_members_follow_the_visible_range(mode_settings: Callable[..., Settings]) -> None:
    async with serving(mode_settings()) as client:
        sandbox = sandbox_of(client)
        h = {"Authorization": f"Bearer {await create_token('root', 'viewer')}"}
        resp = await client.get("/api/v1/directory/members", headers=h)
        assert resp.status == 200
        everyone = await resp.json()
        assert {"userid": "zhangwei", "name": "张伟"} in everyone
        assert int(resp.headers["X-Total-Count"]) == len(everyone) == len(sandbox.corp.staff)
        # Cached: a second read asks WeCom nothing.
        calls = len(sandbox.calls)
        resp = await client.get("/api/v1/directory/members", headers=h, params={"q": "zhang"})
        assert [m["userid"] for m in await resp.json()] == ["zhangwei"]
        assert len(sandbox.calls) == calls

        # An app that sees two members, not the whole corp: user/simplelist of department 1
        # would be refused (60011), so those two are read one by one.
        sandbox.corp.admin["main"].visible_users = {"zhangwei", "lina"}
        await services_of(client).store.delete(MEMBERS_KEY)
        resp = await client.get("/api/v1/directory/members", headers=h)
        assert await resp.json() == [{"userid": "zhangwei", "name": "张伟"},
                                     {"userid": "lina", "name": "李娜"}]
        assert not [c for c in sandbox.calls[calls:] if c["path"] == "user/simplelist"]

        # A bad page is a Chinese 400, not a 500.
        resp = await client.get("/api/v1/directory/members", headers=h,
                                params={"page": "0"})
        assert resp.status == 400 and (await resp.json())["error"]["field"] == "page"
