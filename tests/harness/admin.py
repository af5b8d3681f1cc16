"""Acting as an admin (or any role) on the admin API: bearer tokens and a small client."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from bot.api_access import create_token


async def bearer(name: str, role: str) -> dict[str, str]:
    """Headers for a new API token of ``role`` named ``name``."""
    return {"Authorization": f"Bearer {await create_token(name, role)}"}


class Admin:
    """The admin API with a bearer token."""

    def __init__(self, client: TestClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    @classmethod
    async def make(cls, client: TestClient, role: str = "admin") -> Admin:
        return cls(client, await create_token(f"{role}-{id(client)}", role))

    async def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """``method`` on ``/api/v1`` + ``path``; the status and the decoded JSON."""
        resp = await self.client.request(method, "/api/v1" + path, json=body,
                                         headers=self.headers)
        return resp.status, await resp.json()
