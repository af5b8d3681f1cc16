"""WeCom callback crypto (WXBizMsgCrypt). Pure: no I/O, no logging, no other bot imports."""

from bot.protocol.crypto.wxbizmsgcrypt import (
    COMPUTE_SIGNATURE_ERROR,
    DECODE_BASE64_ERROR,
    DECRYPT_AES_ERROR,
    ENCODE_BASE64_ERROR,
    ENCRYPT_AES_ERROR,
    GEN_RETURN_ERROR,
    ILLEGAL_AES_KEY,
    ILLEGAL_BUFFER,
    PARSE_ERROR,
    VALIDATE_RECEIVEID_ERROR,
    VALIDATE_SIGNATURE_ERROR,
    CryptoError,
    WeComCrypto,
    signature,
)

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
