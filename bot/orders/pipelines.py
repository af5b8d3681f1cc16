"""Pipelines: the ordered stages of an order type, their templates and expected durations
(in business days, ``bot.orders.eta``).

The default pipeline (签约 → 量尺 → 设计 → 方案确认 → 生产 → 发货 → 安装 → 验收) needs no row; an
admin may store a pipeline per order type (including "default" to change it).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field, ValidationInfo, field_validator

from bot.models import Order, Pipeline
from bot.orders.order_errors import Conflict, NotFound, OrderError
from bot.protocol import text_limits as L

# No whitespace of any kind. `\S` alone means different things to pydantic (Rust regex: Unicode
# White_Space) and to JSON Schema clients (ECMA: also U+FEFF, not U+0085); naming both keeps the
# published schema and the validator in agreement.
NO_SPACE = r"^[^\s\u0085\ufeff]+$"

# What a template may use; anything else is refused when the pipeline is saved.
TEMPLATE_VARS = frozenset({"order_no", "stage", "note", "next_stage", "next_date",
                           "customer", "specialist", "progress_url"})
TEAM_TEMPLATE = "订单 {order_no} 进入「{stage}」。{note}下一步：{next_stage}（预计 {next_date}）"
CUSTOMER_TEMPLATE = "您好，您的订单 {order_no} 已进入「{stage}」阶段。{note}下一步：{next_stage}。"

_DEFAULT = (("签约", 1), ("量尺", 3), ("设计", 7), ("方案确认", 3), ("生产", 20), ("发货", 3),
            ("安装", 2), ("验收", 2))
# Stages of the default pipeline that are booked with the customer (a visit), and the one
# after which the customer is asked to rate the team.
_APPOINTMENT = frozenset({"量尺", "安装"})
_SURVEY = frozenset({"验收"})


_TEMPLATE_BYTES = {"team_template": L.TEXTCARD_DESC, "customer_template": L.KF_TEXT}


def _check_template(v: str) -> str:
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(v) if f is not None}
    except ValueError as exc:
        raise ValueError(f"模板格式不对（{exc}）") from None
    unknown = names - TEMPLATE_VARS
    if unknown:
        raise ValueError(f"不认识的变量 {sorted(unknown)}；可用："
                         f"{sorted(TEMPLATE_VARS)}")
    return v


class StageSpec(BaseModel):
    # Flat on purpose: one object per stage keeps the API's schema simple for clients.
    name: str = Field(min_length=1, max_length=32, pattern=NO_SPACE)
    # Business days on the mainland calendar (bot.orders.eta); part of a day takes the day.
    # ge, not gt: OpenAPI 3.0 has no numeric exclusiveMinimum (schema tools reject it).
    expected_days: float = Field(default=3, ge=0.01, le=365,
                                 description="expected length in business days (工作日)")
    team_template: str = Field(default=TEAM_TEMPLATE, min_length=1, max_length=400)
    customer_template: str = Field(default=CUSTOMER_TEMPLATE, min_length=1, max_length=400)
    # Sent with the customer group's progress notice (the 群发 task: add_msg_template takes
    # ≤9 attachments, media from the library; checked when the pipeline is saved).
    group_attachments: list[dict[str, Any]] = Field(default_factory=list)
    # The stage is a visit booked with the customer (量尺, 安装): the team proposes times
    # (bot.orders.appointments) and the customer picks one.
    appointment: bool = Field(default=False, description="booked with the customer (预约)")
    # Once the stage is reached the customer is asked to rate the team (满意度评价).
    survey: bool = Field(default=False, description="ask the customer for a rating after it")

    @field_validator("team_template", "customer_template")
    @classmethod
    def _known_vars(cls, v: str, info: ValidationInfo) -> str:
        # WeCom's limits in bytes: the team's text is a text card's description, the
        # customer's a kf text (and a line of a 群发); filled-in values may still grow it,
        # which the senders handle (split, or refused with the reason).
        why = L.too_long(v, _TEMPLATE_BYTES[str(info.field_name)])
        if why is not None:
            raise ValueError(why)
        return _check_template(v)


class PipelineSpec(BaseModel):
    stages: list[StageSpec] = Field(min_length=1, max_length=30)

    @field_validator("stages")
    @classmethod
    def _unique(cls, v: list[StageSpec]) -> list[StageSpec]:
        names = [s.name for s in v]
        if len(names) != len(set(names)):
            raise ValueError("节点名称不能重复")
        return v


DEFAULT_PIPELINE = PipelineSpec(stages=[
    StageSpec(name=n, expected_days=d, appointment=n in _APPOINTMENT, survey=n in _SURVEY)
    for n, d in _DEFAULT])


@dataclass(frozen=True)
class Stages:
    order_type: str
    spec: PipelineSpec

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.spec.stages]

    def index(self, stage: str | None) -> int:
        """-1 for "not started"; raises for a stage this pipeline does not have."""
        if stage is None:
            return -1
        if stage not in self.names:
            raise NotFound(f"订单类型 {self.order_type} 没有「{stage}」这个节点"
                           f"（{' → '.join(self.names)}）", "milestone")
        return self.names.index(stage)

    def get(self, stage: str) -> StageSpec:
        return self.spec.stages[self.index(stage)]

    def after(self, stage: str | None) -> StageSpec | None:
        i = self.index(stage) + 1
        return self.spec.stages[i] if i < len(self.spec.stages) else None


async def load(order_type: str) -> Stages:
    row = await Pipeline.get_or_none(order_type=order_type)
    if row is None:
        if order_type == "default":
            return Stages("default", DEFAULT_PIPELINE)
        raise NotFound(f"没有订单类型 {order_type} 的里程碑模板", "order_type")
    return Stages(order_type, PipelineSpec.model_validate({"stages": row.stages}))


async def save(order_type: str, spec: PipelineSpec) -> Stages:
    """Store a pipeline; refused if it drops a stage that an order of this type is in."""
    if not re.fullmatch(r"[a-z0-9_-]{1,32}", order_type):
        raise OrderError("订单类型只能用 1 到 32 个小写字母、数字、_ 和 -", "order_type")
    names = [s.name for s in spec.stages]
    stranded = await Order.filter(order_type=order_type, stage__not_in=names,
                                  stage__isnull=False).first()
    if stranded is not None:
        raise Conflict(f"订单 {stranded.order_no} 正处于「{stranded.stage}」节点，"
                       f"新模板不能删掉这个节点", "stages")
    stages = [s.model_dump() for s in spec.stages]
    await Pipeline.update_or_create(defaults={"stages": stages}, order_type=order_type)
    return Stages(order_type, spec)


async def all_pipelines() -> list[Stages]:
    rows = {r.order_type: r for r in await Pipeline.all().order_by("order_type")}
    out = [] if "default" in rows else [Stages("default", DEFAULT_PIPELINE)]
    out += [Stages(t, PipelineSpec.model_validate({"stages": r.stages})) for t, r in rows.items()]
    return sorted(out, key=lambda s: s.order_type)


def uses(template: str, name: str) -> bool:
    """Whether ``template`` fills in ``{name}`` (so a costly value is only worked out then)."""
    return any(f == name for _, f, _, _ in string.Formatter().parse(template))


def render(template: str, **values: Any) -> str:
    return template.format_map({k: ("" if v is None else v) for k, v in values.items()})
