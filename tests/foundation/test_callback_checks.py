"""Callbacks the service refuses (signature, timestamp, receiver id, ciphertext, XML,
parameters, size, app) and the URL check, in both modes.

The cases differ only in their input and store nothing, so one service per mode answers
them all; every case still asserts that the inbox is empty.
"""

from __future__ import annotations

import time

import pytest
from aiohttp.test_utils import TestClient

from bot.protocol.safexml import parse_xml
from tests.harness.callbacks import Signed, inbox_rows
from tests.harness.service import services_of

pytestmark = pytest.mark.asyncio(loop_scope="module")  # the loop module_client runs in


async def test_url_verification_echoes_plaintext(module_client: TestClient) -> None:
    client = module_client
    settings = services_of(client).settings
    signed = Signed(settings)
    ts, nonce = str(int(time.time())), "n0nce"
    echostr, sig = signed.crypto.encrypt("1616140317555161061", nonce, ts)
    resp = await client.get("/wecom/callback/main", params={
        "msg_signature": sig, "timestamp": ts, "nonce": nonce, "echostr": echostr})
    assert resp.status == 200
    assert await resp.read() == b"1616140317555161061"
    assert resp.content_type == "text/plain"
    bad = await client.get("/wecom/callback/main", params={
        "msg_signature": "0" * 40, "timestamp": ts, "nonce": nonce, "echostr": echostr})
    assert bad.status == 403 and await bad.read() == b""


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("bad_signature", 403),
        ("stale_timestamp", 403),
        ("future_timestamp", 403),
        ("wrong_receiveid", 403),
        ("tampered_ciphertext", 403),
        ("broken_xml", 400),
        ("doctype", 400),
        ("entity_bomb", 400),
        ("no_encrypt", 400),
        ("missing_params", 400),
        ("oversized", 413),
        ("unknown_app", 404),
    ],
)
async def test_bad_input_is_rejected_and_nothing_stored(
    module_client: TestClient, case: str, status: int
) -> None:
    client = module_client
    settings = services_of(client).settings
    signed = Signed(settings)
    plaintext = signed.text_message("hi")
    params, body = signed.post(plaintext)
    path = "/wecom/callback/main"
    if case == "bad_signature":
        params["msg_signature"] = "f" * 40
    elif case == "stale_timestamp":
        params, body = signed.post(plaintext, timestamp=int(time.time()) - 3600)
    elif case == "future_timestamp":
        params, body = signed.post(plaintext, timestamp=int(time.time()) + 3600)
    elif case == "wrong_receiveid":
        from bot.protocol.crypto import WeComCrypto

        other = WeComCrypto(signed.cfg.token.get_secret_value(),
                            signed.cfg.encoding_aes_key.get_secret_value(), "ww_other_corp")
        enc, sig = other.encrypt(plaintext, params["nonce"], params["timestamp"])
        params["msg_signature"] = sig
        body = f"<xml><Encrypt><![CDATA[{enc}]]></Encrypt></xml>".encode()
    elif case == "tampered_ciphertext":
        # Garble the last cipher block: its padding and receiveid tail no longer check out.
        enc = parse_xml(body)["Encrypt"]
        i = len(enc.rstrip("=")) - 4
        flipped = enc[:i] + ("A" if enc[i] != "A" else "B") + enc[i + 1:]
        from bot.protocol.crypto import signature

        params["msg_signature"] = signature(signed.cfg.token.get_secret_value(),
                                            params["timestamp"], params["nonce"], flipped)
        body = f"<xml><Encrypt><![CDATA[{flipped}]]></Encrypt></xml>".encode()
    elif case == "broken_xml":
        body = b"<xml><Encrypt>abc</Encrypt"
    elif case == "doctype":
        body = b'<!DOCTYPE xml SYSTEM "file:///etc/passwd"><xml><Encrypt>a</Encrypt></xml>'
    elif case == "entity_bomb":
        body = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><xml><Encrypt>&lol2;</Encrypt></xml>')
    elif case == "no_encrypt":
        body = b"<xml><ToUserName>x</ToUserName></xml>"
    elif case == "missing_params":
        params.pop("nonce")
    elif case == "oversized":
        body = b"<xml><Encrypt>" + b"A" * (settings.max_body_bytes + 10) + b"</Encrypt></xml>"
    elif case == "unknown_app":
        path = "/wecom/callback/nope"
    resp = await client.post(path, params=params, data=body)
    assert resp.status == status
    assert await resp.read() == b""
    assert await inbox_rows() == []
