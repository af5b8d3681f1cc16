"""How staff are named to customers and colleagues: by the name the WeCom directory gives
(读取成员 user/get), kept a day per userid; by the userid when the directory cannot tell.

A self-built app reads the names of the members in its visible range (WeCom stopped giving
avatars, phones and emails to new apps in 2022, not names). Outside that range, or for a
userid WeCom does not know, the answer is remembered for an hour; a failed call is not
remembered, and never holds up a customer's reply for more than ``LOOKUP_SECONDS``.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

import aiohttp

from bot.infra.logs import get_logger
from bot.ports import Store
from bot.protocol import errors as E
from bot.protocol.api_results import UserResult

log = get_logger("bot.wecom.directory")

NAME_TTL = 24 * 3600.0
UNKNOWN_TTL = 3600.0
LOOKUP_SECONDS = 2.0
_NO_NAME = frozenset({E.NO_CONTACT_PRIVILEGE, E.USERID_NOT_FOUND, E.NO_PERMISSION})


def _key(userid: str) -> str:
    return f"directory:name:{userid}"


class UserReader(Protocol):
    async def user_get(self, userid: str) -> UserResult: ...


class WeComDirectory:
    """``bot.ports.Directory`` over the main app's ``user/get``, cached in the store."""

    def __init__(self, store: Store, app: UserReader) -> None:
        self.store = store
        self.app = app

    async def known_name(self, userid: str | None) -> str:
        if not userid:
            return ""
        cached = await self.store.get(_key(userid))
        return userid if cached is None else str(cached)

    async def staff_name(self, userid: str | None) -> str:
        if not userid:
            return ""
        key = _key(userid)
        cached = await self.store.get(key)
        if cached is not None:
            return str(cached)
        try:
            async with asyncio.timeout(LOOKUP_SECONDS):
                res = await self.app.user_get(userid)
        except E.WeComAPIError as exc:
            if exc.errcode not in _NO_NAME:
                log.info("directory.lookup_failed", userid=userid, errcode=exc.errcode)
                return userid
            log.info("directory.no_name", userid=userid, errcode=exc.errcode)
            await self.store.set(key, userid, ttl=UNKNOWN_TTL)
            return userid
        except (E.WeComError, aiohttp.ClientError, TimeoutError) as exc:
            log.info("directory.lookup_failed", userid=userid, error=type(exc).__name__)
            return userid
        name = str(res.get("name") or userid)
        await self.store.set(key, name, ttl=NAME_TTL)
        return name
