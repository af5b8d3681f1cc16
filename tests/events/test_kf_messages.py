"""events.parse_kf_message: typed items of a kf/sync_msg msg_list (protocol.md §3.1)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.protocol import events as ev
from bot.protocol.events import EVENT_CLASSES, KfMessage, dedupe_key, parse_kf_message

KFID = "wkAJ2GCAAASSm4_FhToWMFea0xAFfd3Q"
EXT = "wmAJ2GCAAAme1XQRC-NI-q0_ZM9ukoAw"


def item(msgtype: str, **payload: Any) -> dict[str, Any]:
    return {
        "msgid": "from_msgid_4622416642169452483",
        "open_kfid": KFID,
        "external_userid": EXT,
        "send_time": 1615478585,
        "origin": 3,
        "msgtype": msgtype,
        **payload,
    }


def event_item(event_type: str, **fields: Any) -> dict[str, Any]:
    return {
        "msgid": "EVT_MSGID",
        "send_time": 1615478586,
        "origin": 4,
        "msgtype": "event",
        "event": {"event_type": event_type, "open_kfid": KFID, "external_userid": EXT, **fields},
    }


# fmt: off
CASES: list[tuple[str, dict[str, Any], type[KfMessage], dict[str, Any]]] = [
    ("text", item("text", text={"content": "你好"}), ev.KfText,
     {"content": "你好", "menu_id": None, "msgid": "from_msgid_4622416642169452483",
      "open_kfid": KFID, "external_userid": EXT, "send_time": 1615478585, "origin": 3,
      "servicer_userid": None, "msgtype": "text", "time_boxed": False}),
    ("text-menu", item("text", text={"content": "查订单", "menu_id": "101"}), ev.KfText,
     {"content": "查订单", "menu_id": "101"}),
    ("servicer-sent", item("text", origin=5, servicer_userid="zhangsan", text={"content": "x"}),
     ev.KfText, {"origin": 5, "servicer_userid": "zhangsan"}),
    ("image", item("image", image={"media_id": "M1"}), ev.KfImage, {"media_id": "M1"}),
    ("voice", item("voice", voice={"media_id": "M2"}), ev.KfVoice, {"media_id": "M2"}),
    ("video", item("video", video={"media_id": "M3"}), ev.KfVideo, {"media_id": "M3"}),
    ("file", item("file", file={"media_id": "M4"}), ev.KfFile, {"media_id": "M4"}),
    ("location", item("location", location={"latitude": 23.1, "longitude": 113.3,
                                            "name": "n", "address": "a"}), ev.KfLocation,
     {"latitude": 23.1, "longitude": 113.3, "name": "n", "address": "a"}),
    ("link", item("link", link={"title": "t", "url": "https://u"}), ev.KfOtherMessage,
     {"msgtype": "link"}),
    ("no-msgtype", {"msgid": "X"}, ev.KfOtherMessage, {"msgid": "X", "msgtype": None}),
    ("enter-session", event_item("enter_session", scene="123", scene_param="abc",
                                 welcome_code="WELCOME"), ev.KfEnterSession,
     {"event_name": "enter_session", "scene": "123", "scene_param": "abc",
      "welcome_code": "WELCOME", "time_boxed": True, "open_kfid": KFID,
      "external_userid": EXT, "origin": 4, "msgid": "EVT_MSGID"}),
    ("enter-session-no-code", event_item("enter_session", scene="123"), ev.KfEnterSession,
     {"welcome_code": None, "time_boxed": False, "scene_param": None}),
    ("send-fail", event_item("msg_send_fail", fail_msgid="FAIL1", fail_type=6), ev.KfMsgSendFail,
     {"fail_msgid": "FAIL1", "fail_type": 6}),
    ("servicer-status", event_item("servicer_status_change", servicer_userid="lisi", status=2),
     ev.KfServicerStatusChange, {"servicer_userid": "lisi", "status": 2}),
    ("session-status", event_item("session_status_change", change_type=3,
                                  old_servicer_userid="OLD", new_servicer_userid="NEW",
                                  msg_code="CODE"), ev.KfSessionStatusChange,
     {"change_type": 3, "old_servicer_userid": "OLD", "new_servicer_userid": "NEW",
      "msg_code": "CODE", "time_boxed": True}),  # the end code: one message within 20 s
    ("session-taken", event_item("session_status_change", change_type=1,
                                 new_servicer_userid="NEW", msg_code="CODE"),
     ev.KfSessionStatusChange, {"change_type": 1, "time_boxed": False}),  # a 48 h code
    ("recall", event_item("user_recall_msg", recall_msgid="R"), ev.KfOtherEvent,
     {"event_name": "user_recall_msg"}),
    ("event-without-event", {"msgtype": "event"}, ev.KfOtherEvent, {"event_name": None}),
    ("dotted-msgtype", item("event.enter_session"), ev.KfOtherMessage, {}),
]
# fmt: on


@pytest.mark.parametrize(
    ("payload", "cls", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_parse_kf_message(
    payload: dict[str, Any], cls: type[KfMessage], expected: dict[str, Any]
) -> None:
    message = parse_kf_message(payload)
    assert type(message) is cls
    assert EVENT_CLASSES[cls.event_type] is cls
    assert message.raw == payload
    for name, value in expected.items():
        assert getattr(message, name) == value, name
    hash(message)


def test_kf_event_types_registered() -> None:
    assert {
        "kf.text",
        "kf.image",
        "kf.voice",
        "kf.video",
        "kf.file",
        "kf.location",
        "kf.other",
        "kf.event.enter_session",
        "kf.event.msg_send_fail",
        "kf.event.servicer_status_change",
        "kf.event.session_status_change",
        "kf.event.other",
    } <= ev.EVENT_TYPES


def test_kf_dedupe_key() -> None:
    message = parse_kf_message(item("text", text={"content": "x"}))
    assert dedupe_key(message, json.dumps(message.raw)) == "kf:from_msgid_4622416642169452483"
    no_id = parse_kf_message({"msgtype": "text"})
    assert dedupe_key(no_id, "{}").startswith("sha256:")


def test_kf_family() -> None:
    assert isinstance(parse_kf_message(event_item("enter_session")), ev.KfEvent)
    assert not isinstance(parse_kf_message(item("text")), ev.KfEvent)


def test_not_a_mapping() -> None:
    with pytest.raises(TypeError):
        parse_kf_message(["not", "a", "mapping"])  # type: ignore[arg-type]


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=12), c, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300)
@given(
    st.sampled_from(["text", "image", "location", "event", "link", "", "EVENT"]),
    st.sampled_from(
        ["enter_session", "msg_send_fail", "servicer_status_change", "session_status_change", "x"]
    ),
    _values,
)
def test_arbitrary_items_never_raise(msgtype: str, event_type: str, value: Any) -> None:
    payload = {
        "msgtype": msgtype,
        "msgid": value,
        "text": value,
        "location": value,
        "event": {
            "event_type": event_type,
            "welcome_code": value,
            "status": value,
            "open_kfid": value,
        },
    }
    message = parse_kf_message(payload)
    assert isinstance(message, KfMessage)
    hash(message)
