"""Progress link tokens: signed, expiring, one spelling each; anything else reads as nothing,
whatever its shape (hypothesis), and never raises."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.orders.progress_links import TOKEN_LENGTH, Claims, read, sign

KEY = b"k" * 32
NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
CLAIMS = Claims(order_id=42, version=3, expires_at=NOW + timedelta(days=10))
TOKEN = sign(KEY, CLAIMS)


def test_a_signed_token_reads_back_until_it_expires() -> None:
    assert len(TOKEN) == TOKEN_LENGTH
    assert read(KEY, TOKEN, NOW) == CLAIMS
    assert read(KEY, TOKEN, CLAIMS.expires_at - timedelta(seconds=1)) == CLAIMS
    assert read(KEY, TOKEN, CLAIMS.expires_at) is None


def test_another_key_or_a_changed_token_reads_as_nothing() -> None:
    assert read(b"other" * 8, TOKEN, NOW) is None
    raw = bytearray(base64.urlsafe_b64decode(TOKEN + "="))
    for i in range(len(raw)):
        changed = raw.copy()
        changed[i] ^= 0x01
        assert read(KEY, base64.urlsafe_b64encode(bytes(changed)).rstrip(b"=").decode(),
                   NOW) is None
    # base64's spare bits: the same bytes spelled another way is not the token.
    last = TOKEN[-1]
    other = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    twins = [TOKEN[:-1] + c for c in other
             if c != last and base64.urlsafe_b64decode(TOKEN[:-1] + c + "=")
             == base64.urlsafe_b64decode(TOKEN + "=")]
    assert twins and all(read(KEY, t, NOW) is None for t in twins)


@settings(max_examples=500, deadline=None)
@given(st.one_of(
    st.text(),
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=",
            min_size=TOKEN_LENGTH - 2, max_size=TOKEN_LENGTH + 2),
    st.binary().map(lambda b: base64.urlsafe_b64encode(b).decode()),
    st.integers(), st.none(), st.binary(),
))
def test_anything_else_reads_as_nothing_and_never_raises(token: object) -> None:
    assert read(KEY, token, NOW) is None or token == TOKEN


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))
def test_claims_out_of_range_are_refused_even_when_signed(order_id: int, version: int,
                                                          expires: int) -> None:
    at = datetime.fromtimestamp(expires, UTC)
    got = read(KEY, sign(KEY, Claims(order_id, version, at)), NOW)
    valid = 0 < order_id < 2**31 and version < 2**31 and at > NOW
    assert (got is not None) == valid
