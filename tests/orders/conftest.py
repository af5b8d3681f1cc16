"""Orders fixtures: most rules are mode-independent and run embedded only (fast); the
end-to-end, idempotency and fault tests use ``mode_settings`` for both modes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.settings import Settings, WeComConfig
from tests.conftest import CORP_ID, make_apps


@pytest.fixture
def embedded_settings(tmp_path: Any) -> Callable[..., Settings]:
    apps = make_apps()

    def factory(**overrides: Any) -> Settings:
        base: dict[str, Any] = {
            "database_url": f"sqlite://{tmp_path}/bot.sqlite3", "redis_url": "",
            "wecom": WeComConfig(corp_id=CORP_ID, api_base="sandbox", apps=apps)}
        base.update(overrides)
        return Settings(**base)

    return factory
