"""Every wecom-bot process runs on uvloop unless configured otherwise (bot.infra.event_loop)."""

from __future__ import annotations

import sys

import pytest

from bot.infra import event_loop
from bot.settings import ConfigError, load_settings


async def _which() -> str:
    return event_loop.running_name()


def test_the_default_loop_is_uvloop() -> None:
    assert load_settings(None, env={}).event_loop == "uvloop"
    assert event_loop.run(_which()) == "uvloop"


def test_the_standard_loop_when_configured() -> None:
    settings = load_settings(None, env={"WECOM_BOT_EVENT_LOOP": "asyncio"})
    assert event_loop.run(_which(), settings.event_loop) == "asyncio"


def test_the_standard_loop_where_uvloop_is_not_installed(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop raises ImportError
    assert event_loop.run(_which()) == "asyncio"


def test_an_unknown_loop_is_refused_by_name() -> None:
    with pytest.raises(ConfigError, match="event_loop"):
        load_settings(None, env={"WECOM_BOT_EVENT_LOOP": "tokio"})


def test_run_returns_the_result_and_raises_the_error() -> None:
    async def fails() -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        event_loop.run(fails())


def test_the_benches_run_on_the_loop_their_services_read(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    """A bench's own process (its in-process service, load and baselines) follows
    WECOM_BOT_EVENT_LOOP as the services it starts do, and refuses what they refuse."""
    from bench import loop

    monkeypatch.delenv("WECOM_BOT_EVENT_LOOP", raising=False)
    assert loop.run(_which()) == "uvloop"
    monkeypatch.setenv("WECOM_BOT_EVENT_LOOP", "asyncio")
    assert loop.run(_which()) == "asyncio"
    assert loop.factory() is None
    monkeypatch.setenv("WECOM_BOT_EVENT_LOOP", "tokio")
    with pytest.raises(ConfigError, match="event_loop"):
        loop.choice()
