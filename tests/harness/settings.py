"""The one way tests build ``Settings``: embedded (SQLite, no Redis) or production
(PostgreSQL and Redis from ``tests.harness.env``), the sandbox as WeCom, fresh app secrets."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from bot.settings import AppConfig, CustomersConfig, Settings, WeComConfig, random_aes_key
from tests.harness import databases
from tests.harness.env import PG_URL, REDIS_URL

CORP_ID = "ww_test_corp_0001"
MODES = ("embedded", "production")
SettingsFactory = Callable[..., Settings]


def make_apps() -> tuple[AppConfig, ...]:
    """A self-built app and an AI bot, each with its own random token and AES key."""
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


def settings_factory(mode: str, folder: Path) -> SettingsFactory:
    """Settings for ``mode``; keyword overrides replace any field. Every call shares the same
    apps (and so the same secrets) and the same database."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    production = mode == "production"
    apps = make_apps()

    def factory(**overrides: Any) -> Settings:
        base: dict[str, Any] = {
            "database_url": PG_URL if production else f"sqlite://{folder}/{databases.SQLITE_NAME}",
            "redis_url": REDIS_URL if production else "",
            "log_format": "json",
            "wecom": WeComConfig(corp_id=CORP_ID, api_base="sandbox", apps=apps),
            "customers": CustomersConfig(media_dir=str(folder / "media")),
            # Round the clock: no test may depend on the hour the suite runs at. The tests of
            # the business calendar set hours and a clock of their own.
            "business_hours": "",
        }
        base.update(overrides)
        return Settings(**base)

    return factory

