"""The fast retry policies: WeCom's real delays (seconds to a minute) shrunk to milliseconds.

Two, because a running service and a bare client are waited on differently.
"""

from __future__ import annotations

from bot.wecom.policy import RetryPolicy

# A running service (outbox, jobs): a short total budget and minute bans of 50 ms, so a
# refused message comes back within the test instead of a minute later.
FAST = RetryPolicy(base_delay=0.01, max_delay=0.02, rate_limit_delay=0.01, budget_seconds=1,
                   rate_limit_ban=0.05)

# A bare WeComClient against the sandbox: every retry counted exactly (tests assert
# ``1 + transient_retries`` calls), with a budget no test of the client reaches.
FAST_CLIENT = RetryPolicy(
    busy_retries=3,
    transient_retries=4,
    base_delay=0.001,
    max_delay=0.005,
    rate_limit_delay=0.001,
    budget_seconds=5.0,
    request_timeout=5.0,
)
