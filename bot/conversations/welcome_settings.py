"""What admins set for welcomes: channel codes (「联系我」 state values), new-contact welcome
texts, kefu welcomes per kf account, and group welcome templates (kept in sync with WeCom
by bot.conversations.group_welcome). Reads return plain records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError

from bot.conversations import group_welcome
from bot.models import ChannelCode, GroupWelcomeTemplate, KfWelcome, WelcomeText
from bot.ports import Ports

# -- channel codes --------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelCodeRecord:
    code: str
    name: str


async def channel_codes() -> list[ChannelCodeRecord]:
    return [ChannelCodeRecord(c.code, c.name) for c in await ChannelCode.all()]


async def put_channel_code(code: str, name: str) -> ChannelCodeRecord:
    """Create or rename."""
    await ChannelCode.update_or_create(defaults={"name": name}, code=code)
    return ChannelCodeRecord(code, name)


async def delete_channel_code(code: str) -> bool:
    """False when there was no such code."""
    return bool(await ChannelCode.filter(code=code).delete())


# -- new-contact welcome texts --------------------------------------------------------------


class UnknownChannelCode(LookupError):
    pass


class WelcomeExists(Exception):
    """A welcome for this (channel code, staff member) pair exists; ``raced``: it was added
    by someone else between the check and the write."""

    def __init__(self, raced: bool = False) -> None:
        super().__init__("a welcome for this pair exists")
        self.raced = raced


@dataclass(frozen=True)
class WelcomeTextRecord:
    id: int
    channel_code: str | None  # None: any channel
    userid: str | None  # None: any staff member
    text: str
    attachments: list[dict[str, Any]]


def _welcome(w: WelcomeText) -> WelcomeTextRecord:
    return WelcomeTextRecord(id=w.id, channel_code=w.channel_code, userid=w.userid, text=w.text,
                             attachments=list(w.attachments or []))


async def welcome_texts() -> list[WelcomeTextRecord]:
    return [_welcome(w) for w in await WelcomeText.all().order_by("id")]


async def add_welcome_text(*, channel_code: str | None, userid: str | None, text: str,
                           attachments: list[dict[str, Any]]) -> WelcomeTextRecord:
    if channel_code and not await ChannelCode.exists(code=channel_code):
        raise UnknownChannelCode(channel_code)
    if await WelcomeText.exists(channel_code=channel_code, userid=userid):
        raise WelcomeExists()
    try:
        row = await WelcomeText.create(channel_code=channel_code, userid=userid, text=text,
                                       attachments=attachments)
    except IntegrityError:
        raise WelcomeExists(raced=True) from None
    return _welcome(row)


async def delete_welcome_text(welcome_id: int) -> bool:
    """False when there was no such welcome."""
    return bool(await WelcomeText.filter(id=welcome_id).delete())


# -- kefu welcomes --------------------------------------------------------------------------


@dataclass(frozen=True)
class KfWelcomeRecord:
    open_kfid: str  # a kf account, or "*" for every account
    text: str
    menu: list[tuple[str, str]]  # (menu id, label)


async def kf_welcomes() -> list[KfWelcomeRecord]:
    """The kefu welcomes admins have set, by account."""
    return [KfWelcomeRecord(r.open_kfid, r.text, [(i, c) for i, c in r.menu])
            for r in await KfWelcome.all().order_by("open_kfid")]


async def put_kf_welcome(open_kfid: str, text: str, menu: list[tuple[str, str]]
                         ) -> KfWelcomeRecord:
    await KfWelcome.update_or_create(open_kfid=open_kfid, defaults={
        "text": text, "menu": [[i, c] for i, c in menu]})
    return KfWelcomeRecord(open_kfid, text, list(menu))


async def delete_kf_welcome(open_kfid: str) -> bool:
    """False when none was set for the account."""
    return bool(await KfWelcome.filter(open_kfid=open_kfid).delete())


# -- group welcome templates ----------------------------------------------------------------


class NoSuchTemplate(LookupError):
    pass


class TemplateNameTaken(Exception):
    pass


@dataclass(frozen=True)
class TemplateRecord:
    id: int
    name: str
    text: str
    attachment: dict[str, dict[str, str]] | None  # {"image": {"pic_url": …}} etc.
    is_default: bool
    template_id: str | None  # WeCom's, once synced


def _template(t: GroupWelcomeTemplate) -> TemplateRecord:
    return TemplateRecord(id=t.id, name=t.name, text=t.text, attachment=t.attachment,
                          is_default=t.is_default, template_id=t.template_id)


async def templates() -> list[TemplateRecord]:
    return [_template(t) for t in await GroupWelcomeTemplate.all().order_by("id")]


async def _row(template_id: int) -> GroupWelcomeTemplate:
    row = await GroupWelcomeTemplate.get_or_none(id=template_id)
    if row is None:
        raise NoSuchTemplate(template_id)
    return row


async def create_template(ports: Ports, *, name: str, text: str,
                          attachment: dict[str, Any] | None, is_default: bool
                          ) -> TemplateRecord:
    """Here and in WeCom; WeComAPIError or ValueError when WeCom refuses (nothing stored)."""
    if await GroupWelcomeTemplate.exists(name=name):
        raise TemplateNameTaken(name)
    return _template(await group_welcome.create(ports, name=name, text=text,
                                                attachment=attachment, is_default=is_default))


async def update_template(ports: Ports, template_id: int, *, name: str, text: str,
                          attachment: dict[str, Any] | None, is_default: bool
                          ) -> TemplateRecord:
    row = await _row(template_id)
    if await GroupWelcomeTemplate.filter(name=name).exclude(id=row.id).exists():
        raise TemplateNameTaken(name)
    try:
        row = await group_welcome.update(ports, row, name=name, text=text,
                                         attachment=attachment, is_default=is_default)
    except IntegrityError:  # renamed to the same name at the same moment
        raise TemplateNameTaken(name) from None
    return _template(row)


async def delete_template(ports: Ports, template_id: int) -> None:
    await group_welcome.delete(ports, await _row(template_id))
