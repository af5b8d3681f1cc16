"""WeCom callback crypto (WXBizMsgCrypt), see the protocol notes (wecom/protocol.md) §1.

Wire format, per docs 91144 / the official samples:
    encrypt   = base64(AES-256-CBC(key, iv=key[:16], PKCS7_32(plain)))
    plain     = random(16) || be32(len(msg)) || msg || receive_id
    signature = sha1hex("".join(sorted([token, timestamp, nonce, encrypt])))

Stricter than the official sample on purpose: every pad byte is checked, msg_len
must fit the buffer, the receive_id tail must match exactly and the message must
be UTF-8. Error codes are the sample's (ierror.py); which one we pick where:
    bad base64 -> -40010; length not a multiple of 16, or bad PKCS#7 padding
    (value outside 1..32, or pad bytes that differ) -> -40007 (DecryptAES: a
    wrong key shows up as bad padding); msg_len overrunning the buffer, or a
    message that is not UTF-8 -> -40008; receive_id mismatch -> -40005.

Nothing here logs, and no error message carries a key, token or plaintext.
Timestamp freshness is the web layer's job.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
import struct
from typing import NoReturn

from Crypto.Cipher import AES

__all__ = [
    "COMPUTE_SIGNATURE_ERROR",
    "DECODE_BASE64_ERROR",
    "DECRYPT_AES_ERROR",
    "ENCODE_BASE64_ERROR",
    "ENCRYPT_AES_ERROR",
    "GEN_RETURN_ERROR",
    "ILLEGAL_AES_KEY",
    "ILLEGAL_BUFFER",
    "PARSE_ERROR",
    "VALIDATE_RECEIVEID_ERROR",
    "VALIDATE_SIGNATURE_ERROR",
    "CryptoError",
    "WeComCrypto",
    "signature",
]

# Codes of the official sample (sbzhu/weworkapi_python callback_python3/ierror.py).
VALIDATE_SIGNATURE_ERROR = -40001
PARSE_ERROR = -40002
COMPUTE_SIGNATURE_ERROR = -40003
ILLEGAL_AES_KEY = -40004
VALIDATE_RECEIVEID_ERROR = -40005
ENCRYPT_AES_ERROR = -40006
DECRYPT_AES_ERROR = -40007
ILLEGAL_BUFFER = -40008
ENCODE_BASE64_ERROR = -40009
DECODE_BASE64_ERROR = -40010
GEN_RETURN_ERROR = -40011

# WeCom pads to a multiple of 32 bytes, not the AES block size of 16 (docs 91144).
_PAD_BLOCK = 32
_RANDOM_LEN = 16
_HEADER_LEN = _RANDOM_LEN + 4  # random prefix + be32 msg_len
_KEY_RE = re.compile(r"[A-Za-z0-9]{43}")


class CryptoError(Exception):
    """A crypto failure; ``code`` is the official sample's error code."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code

    def __str__(self) -> str:
        return f"[{self.code}] {self.args[0]}"


def signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    """Lower-case hex SHA-1 of the four values sorted and concatenated."""
    try:
        data = "".join(sorted([token, timestamp, nonce, encrypt])).encode("utf-8")
    except (TypeError, UnicodeEncodeError):
        # Non-str values or lone surrogates; raised outside the handler so the
        # original exception (which would hold the token) is not chained.
        data = None
    if data is None:
        raise CryptoError(COMPUTE_SIGNATURE_ERROR, "cannot compute signature over these values")
    return hashlib.sha1(data).hexdigest()  # noqa: S324 - SHA-1 is what the protocol uses


def _check_signature(
    token: str, msg_signature: str, timestamp: str, nonce: str, encrypt: str
) -> None:
    expected = signature(token, timestamp, nonce, encrypt)
    # compare_digest on str needs ASCII; a non-ASCII signature is simply wrong.
    if not (
        isinstance(msg_signature, str)
        and msg_signature.isascii()
        and hmac.compare_digest(expected, msg_signature)
    ):
        raise CryptoError(VALIDATE_SIGNATURE_ERROR, "signature mismatch")


class WeComCrypto:
    """Verify, decrypt and encrypt WeCom callback payloads for one callback config.

    ``receive_id`` is the corpid for self-built apps, the suite_id for suite
    callbacks and ``""`` for AI-bot (智能机器人) callbacks (protocol.md §1.4).
    """

    __slots__ = ("_ecb", "_key", "_receive_id", "_token")

    def __init__(self, token: str, encoding_aes_key: str, receive_id: str) -> None:
        if not isinstance(encoding_aes_key, str) or not _KEY_RE.fullmatch(encoding_aes_key):
            raise CryptoError(ILLEGAL_AES_KEY, "EncodingAESKey must be 43 characters [A-Za-z0-9]")
        key = base64.b64decode(encoding_aes_key + "=")
        if len(key) != 32:  # cannot happen for 43 alphanumerics; kept as the documented check
            raise CryptoError(ILLEGAL_AES_KEY, "EncodingAESKey does not decode to 32 bytes")
        if not isinstance(token, str) or not isinstance(receive_id, str):
            raise TypeError("token and receive_id must be str")
        self._token = token
        self._key = key
        # CBC decryption is ECB decryption XOR the previous ciphertext block: one cipher
        # object for every message instead of a new one each (a third of the cost).
        self._ecb = AES.new(key, AES.MODE_ECB)
        self._receive_id = receive_id.encode("utf-8")

    def __repr__(self) -> str:
        # Never show token or key; the receive_id (corpid) is not a secret.
        return f"WeComCrypto(receive_id={self._receive_id.decode('utf-8')!r})"

    def __reduce__(self) -> NoReturn:
        # Keep secrets out of pickles (and so out of caches/queues by accident).
        raise TypeError("WeComCrypto cannot be pickled")

    # -- inbound -------------------------------------------------------------

    def verify_url(self, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """GET URL verification: returns the plaintext echostr to send back as the body."""
        return self.decrypt(msg_signature, timestamp, nonce, echostr)

    def decrypt(self, msg_signature: str, timestamp: str, nonce: str, encrypt: str) -> str:
        """Check the signature over ``encrypt`` and return the decrypted message."""
        _check_signature(self._token, msg_signature, timestamp, nonce, encrypt)
        return self._decrypt(encrypt)

    def _decrypt(self, encrypt: str) -> str:
        try:
            raw = base64.b64decode(encrypt, validate=True)
        except (binascii.Error, ValueError):  # ValueError: non-ASCII str
            raise CryptoError(DECODE_BASE64_ERROR, "ciphertext is not valid base64") from None
        if not raw or len(raw) % AES.block_size:
            raise CryptoError(DECRYPT_AES_ERROR, "ciphertext length is not a multiple of 16")
        chained = self._key[:16] + raw[:-16]  # the IV, then each block's predecessor
        buf = (int.from_bytes(self._ecb.decrypt(raw), "big")
               ^ int.from_bytes(chained, "big")).to_bytes(len(raw), "big")

        pad = buf[-1]
        # Strict PKCS#7 over 32-byte blocks: 1..32 and every pad byte equal.
        if not 1 <= pad <= min(_PAD_BLOCK, len(buf)) or buf[-pad:] != bytes([pad]) * pad:
            raise CryptoError(DECRYPT_AES_ERROR, "bad padding")
        buf = buf[:-pad]

        if len(buf) < _HEADER_LEN:
            raise CryptoError(ILLEGAL_BUFFER, "decrypted buffer too short")
        (msg_len,) = struct.unpack_from(">I", buf, _RANDOM_LEN)
        msg_end = _HEADER_LEN + msg_len
        if msg_end > len(buf):
            raise CryptoError(ILLEGAL_BUFFER, "msg_len overruns the buffer")
        if buf[msg_end:] != self._receive_id:
            raise CryptoError(VALIDATE_RECEIVEID_ERROR, "receive_id mismatch")
        try:
            return buf[_HEADER_LEN:msg_end].decode("utf-8")
        except UnicodeDecodeError:
            pass  # raise below, so the plaintext bytes are not chained onto the error
        raise CryptoError(ILLEGAL_BUFFER, "message is not valid UTF-8")

    # -- outbound ------------------------------------------------------------

    def encrypt(
        self,
        plaintext: str,
        nonce: str,
        timestamp: str,
        *,
        random_prefix: bytes | None = None,
    ) -> tuple[str, str]:
        """Encrypt ``plaintext``; returns ``(encrypt, msg_signature)``.

        ``random_prefix`` exists for known-answer tests; leave it None in production.
        """
        if random_prefix is None:
            random_prefix = secrets.token_bytes(_RANDOM_LEN)
        elif not isinstance(random_prefix, bytes) or len(random_prefix) != _RANDOM_LEN:
            raise ValueError("random_prefix must be exactly 16 bytes")
        try:
            msg = plaintext.encode("utf-8")
        except UnicodeEncodeError:
            msg = None  # raised below, unchained (the error object holds the plaintext)
        if msg is None:
            raise CryptoError(ENCRYPT_AES_ERROR, "plaintext is not encodable as UTF-8")
        if len(msg) > 0xFFFFFFFF:
            raise CryptoError(ENCRYPT_AES_ERROR, "plaintext too long")

        body = random_prefix + struct.pack(">I", len(msg)) + msg + self._receive_id
        pad = _PAD_BLOCK - len(body) % _PAD_BLOCK  # 1..32; 32 when already aligned
        body += bytes([pad]) * pad
        cipher = AES.new(self._key, AES.MODE_CBC, iv=self._key[:16]).encrypt(body)
        encrypted = base64.b64encode(cipher).decode("ascii")
        return encrypted, signature(self._token, timestamp, nonce, encrypted)

    def reply_xml(self, plaintext: str, nonce: str, timestamp: str) -> str:
        """Encrypted passive reply in the official XML template (protocol.md §1.7)."""
        # nonce goes into CDATA and timestamp into bare text: refuse values that
        # would break the envelope instead of escaping them (WeCom sends digits).
        if "]]>" in nonce or not timestamp.isdigit() or not timestamp.isascii():
            raise CryptoError(GEN_RETURN_ERROR, "nonce/timestamp not usable in the XML reply")
        encrypted, sig = self.encrypt(plaintext, nonce, timestamp)
        return (
            f"<xml><Encrypt><![CDATA[{encrypted}]]></Encrypt>"
            f"<MsgSignature><![CDATA[{sig}]]></MsgSignature>"
            f"<TimeStamp>{timestamp}</TimeStamp>"
            f"<Nonce><![CDATA[{nonce}]]></Nonce></xml>"
        )

    def reply_json(self, plaintext: str, nonce: str, timestamp: str) -> str:
        """Encrypted passive reply as JSON; note ``msgsignature`` has no underscore."""
        encrypted, sig = self.encrypt(plaintext, nonce, timestamp)
        return json.dumps(
            {"encrypt": encrypted, "msgsignature": sig, "timestamp": timestamp, "nonce": nonce}
        )
