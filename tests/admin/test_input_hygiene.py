"""Hostile input the databases cannot hold gets a clear 4xx and changes nothing: NUL
characters in a path, a query or a JSON string (PostgreSQL refuses them), and numeric ids
beyond what an id column holds."""

from __future__ import annotations

from collections.abc import Callable

from bot.api_access import create_token
from bot.models import ChannelCode
from bot.settings import Settings
from tests.harness.service import serving


async def test_nul_characters_and_huge_ids_are_4xx_on_both_databases(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        admin = {"Authorization": "Bearer " + await create_token("adm", "admin")}
        viewer = {"Authorization": "Bearer " + await create_token("view", "viewer")}
        resp = await client.get("/api/v1/orders?stage=a%00b", headers=viewer)
        assert resp.status == 400 and (await resp.json())["error"]["code"] == "invalid_query"
        resp = await client.get("/api/v1/orders/DD%00123", headers=viewer)
        assert resp.status in (400, 404)
        resp = await client.put("/api/v1/channel-codes", headers=admin,
                                json={"code": "expo", "name": "展会\u0000"})
        body = await resp.json()
        assert resp.status == 400 and body["error"]["field"] == "name"
        assert await ChannelCode.filter(code="expo").count() == 0
        for method, path, payload in (
            ("DELETE", "/api/v1/welcome-texts/99999999999", None),
            ("DELETE", "/api/v1/group-welcome-templates/99999999999", None),
            ("PUT", "/api/v1/group-welcome-templates/99999999999",
             {"name": "n", "text": "t"}),
            ("GET", "/api/v1/escalations/999999999999999999/messages", None),
        ):
            resp = await client.request(method, path, headers=admin, json=payload)
            assert resp.status == 404, (method, path, resp.status)
