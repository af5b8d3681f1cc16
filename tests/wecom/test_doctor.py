"""``bot.doctor`` against the sandbox: a clean corp passes; each fault an administrator can
make in WeCom's console (or the network, or the clock) is named with its fix."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from pydantic import SecretStr

from bot.doctor import Report, diagnose, render_text
from bot.protocol.errors import egress_ip
from bot.settings import Settings, WeComConfig
from bot.wecom.client import WeComClient
from sandbox import SEED_KF, Sandbox, SandboxClock
from tests.harness.wecom_client import make_client


def settings_for(config: WeComConfig, **over: Any) -> Settings:
    return Settings(wecom=config, **over)


async def ok() -> None:
    return None


async def down() -> None:
    raise ConnectionRefusedError("refused")


async def run(config: WeComConfig, server: TestServer, **over: Any) -> Report:
    from bot.infra.store import MemoryStore

    client: WeComClient = make_client(config, MemoryStore(), server)
    try:
        return await diagnose(settings_for(config, **over), client, main_app="main",
                              database=ok, redis=ok)
    finally:
        await client.close()


def by_id(report: Report) -> dict[str, Any]:
    return {c.id: c for c in report.checks}


@pytest.fixture
async def world(sandbox: Sandbox, server: TestServer) -> AsyncIterator[Sandbox]:
    yield sandbox


async def test_a_clean_sandbox_corp_passes(config: WeComConfig, server: TestServer) -> None:
    report = await run(config, server)
    checks = by_id(report)
    assert report.ok, render_text(report)
    for cid in ("secret:main", "secret:ops", "trusted_ip:main", "visible:main", "contact:main",
                "kf:main", "kf_accounts:main", "clock", "database", "redis",
                "callback_config:aibot"):
        assert checks[cid].status == "ok", checks[cid]
    assert "contact:ops" not in checks  # only the main app serves contacts and kefu
    assert checks["callback_url:main"].status == "warn"  # no public_url configured
    assert "全屋定制客服" in checks["kf_accounts:main"].message


async def test_a_reset_secret_names_the_key_and_skips_that_apps_other_checks(
    world: Sandbox, config: WeComConfig, server: TestServer
) -> None:
    world.corp.admin["main"].secret = "rotated-in-the-console"
    checks = by_id(await run(config, server))
    assert checks["secret:main"].status == "fail"
    assert "wecom.apps.main.secret" in checks["secret:main"].message
    assert "40001" in checks["secret:main"].message and "Secret" in checks["secret:main"].fix
    assert checks["kf:main"].status == "skip" and checks["secret:ops"].status == "ok"


async def test_a_wrong_corp_id_is_named(config: WeComConfig, server: TestServer) -> None:
    wrong = config.model_copy(update={"corp_id": "wwNotThisCorp"})
    report = await run(wrong, server)
    assert not report.ok
    msg = by_id(report)["secret:main"].message
    assert "wwNotThisCorp" in msg and "40013" in msg


async def test_an_untrusted_ip_names_the_ip_weCom_saw(
    world: Sandbox, config: WeComConfig, server: TestServer
) -> None:
    world.corp.egress_ip = "203.0.113.7"
    world.corp.admin["main"].trusted_ips = {"198.51.100.1"}
    report = await run(config, server)
    check = by_id(report)["trusted_ip:main"]
    assert check.status == "fail" and "60020" in check.message
    assert "把 IP 203.0.113.7 加到应用的企业可信IP" in check.fix
    assert by_id(report)["contact:main"].status == "skip"
    assert by_id(report)["trusted_ip:ops"].status == "ok"  # only main's list is set
    world.corp.admin["main"].trusted_ips = {"203.0.113.7"}
    assert (await run(config, server)).ok


def test_the_egress_ip_is_read_from_weComs_errmsg() -> None:
    errmsg = ("not allow to access from your ip, hint: [1700000000_12_abc], from ip: 1.2.3.4, "
              "more info at https://open.work.weixin.qq.com/devtool/query?e=60020")
    assert egress_ip(errmsg) == "1.2.3.4"
    assert egress_ip("invalid credential") is None


@pytest.mark.parametrize(("flag", "check", "words"), [
    ("contact_api", "contact:main", "客户联系"),
    ("kf_api", "kf:main", "微信客服"),
])
async def test_a_missing_api_permission_says_which_to_grant(
    world: Sandbox, config: WeComConfig, server: TestServer, flag: str, check: str, words: str
) -> None:
    setattr(world.corp.admin["main"], flag, False)
    report = await run(config, server)
    assert [c.id for c in report.failed] == [check]
    failed = report.failed[0]
    assert "48002" in failed.message and words in failed.fix and "可调用接口的应用" in failed.fix


async def test_an_empty_visible_range_and_a_foreign_agent_id(
    world: Sandbox, config: WeComConfig, server: TestServer
) -> None:
    world.corp.admin["main"].visible_users = set()
    check = by_id(await run(config, server))["visible:main"]
    assert check.status == "fail" and "可见范围为空" in check.message and "可见范围" in check.fix
    world.corp.admin["main"].visible_users = {"zhangwei", "lina"}
    report = await run(config, server)
    assert by_id(report)["visible:main"].message == "可见范围：2 名成员"
    assert "2 名成员" in by_id(report)["contact:main"].message
    apps = tuple(a.model_copy(update={"agent_id": 1000003}) if a.name == "main" else a
                 for a in config.apps)
    check = by_id(await run(config.model_copy(update={"apps": apps}), server))["visible:main"]
    assert check.status == "fail" and "301002" in check.message


async def test_no_kf_accounts_or_a_named_one_missing(
    world: Sandbox, config: WeComConfig, server: TestServer
) -> None:
    report = await run(config, server, orders_kf_account="wkNoSuchAccount")
    check = by_id(report)["kf_accounts:main"]
    assert check.status == "fail" and "orders_kf_account = wkNoSuchAccount" in check.message
    world.kf.accounts[SEED_KF].manage_privilege = False
    check = by_id(await run(config, server))["kf_accounts:main"]
    assert check.status == "fail" and "管理权限" in check.message
    del world.kf.accounts[SEED_KF]
    check = by_id(await run(config, server))["kf_accounts:main"]
    assert check.status == "fail" and "客服账号为空" in check.message


async def test_clock_skew_from_weComs_date_header(
    clock: SandboxClock, config: WeComConfig, server: TestServer
) -> None:
    clock.advance(20)
    check = by_id(await run(config, server))["clock"]
    # The header has whole seconds: 20 s off reads as 19–21.
    assert check.status == "warn" and re.search(r"慢 (19|20|21) 秒", check.message)
    clock.advance(-20 - 600)
    check = by_id(await run(config, server))["clock"]
    assert check.status == "fail" and re.search(r"快 (599|600|601) 秒", check.message)
    assert "NTP" in check.fix


async def test_unreachable_database_and_redis(config: WeComConfig, server: TestServer) -> None:
    from bot.infra.store import MemoryStore

    settings = settings_for(config, redis_url="redis://:pw@127.0.0.1:1/0",
                            database_url="postgres://bot:dbpass@127.0.0.1:1/bot")
    client = make_client(config, MemoryStore(), server)
    try:
        report = await diagnose(settings, client, main_app="main", database=down, redis=down)
    finally:
        await client.close()
    checks = by_id(report)
    assert checks["database"].status == "fail" and checks["redis"].status == "fail"
    assert "database_url" in checks["database"].fix
    text = render_text(report)
    assert "dbpass" not in text and ":pw@" not in text
    assert "postgres://127.0.0.1:1/bot" in checks["database"].message


async def test_a_token_the_console_would_not_accept_fails(config: WeComConfig,
                                                          server: TestServer) -> None:
    apps = tuple(a.model_copy(update={"token": SecretStr("tok-with-dash")}) if a.name == "aibot"
                 else a for a in config.apps)
    report = await run(config.model_copy(update={"apps": apps}), server)
    assert [c.id for c in report.failed] == ["callback_config:aibot"]
    assert "tok-with-dash" not in render_text(report)


async def test_outages_are_summed_up_and_a_reconciliation_left_waiting_warns(
    config: WeComConfig, server: TestServer,
) -> None:
    from bot.infra.store import MemoryStore
    from bot.pipeline.outage_queries import Summary

    async def check(summary: Summary | None) -> Any:
        async def read() -> Summary:
            if summary is None:
                raise ConnectionRefusedError("refused")
            return summary

        client: WeComClient = make_client(config, MemoryStore(), server)
        try:
            report = await diagnose(settings_for(config), client, main_app="main",
                                    database=ok, redis=ok, outages=read)
        finally:
            await client.close()
        return by_id(report)["outages"]

    quiet = await check(Summary(days=7, outages=0, refused=0, lost=0, missed=0, open=0,
                                stale=0, last_started_at=None))
    assert (quiet.status, quiet.message) == ("ok", "近 7 天没有存储中断")
    busy = await check(Summary(days=7, outages=2, refused=150, lost=82, missed=12, open=1,
                               stale=0, last_started_at=None))
    assert busy.status == "ok" and busy.message == (
        "近 7 天存储中断 2 次，被拒回调 150 条（企业微信放弃 82 条），补录 12 项；1 次中断正在补录")
    stale = await check(Summary(days=7, outages=1, refused=0, lost=0, missed=0, open=1,
                                stale=1, last_started_at=None))
    assert stale.status == "warn" and "超过 10 分钟仍未补录" in stale.message
    assert "wecom-bot worker" in stale.fix
    unreadable = await check(None)
    assert unreadable.status == "skip" and "ConnectionRefusedError" in unreadable.message


async def test_a_database_on_its_unix_socket_is_named_by_its_directory(
        config: WeComConfig, server: TestServer) -> None:
    from bot.infra.store import MemoryStore

    settings = settings_for(
        config, database_url="postgres://bot:dbpass@/bot?host=/run/postgresql&sslmode=disable")
    client = make_client(config, MemoryStore(), server)
    try:
        report = await diagnose(settings, client, main_app="main", database=down, redis=None)
    finally:
        await client.close()
    message = by_id(report)["database"].message
    assert message.startswith("postgres:///bot（/run/postgresql）") and "dbpass" not in message
