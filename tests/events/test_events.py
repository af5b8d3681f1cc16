"""events.parse: every payload of protocol.md §2 and §6.2, table-driven, plus the fallbacks,
the dedupe key and a property test over arbitrary input."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.protocol import events as ev
from bot.protocol.events import (
    EVENT_CLASSES,
    EVENT_TYPES,
    Event,
    EventParseError,
    SelectedItem,
    UnknownEvent,
    dedupe_key,
    parse,
)
from bot.protocol.safexml import parse_xml

# protocol.md §2.2 (docs 90968 example)
APP_TEXT = """<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>
<FromUserName><![CDATA[mycreate]]></FromUserName>
<CreateTime>1409659813</CreateTime>
<MsgType><![CDATA[text]]></MsgType>
<Content><![CDATA[hello]]></Content>
<MsgId>4561255354251345929</MsgId>
<AgentID>218</AgentID>
</xml>"""

# protocol.md §2.3
CONTACT_ADD = """<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>
<CreateTime>1403610513</CreateTime><MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[add_external_contact]]></ChangeType>
<UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mACH71w]]></ExternalUserID>
<State><![CDATA[teststate]]></State><WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode></xml>"""  # noqa: E501

# protocol.md §2.4
CHAT_UPDATE = """<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>
<CreateTime>1403610513</CreateTime><MsgType><![CDATA[event]]></MsgType>
<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ]]></ChatId>
<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[add_member]]></UpdateDetail>
<JoinScene>1</JoinScene><QuitScene>0</QuitScene><MemChangeCnt>10</MemChangeCnt>
<MemChangeList><Item>Jack</Item><Item>Rose</Item></MemChangeList>
<LastMemVer>9c3f97c2ada667dfb5f6d03308d963e1</LastMemVer><CurMemVer>71217227bbd112ecfe3a49c482195cb4</CurMemVer></xml>"""  # noqa: E501

# protocol.md §2.5
KF_CALLBACK = """<xml><ToUserName><![CDATA[ww12345678910]]></ToUserName><CreateTime>1348831860</CreateTime>
<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event>
<Token><![CDATA[ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR]]></Token>
<OpenKfId><![CDATA[wkxxxxxxx]]></OpenKfId></xml>"""  # noqa: E501

# protocol.md §6.2
AIBOT_TEXT = """{"msgid":"CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=","aibotid":"AIBOTID","chatid":"CHATID","chattype":"group",
 "from":{"userid":"USERID"},"response_url":"RESPONSEURL","msgtype":"text",
 "text":{"content":"@RobotA hello robot"},"quote":{"msgtype":"text","text":{"content":"..."}}}"""  # noqa: E501


def app_xml(msg_type: str, body: str, *, msg_id: str | None = "1234567890123456789") -> str:
    mid = f"<MsgId>{msg_id}</MsgId>" if msg_id is not None else ""
    return (
        "<xml><ToUserName><![CDATA[ww_corp]]></ToUserName>"
        "<FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime>"
        f"<MsgType><![CDATA[{msg_type}]]></MsgType>{body}{mid}<AgentID>1000002</AgentID></xml>"
    )


def event_xml(event: str, body: str = "", *, sender: str = "sys") -> str:
    return (
        "<xml><ToUserName><![CDATA[ww_corp]]></ToUserName>"
        f"<FromUserName><![CDATA[{sender}]]></FromUserName><CreateTime>1700000001</CreateTime>"
        f"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{event}]]></Event>{body}</xml>"
    )


def contact_xml(change_type: str, body: str = "") -> str:
    return event_xml(
        "change_external_contact",
        f"<ChangeType><![CDATA[{change_type}]]></ChangeType>"
        "<UserID><![CDATA[zhangsan]]></UserID>"
        f"<ExternalUserID><![CDATA[wmEXT]]></ExternalUserID>{body}",
    )


def aibot(msgtype: str, **extra: Any) -> str:
    payload: dict[str, Any] = {
        "msgid": "MSGID1",
        "aibotid": "AIBOTID",
        "chattype": "single",
        "from": {"userid": "lisi"},
        "create_time": 1700000002,
        "response_url": "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC",
        "msgtype": msgtype,
        **extra,
    }
    return json.dumps(payload, ensure_ascii=False)


def aibot_event(eventtype: str, **detail: Any) -> str:
    event = {"eventtype": eventtype, **detail}
    return aibot("event", event=event, **{"from": {"userid": "lisi", "corpid": "wwOTHER"}})


CARD_ITEMS = (
    "<SelectedItems><SelectedItem><QuestionKey><![CDATA[q1]]></QuestionKey>"
    "<OptionIds><OptionId><![CDATA[o1]]></OptionId><OptionId><![CDATA[o2]]></OptionId>"
    "</OptionIds></SelectedItem><SelectedItem><QuestionKey><![CDATA[q2]]></QuestionKey>"
    "<OptionIds><OptionId><![CDATA[o3]]></OptionId></OptionIds></SelectedItem></SelectedItems>"
)

# (id, plaintext, fmt, expected class, expected fields)
# fmt: off
CASES: list[tuple[str, str, str, type[Event], dict[str, Any]]] = [
    # ---- protocol.md samples
    ("doc-app-text", APP_TEXT, "xml", ev.TextMessage, {
        "to_user_name": "wx5823bf96d3bd56c7", "from_user_name": "mycreate",
        "create_time": 1409659813, "msg_type": "text", "content": "hello",
        "message_id": "4561255354251345929", "msg_id": "4561255354251345929", "agent_id": 218,
        "time_boxed": False}),
    ("doc-contact-add", CONTACT_ADD, "xml", ev.AddExternalContactEvent, {
        "to_user_name": "toUser", "from_user_name": "sys", "create_time": 1403610513,
        "event": "change_external_contact", "change_type": "add_external_contact",
        "user_id": "zhangsan", "external_user_id": "woAJ2GCAAAXtWyujaWJHDDGi0mACH71w",
        "state": "teststate", "welcome_code": "WELCOMECODE", "source": None,
        "fail_reason": None, "time_boxed": True, "msg_id": None}),
    ("doc-chat-update", CHAT_UPDATE, "xml", ev.ExternalChatUpdateEvent, {
        "chat_id": "wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ", "change_type": "update",
        "update_detail": "add_member", "join_scene": 1, "quit_scene": 0, "mem_change_cnt": 10,
        "mem_change_list": ("Jack", "Rose"), "last_mem_ver": "9c3f97c2ada667dfb5f6d03308d963e1",
        "cur_mem_ver": "71217227bbd112ecfe3a49c482195cb4", "create_time": 1403610513}),
    ("doc-kf", KF_CALLBACK, "xml", ev.KfMsgOrEvent, {
        "to_user_name": "ww12345678910", "from_user_name": None, "create_time": 1348831860,
        "token": "ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR", "open_kf_id": "wkxxxxxxx",
        "msg_id": None, "time_boxed": False}),
    ("doc-aibot-text", AIBOT_TEXT, "aibot", ev.AibotText, {
        "msgid": "CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=", "msg_id": "CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=",
        "aibotid": "AIBOTID", "chatid": "CHATID", "chattype": "group", "from_userid": "USERID",
        "from_corpid": None, "response_url": "RESPONSEURL", "msgtype": "text",
        "content": "@RobotA hello robot", "create_time": None,
        "quote": {"msgtype": "text", "text": {"content": "..."}}}),
    # ---- app messages
    ("app-image", app_xml("image", "<PicUrl><![CDATA[http://p/1.jpg]]></PicUrl>"
                          "<MediaId><![CDATA[MEDIA]]></MediaId>"), "xml", ev.ImageMessage,
     {"pic_url": "http://p/1.jpg", "media_id": "MEDIA", "agent_id": 1000002,
      "from_user_name": "zhangsan", "create_time": 1700000000}),
    ("app-voice", app_xml("voice", "<MediaId>V</MediaId><Format><![CDATA[amr]]></Format>"),
     "xml", ev.VoiceMessage, {"media_id": "V", "format": "amr"}),
    ("app-video", app_xml("video", "<MediaId>V</MediaId><ThumbMediaId>T</ThumbMediaId>"),
     "xml", ev.VideoMessage, {"media_id": "V", "thumb_media_id": "T"}),
    ("app-location", app_xml("location", "<Location_X>23.134521</Location_X>"
                             "<Location_Y>113.358803</Location_Y><Scale>20</Scale>"
                             "<Label><![CDATA[广州市海珠区]]></Label>"), "xml",
     ev.LocationMessage, {"location_x": 23.134521, "location_y": 113.358803, "scale": 20,
                          "label": "广州市海珠区"}),
    ("app-link", app_xml("link", "<Title><![CDATA[t]]></Title><Description><![CDATA[d]]>"
                         "</Description><Url><![CDATA[https://u]]></Url>"
                         "<PicUrl><![CDATA[https://p]]></PicUrl>"), "xml", ev.LinkMessage,
     {"title": "t", "description": "d", "url": "https://u", "pic_url": "https://p"}),
    ("app-text-no-msgid", app_xml("text", "<Content>hi</Content>", msg_id=None), "xml",
     ev.TextMessage, {"content": "hi", "msg_id": None, "message_id": None}),
    ("app-text-empty-content", app_xml("text", "<Content></Content>"), "xml", ev.TextMessage,
     {"content": ""}),
    # ---- app events
    ("enter-agent", event_xml("enter_agent", "<EventKey></EventKey><AgentID>1</AgentID>",
                              sender="zhangsan"), "xml", ev.EnterAgentEvent,
     {"agent_id": 1, "event_key": "", "from_user_name": "zhangsan", "msg_id": None}),
    ("menu-click", event_xml("click", "<EventKey><![CDATA[K1]]></EventKey><AgentID>1</AgentID>"),
     "xml", ev.MenuClickEvent, {"event_key": "K1", "event": "click"}),
    ("menu-view", event_xml("view", "<EventKey><![CDATA[https://x]]></EventKey>"), "xml",
     ev.MenuViewEvent, {"event_key": "https://x", "agent_id": None}),
    ("card-click", event_xml("template_card_event",
                             "<EventKey><![CDATA[claim]]></EventKey><TaskId><![CDATA[esc-42]]>"
                             "</TaskId><CardType><![CDATA[button_interaction]]></CardType>"
                             "<ResponseCode><![CDATA[RC]]></ResponseCode><AgentID>1</AgentID>"
                             + CARD_ITEMS, sender="wangwu"), "xml", ev.TemplateCardEvent,
     {"event_key": "claim", "task_id": "esc-42", "card_type": "button_interaction",
      "response_code": "RC", "agent_id": 1, "from_user_name": "wangwu",
      "selected_items": (SelectedItem(question_key="q1", option_ids=("o1", "o2")),
                         SelectedItem(question_key="q2", option_ids=("o3",)))}),
    ("card-click-no-items", event_xml("template_card_event",
                                      "<EventKey>claim</EventKey><TaskId>t</TaskId>"), "xml",
     ev.TemplateCardEvent, {"selected_items": (), "card_type": None, "response_code": None}),
    ("card-click-one-item", event_xml("template_card_event",
                                      "<SelectedItems><SelectedItem><QuestionKey>q</QuestionKey>"
                                      "<OptionIds><OptionId>a</OptionId></OptionIds>"
                                      "</SelectedItem></SelectedItems>"), "xml",
     ev.TemplateCardEvent, {"selected_items": (SelectedItem(question_key="q",
                                                            option_ids=("a",)),)}),
    # ---- change_external_contact, every ChangeType
    ("contact-add-no-code", contact_xml("add_external_contact", "<State>s</State>"), "xml",
     ev.AddExternalContactEvent, {"state": "s", "welcome_code": None, "time_boxed": False}),
    ("contact-add-half", contact_xml("add_half_external_contact",
                                     "<State>s</State><WelcomeCode>W</WelcomeCode>"), "xml",
     ev.AddHalfExternalContactEvent, {"state": "s", "welcome_code": "W", "time_boxed": True}),
    ("contact-edit", contact_xml("edit_external_contact"), "xml", ev.EditExternalContactEvent,
     {"user_id": "zhangsan", "external_user_id": "wmEXT", "time_boxed": False}),
    ("contact-del", contact_xml("del_external_contact",
                                "<Source><![CDATA[DELETE_BY_TRANSFER]]></Source>"), "xml",
     ev.DelExternalContactEvent, {"source": "DELETE_BY_TRANSFER"}),
    ("contact-del-follow", contact_xml("del_follow_user"), "xml", ev.DelFollowUserEvent,
     {"user_id": "zhangsan", "external_user_id": "wmEXT", "source": None}),
    ("contact-transfer-fail", contact_xml("transfer_fail",
                                          "<FailReason><![CDATA[customer_refused]]></FailReason>"),
     "xml", ev.TransferFailEvent, {"fail_reason": "customer_refused"}),
    ("contact-audit", contact_xml("msg_audit_approved", "<WelcomeCode>WC</WelcomeCode>"), "xml",
     ev.MsgAuditApprovedEvent, {"welcome_code": "WC", "time_boxed": True}),
    ("contact-empty-code", contact_xml("add_external_contact", "<WelcomeCode></WelcomeCode>"),
     "xml", ev.AddExternalContactEvent, {"welcome_code": "", "time_boxed": False}),
    # ---- change_external_chat
    ("chat-create", event_xml("change_external_chat", "<ChatId>wrC</ChatId>"
                              "<ChangeType>create</ChangeType>"), "xml",
     ev.ExternalChatCreateEvent, {"chat_id": "wrC", "update_detail": None, "join_scene": None,
                                  "mem_change_list": (), "mem_change_cnt": None}),
    ("chat-dismiss", event_xml("change_external_chat", "<ChatId>wrD</ChatId>"
                               "<ChangeType>dismiss</ChangeType>"), "xml",
     ev.ExternalChatDismissEvent, {"chat_id": "wrD", "change_type": "dismiss"}),
    ("chat-del-member-one", event_xml("change_external_chat",
                                      "<ChatId>wrX</ChatId><ChangeType>update</ChangeType>"
                                      "<UpdateDetail>del_member</UpdateDetail>"
                                      "<QuitScene>1</QuitScene><MemChangeCnt>1</MemChangeCnt>"
                                      "<MemChangeList><Item>wmEXT</Item></MemChangeList>"), "xml",
     ev.ExternalChatUpdateEvent, {"update_detail": "del_member", "quit_scene": 1,
                                  "join_scene": None, "mem_change_list": ("wmEXT",)}),
    ("chat-bad-int", event_xml("change_external_chat",
                               "<ChatId>wrX</ChatId><ChangeType>update</ChangeType>"
                               "<JoinScene>x</JoinScene><MemChangeList/>"), "xml",
     ev.ExternalChatUpdateEvent, {"join_scene": None, "mem_change_list": ()}),
    ("tag-create", event_xml("change_external_tag", "<Id>etTAG</Id><TagType>tag</TagType>"
                             "<ChangeType>create</ChangeType>"), "xml", ev.ExternalTagChangeEvent,
     {"tag_id": "etTAG", "tag_type": "tag", "change_type": "create", "strategy_id": None}),
    # ---- AI bot
    ("aibot-image", aibot("image", image={"url": "https://img"}), "aibot", ev.AibotImage,
     {"url": "https://img", "aeskey": None, "chatid": None, "chattype": "single",
      "create_time": 1700000002, "quote": None}),
    ("aibot-mixed", aibot("mixed", mixed={"msg_item": [
        {"msgtype": "text", "text": {"content": "look"}},
        {"msgtype": "image", "image": {"url": "https://i"}}]}), "aibot", ev.AibotMixed,
     {"items": (ev.MixedItem(msgtype="text", content="look"),
                ev.MixedItem(msgtype="image", url="https://i")), "content": "look"}),
    ("aibot-voice", aibot("voice", voice={"content": "语音转文字"}), "aibot", ev.AibotVoice,
     {"content": "语音转文字"}),
    ("aibot-file", aibot("file", file={"url": "https://f"}), "aibot", ev.AibotFile,
     {"url": "https://f"}),
    ("aibot-stream", aibot("stream", stream={"id": "STREAM1"}), "aibot", ev.AibotStreamRefresh,
     {"stream_id": "STREAM1", "msg_id": "MSGID1"}),
    ("aibot-enter-chat", aibot_event("enter_chat"), "aibot", ev.AibotEnterChat,
     {"event_name": "enter_chat", "from_corpid": "wwOTHER", "msg_id": "MSGID1"}),
    ("aibot-card", aibot_event("template_card_event", template_card_event={
        "card_type": "button_interaction", "event_key": "claim", "task_id": "T1",
        "selected_items": {"selected_item": [
            {"question_key": "q", "option_ids": {"option_id": ["a", "b"]}}]}}), "aibot",
     ev.AibotTemplateCardEvent, {"event_key": "claim", "task_id": "T1",
                                 "card_type": "button_interaction",
                                 "selected_items": (SelectedItem(question_key="q",
                                                                 option_ids=("a", "b")),)}),
    ("aibot-card-flat", aibot_event("template_card_event", event_key="k", task_id="t"), "aibot",
     ev.AibotTemplateCardEvent, {"event_key": "k", "task_id": "t", "selected_items": ()}),
    ("aibot-feedback", aibot_event("feedback_event", feedback_event={
        "id": "FB1", "type": 2, "content": "再详细些", "inaccurate_reason_list": [2, 4]}), "aibot",
     ev.AibotFeedbackEvent, {"feedback_id": "FB1", "feedback_type": 2,
                             "feedback_content": "再详细些", "inaccurate_reasons": (2, 4)}),
    ("aibot-minimal", '{"msgtype":"text"}', "aibot", ev.AibotText,
     {"msgid": None, "content": None, "from_userid": None, "msg_id": None}),
]
# fmt: on


@pytest.mark.parametrize(
    ("plaintext", "fmt", "cls", "expected"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_parse(plaintext: str, fmt: Any, cls: type[Event], expected: dict[str, Any]) -> None:
    event = parse(plaintext, fmt=fmt)
    assert type(event) is cls
    assert EVENT_CLASSES[cls.event_type] is cls
    for name, value in expected.items():
        assert getattr(event, name) == value, name
    assert event.raw  # the parsed fields are kept
    hash(event)  # frozen and hashable even with a quote dict
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.raw = {}  # type: ignore[misc]


def test_every_registered_type_has_a_case_or_is_kf() -> None:
    covered = {c[3].event_type for c in CASES} | {"unknown"}
    kf = {t for t in EVENT_TYPES if t.startswith("kf.")}
    assert EVENT_TYPES - covered - kf == set()


def test_event_types() -> None:
    assert {
        "text",
        "image",
        "voice",
        "video",
        "location",
        "link",
        "enter_agent",
        "click",
        "view",
        "template_card_event",
        "change_external_contact.add_external_contact",
        "change_external_contact.add_half_external_contact",
        "change_external_contact.edit_external_contact",
        "change_external_contact.del_external_contact",
        "change_external_contact.del_follow_user",
        "change_external_contact.transfer_fail",
        "change_external_contact.msg_audit_approved",
        "change_external_chat.create",
        "change_external_chat.update",
        "change_external_chat.dismiss",
        "change_external_tag",
        "kf_msg_or_event",
        "aibot.text",
        "aibot.image",
        "aibot.mixed",
        "aibot.voice",
        "aibot.file",
        "aibot.stream",
        "aibot.event.enter_chat",
        "aibot.event.template_card_event",
        "aibot.event.feedback_event",
        "unknown",
    } <= EVENT_TYPES
    for name, cls in EVENT_CLASSES.items():
        assert cls.event_type == name
        assert dataclasses.is_dataclass(cls)
    assert isinstance(EVENT_TYPES, frozenset)


def test_family_base_classes() -> None:
    add = parse(CONTACT_ADD)
    assert isinstance(add, ev.ExternalContactChange)
    assert isinstance(add, ev.CallbackEvent)
    assert isinstance(parse(APP_TEXT), ev.AppMessage)
    assert isinstance(parse(AIBOT_TEXT, fmt="aibot"), ev.AibotMessage)
    assert isinstance(parse(aibot_event("enter_chat"), fmt="aibot"), ev.AibotEvent)


def test_raw_excluded_from_eq_and_repr() -> None:
    a = parse(APP_TEXT)
    b = parse(APP_TEXT.replace("<AgentID>", "<Extra>x</Extra><AgentID>"))
    assert a == b and hash(a) == hash(b)
    assert a.raw != b.raw
    assert "raw" not in repr(a)


def test_construct_directly() -> None:
    event = ev.TextMessage(content="hi", message_id="1")
    assert event.msg_id == "1" and event.raw == {} and event.create_time is None


# ---- unknown but well-formed

# fmt: off
UNKNOWN = [
    ("xml-msgtype", app_xml("shortvideo", "<MediaId>m</MediaId>"), "xml", "shortvideo", None),
    ("xml-event", event_xml("subscribe", "<AgentID>1</AgentID>"), "xml", "event", "subscribe"),
    ("xml-change-type", contact_xml("brand_new_change"), "xml", "event",
     "change_external_contact"),
    ("xml-chat-no-type", event_xml("change_external_chat", "<ChatId>wr</ChatId>"), "xml",
     "event", "change_external_chat"),
    ("xml-empty", "<xml/>", "xml", None, None),
    ("xml-third-party", "<xml><SuiteId>s</SuiteId><InfoType>change_external_contact</InfoType>"
     "</xml>", "xml", None, None),
    ("xml-dotted", event_xml("change_external_contact.add_external_contact"), "xml", "event",
     "change_external_contact.add_external_contact"),
    ("json-empty", "{}","aibot", None, None),
    ("json-msgtype", aibot("markdown", markdown={"content": "x"}),"aibot", "markdown", None),
    ("json-event", aibot_event("brand_new"),"aibot", "event", "brand_new"),
    ("json-dotted", aibot("event.enter_chat"),"aibot", "event.enter_chat", None),
]
# fmt: on


@pytest.mark.parametrize(
    ("plaintext", "fmt", "msg_type", "event_name"),
    [u[1:] for u in UNKNOWN],
    ids=[u[0] for u in UNKNOWN],
)
def test_unknown(plaintext: str, fmt: Any, msg_type: str | None, event_name: str | None) -> None:
    event = parse(plaintext, fmt=fmt)
    assert type(event) is UnknownEvent
    assert event.event_type == "unknown"
    assert event.fmt == fmt
    assert event.msg_type == msg_type
    assert event.event_name == event_name
    assert event.time_boxed is False
    assert event.raw == (json.loads(plaintext) if fmt != "xml" else parse_xml(plaintext))


def test_unknown_keeps_raw_fields() -> None:
    event = parse(event_xml("subscribe", "<AgentID>7</AgentID><EventKey>k</EventKey>"))
    assert isinstance(event, UnknownEvent)
    assert event.raw["AgentID"] == "7"
    assert event.raw["EventKey"] == "k"
    assert event.raw["Event"] == "subscribe"


@pytest.mark.parametrize(
    ("plaintext", "fmt"),
    [
        ("", "xml"),
        ("hello", "xml"),
        ("<xml><A></xml>", "xml"),
        ("<notxml/>", "xml"),
        ("<!DOCTYPE xml><xml/>", "xml"),
        (AIBOT_TEXT, "xml"),
        ("", "aibot"),
        ("{", "aibot"),
        ("[1, 2]", "aibot"),
        ('"text"', "aibot"),
        ("null", "aibot"),
        (APP_TEXT, "aibot"),
        ("[" * 100_000 + "]" * 100_000, "aibot"),
        ("", "app-json"),
        ("[1]", "app-json"),
        (APP_TEXT, "app-json"),
    ],
)
def test_not_a_payload(plaintext: str, fmt: Any) -> None:
    with pytest.raises(EventParseError):
        parse(plaintext, fmt=fmt)


def test_bad_fmt() -> None:
    with pytest.raises(ValueError, match="fmt"):
        parse(APP_TEXT, fmt="yaml")  # type: ignore[arg-type]


def test_bytes_accepted() -> None:
    assert parse(APP_TEXT.encode()) == parse(APP_TEXT)
    assert parse(AIBOT_TEXT.encode(), fmt="aibot") == parse(AIBOT_TEXT, fmt="aibot")


# ---- dedupe_key


def test_dedupe_key_msgid() -> None:
    assert dedupe_key(parse(APP_TEXT), APP_TEXT) == "msg:4561255354251345929"
    key = dedupe_key(parse(AIBOT_TEXT, fmt="aibot"), AIBOT_TEXT)
    assert key == "aibot:CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI="
    enter = aibot_event("enter_chat")
    assert dedupe_key(parse(enter, fmt="aibot"), enter) == "aibot:MSGID1"


def test_dedupe_key_hash_for_events() -> None:
    key = dedupe_key(parse(CONTACT_ADD), CONTACT_ADD)
    assert key == "sha256:" + hashlib.sha256(CONTACT_ADD.encode()).hexdigest()
    assert dedupe_key(parse(CONTACT_ADD), CONTACT_ADD.encode()) == key
    # same plaintext (a WeCom retry) → same key; a different event → a different key
    assert dedupe_key(parse(CONTACT_ADD), CONTACT_ADD) == key
    other = CONTACT_ADD.replace("1403610513", "1403610514")
    assert dedupe_key(parse(other), other) != key
    kf_key = dedupe_key(parse(KF_CALLBACK), KF_CALLBACK)
    assert kf_key.startswith("sha256:") and len(kf_key) == 7 + 64


def test_dedupe_key_unknown_and_missing_ids() -> None:
    unknown = app_xml("shortvideo", "")
    assert dedupe_key(parse(unknown), unknown) == "msg:1234567890123456789"
    unknown_json = aibot("markdown")
    assert dedupe_key(parse(unknown_json, fmt="aibot"), unknown_json) == "aibot:MSGID1"
    no_id = app_xml("text", "<Content>x</Content>", msg_id="")
    assert dedupe_key(parse(no_id), no_id).startswith("sha256:")
    assert dedupe_key(parse("<xml/>"), "<xml/>").startswith("sha256:")


# ---- property: parse never raises anything but EventParseError


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "msgid",
                    "msgtype",
                    "event",
                    "eventtype",
                    "text",
                    "from",
                    "content",
                    "mixed",
                    "msg_item",
                    "image",
                    "url",
                    "stream",
                    "id",
                    "quote",
                    "template_card_event",
                    "selected_items",
                    "selected_item",
                    "option_ids",
                    "option_id",
                    "feedback_event",
                    "chatid",
                    "create_time",
                    "inaccurate_reason_list",
                    "userid",
                ]
            )
            | st.text(max_size=5),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300)
@given(st.text(), st.sampled_from(["xml", "app-json", "aibot"]))
def test_parse_arbitrary_text(plaintext: str, fmt: Any) -> None:
    try:
        event = parse(plaintext, fmt=fmt)
    except EventParseError:
        return
    assert isinstance(event, Event)


@settings(max_examples=300)
@given(
    _json_values,
    st.sampled_from(["text", "image", "mixed", "voice", "file", "stream", "event", "other"]),
)
def test_parse_arbitrary_json_shapes(value: Any, msgtype: str) -> None:
    payload = value if isinstance(value, dict) else {"x": value}
    payload = {**payload, "msgtype": msgtype}
    for key in ("text", "event", "mixed", "from", "quote", "stream"):
        payload.setdefault(key, value)
    event = parse(json.dumps(payload), fmt="aibot")
    assert isinstance(event, Event)
    hash(event)
    dedupe_key(event, json.dumps(payload))


_xml_names = st.sampled_from(
    [
        "MsgType",
        "Event",
        "ChangeType",
        "Content",
        "MsgId",
        "AgentID",
        "CreateTime",
        "MemChangeList",
        "Item",
        "SelectedItems",
        "SelectedItem",
        "OptionIds",
        "OptionId",
        "JoinScene",
        "Location_X",
    ]
)
_xml_values = st.sampled_from(
    [
        "event",
        "text",
        "image",
        "location",
        "change_external_chat",
        "change_external_contact",
        "update",
        "add_external_contact",
        "template_card_event",
        "kf_msg_or_event",
        "1",
        "-3",
        "x",
        "",
        "1e400",
        "nan",
    ]
)


@settings(max_examples=300)
@given(st.lists(st.tuples(_xml_names, _xml_values | _xml_names, st.booleans()), max_size=10))
def test_parse_arbitrary_xml_shapes(parts: list[tuple[str, str, bool]]) -> None:
    body = "".join(
        f"<{name}><{value}>v</{value}></{name}>"
        if nest and value.isalpha() and value
        else f"<{name}>{value}</{name}>"
        for name, value, nest in parts
    )
    plaintext = f"<xml>{body}</xml>"
    event = parse(plaintext)
    assert isinstance(event, Event)
    hash(event)
    dedupe_key(event, plaintext)
