"""WeCom refusals only an operator can fix are not lost messages: 60020 (the server's IP is
not among the app's 企业可信IP) and 301002 (agent_id and secret of different apps) keep the
row waiting with backoff, without spending its attempts; /readyz, the console's alerts and
one log line say what to do; once fixed, the message goes out. While every app that calls
WeCom is refused with 60020, /readyz says not ready."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from structlog.testing import capture_logs

from bot.infra.clock import utcnow
from bot.models import OutboxMessage, OutboxStatus
from bot.settings import Settings
from tests.harness.admin import bearer
from tests.harness.service import services_of, serving


async def _send(services: object, key: str) -> OutboxMessage:
    ports = services.ports  # type: ignore[attr-defined]
    row = await ports.outbox.add(key=key, api="message_send", recipient="zhangwei",
                                 args={"msgtype": "text", "payload": {"content": "进度更新"},
                                       "touser": "zhangwei"})
    (row,) = await ports.outbox.send_now([row])
    return row


async def _again(services: object, row: OutboxMessage) -> OutboxMessage:
    await OutboxMessage.filter(id=row.id).update(next_attempt_at=utcnow())
    (row,) = await services.ports.outbox.send_now([row])  # type: ignore[attr-defined]
    return row


async def test_an_untrusted_ip_holds_messages_until_the_operator_adds_it(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        services = services_of(client)
        sandbox = services.sandbox
        sandbox.corp.egress_ip = "203.0.113.7"
        sandbox.corp.admin["main"].trusted_ips = {"198.51.100.1"}
        with capture_logs() as logs:
            row = await _send(services, "alert:1")
            second = await _send(services, "alert:2")
        for r in (row, second):
            assert r.status == OutboxStatus.PENDING and r.attempts == 0
            assert (r.last_error or "").startswith("60020")
            assert r.next_attempt_at >= utcnow() + timedelta(seconds=55)
        said = [e for e in logs if e["event"] == "wecom.operator_alert"]
        assert len(said) == 1 and said[0]["ip"] == "203.0.113.7"

        ready = await client.get("/readyz")
        body = await ready.json()
        # main is the only app that calls WeCom's API: nothing can go out, so not ready.
        assert ready.status == 503 and body["checks"]["wecom"].startswith("every app refused")
        (alert,) = body["wecom_alerts"]
        assert alert["errcode"] == 60020 and "203.0.113.7" in alert["action"]
        headers = await bearer("viewer", "viewer")
        (shown,) = (await (await client.get("/api/v1/alerts", headers=headers)).json())["alerts"]
        assert "60020" in shown["title"] and "把 IP 203.0.113.7 加到应用 main 的企业可信IP" \
            in shown["fix"]

        # Still refused: it waits again, still without spending an attempt.
        row = await _again(services, row)
        assert row.status == OutboxStatus.PENDING and row.attempts == 0
        # The operator adds the IP: the next try goes out.
        sandbox.corp.admin["main"].trusted_ips.add("203.0.113.7")
        row = await _again(services, row)
        assert row.status == OutboxStatus.SENT
        assert [m["payload"]["content"] for m in sandbox.inbox("zhangwei")
                if m["channel"] == "app"] == ["进度更新"]
        # A call that went through ends the alert: ready again, nothing listed.
        ready = await client.get("/readyz")
        assert ready.status == 200 and (await ready.json())["wecom_alerts"] == []


async def test_an_agent_id_of_another_app_is_a_configuration_alert(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        services = services_of(client)
        sandbox = services.sandbox
        right = sandbox.corp.apps["main"]
        # The secret configured is that of the app with agent_id 1000099, not of ours.
        sandbox.corp.apps["main"] = right.model_copy(update={"agent_id": 1000099})
        row = await _send(services, "mismatch:1")
        assert row.status == OutboxStatus.PENDING and row.attempts == 0
        assert (row.last_error or "").startswith("301002")
        body = await (await client.get("/readyz")).json()
        (alert,) = body["wecom_alerts"]
        assert alert["errcode"] == 301002 and "agent_id" in alert["action"]
        sandbox.corp.apps["main"] = right
        row = await _again(services, row)
        assert row.status == OutboxStatus.SENT
