"""Stopping `wecom-bot serve` (embedded, built-in sandbox) finishes the work in flight.

Jobs are drained while the listener is still open: the sandbox they call lives on it. Closing
the listener first left every in-flight reply retrying against a refused port until the drain
timed out (job_timeout_seconds), and the replies waited for the next start.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import time
import urllib.request
from pathlib import Path

from bot.wecom.sandbox import DEFAULT_PREFIX, SEED_CUSTOMERS, SEED_KF
from tests.conftest import start_serve


def _post(url: str, body: dict[str, object]) -> None:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()


def test_a_stop_finishes_replies_in_flight_and_does_not_sit_out_the_drain(
    tmp_path: Path,
) -> None:
    db = tmp_path / "bot.sqlite3"
    server, port = start_serve(tmp_path, f'database_url = "sqlite://{db}"\n'
                                         'log_format = "json"\njob_timeout_seconds = 20\n')
    control = f"http://127.0.0.1:{port}{DEFAULT_PREFIX}/sandbox"
    try:
        # Every reply takes a second at "WeCom", so the stop comes while they are under way.
        _post(f"{control}/faults", {"latency": 1.0, "paths": ["kf/send_msg"]})
        customers = [c for c, _ in SEED_CUSTOMERS[:3]]
        for customer in customers:
            _post(f"{control}/kf/customer_says",
                  {"open_kfid": SEED_KF, "external_userid": customer, "text": "什么时候发货"})
        deadline = time.monotonic() + 10
        while True:  # stop as soon as the three callbacks are stored: nothing pulled yet
            with sqlite3.connect(db) as conn:
                (stored,) = conn.execute("SELECT count(*) FROM inbox_event").fetchone()
            if stored >= 3:
                break
            assert time.monotonic() < deadline, "the callbacks were not stored"
            time.sleep(0.01)
        stopped_at = time.monotonic()
        server.send_signal(signal.SIGTERM)
        _, log = server.communicate(timeout=60)
        took = time.monotonic() - stopped_at
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert server.returncode == 0, log.decode(errors="replace")[-2000:]
    # Well under the 20 s drain limit that a refused sandbox used to run into.
    assert took < 10, f"stop took {took:.1f} s"
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT api, status FROM outbox_message").fetchall()
    assert sorted(rows) == [("kf_send_msg", "sent")] * 3, rows
