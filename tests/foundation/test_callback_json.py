"""An app's callbacks in JSON (protocol-2.md §9) on the same URL as XML, taken per request:
the passive reply in the request's format, the inbox row decoded by the job in its format."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable

import pytest

from bot.models import ContactEvent, InboxStatus
from bot.protocol.safexml import parse_xml
from bot.settings import Settings
from tests.harness.callbacks import Signed, inbox_rows, post_callback
from tests.harness.service import serving
from tests.harness.waiting import wait_for


def text_json(signed: Signed, content: str, user: str = "lisi") -> str:
    # As the official JSON sample: CreateTime, MsgId and AgentID are numbers.
    return json.dumps({"ToUserName": signed.corp_id, "FromUserName": user,
                       "CreateTime": int(time.time()), "MsgType": "text", "Content": content,
                       "MsgId": uuid.uuid4().int >> 65, "AgentID": signed.cfg.agent_id},
                      ensure_ascii=False)


async def test_json_and_xml_on_one_url_each_answered_in_its_format(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings()
    signed = Signed(settings)
    async with serving(settings) as client:
        resp = await post_callback(client, signed, text_json(signed, "帮助"), as_json=True)
        assert resp.status == 200 and resp.content_type == "application/json"
        envelope = await resp.json()
        assert set(envelope) == {"encrypt", "msgsignature", "timestamp", "nonce"}
        assert all(isinstance(v, str) for v in envelope.values())
        reply = json.loads(signed.crypto.decrypt(envelope["msgsignature"],
                                                 envelope["timestamp"], envelope["nonce"],
                                                 envelope["encrypt"]))
        assert (reply["ToUserName"], reply["FromUserName"], reply["MsgType"]) == (
            "lisi", settings.wecom.corp_id, "text")
        assert isinstance(reply["CreateTime"], int) and "可用命令" in reply["Content"]
        # The very next callback comes as XML (the admin switched back): answered in XML.
        resp = await post_callback(client, signed, signed.text_message("帮助", user="lisi"))
        assert resp.status == 200
        xml_reply = parse_xml(await resp.read())
        assert set(xml_reply) == {"Encrypt", "MsgSignature", "TimeStamp", "Nonce"}
        assert [(r.fmt, r.status) for r in await inbox_rows()] == [
            ("app-json", InboxStatus.DONE), ("xml", InboxStatus.DONE)]


async def test_json_event_is_stored_as_json_and_handled_by_the_job(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings()
    signed = Signed(settings)
    # A 客户联系 event in JSON, numbers as numbers (the JSON names are read by the XML names).
    event = json.dumps({"ToUserName": signed.corp_id, "FromUserName": "sys",
                        "CreateTime": int(time.time()), "MsgType": "event",
                        "Event": "change_external_contact", "ChangeType": "del_follow_user",
                        "UserID": "zhangwei", "ExternalUserID": "wmJsonCustomer"})
    async with serving(settings) as client:
        resp = await post_callback(client, signed, event, as_json=True)
        assert resp.status == 200 and await resp.read() == b""
        (row,) = await inbox_rows()
        assert (row.fmt, row.event_type) == ("app-json",
                                             "change_external_contact.del_follow_user")
        lost = await wait_for(_lost)
        assert (lost.userid, lost.external_userid) == ("zhangwei", "wmJsonCustomer")
        await wait_for(lambda: _done(row.id))


async def _lost() -> ContactEvent | None:
    return await ContactEvent.get_or_none(change="del_follow_user")


async def _done(row_id: int) -> bool:
    return [r.status for r in await inbox_rows() if r.id == row_id] == [InboxStatus.DONE]


@pytest.mark.parametrize(("case", "status"), [
    ("neither", 400), ("json_array", 400), ("json_no_encrypt", 400), ("json_broken", 400),
    ("json_bad_signature", 403), ("xml_to_aibot", 400), ("json_not_json_inside", 400),
])
async def test_bad_json_input_is_rejected_and_nothing_stored(
    mode_settings: Callable[..., Settings], case: str, status: int,
) -> None:
    settings = mode_settings()
    signed = Signed(settings)
    params, body = signed.post(text_json(signed, "hi"), as_json=True)
    path = "/wecom/callback/main"
    if case == "neither":
        body = b"  encrypt=abc"
    elif case == "json_array":
        body = b'[{"encrypt": "abc"}]'
    elif case == "json_no_encrypt":
        body = json.dumps({"tousername": signed.corp_id, "agentid": "1"}).encode()
    elif case == "json_broken":
        body = b'{"encrypt": "abc"'
    elif case == "json_bad_signature":
        params["msg_signature"] = "0" * 40
    elif case == "xml_to_aibot":
        bot = Signed(settings, "aibot")
        params, _ = bot.post("{}")
        body = b"<xml><Encrypt>abc</Encrypt></xml>"
        path = "/wecom/callback/aibot"
    elif case == "json_not_json_inside":
        # A JSON envelope whose decrypted plaintext is not a JSON object.
        params, body = signed.post(signed.text_message("hi"), as_json=True)
    async with serving(settings) as client:
        resp = await client.post(path, params=params, data=body)
        assert resp.status == status
        assert await resp.read() == b""
        assert await inbox_rows() == []

