"""Directory endpoints: reading one member (读取成员, docs 90196) and the app (docs 90227)."""

from __future__ import annotations

from typing import cast

from bot.protocol.api_results import AgentResult, AuthUserResult, UserResult, UserSimpleListResult
from bot.wecom.endpoints import Endpoints


class UserAPI(Endpoints):
    async def user_get(self, userid: str) -> UserResult:
        """GET cgi-bin/user/get?userid=: the member's ``name`` and more. Only members in the
        app's visible range (else 60011); apps created after 2022-06-20 no longer get avatar,
        mobile, email and the like, but still the name. Unknown userid: 60111."""
        return cast(UserResult, await self._call("GET", "user/get", params={"userid": userid}))

    async def user_simplelist(self, department_id: int) -> UserSimpleListResult:
        """GET cgi-bin/user/simplelist?department_id=&fetch_child=1 (获取部门成员, docs 90200):
        the members (userid, name, department) of a department and its sub-departments. The
        app must see the department (else 60011); a self-built app still gets real names."""
        res = await self._call("GET", "user/simplelist",
                               params={"department_id": department_id, "fetch_child": 1})
        return cast(UserSimpleListResult, res)

    async def auth_getuserinfo(self, code: str) -> AuthUserResult:
        """GET cgi-bin/auth/getuserinfo?code= (获取访问用户身份, docs 91023; the Web-login
        variant 98177): who signed in, from the code of 网页授权 or 扫码登录. A member comes
        back as ``userid``, anyone else as ``openid``/``external_userid``. The code is single
        use and lives 5 minutes (else 40029); the redirect's domain must be this app's
        trusted domain (else 50001)."""
        res = await self._call("GET", "auth/getuserinfo", params={"code": code})
        return cast(AuthUserResult, res)

    async def agent_get(self, agentid: int) -> AgentResult:
        """GET cgi-bin/agent/get?agentid= (获取指定的应用详情, docs 90227): the app's visible
        range (``allow_userinfos``, ``allow_partys``, ``allow_tags``). Only the token's own
        app: another agentid answers 301002."""
        res = await self._call("GET", "agent/get", params={"agentid": agentid})
        return cast(AgentResult, res)
