"""Appointment times as people write them, and as they are shown back, in 北京时间.

Accepted: ``2026-12-09 14:00``, ``2026/12/9 14:00``, ``2026年12月9日 14:00``, ``12月9日14:00``,
``12月9号 下午2点半``, ``12-09 14:00``, ``明天 10:00``, ISO 8601 with an offset
(``2026-12-09T14:00:00+08:00``); full-width digits and colons too. Several times are
separated by spaces, commas or 、. A date without a year is its next occurrence. Anything
else is refused with a Chinese message naming the piece that could not be read; nothing is
guessed. (A dedicated parser rather than a general one such as dateparser: those read far
more than this, e.g. relative phrases and bare numbers, where a wrong guess books a visit
on the wrong day.)
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, timezone

from bot.infra.clock import CST, cst_date

MAX_SLOTS = 3
MAX_AHEAD = timedelta(days=366)
# A date without a year that passed less than this many days ago is a mistake, not next
# year's (it is refused as past); one further back is next year's.
PAST_WRAP_DAYS = 60
_BEIJING = timezone(CST)
WEEKDAYS = "一二三四五六日"

_SLOT = re.compile(
    r"""(?:
          (?P<rel>今天|明天|后天)
        | (?:(?P<y>\d{4})\s*[-/.年]\s*)?(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?
        )
        \s*T?\s*
        (?P<ap>上午|早上|中午|下午|晚上)?\s*
        (?P<h>\d{1,2})\s*
        (?: :\s*(?P<mi>\d{2})(?::(?P<s>\d{2})(?:\.\d{1,6})?)?
          | [点时]\s*(?:(?P<half>半)|(?P<mi2>\d{1,2})\s*分?)?
        )
        \s*(?P<tz>Z|[+-]\d{2}:?\d{2})?
    """, re.X)
_SEPARATORS = re.compile(r"[\s,;、，；和或及|]*")
_DATE_ONLY = re.compile(
    r"(今天|明天|后天|(\d{4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号]?)")
EXAMPLE = "请写成 12月9日14:00 或 2026-12-09 14:00，多个时间用空格分开"


class SlotError(ValueError):
    """A time that cannot be read or used; the message is for people (Chinese)."""


def _normal(text: str) -> str:
    # Full-width digits, colons, dashes and spaces become their ASCII forms.
    return unicodedata.normalize("NFKC", text).strip()


def _one(m: re.Match[str], now: datetime) -> datetime:
    piece = m.group(0).strip()
    today = cst_date(now)
    if m.group("rel"):
        day = today + timedelta(days=("今天", "明天", "后天").index(m.group("rel")))
    else:
        year = int(m.group("y")) if m.group("y") else today.year
        try:
            day = date(year, int(m.group("m")), int(m.group("d")))
        except ValueError:
            raise SlotError(f"「{piece}」：没有这一天") from None
        if not m.group("y") and (today - day).days > PAST_WRAP_DAYS:
            # No year, long gone this year (1月3日 written in December): next year's.
            try:
                day = day.replace(year=year + 1)
            except ValueError:  # 2月29日 in a year that has none
                raise SlotError(f"「{piece}」：明年没有这一天，请写上年份") from None
    hour = int(m.group("h"))
    minute = 30 if m.group("half") else int(m.group("mi") or m.group("mi2") or 0)
    ap = m.group("ap")
    if ap in ("下午", "晚上") and 1 <= hour < 12:
        hour += 12
    elif ap == "中午" and 1 <= hour < 11:  # 中午1点 is 13:00; 中午12点 stays noon
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59) or int(m.group("s") or 0) > 59:
        raise SlotError(f"「{piece}」：时间不对（时 0–23，分 0–59）")
    zone = _BEIJING
    if m.group("tz"):
        tz = m.group("tz")
        if tz == "Z":
            zone = UTC
        else:
            sign = 1 if tz[0] == "+" else -1
            hh, mm = int(tz[1:3]), int(tz[-2:])
            if hh > 14 or mm > 59:
                raise SlotError(f"「{piece}」：时区不对")
            zone = timezone(sign * timedelta(hours=hh, minutes=mm))
    return datetime.combine(day, time(hour, minute), zone).astimezone(UTC)


def parse_slots(text: str, now: datetime) -> list[datetime]:
    """Every time in ``text`` (1 to ``MAX_SLOTS``), earliest first; SlotError names the
    first problem."""
    text = _normal(text)
    if not text:
        raise SlotError(f"请写出预约时间，{EXAMPLE}")
    found: list[tuple[str, datetime]] = []
    pos = 0
    for m in _SLOT.finditer(text):
        _gap(text[pos:m.start()])
        found.append((m.group(0).strip(), _one(m, now)))
        pos = m.end()
    _gap(text[pos:])
    return _checked(found, now)


def parse_each(values: list[str], now: datetime) -> list[datetime]:
    """One time per value (the API's list), checked as ``parse_slots`` checks them."""
    found: list[tuple[str, datetime]] = []
    for raw in values:
        text = _normal(raw)
        m = _SLOT.fullmatch(text)
        if m is None:
            _gap(text or "?")  # names what is wrong with it (always raises)
            raise SlotError(f"时间「{raw.strip()[:40]}」看不懂，{EXAMPLE}")
        found.append((text, _one(m, now)))
    return _checked(found, now)


def _gap(between: str) -> None:
    if _SEPARATORS.fullmatch(between):
        return
    piece = between.strip(" ,;、，；")[:40]
    if _DATE_ONLY.fullmatch(piece):
        raise SlotError(f"「{piece}」缺少几点几分，{EXAMPLE}")
    raise SlotError(f"时间「{piece}」看不懂，{EXAMPLE}")


def _checked(found: list[tuple[str, datetime]], now: datetime) -> list[datetime]:
    if not found:
        raise SlotError(f"请写出预约时间，{EXAMPLE}")
    if len(found) > MAX_SLOTS:
        raise SlotError(f"一次最多提供 {MAX_SLOTS} 个时间（收到 {len(found)} 个）")
    seen: set[datetime] = set()
    for piece, at in found:
        if at <= now:
            raise SlotError(f"「{piece}」已经过去了（现在是 {slot_text(now, now)}）")
        if at - now > MAX_AHEAD:
            raise SlotError(f"「{piece}」太远了，只能预约一年以内的时间")
        if at in seen:
            raise SlotError(f"「{piece}」重复了")
        seen.add(at)
    return sorted(seen)


def slot_text(at: datetime, now: datetime) -> str:
    """12月9日（周三）14:00 in 北京时间; with the year when it is not this year's."""
    local = at.astimezone(UTC) + CST
    year = f"{local.year}年" if local.year != cst_date(now).year else ""
    return (f"{year}{local.month}月{local.day}日（周{WEEKDAYS[local.weekday()]}）"
            f"{local:%H:%M}")


def parse_stored(values: list[str]) -> list[datetime]:
    """The slots as an appointment row keeps them (ISO 8601 instants)."""
    return [datetime.fromisoformat(v) for v in values]
