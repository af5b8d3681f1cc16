"""Fixtures for the conversation tests (the pieces they drive are in tests.harness)."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["event", "error"])
def kf_over_limit(request: pytest.FixtureRequest) -> str:
    """Both ways WeCom may tell of a spent kf allowance (the sandbox's ``kf_over_limit``):
    a msg_send_fail event (fail_type 6) after an accepted send, or errcode 95001 at once."""
    return str(request.param)
