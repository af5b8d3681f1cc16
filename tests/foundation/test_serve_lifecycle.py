"""`wecom-bot serve` starting and stopping (embedded, built-in sandbox).

A busy port fails before anything starts. Stopping finishes the work in flight: jobs are
drained while the listener is still open, for the sandbox they call lives on it. Closing the
listener first left every in-flight reply retrying against a refused port until the drain
timed out (job_timeout_seconds), and the replies waited for the next start.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sandbox import DEFAULT_PREFIX, SEED_CUSTOMERS, SEED_KF
from tests.harness.process import start_serve


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
    # The process ran on uvloop (bot.infra.event_loop), signals and the drain included.
    started = [json.loads(line) for line in log.decode().splitlines()
               if '"service.started"' in line]
    assert [s["event_loop"] for s in started] == ["uvloop"], started
    # Well under the 20 s drain limit that a refused sandbox used to run into.
    assert took < 10, f"stop took {took:.1f} s"
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT api, status FROM outbox_message").fetchall()
    assert sorted(rows) == [("kf_send_msg", "sent")] * 3, rows


def test_a_busy_port_fails_in_one_line_before_anything_starts(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        (tmp_path / "bot.toml").write_text(f'listen = "127.0.0.1:{port}"\n')
        run = subprocess.run([str(Path(sys.executable).parent / "wecom-bot"), "serve"],
                             env={**os.environ, "WECOM_BOT_CONFIG": str(tmp_path / "bot.toml")},
                             cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [
        f"wecom-bot: cannot listen on 127.0.0.1:{port}: Address already in use (change "
        "`listen` in the config file or set WECOM_BOT_LISTEN)"]
    # No database made, so the first start's admin token is still to be shown.
    assert not (tmp_path / "data").exists() and "admin token" not in run.stdout
