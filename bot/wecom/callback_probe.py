"""What WeCom does when an administrator saves an app's callback URL: a signed GET with an
encrypted ``echostr`` that the service must answer, decrypted, within one second
(protocol.md §1.5). ``wecom-bot doctor`` uses it to prove that the URL reaches this service
and that it holds the same Token and EncodingAESKey as the console."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

import aiohttp

from bot.protocol.crypto import WeComCrypto

LIMIT_SECONDS = 1.0  # WeCom's limit for the answer to its URL check


@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    detail: str  # what went wrong, in English, never a secret
    status: int | None = None
    seconds: float = 0.0


async def verify_callback_url(
    url: str, token: str, encoding_aes_key: str, receive_id: str, *, wait: float = 5.0,
    session: aiohttp.ClientSession | None = None,
) -> ProbeResult:
    crypto = WeComCrypto(token, encoding_aes_key, receive_id)
    plaintext = secrets.token_hex(8)
    timestamp, nonce = str(int(time.time())), secrets.token_hex(5)
    echostr, signature = crypto.encrypt(plaintext, nonce, timestamp)
    params = {"msg_signature": signature, "timestamp": timestamp, "nonce": nonce,
              "echostr": echostr}
    own = session is None
    http = session or aiohttp.ClientSession()
    started = time.monotonic()
    try:
        async with http.get(url, params=params, allow_redirects=False,
                            timeout=aiohttp.ClientTimeout(total=wait)) as resp:
            body = await resp.text(errors="replace")
            status = resp.status
    except (aiohttp.ClientError, TimeoutError) as exc:
        # str() of aiohttp errors may carry the URL with the signature: keep the type only.
        return ProbeResult(False, f"unreachable ({type(exc).__name__})")
    finally:
        if own:
            await http.close()
    elapsed = time.monotonic() - started
    if status != 200:
        return ProbeResult(False, f"HTTP {status}", status, elapsed)
    if body != plaintext:
        return ProbeResult(False, "answered 200 without the decrypted echostr", status, elapsed)
    if elapsed > LIMIT_SECONDS:
        return ProbeResult(False, f"answered in {elapsed:.1f}s (WeCom waits 1s)", status, elapsed)
    return ProbeResult(True, "ok", status, elapsed)
