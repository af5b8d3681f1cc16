"""The sandbox's staff login follows WeCom (protocol-2.md §5): the login pages check their
parameters, the code comes back on the redirect with the state, and auth/getuserinfo turns
it into the userid once, within 5 minutes, for the app whose trusted domain the redirect
went to."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from bot.protocol.errors import WeComAPIError
from bot.settings import Settings
from tests.harness.world import world


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_a_code_names_the_member_once(mode_settings: Callable[..., Settings]) -> None:
    async with world(mode_settings()) as w:
        sandbox, client = w.sandbox, w.client
        corp = sandbox.corp
        redirect = str(w.client.make_url("/admin/"))
        sso = {"login_type": "CorpApp", "appid": corp.corp_id, "agentid": "1000002",
               "redirect_uri": redirect, "state": "abc123"}

        # The page refuses what WeCom refuses.
        for bad in ({**sso, "login_type": "ServiceApp"}, {**sso, "appid": "wwother"},
                    {**sso, "agentid": "42"}, {**sso, "state": "a-b"},
                    {**sso, "redirect_uri": "not a url"}):
            resp = await client.get("/_wecom_sandbox/wwlogin/sso/login?" + urlencode(bad))
            assert resp.status == 400, bad
        page = await client.get("/_wecom_sandbox/wwlogin/sso/login?" + urlencode(sso))
        assert page.status == 200 and "张伟（zhangwei）" in await page.text()

        async def code_for(userid: str, path: str = "/_wecom_sandbox/wwlogin/sso/confirm",
                           query: dict[str, str] = sso) -> str:
            resp = await client.get(f"{path}?" + urlencode({**query, "userid": userid}),
                                    allow_redirects=False)
            assert resp.status == 302
            target = urlsplit(resp.headers["Location"])
            assert target.path == "/admin/"
            got = parse_qs(target.query)
            assert got["state"] == [query["state"]]
            return got["code"][0]

        app = w.services.wecom.app("main")
        code = await code_for("zhangwei")
        assert (await app.auth_getuserinfo(code))["userid"] == "zhangwei"
        with pytest.raises(WeComAPIError) as used:  # single use
            await app.auth_getuserinfo(code)
        assert used.value.errcode == 40029
        with pytest.raises(WeComAPIError) as missing:
            await app.auth_getuserinfo("")
        assert missing.value.errcode == 41008

        # 网页授权 inside WeCom: the same, through oauth2/authorize.
        oauth = {"appid": corp.corp_id, "redirect_uri": redirect, "response_type": "code",
                 "scope": "snsapi_base", "state": "s1", "agentid": "1000002"}
        assert (await client.get("/_wecom_sandbox/connect/oauth2/authorize?" + urlencode(
            {**oauth, "scope": "snsapi_userinfo"}))).status == 400
        code = await code_for("lina", "/_wecom_sandbox/connect/oauth2/confirm", oauth)
        assert (await app.auth_getuserinfo(code))["userid"] == "lina"

        # Five minutes and it is gone.
        code = await code_for("zhangwei")
        corp.clock.advance(301)
        with pytest.raises(WeComAPIError) as late:
            await app.auth_getuserinfo(code)
        assert late.value.errcode == 40029

        # A redirect to a domain that is not the app's trusted domain: 50001.
        corp.admin["main"].trusted_domain = "crm.example.com"
        code = await code_for("zhangwei")
        with pytest.raises(WeComAPIError) as untrusted:
            await app.auth_getuserinfo(code)
        assert untrusted.value.errcode == 50001
