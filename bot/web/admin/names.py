"""People and things by the names people know them by, for the console's answers: staff by
their WeCom directory name, rules by their name, channel codes by their name. Ids stay in
the answers beside the names (API users key on them)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.conversations import rules_store, welcome_settings
from bot.runtime import Services

# External contacts (wm/wo…) and groups (wr…) are not directory members: asking WeCom's
# user/get about them would only cost a call.
_NOT_STAFF = ("wm", "wo", "wr")


async def staff_names(services: Services, userids: Iterable[str | None]) -> dict[str, str]:
    """userid → directory name, for the ids the directory knows by another name."""
    out: dict[str, str] = {}
    for uid in {u for u in userids if u and not u.startswith(_NOT_STAFF)}:
        name = await services.ports.directory.staff_name(uid)
        if name and name != uid:
            out[uid] = name
    return out


async def rule_names() -> dict[str, str]:
    """rule id → its name, for the rules that have one."""
    return {r.rule_id: str(r.body.get("name") or "") for r in await rules_store.list_rules()
            if r.body.get("name")}


async def channel_names() -> dict[str, str]:
    """channel code (「联系我」 state) → the channel's name."""
    return {c.code: c.name for c in await welcome_settings.channel_codes()}


class CauseNames:
    """Why a customer has a tag, as people read it: 渠道活码「展厅」, 规则「衣柜意向」,
    控制台（李娜）, 企业微信. Names are read once per answer."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self._rules: dict[str, str] | None = None
        self._channels: dict[str, str] | None = None

    async def text(self, cause: str) -> str:
        kind, _, ref = cause.partition(":")
        if kind == "channel":
            if self._channels is None:
                self._channels = await channel_names()
            return f"渠道活码「{self._channels.get(ref, ref)}」"
        if kind == "rule":
            if self._rules is None:
                self._rules = await rule_names()
            return f"关键词规则「{self._rules.get(ref, ref)}」"
        if kind == "api":
            who = (await staff_names(self.services, [ref])).get(ref)
            return f"控制台或接口（{who}・{ref}）" if who else f"控制台或接口（{ref}）"
        if cause == "wecom":
            return "企业微信（成员在客户端设置）"
        return cause
