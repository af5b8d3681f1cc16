"""Secrets the service makes for itself when the settings name none, kept in the database.

Every process (serve and workers, on every host) and every restart must sign and check with
the same key, so a key made at random on the first start is stored once (the first process
to store it wins; the others read it) and read back on every start.
"""

from __future__ import annotations

import secrets

from pydantic import SecretStr
from tortoise.exceptions import DBConnectionError, IntegrityError, OperationalError

from bot.infra.logs import get_logger
from bot.models import ServerSecret
from bot.settings import Settings

log = get_logger("bot.infra.server_secrets")
PROGRESS_LINK = "progress_link"


async def server_secret(name: str) -> str:
    """The stored secret called ``name``, made (256 random bits) if there is none yet."""
    row = await ServerSecret.get_or_none(name=name)
    if row is not None:
        return row.value
    try:
        row = await ServerSecret.create(name=name, value=secrets.token_urlsafe(32))
        log.info("server_secret.created", name=name)
    except IntegrityError:  # another process made it first: theirs it is
        row = await ServerSecret.get(name=name)
    return row.value


async def with_generated_secrets(settings: Settings) -> Settings:
    """The settings with every secret they leave empty filled from the database. A database
    this release has not migrated yet (a rolling deploy: /readyz says so) leaves them empty,
    and their users ask ``server_secret`` themselves once it is."""
    if settings.progress_link_secret.get_secret_value():
        return settings
    try:
        value = await server_secret(PROGRESS_LINK)
    except (OperationalError, DBConnectionError) as exc:
        log.warning("server_secret.unavailable", name=PROGRESS_LINK, error=type(exc).__name__)
        return settings
    return settings.model_copy(update={"progress_link_secret": SecretStr(value)})


async def progress_link_key(settings: Settings) -> bytes:
    """The key progress links are signed with."""
    value = settings.progress_link_secret.get_secret_value() \
        or await server_secret(PROGRESS_LINK)
    return value.encode()
