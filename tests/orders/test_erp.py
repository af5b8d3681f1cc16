"""ERP requests: API keys stored hashed, HMAC signatures, the time window, replays."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import pytest

from bot.cli import main as cli_main
from bot.models import ApiKey, Order
from bot.orders import erp
from bot.settings import Settings
from tests.harness.service import serving
from tests.orders.helpers import TEAM, orders_settings

ORDER = {"order_no": "ERP0000001", "customer": {"name": "赵先生", "phone": "13900000000"},
         "team": TEAM}


def signed(key_id: str, secret: str, body: bytes, ts: int | None = None,
           sig: str | None = None, method: str = "POST", path: str = "/api/v1/orders"
           ) -> dict[str, str]:
    stamp = str(int(time.time()) if ts is None else ts)
    return {"X-Api-Key": key_id, "X-Timestamp": stamp, "Content-Type": "application/json",
            "X-Signature": sig or erp.sign(secret, method, path, stamp, body)}


async def test_signed_requests(embedded_settings: Callable[..., Settings]) -> None:
    settings = orders_settings(embedded_settings)
    async with serving(settings) as client:
        key_id, secret = await erp.create_key(settings, "erp-main")
        row = await ApiKey.get(key_id=key_id)
        assert secret not in (row.secret_hash, row.key_id)  # only a hash is kept
        body = json.dumps(ORDER).encode()

        async def send(headers: dict[str, str], data: bytes = body) -> tuple[int, dict]:
            resp = await client.post("/api/v1/orders", data=data, headers=headers)
            return resp.status, await resp.json()

        headers = signed(key_id, secret, body)
        status, data = await send(headers)
        assert status == 201 and data["order_no"] == "ERP0000001"
        # The very same request again is a replay.
        status, err = await send(headers)
        assert status == 401 and "replay" in err["error"]["message"]
        # Wrong signature, a tampered body, a stale or future timestamp, a missing header,
        # an unknown key: 401, and nothing is created.
        other = json.dumps({**ORDER, "order_no": "ERP0000002"}).encode()
        bad = [
            signed(key_id, secret, other, sig="0" * 64),
            signed(key_id, secret, body),  # signed for another body than the one sent
            # A minute past the 300 s window either way: the requests before these take time,
            # and a future stamp only one second out would come inside the window meanwhile.
            signed(key_id, secret, other, ts=int(time.time()) - 360),
            signed(key_id, secret, other, ts=int(time.time()) + 360),
            {k: v for k, v in signed(key_id, secret, other).items() if k != "X-Timestamp"},
            signed("erp_unknown", secret, other),
            signed(key_id, "not-the-secret", other),
        ]
        for h in bad:
            status, err = await send(h, other)
            assert status == 401, (h, err)
        # No credentials at all: 401 too (neither signature nor bearer).
        status, _ = await send({"Content-Type": "application/json"}, other)
        assert status == 401
        assert await Order.filter(order_no="ERP0000002").count() == 0
        # A signed milestone from the ERP is recorded as such.
        ms = json.dumps({"milestone": "签约", "event_id": "erp-77"}).encode()
        resp = await client.post("/api/v1/orders/ERP0000001/milestones", data=ms,
                                 headers=signed(key_id, secret, ms,
                                                path="/api/v1/orders/ERP0000001/milestones"))
        assert resp.status == 201 and (await resp.json())["source"] == "erp"
        # The ERP may not manage pipelines or tokens.
        resp = await client.get("/api/v1/tokens", headers=signed(key_id, secret, b"",
                                                                  method="GET",
                                                                  path="/api/v1/tokens"))
        assert resp.status in (401, 403)
        # Revoked: refused.
        assert await erp.revoke_key("erp-main")
        status, err = await send(signed(key_id, secret, other), other)
        assert status == 401 and "已吊销" in err["error"]["message"]


async def test_a_signature_covers_the_method_the_path_and_the_query(
    embedded_settings: Callable[..., Settings],
) -> None:
    settings = orders_settings(embedded_settings)
    async with serving(settings) as client:
        key_id, secret = await erp.create_key(settings, "erp-paths")
        for no in ("ERP0000010", "ERP0000011"):
            body = json.dumps({**ORDER, "order_no": no}).encode()
            assert (await client.post("/api/v1/orders", data=body, headers=signed(
                key_id, secret, body))).status == 201
        ms = json.dumps({"milestone": "签约", "event_id": "erp-path-1"}).encode()
        for_a = signed(key_id, secret, ms, path="/api/v1/orders/ERP0000010/milestones")
        # The body signed for order A, sent to order B: refused, nothing recorded.
        resp = await client.post("/api/v1/orders/ERP0000011/milestones", data=ms,
                                 headers=for_a)
        assert resp.status == 401
        # An empty-body signature for one GET does not open another.
        one = signed(key_id, secret, b"", method="GET", path="/api/v1/orders?limit=1")
        assert (await client.get("/api/v1/orders?limit=500", headers=one)).status == 401
        assert (await client.get("/api/v1/orders?limit=1", headers=one)).status == 200
        # A POST's signature used for a DELETE-free method swap: PATCH refused.
        patch = json.dumps({"note": "x"}).encode()
        as_post = signed(key_id, secret, patch, path="/api/v1/orders/ERP0000010")
        assert (await client.patch("/api/v1/orders/ERP0000010", data=patch,
                                   headers=as_post)).status == 401
        # A 400-digit timestamp is a 401, not a 500.
        huge = {**signed(key_id, secret, b"", method="GET", path="/api/v1/orders"),
                "X-Timestamp": "9" * 400}
        assert (await client.get("/api/v1/orders", headers=huge)).status == 401
        own = signed(key_id, secret, b"", method="GET", path="/api/v1/orders/ERP0000010")
        assert (await client.get("/api/v1/orders/ERP0000010", headers=own)).status == 200


async def test_rotated_master_secret_invalidates_keys(
    embedded_settings: Callable[..., Settings],
) -> None:
    settings = orders_settings(embedded_settings)
    async with serving(settings):
        key_id, secret = await erp.create_key(settings, "erp-old")
        rotated = settings.model_copy(update={"erp_signing_secret": type(
            settings.erp_signing_secret)("a-completely-new-master-secret!!")})
        with pytest.raises(erp.SignatureError, match="predates"):
            await erp.verify(rotated, _Store(), signed(key_id, secret, b"{}"), "POST",
                             "/api/v1/orders", b"{}")
        with pytest.raises(erp.KeyNameTaken):
            await erp.create_key(settings, "erp-old")
        unconfigured = settings.model_copy(update={"erp_signing_secret": type(
            settings.erp_signing_secret)("")})
        with pytest.raises(erp.SignatureError, match="未配置 ERP 签名密钥"):
            await erp.create_key(unconfigured, "erp-new")


async def test_the_time_window_edges(embedded_settings: Callable[..., Settings]) -> None:
    """300 s either side of the server's clock is inside the window; one second more is not."""
    settings = orders_settings(embedded_settings)
    async with serving(settings):
        key_id, secret = await erp.create_key(settings, "erp-window")
        stamp = 1_800_000_000
        headers = signed(key_id, secret, b"{}", ts=stamp)
        for now in (stamp - 300, stamp + 300):
            row = await erp.verify(settings, _Store(), headers, "POST", "/api/v1/orders",
                                   b"{}", now=now)
            assert row is not None and row.key_id == key_id
        for now in (stamp - 301, stamp + 301, stamp + 300.5):
            with pytest.raises(erp.SignatureError, match="时间窗口"):
                await erp.verify(settings, _Store(), headers, "POST", "/api/v1/orders",
                                 b"{}", now=now)


class _Store:
    async def set_if_absent(self, key: str, value: str, ttl: float | None = None) -> bool:
        return True


def test_cli_creates_and_revokes_api_keys(tmp_path: object, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WECOM_BOT_DATABASE_URL", f"sqlite://{tmp_path}/cli.sqlite3")
    monkeypatch.setenv("WECOM_BOT_ERP_SIGNING_SECRET", "cli-master-secret-0123456789")
    assert cli_main(["admin", "create-api-key", "--name", "erp"]) == 0
    out = capsys.readouterr().out
    assert "key id:  erp_" in out and "secret:  " in out
    assert cli_main(["admin", "create-api-key", "--name", "erp"]) == 1
    assert cli_main(["admin", "revoke-api-key", "erp"]) == 0
    assert cli_main(["admin", "revoke-api-key", "erp"]) == 1
    monkeypatch.setenv("WECOM_BOT_ERP_SIGNING_SECRET", "")
    assert cli_main(["admin", "create-api-key", "--name", "erp2"]) == 2
    assert "未配置 ERP 签名密钥" in capsys.readouterr().err
