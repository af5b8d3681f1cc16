"""Console sessions expire: after a week unused, and a month after sign-in however used;
a member's session follows the role an admin gives or takes away."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import console_access
from bot.api_access import create_token


async def test_idle_and_absolute_expiry(pg_database: str) -> None:
    await create_token("root", "admin")
    t0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    value = await console_access.start_session("token", "root", now=t0)
    assert (await console_access.session_of(value, now=t0 + timedelta(days=6))) is not None
    # Used on day 6: it lives to day 13, then dies unused.
    assert await console_access.session_of(value, now=t0 + timedelta(days=12)) is not None
    assert await console_access.session_of(value, now=t0 + timedelta(days=19, hours=1)) is None

    # Used every few days it still ends 30 days after sign-in.
    value = await console_access.start_session("token", "root", now=datetime.now(UTC))
    start = datetime.now(UTC)
    for day in range(5, 30, 5):
        assert await console_access.session_of(value, now=start + timedelta(days=day))
    assert await console_access.session_of(value, now=start + timedelta(days=30, minutes=1)) \
        is None


async def test_a_members_session_follows_their_role(pg_database: str) -> None:
    value = await console_access.start_session("wecom", "zhangwei")
    assert await console_access.session_of(value) is None  # no role yet
    await console_access.assign_role("zhangwei", "specialist", "root")
    found = await console_access.session_of(value)
    assert found is not None and found.role == "specialist" and found.name == "zhangwei"
    await console_access.assign_role("zhangwei", "admin", "root")
    assert (await console_access.session_of(value)).role == "admin"  # type: ignore[union-attr]
    assert await console_access.remove_role("zhangwei")
    assert await console_access.session_of(value) is None
    await console_access.end_session(value)
    await console_access.assign_role("zhangwei", "viewer", "root")
    assert await console_access.session_of(value) is None  # signed out stays out
