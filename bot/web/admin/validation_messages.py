"""Pydantic's validation errors in Chinese, for the people who read the console.

The machine parts stay as they are (the error ``code`` and the dotted ``field``); only the
sentence is ours. Each pydantic error type has a template filled from the error's context;
a type we have no template for still gets a Chinese sentence (never pydantic's English).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

_TEMPLATES = {
    "missing": "必填",
    "extra_forbidden": "不认识的字段",
    "string_type": "应为文本",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不对（应匹配 {pattern}）",
    "string_unicode": "应为有效的文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数，不能有小数",
    "int_parsing_size": "数字太大",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为有限的数字",
    "bool_type": "应为是或否（true/false）",
    "bool_parsing": "应为是或否（true/false）",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "multiple_of": "应为 {multiple_of} 的倍数",
    "literal_error": "只能是 {expected}",
    "enum": "只能是 {expected}",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "set_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "dataclass_type": "应为对象",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "date_type": "应为日期（如 2026-12-05）",
    "date_parsing": "应为日期（如 2026-12-05）",
    "date_from_datetime_parsing": "应为日期（如 2026-12-05）",
    "date_from_datetime_inexact": "应为日期，不带时间",
    "datetime_type": "应为时间（如 2026-12-05T15:04:00+08:00）",
    "datetime_parsing": "应为时间（如 2026-12-05T15:04:00+08:00）",
    "datetime_from_date_parsing": "应为时间（如 2026-12-05T15:04:00+08:00）",
    "time_parsing": "应为时刻（如 09:00）",
    "timezone_aware": "时间需带时区",
    "url_parsing": "应为网址",
    "url_type": "应为网址",
    "url_scheme": "网址应以 {expected_schemes} 开头",
    "uuid_parsing": "应为 UUID",
    "json_invalid": "不是合法的 JSON（{error}）",
    "json_type": "应为 JSON 文本",
    "none_required": "应为空",
    "is_instance_of": "类型不对",
    "union_tag_invalid": "类型不对：{tag} 不是可选值（{expected_tags}）",
    "union_tag_not_found": "缺少用来区分类型的字段 {discriminator}",
    "bytes_type": "应为文本",
    "frozen_field": "不能修改",
    "callable_type": "类型不对",
}
# Our own validators already speak Chinese (or name a value); pydantic prefixes them.
_VALUE_ERROR_PREFIX = re.compile(r"^(Value error|Assertion failed), ")
# English that pydantic may put in a context value (the literal's alternatives).
_OR = re.compile(r"' or '")


def _fill(template: str, ctx: dict[str, Any]) -> str:
    values = {k: _OR.sub("'、'", str(v)) for k, v in ctx.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template.split("{")[0].rstrip("（ ") or "取值无效"


def sentence(error: ErrorDetails) -> str:
    """One error as a Chinese sentence (without its field)."""
    kind = error["type"]
    ctx = dict(error.get("ctx") or {})
    if kind in ("value_error", "assertion_error"):
        inner = ctx.get("error")
        text = str(inner) if inner is not None else _VALUE_ERROR_PREFIX.sub("", error["msg"])
        return text if _has_chinese(text) else f"取值无效：{text}"
    template = _TEMPLATES.get(kind)
    if template is None:
        return "取值无效"
    return _fill(template, ctx)


def field_of(error: ErrorDetails) -> str:
    return ".".join(str(p) for p in error["loc"])


def first_problem(exc: ValidationError) -> tuple[str, str]:
    """The first error's dotted field ("" for the whole body) and its Chinese message,
    the message naming the field as people see it ("priority：应为整数")."""
    first = exc.errors(include_url=False)[0]
    field = field_of(first)
    text = sentence(first)
    return field, f"{field}：{text}" if field else text


def problems(exc: ValidationError) -> list[dict[str, str]]:
    """Every error, each with its field and Chinese message."""
    return [{"field": field_of(e), "message": sentence(e)}
            for e in exc.errors(include_url=False)]


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
