"""WeCom's size limits on what admins save (rule replies, welcomes), checked at save time so
a message WeCom would refuse or cut is refused here, with the field and the limit in bytes.

Placeholders ({nickname} …) are counted as written; a text that grows past its limit when
they are filled is split at send time where the channel allows (bot.conversations.compose).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bot.protocol import text_limits as L
from keywords import Link, Menu, Problem, Rule, RuleError, Text


def check_rules(rules: Iterable[Rule]) -> None:
    """RuleError listing every reply field over its limit (nothing is saved then)."""
    problems = [Problem(rule.id, field, why) for rule in rules
                for field, why in _reply_problems(rule)]
    if problems:
        raise RuleError(problems)


def _reply_problems(rule: Rule) -> Iterator[tuple[str, str]]:
    for i, m in enumerate(rule.replies.messages):
        at = f"replies.messages[{i}]"
        if isinstance(m, Text):
            yield from _over(f"{at}.text", m.text, L.KF_TEXT)
        elif isinstance(m, Menu):
            yield from _over(f"{at}.menu.head", m.head or "", L.KF_MENU_HEAD_TAIL)
            yield from _over(f"{at}.menu.tail", m.tail or "", L.KF_MENU_HEAD_TAIL)
            if len(m.items) > L.KF_MENU_ITEMS:
                yield f"{at}.menu.items", f"菜单最多 {L.KF_MENU_ITEMS} 项（当前 {len(m.items)} 项）"
            for j, item in enumerate(m.items):
                limit = L.KF_MENU_CLICK if item.type == "click" else L.KF_MENU_OTHER
                yield from _over(f"{at}.menu.items[{j}].{item.type}.content", item.content, limit)
                if item.id is not None:
                    yield from _over(f"{at}.menu.items[{j}].click.id", item.id,
                                     L.KF_MENU_CLICK_ID)
        elif isinstance(m, Link):
            yield from _over(f"{at}.link.title", m.title, L.LINK_TITLE)
            yield from _over(f"{at}.link.desc", m.desc or "", L.LINK_DESC)


def _over(field: str, text: str, limit: int) -> Iterator[tuple[str, str]]:
    why = L.too_long(text, limit)
    if why is not None:
        yield field, why


def check_text(field: str, text: str, limit: int) -> None:
    """ValueError naming the field when ``text`` is over ``limit`` bytes."""
    why = L.too_long(text, limit)
    if why is not None:
        raise TextTooLong(field, why)


class TextTooLong(ValueError):
    def __init__(self, field: str, why: str) -> None:
        super().__init__(f"{field}：{why}")
        self.field = field
