"""Every 4xx answer carries a Chinese message beside the machine code and field, pydantic's
validation errors included; a body with several problems lists each."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, get_args

import pytest
from pydantic import BaseModel, Field, ValidationError
from pydantic_core.core_schema import ErrorType

from bot.api_access import create_token
from bot.settings import Settings
from bot.web.admin.validation_messages import _TEMPLATES, first_problem, problems
from tests.harness.service import serving

CJK = re.compile(r"[\u4e00-\u9fff]")
PYDANTIC_ENGLISH = re.compile(r"Input should|Field required|String should|Value error|"
                              r"Extra inputs|Invalid JSON|valid integer")


def test_every_template_names_a_real_pydantic_error_type() -> None:
    assert set(_TEMPLATES) <= set(get_args(ErrorType))


def test_pydantic_errors_read_in_chinese() -> None:
    class Body(BaseModel):
        name: str = Field(min_length=2, pattern=r"^[a-z]+$")
        days: float = Field(ge=0.01)
        kind: Any = Field(default=None)

    with pytest.raises(ValidationError) as info:
        Body.model_validate({"name": "A", "days": 0})
    field, message = first_problem(info.value)
    assert field == "name" and message == "name：至少 2 个字符"
    listed = problems(info.value)
    assert {"field": "days", "message": "不能小于 0.01"} in listed
    assert all(CJK.search(p["message"]) for p in listed)


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_every_4xx_says_what_is_wrong_in_chinese(
    mode_settings: Callable[..., Settings]
) -> None:
    async with serving(mode_settings()) as client:
        admin = {"Authorization": f"Bearer {await create_token('root', 'admin')}"}
        viewer = {"Authorization": f"Bearer {await create_token('eve', 'viewer')}"}
        cases: list[tuple[str, str, dict[str, str], Any, int, str | None]] = [
            ("GET", "/me", {}, None, 401, None),
            ("GET", "/me", {"Authorization": "Bearer wbt_nope"}, None, 401, None),
            ("POST", "/rules", viewer, {"id": "x"}, 403, None),
            ("POST", "/rules", admin, "{not json", 400, None),
            ("POST", "/rules", admin, {"id": "Bad Id", "when": {}}, 400, "rules[0].id"),
            ("POST", "/orders", admin, {"order_no": "A 1"}, 400, None),
            ("POST", "/orders", admin, {"order_no": "A1", "customer": {"name": "x"},
                                        "team": {"specialist": "zhangwei"}}, 400, "customer"),
            ("PUT", "/pipelines/kitchen", admin, {"stages": [{"name": "签约",
                                                               "expected_days": 0}]},
             400, "stages.0.expected_days"),
            ("GET", "/escalations?page=0", admin, None, 400, "page"),
            ("GET", "/escalations?status=lost", admin, None, 400, "status"),
            ("GET", "/stats/rules?since=2026-13-01", admin, None, 400, "since"),
            ("GET", "/nowhere", admin, None, 404, None),
            ("DELETE", "/me", admin, None, 405, None),
            ("GET", "/orders/NOPE", admin, None, 404, None),
            ("POST", "/orders/NOPE/milestones", admin, {"milestone": "签约", "event_id": "e1"},
             404, None),
            ("POST", "/tokens", admin, {"name": "a b", "role": "boss"}, 400, None),
            ("PUT", "/channel-codes", admin, {"code": "bad code!", "name": "x"}, 400, "code"),
            ("POST", "/escalations/999/claim", admin, {}, 404, None),
            ("PUT", "/kf-welcome", admin, {"text": "x" * 600}, 400, "text"),
            ("DELETE", "/tokens/nobody", admin, None, 404, None),
            ("POST", "/notifications/999/retry", admin, None, 404, None),
        ]
        for method, path, headers, body, status, field in cases:
            kwargs: dict[str, Any] = {"headers": headers}
            if isinstance(body, str):
                kwargs["data"] = body
                kwargs["headers"] = {**headers, "Content-Type": "application/json"}
            elif body is not None:
                kwargs["json"] = body
            resp = await client.request(method, "/api/v1" + path, **kwargs)
            got = await resp.json()
            where = f"{method} {path}"
            assert resp.status == status, (where, got)
            error = got["error"]
            assert error["code"] and CJK.search(error["message"]), (where, error)
            assert not PYDANTIC_ENGLISH.search(error["message"]), (where, error)
            if field is not None:
                assert error["field"] == field, (where, error)

        # Several problems: each listed with its field, in Chinese.
        resp = await client.post("/api/v1/orders", headers=admin, json={"order_no": "A 1"})
        error = (await resp.json())["error"]
        fields = {p["field"] for p in error["problems"]}
        assert {"order_no", "customer", "team"} <= fields
        assert all(CJK.search(p["message"]) for p in error["problems"])
