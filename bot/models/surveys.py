"""Satisfaction surveys: one row per survey asked (at the end of a kefu session, or after an
order's survey stage such as 验收), the customer's 1–5 rating and sentence, and who it rates.

The kf menu that asks for the rating names the survey and the score in each item's click id
(``pick_id``); whichever domain sends the menu and whichever reads the click back use the
two functions here, so the format has one home.
"""

from __future__ import annotations

import re

from tortoise import fields
from tortoise.models import Model

LOW_SCORE = 2  # a rating at or below this is raised to the supervisor
SCORES = ((5, "5分 非常满意"), (4, "4分 满意"), (3, "3分 一般"), (2, "2分 不满意"),
          (1, "1分 非常不满意"))
PICK_PREFIX = "survey-"
_PICK_RE = re.compile(r"survey-([0-9]{1,18})-([1-5])")


def pick_id(survey_id: int, score: int) -> str:
    """The click id of the menu item that gives ``score`` to the survey."""
    return f"{PICK_PREFIX}{survey_id}-{score}"


def parse_pick(menu_id: str | None) -> tuple[int, int] | None:
    """(survey id, score) of a rating menu's click id; None for any other id."""
    m = _PICK_RE.fullmatch(menu_id or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def rating_menu(survey_id: int, head: str, tail: str | None = None) -> dict[str, object]:
    """A kf ``msgmenu`` asking for a rating: one click item per score, best first."""
    menu: dict[str, object] = {
        "head_content": head,
        "list": [{"type": "click", "click": {"id": pick_id(survey_id, score), "content": label}}
                 for score, label in SCORES]}
    if tail:
        menu["tail_content"] = tail
    return menu


class Survey(Model):
    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=8)  # session | order
    # What makes it once: "session:<the end event's msgid>" | "milestone:<id>".
    key = fields.CharField(max_length=100, unique=True)
    external_userid = fields.CharField(max_length=64, null=True, db_index=True)
    customer_name = fields.CharField(max_length=64, null=True)  # for the people it reaches
    open_kfid = fields.CharField(max_length=64, null=True)
    order_id = fields.IntField(null=True, db_index=True)
    order_no = fields.CharField(max_length=64, null=True)
    # The stage it is counted under: the order's stage when asked ("" none: no order).
    stage = fields.CharField(max_length=32, default="")
    # How it was asked: kf_event (the session's end code), kf (a kf message), page only.
    asked_via = fields.CharField(max_length=8)
    # pending | sent | missed (past the code's 20 s) | failed | skipped (no kf channel)
    ask_status = fields.CharField(max_length=8, default="pending")
    score = fields.IntField(null=True)
    comment = fields.CharField(max_length=200, null=True)
    answered_via = fields.CharField(max_length=8, null=True)  # kf | page
    answered_at = fields.DatetimeField(null=True, db_index=True)
    answer_msgid = fields.CharField(max_length=64, null=True)  # the kf click that rated
    # A kf rating may be followed by one sentence until then.
    comment_until = fields.DatetimeField(null=True)
    escalation_id = fields.BigIntField(null=True)  # a low rating raised to the supervisor
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "survey"


class SurveyPerson(Model):
    """Who a survey rates: the session's servicer, or the order's specialist, designer and
    installer (as they were when it was asked)."""

    id = fields.BigIntField(primary_key=True)
    survey: fields.ForeignKeyRelation[Survey] = fields.ForeignKeyField(
        "models.Survey", related_name="people")
    userid = fields.CharField(max_length=64, db_index=True)
    role = fields.CharField(max_length=16)  # servicer | specialist | designer | installer

    class Meta:
        table = "survey_person"
        unique_together = (("survey", "userid", "role"),)
