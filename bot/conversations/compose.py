"""A rule's replies as channel payloads: pick (all / one at random), fill variables, convert.

Variables are filled by plain replacement of known names, so a reply containing other braces
(JSON, emoticons) is never an error.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from bot.infra.logs import get_logger
from bot.protocol import text_limits as L
from keywords import File, Image, Link, Menu, Message, MiniProgram, Rule, Text, Video

log = get_logger("bot.compose")
VARIABLES = ("nickname", "order_no", "specialist")
Payload = tuple[str, dict[str, Any]]  # (msgtype, body) as kf/send_msg takes them


def pick(rule: Rule) -> list[Message]:
    msgs = list(rule.replies.messages)
    if rule.replies.mode == "random" and msgs:
        return [random.choice(msgs)]
    return msgs


def wants(messages: Sequence[Message], name: str) -> bool:
    token = "{" + name + "}"
    return any(token in t for m in messages for t in _texts(m))


def _texts(m: Message) -> list[str]:
    if isinstance(m, Text):
        return [m.text]
    if isinstance(m, Menu):
        return [m.head or "", m.tail or "", *(i.content for i in m.items)]
    if isinstance(m, Link):
        return [m.title, m.desc or ""]
    return []


def fill(text: str, values: Mapping[str, str]) -> str:
    for name in VARIABLES:
        text = text.replace("{" + name + "}", values.get(name, ""))
    return text


async def kf_payloads(
    messages: Sequence[Message], values: Mapping[str, str], media: Any = None
) -> list[Payload]:
    """kf/send_msg bodies; an image given by URL is uploaded once (``media(url)`` → media_id)
    and skipped, with a log line, when that fails."""
    out: list[Payload] = []
    for m in messages:
        if isinstance(m, Text):
            out += _texts_of(fill(m.text, values))
        elif isinstance(m, Menu):
            body: dict[str, Any] = {"list": [_menu_item(i, values) for i in m.items]}
            head, tail = fill(m.head or "", values), fill(m.tail or "", values)
            # A head or tail that grew past WeCom's 1024 bytes once filled goes out as text
            # of its own, before or after the menu: never cut.
            if L.size(head) > L.KF_MENU_HEAD_TAIL:
                out += _texts_of(head)
            elif head:
                body["head_content"] = head
            after = _texts_of(tail) if L.size(tail) > L.KF_MENU_HEAD_TAIL else []
            if tail and not after:
                body["tail_content"] = tail
            out.append(("msgmenu", body))
            out += after
        elif isinstance(m, Image) and m.media is not None:
            # A media library file: the outbox resolves it to a fresh media_id at each send.
            out.append(("image", {"media": m.media}))
        elif isinstance(m, File | Video):
            out.append(("file" if isinstance(m, File) else "video", {"media": m.media}))
        elif isinstance(m, Image):
            media_id = m.media_id
            if media_id is None and m.url and media is not None:
                try:
                    media_id = await media(m.url)
                except Exception as exc:
                    log.warning("compose.media_failed", error=type(exc).__name__)
            if media_id:
                out.append(("image", {"media_id": media_id}))
        elif isinstance(m, Link):
            link: dict[str, Any] = {"title": _fitting(m.title, values, L.LINK_TITLE),
                                    "url": m.url}
            if m.desc:
                link["desc"] = _fitting(m.desc, values, L.LINK_DESC)
            if m.pic_media is not None:
                link["pic_media"] = m.pic_media
            elif m.picurl and media is not None:
                # kf/send_msg's card takes a media_id, not a URL: the picture uploaded once.
                try:
                    link["thumb_media_id"] = await media(m.picurl)
                except Exception as exc:
                    log.warning("compose.media_failed", error=type(exc).__name__)
            out.append(("link", link))
        elif isinstance(m, MiniProgram):
            cover: dict[str, Any] = ({"pic_media": m.pic_media} if m.pic_media is not None
                                     else {"thumb_media_id": m.thumb_media_id})
            out.append(("miniprogram", {"appid": m.appid, "pagepath": m.pagepath, **cover,
                                        "title": m.title or ""}))
    return out


def _texts_of(text: str) -> list[Payload]:
    """One kf text, or several when it is over WeCom's 2048 bytes (split, never cut)."""
    return [("text", {"content": part}) for part in L.split(text, L.KF_TEXT)]


def _fitting(text: str, values: Mapping[str, str], limit: int) -> str:
    """``text`` filled in, or with its placeholders left empty when filling would take it
    past ``limit`` bytes (a field that cannot be split; its raw form was checked at save)."""
    filled = fill(text, values)
    if L.size(filled) <= limit:
        return filled
    log.info("compose.placeholders_dropped", limit=limit)
    return fill(text, {})


def _menu_item(item: Any, values: Mapping[str, str]) -> dict[str, Any]:
    limit = L.KF_MENU_CLICK if item.type == "click" else L.KF_MENU_OTHER
    content = _fitting(item.content, values, limit)
    if item.type == "click":
        return {"type": "click", "click": {"id": item.id, "content": content}}
    if item.type == "view":
        return {"type": "view", "view": {"url": item.url, "content": content}}
    return {"type": "miniprogram", "miniprogram": {"appid": item.appid,
                                                   "pagepath": item.pagepath,
                                                   "content": content}}


def plain_text(messages: Sequence[Message], values: Mapping[str, str]) -> str:
    """The replies as one text, for channels that answer with text (app, AI bot)."""
    parts: list[str] = []
    for m in messages:
        if isinstance(m, Text):
            parts.append(fill(m.text, values))
        elif isinstance(m, Link):
            parts.append(f"{fill(m.title, values)} {m.url}")
        elif isinstance(m, Menu):
            lines = [fill(m.head or "", values)]
            lines += [f"· {fill(i.content, values)}" for i in m.items]
            parts.append("\n".join(x for x in lines if x))
        elif isinstance(m, Image) and m.url:
            parts.append(m.url)
    return "\n".join(p for p in parts if p)
