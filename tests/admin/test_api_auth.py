"""Admin API: bearer tokens with roles, JSON errors, the OpenAPI document.

One service per mode answers the module: only the token test writes, and it alone reads
the token list.
"""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient

from bot.api_access import create_token

pytestmark = pytest.mark.asyncio(loop_scope="module")  # the loop module_client runs in


async def test_tokens_roles_and_errors(module_client: TestClient) -> None:
    client = module_client
    admin = await create_token("root", "admin")
    viewer = await create_token("eve", "viewer")
    h_admin = {"Authorization": f"Bearer {admin}"}
    h_viewer = {"Authorization": f"Bearer {viewer}"}

    resp = await client.get("/api/v1/tokens")
    assert resp.status == 401
    assert (await resp.json())["error"]["code"] == "unauthorized"
    resp = await client.get("/api/v1/tokens", headers={"Authorization": "Bearer wbt_nope"})
    assert resp.status == 401
    resp = await client.get("/api/v1/tokens", headers=h_viewer)
    assert resp.status == 403 and (await resp.json())["error"]["code"] == "forbidden"
    me = await (await client.get("/api/v1/me", headers=h_viewer)).json()
    assert me == {"name": "eve", "role": "viewer", "display_name": None}  # not a member

    resp = await client.post("/api/v1/tokens", headers=h_admin,
                             json={"name": "spec1", "role": "specialist"})
    assert resp.status == 201
    new = await resp.json()
    assert new["token"].startswith("wbt_") and new["role"] == "specialist"
    dup = await client.post("/api/v1/tokens", headers=h_admin,
                            json={"name": "spec1", "role": "viewer"})
    assert dup.status == 409 and (await dup.json())["error"]["field"] == "name"
    bad = await client.post("/api/v1/tokens", headers=h_admin,
                            json={"name": "x", "role": "god"})
    body = await bad.json()
    assert bad.status == 400 and body["error"]["field"] == "role"
    broken = await client.post("/api/v1/tokens", headers=h_admin, data=b"{not json")
    assert broken.status == 400 and "error" in await broken.json()

    listed = await (await client.get("/api/v1/tokens", headers=h_admin)).json()
    assert [t["name"] for t in listed] == ["root", "eve", "spec1"]
    assert all("token" not in t for t in listed)

    assert (await client.delete("/api/v1/tokens/eve", headers=h_admin)).status == 204
    assert (await client.get("/api/v1/me", headers=h_viewer)).status == 401
    assert (await client.delete("/api/v1/tokens/eve", headers=h_admin)).status == 404
    missing = await client.get("/api/v1/nothing-here", headers=h_admin)
    assert missing.status == 404 and (await missing.json())["error"]["code"] == "not_found"


async def test_openapi_document_lists_every_route(module_client: TestClient) -> None:
    client = module_client
    doc = await (await client.get("/api/v1/openapi.json")).json()
    assert doc["openapi"].startswith("3.")
    assert {"/api/v1/tokens", "/api/v1/tokens/{name}", "/api/v1/me"} <= set(doc["paths"])
    post = doc["paths"]["/api/v1/tokens"]["post"]
    ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.rsplit("/", 1)[1] in doc["components"]["schemas"]
    assert post["security"] == [{"bearer": []}]


async def test_an_over_long_request_line_is_the_documented_plain_400(
    module_client: TestClient,
) -> None:
    """aiohttp's parser refuses a request line over 8,190 bytes before the API sees it, in
    plain text; the document says so for every operation (schemathesis found the gap)."""
    client = module_client
    doc = await (await client.get("/api/v1/openapi.json")).json()
    for path, operations in doc["paths"].items():
        for method, op in operations.items():
            content = op["responses"]["400"]["content"]
            assert {"application/json", "text/plain"} <= set(content), (method, path)
    resp = await client.get("/api/v1/rules?q=" + "x" * 9000)
    assert resp.status == 400 and resp.content_type == "text/plain"
