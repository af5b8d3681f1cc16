"""``wecom-bot doctor`` as an operator runs it, and the same checks from the admin API: a clean
sandbox config passes; a sandbox with faults injected fails naming each; the callback URL is
checked the way WeCom checks it, against the running service."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.api_access import create_token
from bot.app import bind_public_url
from bot.cli import main as cli_main
from bot.settings import Settings, WeComConfig, random_callback_token
from bot.web.appkeys import SERVICES
from bot.web.server import create_app
from bot.wecom.callback_probe import verify_callback_url
from sandbox import SEED_KF, Sandbox, SandboxClock
from tests.harness.settings import CORP_ID, make_apps


def toml_for(tmp_path: Path, config: WeComConfig, api_base: str, extra: str = "") -> Path:
    lines = [f'database_url = "sqlite://{tmp_path}/doctor.sqlite3"', extra, "[wecom]",
             f'corp_id = "{config.corp_id}"', f'api_base = "{api_base}"']
    for app in config.apps:
        lines += ["[[wecom.apps]]", f'name = "{app.name}"', f'kind = "{app.kind}"',
                  f'token = "{app.token.get_secret_value()}"',
                  f'encoding_aes_key = "{app.encoding_aes_key.get_secret_value()}"']
        if app.kind == "app":
            lines += [f"agent_id = {app.agent_id}", f'secret = "{app.secret.get_secret_value()}"']
    path = tmp_path / "doctor.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_clean_builtin_sandbox_config_passes(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bot.toml"
    path.write_text(f'database_url = "sqlite://{tmp_path}/d.sqlite3"\n', encoding="utf-8")
    assert cli_main(["doctor", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert "0 项失败" in out and "可以上线" in out and "✔ 通过  应用 main 的 Secret" in out


async def test_each_injected_fault_is_named_and_fails_the_command(
    tmp_path: Path, config: WeComConfig, sandbox: Sandbox, server: TestServer,
    clock: SandboxClock, capsys: pytest.CaptureFixture[str],
) -> None:
    base = str(server.make_url("")).rstrip("/")
    path = toml_for(tmp_path, config, base)
    assert await asyncio.to_thread(cli_main, ["doctor", "--config", str(path)]) == 0
    capsys.readouterr()

    sandbox.corp.admin["ops"].secret = "reset-in-the-console"
    sandbox.corp.egress_ip = "203.0.113.9"
    sandbox.corp.admin["main"].trusted_ips = {"203.0.113.9"}
    sandbox.corp.admin["main"].contact_api = False
    sandbox.corp.admin["main"].kf_api = True
    clock.advance(900)
    assert await asyncio.to_thread(cli_main, ["doctor", "--config", str(path)]) == 1
    out = capsys.readouterr().out
    assert "✘ 失败  应用 ops 的 Secret：wecom.apps.ops.secret 不正确" in out
    assert "✘ 失败  应用 main 的客户联系权限" in out and "可调用接口的应用，添加应用 main" in out
    assert "✘ 失败  服务器时钟" in out
    assert "3 项失败" in out

    clock.advance(-900)
    sandbox.corp.admin["main"].trusted_ips = {"198.51.100.1"}
    assert await asyncio.to_thread(cli_main, ["doctor", "--json", "--config", str(path)]) == 1
    out = capsys.readouterr().out
    assert "把 IP 203.0.113.9 加到应用的企业可信IP" in out

    sandbox.corp.admin["main"].trusted_ips = None
    sandbox.corp.admin["main"].contact_api = True
    sandbox.corp.admin["main"].kf_api = False
    assert await asyncio.to_thread(cli_main, ["doctor", "--config", str(path)]) == 1
    assert "✘ 失败  应用 main 的微信客服权限" in capsys.readouterr().out
    sandbox.corp.admin["main"].kf_api = True
    del sandbox.kf.accounts[SEED_KF]
    assert await asyncio.to_thread(cli_main, ["doctor", "--config", str(path)]) == 1
    assert "客服账号为空" in capsys.readouterr().out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_the_admin_api_runs_the_checks_and_the_callback_url_is_verified(
    tmp_path: Path,
) -> None:
    port = free_port()
    settings = Settings(
        listen=f"127.0.0.1:{port}", public_url=f"http://127.0.0.1:{port}",
        database_url=f"sqlite://{tmp_path}/bot.sqlite3",
        wecom=WeComConfig(corp_id=CORP_ID, api_base="sandbox", apps=tuple(
            a.model_copy(update={"token": SecretStr(random_callback_token())})
            for a in make_apps())))
    app = create_app(settings)
    async with TestClient(TestServer(app, port=port)) as client:
        bind_public_url(app[SERVICES], str(client.make_url("")))
        admin = {"Authorization": f"Bearer {await create_token('root', 'admin')}"}
        viewer = {"Authorization": f"Bearer {await create_token('v', 'viewer')}"}
        assert (await client.get("/api/v1/doctor", headers=viewer)).status == 403
        resp = await client.get("/api/v1/doctor", headers=admin)
        assert resp.status == 200
        body = await resp.json()
        checks = {c["id"]: c for c in body["checks"]}
        assert body["ok"] is True, body
        for name in ("main", "aibot"):  # verified as WeCom does, then: HTTP, not HTTPS
            assert checks[f"callback_url:{name}"]["status"] == "warn"
            assert "验证通过" in checks[f"callback_url:{name}"]["message"]
        main = settings.wecom.app("main")
        assert main is not None
        wrong = await verify_callback_url(f"http://127.0.0.1:{port}/wecom/callback/main",
                                          "someOtherToken", main.encoding_aes_key
                                          .get_secret_value(), CORP_ID)
        assert not wrong.ok and wrong.status == 403
        sandbox = app[SERVICES].sandbox
        assert sandbox is not None
        sandbox.corp.admin["main"].visible_users = set()
        body = await (await client.get("/api/v1/doctor", headers=admin)).json()
        assert body["ok"] is False
        failed = [c for c in body["checks"] if c["status"] == "fail"]
        assert [c["id"] for c in failed] == ["visible:main"]
        assert failed[0]["fix"]


async def test_an_unreachable_public_url_fails(tmp_path: Path, config: WeComConfig,
                                               server: TestServer,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    base = str(server.make_url("")).rstrip("/")
    path = toml_for(tmp_path, config, base, f'public_url = "http://127.0.0.1:{free_port()}"')
    assert await asyncio.to_thread(cli_main, ["doctor", "--config", str(path)]) == 1
    out = capsys.readouterr().out
    assert "✘ 失败  应用 main 的回调 URL" in out and "无法连接" in out and "wecom-bot serve" in out
