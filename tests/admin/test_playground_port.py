"""The playground works through its port (bot.ports.PlaygroundSandbox), not the sandbox
package: any object with that shape serves it, and the composition root's adapter turns the
real sandbox's refusals into PlaygroundRefused (400 sandbox_refused)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.api_access import create_token
from bot.app import SandboxPlayground
from bot.ports import PlaygroundRefused, PlaygroundSandbox
from bot.settings import Settings
from sandbox import SEED_KF
from tests.harness.waiting import wait_for
from tests.harness.world import CUSTOMER, world


class FakePlayground:
    """A stand-in simulated corp: records what was done, refuses the user "nobody"."""

    default_open_kfid = "wkDefault"

    def __init__(self) -> None:
        self.done: list[tuple[Any, ...]] = []

    async def customer_says(self, open_kfid: str, external_userid: str, text: str, *,
                            menu_id: str | None = None) -> dict[str, Any]:
        self.done.append(("says", open_kfid, external_userid, text, menu_id))
        return {"msgid": "m1"}

    async def customer_enters(self, open_kfid: str, external_userid: str, *,
                              scene: str = "") -> dict[str, Any]:
        self.done.append(("enters", open_kfid, external_userid, scene))
        return {}

    async def staff_adds_customer(self, userid: str, external_userid: str | None = None, *,
                                  name: str | None = None, state: str = "") -> dict[str, Any]:
        return {"external_userid": external_userid or "wmNew"}

    async def customer_scans_code(self, config_id: str, external_userid: str | None = None, *,
                                  name: str | None = None) -> dict[str, Any]:
        return {"external_userid": external_userid or "wmScan", "state": "s"}

    async def staff_creates_group(self, owner: str, name: str) -> dict[str, Any]:
        return {"chat_id": "wrChat"}

    async def customer_joins_group(self, external_userid: str, *, chat_id: str | None = None,
                                   config_id: str | None = None, join_scene: int = 3
                                   ) -> dict[str, Any]:
        return {"chat_id": chat_id}

    async def staff_says(self, userid: str, text: str) -> dict[str, Any]:
        if userid == "nobody":
            raise PlaygroundRefused(60111, "invalid userid")
        self.done.append(("staff", userid, text))
        return {"msgid": 7}

    async def owner_confirms_task(self, msgid: str, userid: str | None = None
                                  ) -> dict[str, Any]:
        return {"msgid": msgid}

    def world(self) -> dict[str, Any]:
        return {"staff": [{"userid": "lina"}], "tasks": []}

    def inbox(self, recipient: str) -> list[dict[str, Any]]:
        return [{"channel": "kf", "msgtype": "text", "payload": {"content": f"hi {recipient}"}}]


async def test_the_playground_serves_any_object_of_the_port(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        fake = FakePlayground()
        port: PlaygroundSandbox = fake
        w.services.playground = port
        h = {"Authorization": f"Bearer {await create_token('pg-admin', 'admin')}"}
        c = w.client

        said = await c.post("/api/v1/playground/kf/say", headers=h,
                            json={"external_userid": "wmA", "text": "你好"})
        assert said.status == 200 and await said.json() == {"result": {"msgid": "m1"}}
        entered = await c.post("/api/v1/playground/kf/enter", headers=h,
                               json={"external_userid": "wmA", "open_kfid": "wkOther"})
        assert entered.status == 200
        assert fake.done == [("says", "wkDefault", "wmA", "你好", None),
                             ("enters", "wkOther", "wmA", "")]

        refused = await c.post("/api/v1/playground/app/say", headers=h,
                               json={"userid": "nobody", "text": "帮助"})
        assert refused.status == 400
        assert (await refused.json())["error"] == {
            "code": "sandbox_refused", "message": "沙箱（企业微信）拒绝了：60111 invalid userid",
            "field": None}

        assert await (await c.get("/api/v1/playground/world", headers=h)).json() == \
            fake.world()
        inbox = await (await c.get("/api/v1/playground/inbox/wmA", headers=h)).json()
        assert [m["summary"] for m in inbox["messages"]] == ["hi wmA"]

        w.services.playground = None  # not in sandbox mode
        gone = await c.get("/api/v1/playground/world", headers=h)
        assert gone.status == 404 and (await gone.json())["error"]["code"] == "not_sandbox"


async def test_the_real_sandbox_through_the_adapter(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        assert isinstance(w.services.playground, SandboxPlayground)
        assert w.services.playground.default_open_kfid == SEED_KF
        h = {"Authorization": f"Bearer {await create_token('pg-admin', 'admin')}"}
        c = w.client
        # No open_kfid: the seeded kf account, through the real callback path.
        said = await c.post("/api/v1/playground/kf/say", headers=h,
                            json={"external_userid": CUSTOMER, "text": "你好"})
        assert said.status == 200
        await wait_for(lambda: any(m["channel"] == "kf" for m in w.sandbox.inbox(CUSTOMER)))
        refused = await c.post("/api/v1/playground/app/say", headers=h,
                               json={"userid": "no-such-member", "text": "帮助"})
        assert refused.status == 400
        assert (await refused.json())["error"]["code"] == "sandbox_refused"
        data = await (await c.get("/api/v1/playground/world", headers=h)).json()
        assert data["tasks"] == [] and data["kf_accounts"][0]["open_kfid"] == SEED_KF
