"""Directory endpoints: reading one member (读取成员, docs 90196)."""

from __future__ import annotations

from typing import cast

from bot.protocol.api_results import UserResult
from bot.wecom.endpoints import Endpoints


class UserAPI(Endpoints):
    async def user_get(self, userid: str) -> UserResult:
        """GET cgi-bin/user/get?userid=: the member's ``name`` and more. Only members in the
        app's visible range (else 60011); apps created after 2022-06-20 no longer get avatar,
        mobile, email and the like, but still the name. Unknown userid: 60111."""
        return cast(UserResult, await self._call("GET", "user/get", params={"userid": userid}))
