"""App callbacks in JSON (protocol-2.md §9): the same names as the XML elements, numbers as
JSON numbers or strings; every app event parses the same from either format."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.protocol import events as ev
from bot.protocol.events import UnknownEvent, dedupe_key, parse
from bot.protocol.safexml import build_xml

# The official JSON sample (wwgo json_callback/sample.go): CreateTime/MsgId/AgentID numeric.
DOC_TEXT = {"ToUserName": "wx5823bf96d3bd56c7", "FromUserName": "mycreate",
            "CreateTime": 1409659813, "MsgType": "text", "Content": "hello",
            "MsgId": 4561255354251345929, "AgentID": 218}


def test_doc_sample_parses_like_the_xml() -> None:
    as_json = parse(json.dumps(DOC_TEXT), fmt="app-json")
    as_xml = parse(build_xml(DOC_TEXT))
    assert isinstance(as_json, ev.TextMessage)
    assert (as_json.content, as_json.from_user_name, as_json.create_time, as_json.agent_id,
            as_json.msg_id) == ("hello", "mycreate", 1409659813, 218, "4561255354251345929")
    assert as_json == as_xml  # raw is not compared; every field is
    # One message, one inbox key, whichever format it came in.
    assert dedupe_key(as_json, json.dumps(DOC_TEXT)) == "msg:4561255354251345929"


def _event(**fields: Any) -> dict[str, Any]:
    return {"ToUserName": "ww1", "FromUserName": "sys", "CreateTime": 1403610513,
            "MsgType": "event", **fields}


CONTACT = dict(Event="change_external_contact", UserID="zhangsan", ExternalUserID="wmA")
CHAT = dict(Event="change_external_chat", ChatId="wrA")

# (payload, class, expected fields). Event field names in JSON are UNCONFIRMED: they are read
# by the XML element names, and numbers are taken whether they come as numbers or strings.
CASES: list[tuple[dict[str, Any], type[ev.Event], dict[str, Any]]] = [
    (_event(**CONTACT, ChangeType="add_external_contact", State="s1", WelcomeCode="W"),
     ev.AddExternalContactEvent, {"state": "s1", "welcome_code": "W", "time_boxed": True}),
    (_event(**CONTACT, ChangeType="add_half_external_contact", State="s1", WelcomeCode="W"),
     ev.AddHalfExternalContactEvent, {"state": "s1"}),
    (_event(**CONTACT, ChangeType="edit_external_contact"), ev.EditExternalContactEvent,
     {"user_id": "zhangsan", "external_user_id": "wmA"}),
    (_event(**CONTACT, ChangeType="del_external_contact", Source="DELETE_BY_TRANSFER"),
     ev.DelExternalContactEvent, {"source": "DELETE_BY_TRANSFER"}),
    (_event(**CONTACT, ChangeType="del_follow_user"), ev.DelFollowUserEvent, {}),
    (_event(**CONTACT, ChangeType="transfer_fail", FailReason="customer_refused"),
     ev.TransferFailEvent, {"fail_reason": "customer_refused"}),
    (_event(**CHAT, ChangeType="dismiss"), ev.ExternalChatDismissEvent, {"chat_id": "wrA"}),
    (_event(**CHAT, ChangeType="update", UpdateDetail="add_member", JoinScene=3,
            MemChangeCnt=2, MemChangeList={"Item": ["wmA", "wmB"]}, LastMemVer="a",
            CurMemVer="b"),
     ev.ExternalChatUpdateEvent,
     {"join_scene": 3, "mem_change_cnt": 2, "mem_change_list": ("wmA", "wmB")}),
    # The list may as well come as a plain array, the numbers as strings.
    (_event(**CHAT, ChangeType="update", UpdateDetail="del_member", QuitScene="1",
            MemChangeCnt="1", MemChangeList=["wmA"]),
     ev.ExternalChatUpdateEvent, {"quit_scene": 1, "mem_change_cnt": 1,
                                  "mem_change_list": ("wmA",)}),
    (_event(**CHAT, ChangeType="update", UpdateDetail="del_member", MemChangeList={"Item": "wmA"}),
     ev.ExternalChatUpdateEvent, {"mem_change_list": ("wmA",)}),
    (_event(Event="kf_msg_or_event", Token="T", OpenKfId="wk1"), ev.KfMsgOrEvent,
     {"token": "T", "open_kf_id": "wk1"}),
    (_event(Event="change_external_tag", ChangeType="create", Id="et1", TagType="tag",
            StrategyId=7), ev.ExternalTagChangeEvent, {"tag_id": "et1", "strategy_id": 7}),
    (_event(Event="template_card_event", EventKey="k", TaskId="t", AgentID="1000002"),
     ev.TemplateCardEvent, {"event_key": "k", "agent_id": 1000002}),
]


@pytest.mark.parametrize(("payload", "cls", "expected"), CASES,
                         ids=[f"{c[1].__name__}-{i}" for i, c in enumerate(CASES)])
def test_events_parse_from_json(payload: dict[str, Any], cls: type[ev.Event],
                                expected: dict[str, Any]) -> None:
    event = parse(json.dumps(payload), fmt="app-json")
    assert type(event) is cls
    assert event.create_time == 1403610513  # type: ignore[attr-defined]
    for name, value in expected.items():
        assert getattr(event, name) == value, name


def test_unknown_app_json_keeps_its_family() -> None:
    payload = _event(Event="brand_new", MsgId=99)
    event = parse(json.dumps(payload), fmt="app-json")
    assert isinstance(event, UnknownEvent) and event.fmt == "app-json"
    assert event.event_name == "brand_new"
    assert dedupe_key(event, json.dumps(payload)) == "msg:99"  # an app MsgId, not an aibot id


def test_aibot_json_is_not_read_as_an_app_callback() -> None:
    aibot = json.dumps({"msgid": "M1", "msgtype": "text", "text": {"content": "hi"},
                        "from": {"userid": "u"}})
    assert isinstance(parse(aibot, fmt="aibot"), ev.AibotText)
    assert isinstance(parse(aibot, fmt="app-json"), UnknownEvent)  # no MsgType: not an app's
    assert isinstance(parse(json.dumps(DOC_TEXT), fmt="aibot"), UnknownEvent)
