"""Shared fixtures: settings for both modes, real PostgreSQL and Redis, signed callbacks.

Storage, queue, lock and cache tests run against the real servers on this machine
(PostgreSQL 127.0.0.1:5432 database ``test``, Redis 127.0.0.1:6379); only WeCom is simulated.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
import redis.asyncio as aioredis
from pydantic import SecretStr

from bot.protocol.crypto import WeComCrypto
from bot.protocol.safexml import build_xml
from bot.settings import AppConfig, Settings, WeComConfig, random_aes_key

PG_URL = os.environ.get("WECOM_BOT_TEST_PG", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("WECOM_BOT_TEST_REDIS", "redis://127.0.0.1:6379/15")
CORP_ID = "ww_test_corp_0001"


def make_apps() -> tuple[AppConfig, ...]:
    return (
        AppConfig(
            name="main", kind="app", agent_id=1000002, secret=SecretStr("app-secret"),
            token=SecretStr("tok-" + secrets.token_hex(4)),
            encoding_aes_key=SecretStr(random_aes_key()),
        ),
        AppConfig(
            name="aibot", kind="aibot", token=SecretStr("tok-" + secrets.token_hex(4)),
            encoding_aes_key=SecretStr(random_aes_key()),
        ),
    )


@pytest.fixture(autouse=True)
def cli_logs_uncached(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The CLI caches each logger on first use (a process configures logging once); tests
    run commands in-process, so that would pin every module's logger to one test's output
    and hide later tests' logs from ``capture_logs``."""
    import structlog

    from bot.infra.logs import configure_logging

    monkeypatch.setattr("bot.cli.configure_logging",
                        lambda fmt, level, cache=False: configure_logging(fmt, level))
    yield
    structlog.reset_defaults()


async def reset_postgres() -> None:
    conn = await asyncpg.connect(PG_URL.replace("postgres://", "postgresql://"))
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()


@pytest.fixture
async def redis_url() -> AsyncIterator[str]:
    client = aioredis.from_url(REDIS_URL)
    await client.flushdb()
    yield REDIS_URL
    await client.flushdb()
    await client.aclose()


@pytest.fixture(params=["embedded", "production"])
async def mode_settings(
    request: pytest.FixtureRequest, tmp_path: Any
) -> AsyncIterator[Callable[..., Settings]]:
    """A settings factory for embedded (SQLite, no Redis) and production (PostgreSQL + Redis)."""
    production = request.param == "production"
    if production:
        await reset_postgres()
        client = aioredis.from_url(REDIS_URL)
        await client.flushdb()
    apps = make_apps()

    def factory(**overrides: Any) -> Settings:
        base: dict[str, Any] = {
            "database_url": PG_URL if production else f"sqlite://{tmp_path}/bot.sqlite3",
            "redis_url": REDIS_URL if production else "",
            "log_format": "json",
            "wecom": WeComConfig(corp_id=CORP_ID, api_base="sandbox", apps=apps),
        }
        base.update(overrides)
        return Settings(**base)

    yield factory
    if production:
        await client.flushdb()
        await client.aclose()


class Signed:
    """Builds callbacks the way WeCom sends them: encrypted, signed, in the app's envelope."""

    def __init__(self, settings: Settings, app: str = "main") -> None:
        cfg = settings.wecom.app(app)
        assert cfg is not None
        self.cfg = cfg
        self.corp_id = settings.wecom.corp_id
        self.crypto = WeComCrypto(
            cfg.token.get_secret_value(), cfg.encoding_aes_key.get_secret_value(),
            self.corp_id if cfg.kind == "app" else "",
        )

    def post(self, plaintext: str, *, timestamp: int | None = None, as_json: bool = False
             ) -> tuple[dict[str, str], bytes]:
        """``as_json``: an app's JSON envelope (protocol-2.md §9; agentid a string)."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        nonce = secrets.token_hex(6)
        encrypt, sig = self.crypto.encrypt(plaintext, nonce, ts)
        params = {"msg_signature": sig, "timestamp": ts, "nonce": nonce}
        if self.cfg.kind == "aibot":
            return params, json.dumps({"encrypt": encrypt}).encode()
        if as_json:
            return params, json.dumps({"tousername": self.corp_id, "encrypt": encrypt,
                                       "agentid": str(self.cfg.agent_id or "")}).encode()
        body = build_xml({"ToUserName": self.corp_id, "AgentID": str(self.cfg.agent_id or ""),
                          "Encrypt": encrypt})
        return params, body.encode()

    def text_message(self, content: str, *, user: str = "zhangsan", msg_id: int | None = None
                     ) -> str:
        return build_xml({
            "ToUserName": self.corp_id, "FromUserName": user, "CreateTime": int(time.time()),
            "MsgType": "text", "Content": content,
            "MsgId": str(msg_id if msg_id is not None else uuid.uuid4().int >> 65),
            "AgentID": self.cfg.agent_id or 0,
        })


async def wait_for(predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll an async or sync predicate until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def start_serve(tmp_path: Path, config_text: str) -> tuple[subprocess.Popen[bytes], int]:
    """``wecom-bot serve`` in a child process on a free port, once /healthz answers.

    ``config_text`` is the TOML after the ``listen`` line; stderr (the JSON log) is piped.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    config = tmp_path / "bot.toml"
    config.write_text(f'listen = "127.0.0.1:{port}"\n{config_text}')
    server = subprocess.Popen([str(Path(sys.executable).parent / "wecom-bot"), "serve"],
                              env={**os.environ, "WECOM_BOT_CONFIG": str(config)},
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server, port
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                _, log = server.communicate()
                raise AssertionError("server did not start: "
                                     + log.decode(errors="replace")[-2000:]) from None
            time.sleep(0.2)
