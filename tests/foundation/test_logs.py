"""Logs never carry secrets, tokens, AES keys or message text at info level."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
import structlog

from bot.infra.logs import REDACTED, configure_logging, get_logger, redact, scrub_text
from bot.settings import Settings
from tests.harness.callbacks import Signed, post_callback
from tests.harness.service import serving


@pytest.fixture
def json_logs() -> Iterator[None]:
    configure_logging("json", "info")
    yield
    structlog.reset_defaults()


def test_redaction_processor_masks_sensitive_keys_anywhere() -> None:
    event = {
        "event": "GET https://qyapi.weixin.qq.com/cgi-bin/gettoken?corpid=ww1&corpsecret=SECRET1",
        "token": "T0KEN",
        "nested": {"Content": "客户的原话", "list": [{"access_token": "AT"}], "ok": 1},
        "url": "https://x/send?access_token=AT2&debug=1",
    }
    out = redact(None, "info", dict(event))
    text = json.dumps(out, ensure_ascii=False)
    for secret in ("SECRET1", "T0KEN", "客户的原话", "AT2", '"AT"'):
        assert secret not in text
    assert out["token"] == REDACTED and out["nested"]["ok"] == 1
    assert "debug=1" in out["url"]
    assert scrub_text("a?key=K&b=2") == f"a?key={REDACTED}&b=2"


def test_a_lines_name_is_text_and_a_key_is_judged_whatever_its_case() -> None:
    # The redaction's fast paths: a line named by a non-text value still gets a text name,
    # and a key's verdict, cached by its spelling, holds for every spelling.
    for _ in range(2):  # the second time from the cache
        out = redact(None, "info", {"event": 7, "Token": "T1", "TOKEN": "T2", "n": None})
        assert out == {"event": "7", "Token": REDACTED, "TOKEN": REDACTED, "n": None}


def test_a_line_renders_what_the_standard_library_could_not_and_hides_what_repr_hides(
    capsys: pytest.CaptureFixture[str], json_logs: None,
) -> None:
    # A typed event logged whole shows its repr, never its repr=False raw payload (every
    # element of the callback); a datetime is ISO text; an int past 64 bits and a set
    # still make a line.
    import datetime as dt

    from bot.protocol.events import parse

    event = parse("<xml><MsgType>text</MsgType><Content>hi</Content>"
                  "<Unmodelled>raw-only</Unmodelled></xml>")
    log = get_logger("t")
    log.info("t.event", ev=event, at=dt.datetime(2026, 12, 6, 8, 0, tzinfo=dt.UTC))
    log.info("t.odd", big=2**70, tags={"a"})
    first, second = (json.loads(x) for x in capsys.readouterr().err.splitlines())
    assert first["ev"].startswith("TextMessage(") and "raw-only" not in json.dumps(first)
    assert first["at"] == "2026-12-06T08:00:00+00:00"
    assert second["big"] == 2**70 and second["tags"] == "{'a'}"


async def test_callback_logs_hold_no_secret_and_no_message_text(
    mode_settings: Callable[..., Settings], capsys: pytest.CaptureFixture[str], json_logs: None
) -> None:
    settings = mode_settings()
    signed = Signed(settings)
    secret_text = "我的手机号是13800000000请保密"
    async with serving(settings) as client:
        for content in (secret_text, "帮助"):
            resp = await post_callback(client, signed, signed.text_message(content))
            assert resp.status == 200
        bad = signed.post(signed.text_message(secret_text))
        bad[0]["msg_signature"] = "0" * 40
        assert (await client.post("/wecom/callback/main", params=bad[0], data=bad[1])).status == 403
        get_logger("test").info("client.call", url="https://q/x?access_token=ZZZ", token="ZZZ")
    err = capsys.readouterr().err
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    callbacks = [ln for ln in lines if ln["event"] == "callback.receive"]
    assert {ln["outcome"] for ln in callbacks} >= {"handled", "replied"}
    assert all({"app", "duration_ms", "status"} <= set(ln) for ln in callbacks)
    app = settings.wecom.app("main")
    assert app is not None
    forbidden = [
        app.token.get_secret_value(), app.encoding_aes_key.get_secret_value(),
        app.secret.get_secret_value(), secret_text, "13800000000", "ZZZ", "可用命令",
    ]
    for secret in forbidden:
        assert secret not in err


async def test_library_lines_are_json_and_a_request_aiohttp_cannot_parse_is_one_quiet_line(
    capsys: pytest.CaptureFixture[str], json_logs: None
) -> None:
    """Lines of the libraries (aiohttp, arq, tortoise log through the standard library) come
    out as JSON like ours, redacted; a request too broken to parse (answered 400 by aiohttp)
    is one info line naming the error, not a traceback per request a stranger sends."""
    import logging

    from aiohttp import web
    from aiohttp.test_utils import TestClient, TestServer

    logging.getLogger("arq.worker").warning("retrying token=%s", "SECRET9")
    async with TestClient(TestServer(web.Application())) as client:
        resp = await client.get("/?" + "a" * 10_000)
        assert resp.status == 400
    lines = capsys.readouterr().err.splitlines()
    assert lines and all(line.startswith("{") for line in lines)
    events = [json.loads(line) for line in lines]
    assert events[0]["logger"] == "arq.worker" and "SECRET9" not in lines[0]
    bad = [e for e in events if e["event"].startswith("http.bad_request")]
    assert bad and all(e["level"] == "info" and "exception" not in e for e in bad)
    assert not any("aaaa" in line for line in lines)
