"""Orders fixtures: most rules are mode-independent and run embedded only (fast); the
end-to-end, idempotency and fault tests use ``mode_settings`` for both modes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.harness.databases import prepare
from tests.harness.settings import SettingsFactory, settings_factory


@pytest.fixture
async def embedded_settings(tmp_path: Path) -> SettingsFactory:
    await prepare("embedded", tmp_path)
    return settings_factory("embedded", tmp_path)
