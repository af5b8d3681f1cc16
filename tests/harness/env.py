"""The real servers the tests use: one PostgreSQL database and one Redis database.

Both come from the environment so concurrent runs on one machine keep apart; every test
that touches Redis or PostgreSQL goes through these two URLs and no other.
"""

from __future__ import annotations

import os

PG_URL = os.environ.get("WECOM_BOT_TEST_PG", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("WECOM_BOT_TEST_REDIS", "redis://127.0.0.1:6379/15")
