"""How staff are named to customers and colleagues: by the name the WeCom directory gives
(读取成员 user/get), kept a day per userid; by the userid when the directory cannot tell.
The same call gives a member's 直属上级 (``direct_leader``), kept alike: whom a low rating of
that member is raised to.

A self-built app reads the names of the members in its visible range (WeCom stopped giving
avatars, phones and emails to new apps in 2022, not names). Outside that range, or for a
userid WeCom does not know, the answer is remembered for an hour; a failed call is not
remembered, and never holds up a customer's reply for more than ``LOOKUP_SECONDS``.
"""

from __future__ import annotations

import asyncio
import json
from typing import Protocol

import aiohttp

from bot.infra.logs import get_logger
from bot.ports import Store
from bot.protocol import errors as E
from bot.protocol.api_results import AgentResult, UserResult, UserSimpleListResult

log = get_logger("bot.wecom.directory")

NAME_TTL = 24 * 3600.0
UNKNOWN_TTL = 3600.0
LOOKUP_SECONDS = 2.0
MEMBERS_TTL = 600.0  # the team pickers' list: fresh enough for a new hire, few calls
MEMBERS_KEY = "directory:members"
_NO_NAME = frozenset({E.NO_CONTACT_PRIVILEGE, E.USERID_NOT_FOUND, E.NO_PERMISSION})


def _key(userid: str) -> str:
    return f"directory:name:{userid}"


def _leader_key(userid: str) -> str:
    return f"directory:leader:{userid}"


class UserReader(Protocol):
    async def user_get(self, userid: str) -> UserResult: ...

    async def user_simplelist(self, department_id: int) -> UserSimpleListResult: ...

    async def agent_get(self, agentid: int) -> AgentResult: ...


class WeComDirectory:
    """``bot.ports.Directory`` over the main app's ``user/get``, cached in the store."""

    def __init__(self, store: Store, app: UserReader, agent_id: int | None = None) -> None:
        self.store = store
        self.app = app
        self.agent_id = agent_id

    async def members(self) -> list[tuple[str, str]]:
        """(userid, name) of every member the app sees, by name; cached ``MEMBERS_TTL``.

        The visible range (agent/get) names departments and members: each department's
        members come from user/simplelist, the single members from user/get. Without an
        agent_id the range is taken to be the whole corp (department 1). WeCom's errors
        propagate: the caller says what went wrong rather than show a short list."""
        cached = await self.store.get(MEMBERS_KEY)
        if cached is not None:
            return [(str(u), str(n)) for u, n in json.loads(cached)]
        parties, singles = [1], []
        if self.agent_id is not None:
            agent = await self.app.agent_get(self.agent_id)
            parties = list((agent.get("allow_partys") or {}).get("partyid") or [])
            singles = [str(u["userid"]) for u in
                       (agent.get("allow_userinfos") or {}).get("user") or []]
        found: dict[str, str] = {}
        for party in parties:
            res = await self.app.user_simplelist(party)
            for m in res.get("userlist") or []:
                found[str(m["userid"])] = str(m.get("name") or m["userid"])
        for uid in singles:
            if uid not in found:
                found[uid] = await self.staff_name(uid)
        for uid, name in found.items():
            await self.store.set(_key(uid), name, ttl=NAME_TTL)
        out = sorted(found.items(), key=lambda m: (m[1], m[0]))
        await self.store.set(MEMBERS_KEY, json.dumps(out, ensure_ascii=False), ttl=MEMBERS_TTL)
        return out

    async def known_name(self, userid: str | None) -> str:
        if not userid:
            return ""
        cached = await self.store.get(_key(userid))
        return userid if cached is None else str(cached)

    async def staff_name(self, userid: str | None) -> str:
        if not userid:
            return ""
        cached = await self.store.get(_key(userid))
        if cached is not None:
            return str(cached)
        got = await self._lookup(userid)
        return userid if got is None else got[0]

    async def leader_of(self, userid: str) -> str | None:
        if not userid:
            return None
        cached = await self.store.get(_leader_key(userid))
        if cached is None:
            got = await self._lookup(userid)
            cached = "" if got is None else got[1]
        return str(cached) or None

    async def _lookup(self, userid: str) -> tuple[str, str] | None:
        """One user/get: the member's (name, 直属上级 or ""), both cached; None when WeCom
        cannot answer now (nothing cached, the next use asks again)."""
        try:
            async with asyncio.timeout(LOOKUP_SECONDS):
                res = await self.app.user_get(userid)
        except E.WeComAPIError as exc:
            if exc.errcode not in _NO_NAME:
                log.info("directory.lookup_failed", userid=userid, errcode=exc.errcode)
                return None
            log.info("directory.no_name", userid=userid, errcode=exc.errcode)
            await self.store.set(_key(userid), userid, ttl=UNKNOWN_TTL)
            await self.store.set(_leader_key(userid), "", ttl=UNKNOWN_TTL)
            return userid, ""
        except (E.WeComError, aiohttp.ClientError, TimeoutError) as exc:
            log.info("directory.lookup_failed", userid=userid, error=type(exc).__name__)
            return None
        name = str(res.get("name") or userid)
        # A list in the API (at most one today): the first is the one to raise things to.
        leaders = [str(u) for u in res.get("direct_leader") or [] if u]
        leader = leaders[0] if leaders else ""
        await self.store.set(_key(userid), name, ttl=NAME_TTL)
        await self.store.set(_leader_key(userid), leader, ttl=NAME_TTL)
        return name, leader
