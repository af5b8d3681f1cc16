"""WeCom's text limits, in UTF-8 bytes (WeCom counts bytes, not characters), and splitting a
text into parts that fit.

Sources: protocol.md §5.1 (message/send text ≤2048 B, "超过将截断": WeCom cuts it),
protocol-2.md §4.5 (kf/send_msg text ≤2048 B; send_welcome_msg and add_msg_template text
≤4000 B; group_welcome_template text ≤3000 B), §6.3 (msgmenu head/tail ≤1024 B, ≤10 items,
click content ≤128 B, view/miniprogram content ≤1024 B). What WeCom answers to an over-long kf
text is not published: we never send one.
"""

from __future__ import annotations

APP_TEXT = 2048  # message/send text and markdown
KF_TEXT = 2048  # kf/send_msg and kf/send_msg_on_event text
KF_MENU_HEAD_TAIL = 1024  # msgmenu head_content / tail_content
KF_MENU_ITEMS = 10
KF_MENU_CLICK = 128  # a click item's content
KF_MENU_CLICK_ID = 64
KF_MENU_OTHER = 1024  # a view / miniprogram item's content
TEXTCARD_DESC = 512  # message/send textcard description
LINK_TITLE = 128  # a link's title (kf/send_msg, welcome attachments)
LINK_DESC = 512  # a link's description
WELCOME_TEXT = 4000  # externalcontact/send_welcome_msg
GROUPMSG_TEXT = 4000  # externalcontact/add_msg_template (企业群发)
GROUP_WELCOME_TEXT = 3000  # group_welcome_template


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def too_long(text: str, limit: int) -> str | None:
    """A Chinese explanation when ``text`` is over ``limit`` bytes, else None."""
    n = size(text)
    if n <= limit:
        return None
    return f"超过企业微信上限 {limit} 字节（当前 {n} 字节）"


def split(text: str, limit: int) -> list[str]:
    """Parts of at most ``limit`` bytes that join back to ``text``: cut after the last line
    break that fits, else after the last sentence mark, else on a character boundary."""
    parts: list[str] = []
    rest = text
    while size(rest) > limit:
        head = rest.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
        cut = _break_at(head)
        parts.append(rest[:cut])
        rest = rest[cut:]
    if rest or not parts:
        parts.append(rest)
    return parts


_BREAKS = ("\n", "。", "！", "？", "；", ". ", "，", " ")


def _break_at(head: str) -> int:
    for mark in _BREAKS:
        i = head.rfind(mark)
        if i >= len(head) // 2:  # not so early that the parts become tiny
            return i + len(mark)
    return len(head)
