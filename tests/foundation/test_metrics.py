"""Prometheus metrics: /metrics on serve and on a worker's --metrics-listen, recorded at the
seams (callback, jobs, WeCom calls, outbox, rules, kf budget, escalations), label sets
bounded and free of user ids and message text."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from prometheus_client.parser import text_string_to_metric_families

from bot.infra.metrics import OTHER, RULE_LABELS, Recorder
from bot.settings import Settings
from bot.wecom import unknown_codes
from sandbox.model import SandboxError
from tests.harness.callbacks import Signed, post_callback
from tests.harness.env import PG_URL, REDIS_URL
from tests.harness.world import CUSTOMER, KF, load_sample_rules, world

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    out: Samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def total(samples: Samples, name: str, **labels: str) -> float:
    want = set(labels.items())
    return sum(v for (n, ls), v in samples.items() if n == name and want <= ls)


async def scrape(client: TestClient) -> tuple[str, Samples]:
    resp = await client.get("/metrics")
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    text = await resp.text()
    return text, parse(text)


@pytest.mark.parametrize("mode_settings", ["production"], indirect=True)
async def test_one_conversation_shows_at_every_seam(
    mode_settings: Callable[..., Settings],
) -> None:
    unknown_codes.reset()
    settings = mode_settings()
    async with world(settings) as w:
        await load_sample_rules(w)
        await w.sandbox.customer_says(KF, CUSTOMER, "多久能发货")
        await w.wait_kf(1)
        await w.sandbox.staff_adds_customer("zhangwei", "wmMetrics01")
        await w.settle()
        # A callback for an app nobody configured, and a bad signature.
        signed = Signed(settings)
        assert (await post_callback(w.client, signed, signed.text_message("x"),
                                    app="no-such-app")).status == 404
        params, body = signed.post(signed.text_message("y"))
        params["msg_signature"] = "0" * 40
        assert (await w.client.post("/wecom/callback/main", params=params,
                                    data=body)).status == 403
        # WeCom answers a code we do not know.
        client = w.services.wecom.app("main")

        def refusing(body: dict[str, Any]) -> dict[str, Any]:
            raise SandboxError(96001, "odd thing")

        w.sandbox.kf_endpoints.account_list = refusing  # type: ignore[method-assign]
        with pytest.raises(Exception, match="96001"):
            await client.kf_account_list()

        text, m = await scrape(w.client)

    stored = total(m, "wecom_bot_callbacks_total", app="main", status="200")
    assert stored >= 2  # the kf callback and the new contact's
    assert total(m, "wecom_bot_callbacks_total", app="unknown", outcome="rejected",
                 status="404") == 1
    assert total(m, "wecom_bot_callbacks_total", app="main", outcome="rejected",
                 status="403") == 1
    assert total(m, "wecom_bot_callback_ack_seconds_count", app="main") == stored + 1
    assert total(m, "wecom_bot_jobs_total", kind="kf_callback", outcome="ok") >= 1
    assert total(m, "wecom_bot_job_duration_seconds_count", kind="kf_callback") >= 1
    assert total(m, "wecom_bot_wecom_calls_total", api="kf/sync_msg", errcode="0") >= 1
    assert total(m, "wecom_bot_wecom_calls_total", api="kf/account/list",
                 errcode="unknown") == 1
    assert total(m, "wecom_bot_wecom_unknown_errcodes_total", errcode="96001") == 1
    assert total(m, "wecom_bot_token_refreshes_total", app="main", outcome="ok") == 1
    assert total(m, "wecom_bot_outbox_finished_total", channel="kf", state="sent") >= 1
    assert total(m, "wecom_bot_outbox_finished_total", channel="welcome", state="sent") == 1
    assert total(m, "wecom_bot_rule_hits_total", rule="delivery-time", channel="kefu") == 1
    assert total(m, "wecom_bot_inbox_pending") == 0
    assert total(m, "wecom_bot_outbox_pending") == 0
    assert ("wecom_bot_outbox_oldest_pending_age_seconds", frozenset()) in m
    assert ("wecom_bot_group_tasks_waiting_for_owner", frozenset()) in m
    # No label takes the name of Prometheus' own target labels (it would be renamed).
    assert not {k for (_, ls) in m for k, _ in ls} & {"job", "instance"}
    # No label carries a person or a text.
    for secret in (CUSTOMER, "wmMetrics01", "zhangwei", "什么时候发货", "odd thing",
                   settings.wecom.apps[0].secret.get_secret_value()):
        assert secret not in text


def test_rule_labels_are_capped() -> None:
    recorder = Recorder()
    for i in range(RULE_LABELS + 10):
        recorder.rule_hit(f"rule-{i}", "kefu")
    recorder.rule_hit("rule-0", "kefu")
    m = parse(recorder.render().decode())
    rules = {dict(ls)["rule"] for (n, ls) in m if n == "wecom_bot_rule_hits_total"}
    assert len(rules) == RULE_LABELS + 1 and OTHER in rules
    assert total(m, "wecom_bot_rule_hits_total", rule="rule-0") == 2
    assert total(m, "wecom_bot_rule_hits_total", rule=OTHER) == 10
    assert total(m, "wecom_bot_rule_hits_total") == RULE_LABELS + 11


async def test_metrics_can_be_turned_off(mode_settings: Callable[..., Settings]) -> None:
    async with world(mode_settings(metrics_enabled=False)) as w:
        assert (await w.client.get("/metrics")).status == 404
        assert (await w.client.get("/healthz")).status == 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("mode_settings", ["production"], indirect=True)
async def test_a_worker_serves_metrics_on_its_own_port(
    mode_settings: Callable[..., Settings], tmp_path: Path,
) -> None:
    from bot.infra.db import migrate

    await migrate(PG_URL)
    port = _free_port()
    config = tmp_path / "bot.toml"
    config.write_text(
        f'listen = "127.0.0.1:{_free_port()}"\ndatabase_url = "{PG_URL}"\n'
        f'redis_url = "{REDIS_URL}"\n[wecom]\ncorp_id = "ww_metrics"\n'
        f'api_base = "http://127.0.0.1:9"\n[[wecom.apps]]\nname = "main"\nagent_id = 1\n'
        f'secret = "s"\ntoken = "t"\nencoding_aes_key = "{"a" * 43}"\n')
    worker = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).parent / "wecom-bot"), "worker", "--metrics-listen",
        f"127.0.0.1:{port}", env={**os.environ, "WECOM_BOT_CONFIG": str(config)},
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)

    def get(path: str) -> tuple[int, str]:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as resp:
            return resp.status, resp.read().decode()

    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _, text = await asyncio.to_thread(get, "/metrics")
                break
            except OSError:
                if worker.returncode is not None or time.monotonic() > deadline:
                    worker.kill()
                    _, err = await worker.communicate()
                    raise AssertionError("no /metrics: " + err.decode()[-2000:]) from None
                await asyncio.sleep(0.2)
        m = parse(text)
        assert ("wecom_bot_inbox_pending", frozenset()) in m
        assert (await asyncio.to_thread(get, "/readyz"))[0] == 200
    finally:
        if worker.returncode is None:
            worker.terminate()
        await worker.wait()
