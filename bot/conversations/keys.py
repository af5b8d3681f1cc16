"""Keys naming one kefu conversation in the store (locks, counters)."""

from __future__ import annotations


def kf_key(open_kfid: str, external_userid: str) -> str:
    return f"kefu:{open_kfid}:{external_userid}"
