"""What the API and the ERP send and get back about orders (pydantic, validated at the door)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

USERID = r"^[A-Za-z0-9_.@-]{1,64}$"
ORDER_NO = r"^[A-Za-z0-9_-]{1,64}$"


class Team(BaseModel):
    model_config = ConfigDict(extra="forbid")

    specialist: str = Field(pattern=USERID)
    designer: str | None = Field(default=None, pattern=USERID)
    installer: str | None = Field(default=None, pattern=USERID)
    others: list[str] = Field(default_factory=list, max_length=20)

    def members(self) -> list[str]:
        """Every distinct userid, specialist first."""
        seen: list[str] = []
        for uid in (self.specialist, self.designer, self.installer, *self.others):
            if uid and uid not in seen:
                seen.append(uid)
        return seen


class Customer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_userid: str | None = Field(default=None, max_length=64)
    name: str | None = Field(default=None, max_length=64)
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 -]{5,20}$")
    open_kfid: str | None = Field(default=None, max_length=64)

    @model_validator(mode="after")
    def _someone(self) -> Customer:
        if not self.external_userid and not (self.name and self.phone):
            raise ValueError("请填写客户的 external_userid，或姓名和手机号（之后再关联）")
        return self


class OrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order_no: str = Field(pattern=ORDER_NO)
    order_type: str = Field(default="default", pattern=r"^[a-z0-9_-]{1,32}$")
    customer: Customer
    team: Team
    expected_dates: dict[str, date] = Field(default_factory=dict)


class OrderPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    team: Team | None = None
    expected_dates: dict[str, date] | None = None
    customer: Customer | None = None


class OrderOut(BaseModel):
    order_no: str
    order_type: str
    customer: Customer
    team: Team
    expected_dates: dict[str, date]
    stage: str | None
    stage_since: datetime | None
    next_stage: str | None
    # When the next stage is expected (business days on the mainland calendar; a late stage
    # moves it to today at the earliest): what the customer is told.
    next_date: date | None = None
    overdue: bool
    group_chat_id: str | None
    join_qr_code: str | None
    created_at: datetime
    # For people: the team's directory names (userid → name) and the group's name.
    team_names: dict[str, str] = Field(default_factory=dict)
    group_name: str | None = None
    # The customer's progress page (GET /p/{token}), in the one-order answers only.
    progress_url: str | None = None


class OrderQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stage: str | None = Field(default=None, max_length=32)
    specialist: str | None = Field(default=None, pattern=USERID)
    overdue: bool | None = None
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=1_000_000)
    # The console's paging and search (page/page_size win over limit/offset when given).
    page: int | None = Field(default=None, ge=1, le=100_000)
    page_size: int = Field(default=20, ge=1, le=200)
    q: str | None = Field(default=None, max_length=64,
                          description="order number, customer name or phone")
    order_type: str | None = Field(default=None, max_length=32)
    bound: bool | None = Field(default=None, description="has its customer group")
    mine: bool = Field(default=False, description="only the orders whose team the caller is "
                       "on (specialist, designer, installer or other member), by their userid")

    def window(self) -> tuple[int, int]:
        if self.page is None:
            return self.offset, self.limit
        return (self.page - 1) * self.page_size, self.page_size


class OrderPage(BaseModel):
    total: int
    orders: list[OrderOut]


class BindGroupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    chat_id: str = Field(min_length=1, max_length=64)


class MilestoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    milestone: str = Field(min_length=1, max_length=32)
    event_id: str = Field(pattern=r"^[A-Za-z0-9_.:-]{1,100}$")
    occurred_at: datetime | None = None
    note: str | None = Field(default=None, max_length=300)
    force: bool = False


class NotificationOut(BaseModel):
    kind: str
    channel: Literal["app", "group", "kefu"]
    recipient: str
    status: str
    attempts: int
    error: str | None
    detail: str | None
    updated_at: datetime | None
    recipient_name: str | None = None  # a staff member's, the customer's or the group's name


class MilestoneOut(BaseModel):
    order_no: str
    milestone: str
    from_stage: str | None
    event_id: str
    occurred_at: datetime
    note: str | None
    forced: bool
    source: str
    actor: str
    replayed: bool = False
    actor_name: str | None = None


class ReachOut(BaseModel):
    """How a milestone's notice reached the customer (bot.orders.reach)."""

    channel: Literal["kefu", "group"] | None = None  # None: no channel was open
    kefu: str | None = None  # why 微信客服 was not used
    group: str | None = None  # why the customer group's 群发 was not used
    # None: not needed; "sent": the specialist was asked to reach the customer in person;
    # "today": they were asked about this order earlier today (once a day at most).
    asked: Literal["sent", "today"] | None = None
    at: datetime | None = None  # when it was decided


class AppointmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stage: str = Field(min_length=1, max_length=32, description="a stage marked appointment")
    slots: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        min_length=1, max_length=3,
        description="1–3 times, 北京时间 unless an offset is given: 2026-12-09 14:00, "
                    "12月9日14:00, 2026-12-09T14:00:00+08:00")
    event_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.:-]{1,100}$",
                                 description="a repeat with the same id answers as the first")


class AppointmentOut(BaseModel):
    id: int
    order_no: str
    stage: str
    slots: list[datetime]
    slot_texts: list[str]  # as the customer sees them (北京时间)
    status: Literal["proposed", "chosen", "declined", "replaced"]
    chosen_at: datetime | None
    chosen_text: str | None
    decided_at: datetime | None
    reminded_at: datetime | None
    source: str
    proposed_by: str
    created_at: datetime
    replayed: bool = False


class TimelineEntry(BaseModel):
    at: datetime
    kind: str
    milestone: MilestoneOut | None
    notifications: list[NotificationOut]
    # Why the entry is there, for people: a join or a leave found by reconciliation after an
    # outage, a rating's score and sentence.
    detail: str | None = None
    reach: ReachOut | None = None  # milestones only, once decided
    appointment: AppointmentOut | None = None


class Timeline(BaseModel):
    order: OrderOut
    entries: list[TimelineEntry]
