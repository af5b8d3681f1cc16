"""The media library: uploads checked against WeCom's type and size limits (a clear Chinese
error, nothing saved), stored, listed, downloaded, refused for deletion while in use."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from aiohttp import FormData
from aiohttp.test_utils import TestClient

from bot.api_access import create_token
from bot.models import MediaAsset
from sandbox.contact_ways import QR_PNG
from tests.harness.admin import Admin
from tests.harness.service import services_of

pytestmark = pytest.mark.asyncio(loop_scope="module")
MB = 1024 * 1024
GIF = b"GIF89a" + b"\0" * 64
MP4 = b"\0\0\0\x18ftypmp42" + b"\0" * 64


async def upload(client: TestClient, headers: dict[str, str], data: bytes, name: str,
                 kind: str | None = None) -> tuple[int, dict]:
    form = FormData()
    if kind is not None:
        form.add_field("kind", kind)
    form.add_field("file", data, filename=name, content_type="application/octet-stream")
    resp = await client.post("/api/v1/media", data=form, headers=headers)
    return resp.status, await resp.json()


async def _admin(client: TestClient) -> Admin:
    return Admin(client, await create_token(f"adm-{secrets.token_hex(4)}", "admin"))


def _files(client: TestClient) -> list[Path]:
    root = Path(services_of(client).settings.customers.media_dir)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(("data", "name", "kind", "words"), [
    (b"\0" * (21 * MB), "big.zip", None, "20 MB"),
    (b"\0" * (11 * MB) + MP4, "big.mp4", "video", "10 MB"),
    (GIF, "cat.gif", "image", "JPG、PNG"),
    (b"%PDF-1.4" + b"\0" * 32, "doc.pdf", "sticker", "不支持的素材类型"),
    (QR_PNG[:5], "tiny.png", "image", "5 个字节"),
    (MP4, "clip.mp4", "voice", "AMR"),
])
async def test_uploads_wecom_would_refuse_are_refused_clearly_and_nothing_saved(
    module_client: TestClient, data: bytes, name: str, kind: str | None, words: str,
) -> None:
    admin = await _admin(module_client)
    status, err = await upload(module_client, admin.headers, data, name, kind)
    assert status == 400, err
    assert words in err["error"]["message"] and err["error"]["field"] in ("file", "kind")
    assert not await MediaAsset.exists()
    assert _files(module_client) == []


async def test_not_multipart_or_malformed_is_a_400(module_client: TestClient) -> None:
    admin = await _admin(module_client)
    status, err = await admin.call("POST", "/media", {"file": "x"})
    assert status == 400 and "multipart" in err["error"]["message"]
    # A part header with control characters (found by schemathesis): a 400, never a 500.
    body = (b"--b0\r\nContent-Disposition: form-data; name=\"\x85\x1e\x14\"\r\n\r\nx\r\n"
            b"--b0--\r\n")
    resp = await module_client.post("/api/v1/media", data=body, headers={
        **admin.headers, "Content-Type": "multipart/form-data; boundary=b0"})
    assert resp.status == 400 and "multipart" in (await resp.json())["error"]["message"]


async def test_upload_list_download_and_delete(module_client: TestClient) -> None:
    admin = await _admin(module_client)
    status, png = await upload(module_client, admin.headers, QR_PNG, "二维码.png")
    assert status == 201, png
    assert (png["kind"], png["content_type"], png["size"], png["uploads"]) == (
        "image", "image/png", len(QR_PNG), 0)
    status, video = await upload(module_client, admin.headers, MP4, "clip.mp4")
    assert status == 201 and video["kind"] == "video"
    status, page = await admin.call("GET", "/media?kind=image&page=1&page_size=10")
    assert page["total"] == 1 and page["items"][0]["id"] == png["id"]
    status, page = await admin.call("GET", "/media?q=clip")
    assert [m["id"] for m in page["items"]] == [video["id"]]
    resp = await module_client.get(f"/api/v1/media/{png['id']}/content", headers=admin.headers)
    assert resp.status == 200 and await resp.read() == QR_PNG
    # In use by a welcome: not deleted, and told where.
    status, welcome = await admin.call("POST", "/welcome-texts", {
        "userid": "lina", "text": "你好", "attachments": [
            {"msgtype": "image", "image": {"media": png["id"]}}]})
    assert status == 201, welcome
    status, err = await admin.call("POST", "/welcome-texts", {
        "userid": "zhangwei", "text": "你好", "attachments": [
            {"msgtype": "image", "image": {"media": video["id"]}}]})
    assert status == 400 and "需要图片" in err["error"]["message"]
    status, err = await admin.call("DELETE", f"/media/{png['id']}")
    assert status == 409 and "欢迎语" in err["error"]["message"]
    resp = await module_client.delete(f"/api/v1/welcome-texts/{welcome['id']}",
                                      headers=admin.headers)
    assert resp.status == 204
    for media in (png, video):
        resp = await module_client.delete(f"/api/v1/media/{media['id']}", headers=admin.headers)
        assert resp.status == 204
    assert not await MediaAsset.exists() and _files(module_client) == []
