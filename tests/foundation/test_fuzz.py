"""A short fuzz run over every entry point a stranger can reach (``bench/fuzz.py`` runs the
long one): generated callbacks at each layer, ERP requests signed and unsigned, rule files.
No case may get a 5xx, and the service is healthy and still works afterwards."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable

from aiohttp.test_utils import TestClient

from bot.models import InboxEvent, RuleChange
from bot.orders import erp
from bot.settings import Settings
from tests.harness.admin import bearer
from tests.harness.callbacks import Signed
from tests.harness.fuzzing import Case, Generator, run
from tests.harness.service import services_of, serving

CASES = int(os.environ.get("WECOM_BOT_FUZZ_CASES", "1500"))
SEED = int(os.environ.get("WECOM_BOT_FUZZ_SEED", "20261205"))


def sender(client: TestClient) -> Callable[[Case], object]:
    async def send(case: Case) -> int:
        resp = await client.request(case.method, case.path, params=case.params,
                                    data=case.body, headers=case.headers)
        await resp.read()
        return resp.status

    return send


async def test_generated_hostile_input_gets_no_5xx(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings(erp_signing_secret="fuzz-signing-secret-0123456789")
    async with serving(settings) as client:
        key = await erp.create_key(settings, "erp-fuzz")
        token = (await bearer("adm-fuzz", "admin"))["Authorization"].split()[1]
        revisions = await RuleChange.all().count()
        gen = Generator(settings, SEED, erp=key, admin_token=token)
        tally = await run(sender(client), gen, CASES)  # type: ignore[arg-type]
        assert tally.server_errors == [], (SEED, tally.server_errors[:20], tally.summary())
        kinds = tally.summary()
        # Each layer was reached: signed plaintexts stored (200), forged signatures refused (403).
        assert kinds["plaintext"].get(200, 0) > 0 and kinds["verify"].get(403, 0) > 0, kinds
        # No guess opens a progress page: not found, limited, or not a method it takes.
        assert kinds["progress"] and set(kinds["progress"]) <= {404, 405, 429}, kinds
        assert await RuleChange.all().count() == revisions  # dry runs only
        assert (await client.get("/healthz")).status == 200
        assert (await client.get("/readyz")).status == 200
        # And a genuine message still goes through.
        signed = Signed(settings)
        params, body = signed.post(signed.text_message("帮助", msg_id=987654321))
        assert (await client.post("/wecom/callback/main", params=params, data=body)).status == 200
        assert await InboxEvent.filter(dedupe_key__contains="987654321").exists()
        # A stored hostile event is handled or ignored, never crashes its handler.
        crashed = await InboxEvent.filter(attempts__gt=0).values_list("event_type", "last_error")
        assert crashed == [], crashed[:10]


async def test_events_naming_what_wecom_does_not_know_end_at_once(
    mode_settings: Callable[..., Settings],
) -> None:
    """A group event for a chat_id WeCom calls invalid (40050), a kf callback for an account
    it does not know (95000): handled once, not retried five times as if WeCom were down."""
    from bot.protocol.safexml import build_xml
    from tests.harness.waiting import wait_for

    settings = mode_settings()
    signed = Signed(settings)
    async with serving(settings) as client:
        corp = settings.wecom.corp_id
        for fields in (
            {"ToUserName": corp, "FromUserName": "sys", "CreateTime": 1, "MsgType": "event",
             "Event": "change_external_chat", "ChangeType": "create", "ChatId": "wrNoSuch"},
            {"ToUserName": corp, "FromUserName": "sys", "CreateTime": 2, "MsgType": "event",
             "Event": "change_external_chat", "ChangeType": "update", "ChatId": "wrNoSuch",
             "UpdateDetail": "change_name"},
            {"ToUserName": corp, "CreateTime": 3, "MsgType": "event", "Event": "kf_msg_or_event",
             "Token": "tok", "OpenKfId": "wkNoSuchAccount"},
        ):
            params, body = signed.post(build_xml(fields))
            resp = await client.post("/wecom/callback/main", params=params, data=body)
            assert resp.status == 200

        async def settled() -> bool:
            rows = await InboxEvent.all()
            return len(rows) == 3 and all(r.status == "done" for r in rows)

        await wait_for(settled, timeout=20)
        assert not await InboxEvent.filter(attempts__gt=0).exists()
        paths = Counter(c["path"] for c in services_of(client).sandbox.calls)
        assert paths["externalcontact/groupchat/get"] == 2, paths  # once per event
        assert paths["kf/sync_msg"] <= 2, paths  # with the Token, then without: no retries


async def test_events_naming_ids_longer_than_wecom_issues_are_not_acted_on(
    mode_settings: Callable[..., Settings],
) -> None:
    """Found by the 100,000-case fuzz on PostgreSQL: a signed contact or group event whose
    userid or chat_id is longer than any WeCom issues (64) crashed its handler at the column
    and was retried five times. Any such event is now done at once, with why, and no handler
    runs (the passive one neither)."""
    from bot.protocol.safexml import build_xml
    from tests.harness.waiting import wait_for

    settings = mode_settings()
    signed = Signed(settings)
    long_id = "进度 " + "A" * 70
    async with serving(settings) as client:
        corp = settings.wecom.corp_id
        for fields in (
            {"ToUserName": corp, "FromUserName": "sys", "CreateTime": 1, "MsgType": "event",
             "Event": "change_external_contact", "ChangeType": "add_half_external_contact",
             "UserID": long_id, "ExternalUserID": "wmOk"},
            {"ToUserName": corp, "FromUserName": "sys", "CreateTime": 2, "MsgType": "event",
             "Event": "change_external_chat", "ChangeType": "dismiss", "ChatId": long_id},
            {"ToUserName": corp, "FromUserName": long_id, "CreateTime": 3, "MsgType": "text",
             "Content": "帮助", "MsgId": "77001", "AgentID": 1000002},
        ):
            params, body = signed.post(build_xml(fields))
            resp = await client.post("/wecom/callback/main", params=params, data=body)
            assert resp.status == 200
            assert await resp.read() == b""  # no passive answer for a member WeCom has not

        async def settled() -> list[InboxEvent] | None:
            rows = await InboxEvent.all()
            return rows if len(rows) == 3 and all(r.status == "done" for r in rows) else None

        rows = await wait_for(settled, timeout=20)
        assert all(r.attempts == 0 and "longer than WeCom issues" in (r.last_error or "")
                   for r in rows), [(r.event_type, r.last_error) for r in rows]
        assert not services_of(client).sandbox.calls  # nothing asked of WeCom about them
