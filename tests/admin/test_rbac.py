"""Every admin route × every caller (no token, viewer, specialist, admin), generated from
the route declarations, so a route added later is covered by default: a caller without a
token gets 401, a role the route does not list gets 403, a listed role gets neither."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.api_access import create_token
from bot.settings import Settings
from bot.web.admin.framework import PREFIX
from bot.web.server import build_api
from tests.harness.service import serving

ROLES = ("viewer", "specialist", "admin")
_VAR = re.compile(r"{(\w+)(?::((?:[^{}]|\{[^{}]*\})*))?}")


def _concrete(path: str) -> str:
    """A path with each variable filled by a value its pattern accepts (none exists)."""
    def fill(m: re.Match[str]) -> str:
        pattern = m.group(2) or ""
        return "7" if pattern.startswith("[0-9]") or pattern.startswith("\\d") else "x1"
    return PREFIX + _VAR.sub(fill, path)


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_every_route_answers_each_role_as_declared(
    mode_settings: Callable[..., Settings],
) -> None:
    endpoints = [ep for ep in build_api().endpoints if ep.roles]
    assert len(endpoints) > 30  # the declarations were found
    async with serving(mode_settings()) as client:
        tokens = {role: await create_token(f"rbac-{role}", role) for role in ROLES}
        wrong: list[str] = []
        for ep in endpoints:
            url = _concrete(ep.path)
            # Token revocation would revoke the very tokens this test uses.
            if ep.method == "DELETE" and ep.path.startswith("/tokens/"):
                url = PREFIX + "/tokens/nobody-by-this-name"
            body = {} if ep.method in ("POST", "PUT", "PATCH") else None
            resp = await client.request(ep.method, url, json=body)
            if resp.status != 401:
                wrong.append(f"{ep.method} {ep.path} without a token: {resp.status}")
            for role in ROLES:
                resp = await client.request(ep.method, url, json=body, headers={
                    "Authorization": f"Bearer {tokens[role]}"})
                allowed = role in ep.roles
                if (allowed and resp.status in (401, 403)) or resp.status >= 500:
                    wrong.append(f"{ep.method} {ep.path} as {role}: {resp.status}")
                if not allowed and resp.status != 403:
                    wrong.append(f"{ep.method} {ep.path} as {role} (not allowed): {resp.status}")
        assert not wrong, "\n".join(wrong)
