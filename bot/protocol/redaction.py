"""Masking credentials inside free text (WeCom URLs carry access_token, secrets and codes in
their query): for error messages built here and for every log line (``bot.infra.logs``)."""

from __future__ import annotations

import re

REDACTED = "[redacted]"
_QUERY_SECRET_RE = re.compile(
    r"(?i)\b(access_token|corpsecret|secret|key|response_code|token)=([^&\s\"']+)"
)


def scrub_text(value: str) -> str:
    """Mask credentials carried in URLs or query strings inside free text."""
    if "=" not in value:  # nothing to mask: skip the regex (most values, every line)
        return value
    return _QUERY_SECRET_RE.sub(lambda m: f"{m.group(1)}={REDACTED}", value)
