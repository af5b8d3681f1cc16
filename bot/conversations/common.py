"""Small shared pieces: the injectable clock, settings access, conversation keys."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.settings import ConversationsConfig

CST = timedelta(hours=8)  # statistics days are natural days in China Standard Time


def now(services: Any) -> datetime:
    """The service's time. Tests put a ``clock`` (epoch seconds) in ``services.extras`` so SLA
    timers and 20 s windows are exercised without sleeping."""
    clock = services.extras.get("clock", time.time)
    return datetime.fromtimestamp(clock(), UTC)


def day_of(at: datetime) -> date:
    return (at.astimezone(UTC) + CST).date()


def config(services: Any) -> ConversationsConfig:
    cfg: ConversationsConfig = services.settings.conversations
    return cfg


def kf_key(open_kfid: str, external_userid: str) -> str:
    return f"kefu:{open_kfid}:{external_userid}"
