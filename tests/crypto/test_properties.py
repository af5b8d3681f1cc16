"""Property tests (hypothesis) for the WeCom crypto."""

from __future__ import annotations

import base64

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.protocol.crypto import CryptoError, WeComCrypto, signature

TOKEN = "QDG6eK"
KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"

receive_ids = st.sampled_from(["", "wx5823bf96d3bd56c7", "ww1436e0e65a779aee", "企业"])
# Values WeCom puts in the query string; any text must work for signing.
params = st.text(alphabet=st.characters(codec="utf-8"), max_size=20)


@given(
    text=st.text(),
    prefix=st.binary(min_size=16, max_size=16),
    receive_id=receive_ids,
    nonce=params,
    ts=params,
)
def test_round_trip(text: str, prefix: bytes, receive_id: str, nonce: str, ts: str) -> None:
    c = WeComCrypto(TOKEN, KEY, receive_id)
    enc, sig = c.encrypt(text, nonce, ts, random_prefix=prefix)
    assert len(base64.b64decode(enc)) % 32 == 0
    assert c.decrypt(sig, ts, nonce, enc) == text


@settings(max_examples=300)
@given(enc=st.text(), sig=st.text(), nonce=params, ts=params, sign_it=st.booleans())
def test_decrypt_arbitrary_strings_raises_only_crypto_error(
    enc: str, sig: str, nonce: str, ts: str, sign_it: bool
) -> None:
    c = WeComCrypto(TOKEN, KEY, "wx5823bf96d3bd56c7")
    if sign_it:  # get past the signature check so the decoder itself is exercised
        sig = signature(TOKEN, ts, nonce, enc)
    try:
        c.decrypt(sig, ts, nonce, enc)
    except CryptoError:
        pass


@settings(max_examples=300)
@given(raw=st.binary(max_size=200), receive_id=receive_ids)
def test_decrypt_arbitrary_ciphertext_bytes_raises_only_crypto_error(
    raw: bytes, receive_id: str
) -> None:
    c = WeComCrypto(TOKEN, KEY, receive_id)
    enc = base64.b64encode(raw).decode()
    try:
        c.decrypt(signature(TOKEN, "1", "2", enc), "1", "2", enc)
    except CryptoError:
        pass
