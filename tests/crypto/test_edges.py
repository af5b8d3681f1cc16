"""Edge and tamper cases. Ciphertexts marked "raw" are built here with plain AES-CBC,
independently of WeComCrypto.encrypt, so encoder and decoder cannot share a bug."""

from __future__ import annotations

import base64
import json
import pickle
import re
import struct
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from Crypto.Cipher import AES

from bot.protocol.crypto import (
    COMPUTE_SIGNATURE_ERROR,
    DECODE_BASE64_ERROR,
    DECRYPT_AES_ERROR,
    ENCRYPT_AES_ERROR,
    GEN_RETURN_ERROR,
    ILLEGAL_AES_KEY,
    ILLEGAL_BUFFER,
    VALIDATE_RECEIVEID_ERROR,
    VALIDATE_SIGNATURE_ERROR,
    CryptoError,
    WeComCrypto,
    signature,
)

TOKEN = "QDG6eK"
KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"  # docs 90968 example key
AES_KEY = base64.b64decode(KEY + "=")
CORPID = "wx5823bf96d3bd56c7"
TS = "1409659813"
NONCE = "1372623149"
BIN_PREFIX = bytes(
    [0x00, 0xFF, 0x80, 0x0A, 0x3C, 0x5D, 0x5D, 0x3E, 0xC3, 0x28, 0x10, 0x7F, 0xFE, 0x01, 0x20, 0x99]
)


def crypto(receive_id: str = CORPID) -> WeComCrypto:
    return WeComCrypto(TOKEN, KEY, receive_id)


def raw_encrypt(body: bytes) -> str:
    """AES-256-CBC, IV = key[:16], no padding added: ``body`` must already be padded."""
    return base64.b64encode(AES.new(AES_KEY, AES.MODE_CBC, iv=AES_KEY[:16]).encrypt(body)).decode()


def raw_decrypt(enc: str) -> bytes:
    return AES.new(AES_KEY, AES.MODE_CBC, iv=AES_KEY[:16]).decrypt(base64.b64decode(enc))


def build(
    msg: bytes,
    tail: bytes = CORPID.encode(),
    prefix: bytes = b"0123456789abcdef",
    msg_len: int | None = None,
    pad: bytes | None = None,
) -> bytes:
    body = prefix + struct.pack(">I", len(msg) if msg_len is None else msg_len) + msg + tail
    if pad is None:
        n = 32 - len(body) % 32
        pad = bytes([n]) * n
    return body + pad


def decrypt_signed(enc: str, c: WeComCrypto | None = None) -> str:
    """Decrypt with a correct signature over ``enc``, to get past the signature check."""
    return (c or crypto()).decrypt(signature(TOKEN, TS, NONCE, enc), TS, NONCE, enc)


def code_of(fn: Callable[..., object], *args: object) -> int:
    with pytest.raises(CryptoError) as ei:
        fn(*args)
    return ei.value.code


# --- padding ----------------------------------------------------------------


def _msg_for_pad(pad: int, tail: str = CORPID) -> str:
    # 16 + 4 + len(msg) + len(tail) + pad must be a multiple of 32.
    n = (-(20 + len(tail.encode())) - pad) % 32
    return "x" * (n + 32)


def test_pad_of_32_round_trip() -> None:
    msg = _msg_for_pad(32)
    enc, sig = crypto().encrypt(msg, NONCE, TS)
    raw = raw_decrypt(enc)
    assert raw[-32:] == b"\x20" * 32  # a whole extra block of padding
    assert crypto().decrypt(sig, TS, NONCE, enc) == msg


def test_pad_of_32_raw() -> None:
    msg = _msg_for_pad(32).encode()
    body = build(msg)
    assert body[-32:] == b"\x20" * 32
    assert decrypt_signed(raw_encrypt(body)) == msg.decode()


def test_pad_of_1_raw() -> None:
    msg = _msg_for_pad(1).encode()
    body = build(msg)
    assert body[-2:-1] != b"\x01" and body[-1:] == b"\x01"
    assert decrypt_signed(raw_encrypt(body)) == msg.decode()


def test_ciphertext_of_odd_16_byte_blocks_with_valid_padding_is_accepted() -> None:
    # Not what WeCom emits (always a multiple of 32), but valid PKCS#7 (pad <= 32).
    body = build(b"hi", pad=b"")
    n = 16 - len(body) % 16
    body += bytes([n]) * n
    assert len(body) % 32 == 16
    assert decrypt_signed(raw_encrypt(body)) == "hi"


# --- random prefix, multi-byte, receive_id -----------------------------------


def test_binary_random_prefix_round_trip() -> None:
    enc, sig = crypto().encrypt("hello", NONCE, TS, random_prefix=BIN_PREFIX)
    assert raw_decrypt(enc)[:16] == BIN_PREFIX
    assert crypto().decrypt(sig, TS, NONCE, enc) == "hello"


def test_binary_random_prefix_raw() -> None:
    # Prefix bytes that are not UTF-8 (0xFF, 0xC3 0x28) and contain "<]]>" must not matter.
    assert decrypt_signed(raw_encrypt(build(b"hello", prefix=BIN_PREFIX))) == "hello"


def test_random_prefix_default_is_random_and_length_checked() -> None:
    a, _ = crypto().encrypt("same", NONCE, TS)
    b, _ = crypto().encrypt("same", NONCE, TS)
    assert a != b
    for bad in (b"", b"x" * 15, b"x" * 17):
        with pytest.raises(ValueError):
            crypto().encrypt("m", NONCE, TS, random_prefix=bad)


def test_multibyte_utf8_msg_len_counts_bytes() -> None:
    msg = "你好，世界 👋 é"
    enc, sig = crypto().encrypt(msg, NONCE, TS)
    raw = raw_decrypt(enc)
    assert struct.unpack(">I", raw[16:20])[0] == len(msg.encode("utf-8")) != len(msg)
    assert crypto().decrypt(sig, TS, NONCE, enc) == msg
    # Raw construction with the byte length, too.
    assert decrypt_signed(raw_encrypt(build(msg.encode()))) == msg


def test_msg_len_in_characters_is_rejected() -> None:
    # An encoder that wrote the character count leaves bytes before the tail -> -40005.
    msg = "你好".encode()
    assert code_of(decrypt_signed, raw_encrypt(build(msg, msg_len=2))) == VALIDATE_RECEIVEID_ERROR


def test_empty_receive_id_ai_bot_json_round_trip() -> None:
    bot = crypto("")
    payload = json.dumps({"msgtype": "text", "text": {"content": "机器人"}}, ensure_ascii=False)
    enc, sig = bot.encrypt(payload, NONCE, TS)
    raw = raw_decrypt(enc)
    n = struct.unpack(">I", raw[16:20])[0]
    assert raw[20 + n : -raw[-1]] == b""  # no tail at all
    assert bot.decrypt(sig, TS, NONCE, enc) == payload
    # The reply envelope path works the same way.
    env = json.loads(bot.reply_json(payload, NONCE, TS))
    assert (
        bot.decrypt(env["msgsignature"], env["timestamp"], env["nonce"], env["encrypt"]) == payload
    )


def test_empty_receive_id_rejects_a_tail_and_vice_versa() -> None:
    with_tail = raw_encrypt(build(b"m"))
    without_tail = raw_encrypt(build(b"m", tail=b""))
    assert code_of(decrypt_signed, with_tail, crypto("")) == VALIDATE_RECEIVEID_ERROR
    assert code_of(decrypt_signed, without_tail, crypto()) == VALIDATE_RECEIVEID_ERROR
    assert decrypt_signed(without_tail, crypto("")) == "m"


def test_wrong_receive_id() -> None:
    enc = raw_encrypt(build(b"m", tail=b"wx5823bf96d3bd56c8"))
    assert code_of(decrypt_signed, enc) == VALIDATE_RECEIVEID_ERROR
    # A prefix of the right id, or the right id plus junk, is not enough.
    for tail in (CORPID[:-1].encode(), CORPID.encode() + b"x"):
        assert (
            code_of(decrypt_signed, raw_encrypt(build(b"m", tail=tail))) == VALIDATE_RECEIVEID_ERROR
        )


# --- reply envelopes --------------------------------------------------------


def test_reply_json_shape_and_verifies_back() -> None:
    out = crypto().reply_json("<xml>reply</xml>", NONCE, TS)
    env = json.loads(out)
    assert set(env) == {"encrypt", "msgsignature", "timestamp", "nonce"}  # no underscore
    assert env["timestamp"] == TS and env["nonce"] == NONCE
    assert env["msgsignature"] == signature(TOKEN, TS, NONCE, env["encrypt"])
    assert crypto().decrypt(env["msgsignature"], TS, NONCE, env["encrypt"]) == "<xml>reply</xml>"


def test_reply_xml_shape_and_verifies_back() -> None:
    out = crypto().reply_xml("<xml><Content>回复</Content></xml>", NONCE, TS)
    m = re.fullmatch(
        r"<xml><Encrypt><!\[CDATA\[([A-Za-z0-9+/=]+)\]\]></Encrypt>"
        r"<MsgSignature><!\[CDATA\[([0-9a-f]{40})\]\]></MsgSignature>"
        r"<TimeStamp>(\d+)</TimeStamp><Nonce><!\[CDATA\[([^\]]*)\]\]></Nonce></xml>",
        out,
    )
    assert m is not None
    root = ET.fromstring(out)
    assert [child.tag for child in root] == ["Encrypt", "MsgSignature", "TimeStamp", "Nonce"]
    enc, sig, ts, nonce = (
        root.findtext(t) or "" for t in ("Encrypt", "MsgSignature", "TimeStamp", "Nonce")
    )
    assert (ts, nonce) == (TS, NONCE)
    assert crypto().decrypt(sig, ts, nonce, enc) == "<xml><Content>回复</Content></xml>"


@pytest.mark.parametrize(
    ("nonce", "ts"), [("a]]>b", TS), (NONCE, "14096<x>"), (NONCE, ""), (NONCE, "١٢٣")]
)
def test_reply_xml_refuses_values_that_break_the_envelope(nonce: str, ts: str) -> None:
    assert code_of(crypto().reply_xml, "m", nonce, ts) == GEN_RETURN_ERROR


# --- tampering: signature ---------------------------------------------------


@pytest.fixture
def signed() -> tuple[str, str]:
    return crypto().encrypt("<xml>hello</xml>", NONCE, TS)


def test_tamper_signature(signed: tuple[str, str]) -> None:
    enc, sig = signed
    bad = ("0" if sig[0] != "0" else "1") + sig[1:]
    assert code_of(crypto().decrypt, bad, TS, NONCE, enc) == VALIDATE_SIGNATURE_ERROR
    assert code_of(crypto().decrypt, sig.upper(), TS, NONCE, enc) == VALIDATE_SIGNATURE_ERROR
    assert code_of(crypto().decrypt, "", TS, NONCE, enc) == VALIDATE_SIGNATURE_ERROR
    assert code_of(crypto().decrypt, "签名" + sig[2:], TS, NONCE, enc) == VALIDATE_SIGNATURE_ERROR


def test_tamper_nonce(signed: tuple[str, str]) -> None:
    enc, sig = signed
    assert code_of(crypto().decrypt, sig, TS, NONCE + "0", enc) == VALIDATE_SIGNATURE_ERROR


def test_tamper_timestamp(signed: tuple[str, str]) -> None:
    enc, sig = signed
    assert code_of(crypto().decrypt, sig, str(int(TS) + 1), NONCE, enc) == VALIDATE_SIGNATURE_ERROR


def test_wrong_token(signed: tuple[str, str]) -> None:
    enc, sig = signed
    other = WeComCrypto("other-token", KEY, CORPID)
    assert code_of(other.decrypt, sig, TS, NONCE, enc) == VALIDATE_SIGNATURE_ERROR


def _flip(enc: str, index: int, mask: int) -> str:
    raw = bytearray(base64.b64decode(enc))
    raw[index] ^= mask
    return base64.b64encode(bytes(raw)).decode()


def test_flipped_ciphertext_byte_with_old_signature(signed: tuple[str, str]) -> None:
    enc, sig = signed
    assert (
        code_of(crypto().decrypt, sig, TS, NONCE, _flip(enc, 0, 0x01)) == VALIDATE_SIGNATURE_ERROR
    )


def test_flipped_ciphertext_byte_with_recomputed_signature(signed: tuple[str, str]) -> None:
    enc, _ = signed
    n = len(base64.b64decode(enc))
    # CBC: flipping byte i of block k-1 flips byte i of plaintext block k.
    # Last byte of the second-to-last block -> the pad byte becomes invalid.
    pad = raw_decrypt(enc)[-1]
    assert code_of(decrypt_signed, _flip(enc, n - 17, pad)) == DECRYPT_AES_ERROR  # pad -> 0
    # First byte of block 0 -> top byte of msg_len (plaintext byte 16) -> overrun.
    assert code_of(decrypt_signed, _flip(enc, 0, 0x80)) == ILLEGAL_BUFFER
    # Last ciphertext block garbled -> padding garbage (with overwhelming probability).
    assert code_of(decrypt_signed, _flip(enc, n - 1, 0x01)) in {
        DECRYPT_AES_ERROR,
        ILLEGAL_BUFFER,
        VALIDATE_RECEIVEID_ERROR,
    }


# --- tampering: padding -----------------------------------------------------


def test_pad_bytes_inconsistent() -> None:
    body = build(b"m", pad=b"")
    fill = 32 - len(body) % 32
    assert fill >= 5
    # Last byte says 5, but one of the four bytes before it differs.
    pad = bytes([5]) * (fill - 5) + b"\x05\x05\x04\x05\x05"
    assert code_of(decrypt_signed, raw_encrypt(body + pad)) == DECRYPT_AES_ERROR
    # Also when only the first pad byte differs (a decoder checking just the last few
    # bytes would miss it).
    first = bytes([fill - 1]) + bytes([fill]) * (fill - 1)
    assert code_of(decrypt_signed, raw_encrypt(body + first)) == DECRYPT_AES_ERROR
    # Control: the same buffer with consistent padding decodes.
    ok = bytes([fill]) * fill
    assert decrypt_signed(raw_encrypt(body + ok)) == "m"


def test_pad_zero_and_pad_33() -> None:
    body = build(b"m", pad=b"")
    fill = 32 - len(body) % 32
    zero = body + b"\x00" * fill
    assert code_of(decrypt_signed, raw_encrypt(zero)) == DECRYPT_AES_ERROR
    big = body + b"\x21" * fill + b"\x21" * 32  # 33 = 0x21, even with >= 33 such bytes
    assert len(big) % 16 == 0
    assert code_of(decrypt_signed, raw_encrypt(big)) == DECRYPT_AES_ERROR


def test_pad_larger_than_buffer() -> None:
    assert code_of(decrypt_signed, raw_encrypt(b"\x20" * 16)) == DECRYPT_AES_ERROR


# --- tampering: buffer ------------------------------------------------------


def test_msg_len_larger_than_buffer() -> None:
    body = build(b"hello", msg_len=5 + len(CORPID) + 1)
    assert code_of(decrypt_signed, raw_encrypt(body)) == ILLEGAL_BUFFER
    assert (
        code_of(decrypt_signed, raw_encrypt(build(b"hello", msg_len=0xFFFFFFFF))) == ILLEGAL_BUFFER
    )


def test_buffer_shorter_than_header() -> None:
    # 16 bytes: 8 of data then a pad of 8 -> fewer than 20 bytes before the pad.
    assert code_of(decrypt_signed, raw_encrypt(b"A" * 8 + b"\x08" * 8)) == ILLEGAL_BUFFER


def test_message_not_utf8() -> None:
    with pytest.raises(CryptoError) as ei:
        decrypt_signed(raw_encrypt(build(b"\xff\xfeabc")))
    assert ei.value.code == ILLEGAL_BUFFER
    # The bytes are not carried along on the exception chain.
    assert ei.value.__cause__ is None and ei.value.__context__ is None


def test_length_not_multiple_of_16() -> None:
    raw = base64.b64decode(crypto().encrypt("m", NONCE, TS)[0])
    for n in (len(raw) - 1, 15, 1):
        assert code_of(decrypt_signed, base64.b64encode(raw[:n]).decode()) == DECRYPT_AES_ERROR
    assert code_of(decrypt_signed, "") == DECRYPT_AES_ERROR


@pytest.mark.parametrize(
    "enc",
    [
        "not base64!",
        "QUJDRA",  # missing padding
        "QUJD RA==",  # whitespace (validate=True refuses it)
        "QU=JDRA=",  # padding in the middle
        "QUJDRA==\n",
        "ÄÖÜ=",
    ],
)
def test_broken_base64(enc: str) -> None:
    assert code_of(decrypt_signed, enc) == DECODE_BASE64_ERROR


def test_valid_base64_of_wrong_size_is_an_aes_error() -> None:
    assert code_of(decrypt_signed, "QUJD") == DECRYPT_AES_ERROR


# --- keys ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        KEY[:-1],  # 42
        KEY + "A",  # 44
        KEY[:-1] + "+",
        KEY[:-1] + "/",
        KEY[:-1] + "=",
        KEY[:-1] + "-",
        KEY[:-1] + "٣",  # a Unicode digit is not [0-9]
        KEY[:-1] + "\n",
        " " + KEY[1:],
        "",
    ],
)
def test_bad_encoding_aes_key(key: str) -> None:
    assert code_of(WeComCrypto, TOKEN, key, CORPID) == ILLEGAL_AES_KEY


def test_bad_key_message_does_not_echo_the_key() -> None:
    with pytest.raises(CryptoError) as ei:
        WeComCrypto(TOKEN, KEY + "A", CORPID)
    assert KEY not in str(ei.value) and KEY not in repr(ei.value)


# --- hygiene ------------------------------------------------------------------


def test_repr_hides_token_and_key() -> None:
    token = "s3cr3t-t0ken-value"
    c = WeComCrypto(token, KEY, CORPID)
    text = repr(c) + str(c)
    assert token not in text and KEY not in text and CORPID in text
    assert AES_KEY.hex() not in text


def test_not_picklable() -> None:
    with pytest.raises(TypeError):
        pickle.dumps(crypto())


def test_error_messages_carry_no_secrets_or_plaintext() -> None:
    secret_msg = "TOP-SECRET-PLAINTEXT"
    c = WeComCrypto("tok-XYZ", KEY, CORPID)
    enc, sig = c.encrypt(secret_msg, NONCE, TS)
    errors: list[CryptoError] = []
    for args in [
        ("0" * 40, TS, NONCE, enc),
        (signature("tok-XYZ", TS, NONCE, "!!"), TS, NONCE, "!!"),
    ]:
        with pytest.raises(CryptoError) as ei:
            c.decrypt(*args)
        errors.append(ei.value)
    with pytest.raises(CryptoError) as ei2:
        WeComCrypto("tok-XYZ", KEY, "other").decrypt(sig, TS, NONCE, enc)
    errors.append(ei2.value)
    for e in errors:
        text = str(e) + repr(e)
        assert "tok-XYZ" not in text and KEY not in text and secret_msg not in text


def test_unencodable_inputs() -> None:
    # Lone surrogates cannot be UTF-8 encoded.
    assert code_of(crypto().encrypt, "a\ud800b", NONCE, TS) == ENCRYPT_AES_ERROR
    assert code_of(signature, TOKEN, TS, "\udfff", "x") == COMPUTE_SIGNATURE_ERROR
    assert code_of(crypto().decrypt, "0" * 40, TS, "\udfff", "x") == COMPUTE_SIGNATURE_ERROR


def test_error_str_has_code() -> None:
    e = CryptoError(ILLEGAL_BUFFER, "msg")
    assert e.code == -40008 and "-40008" in str(e) and isinstance(e, Exception)
