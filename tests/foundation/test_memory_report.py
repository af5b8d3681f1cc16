"""The opt-in memory diagnosis (``tracemalloc`` setting): SIGUSR2 writes what grew, by the
allocating traceback, so an operator sees what accumulates in a live process."""

from __future__ import annotations

import gc
import signal
import time
from pathlib import Path

from bot.infra.memory_report import MemoryReport
from bot.settings import load_settings
from tests.harness.process import start_serve

_kept: list[bytearray] = []


class Accumulated:
    """Something that piles up, for the report to find."""


_objects: list[Accumulated] = []


def _grow(n: int) -> None:
    for _ in range(n):
        _kept.append(bytearray(1000))
        _objects.append(Accumulated())


def test_a_report_names_the_line_and_the_type_that_grew(tmp_path: Path) -> None:
    report = MemoryReport("test", 5, tmp_path)
    report.start()
    try:
        _grow(2000)
        first = report.write().read_text(encoding="utf-8")
        _grow(500)
        second = report.write().read_text(encoding="utf-8")
    finally:
        report.stop()
        _kept.clear()
        _objects.clear()
    since_start = first.split("== growth since tracing started")[0]
    top = since_start.split("top 40 by size ==\n", 1)[1].splitlines()
    # The biggest growth is the 2,000 buffers, traced to the line that made them.
    assert top[0].startswith("+") and int(top[0].split()[0]) >= 2000 * 1000, top[:3]
    assert "_kept.append(bytearray(1000))" in "\n".join(top[1:12])
    assert f"+2000 {__name__}.Accumulated (now 2000)" in first
    # The next report counts from the previous one.
    assert f"+500 {__name__}.Accumulated (now 2500)" in second
    assert "report 2" in second.splitlines()[0]


class Cyclic:
    def __init__(self) -> None:
        self.me = self  # only the collector frees it


def _leave_cycles(n: int) -> None:
    for _ in range(n):
        Cyclic()


def test_a_report_counts_the_cyclic_garbage_by_type(tmp_path: Path) -> None:
    report = MemoryReport("test", 5, tmp_path)
    report.start()
    gc.disable()  # as if the oldest generation's turn had not come yet
    try:
        _leave_cycles(300)
        text = report.write().read_text(encoding="utf-8")
    finally:
        gc.enable()
        report.stop()
    section = text.split("== cyclic garbage the collector freed now: ")[1].split("\n\n")[0]
    objects = int(section.split()[0])
    assert objects >= 300
    assert f"300 {__name__}.Cyclic" in section.splitlines()
    assert int(section.split()[2]) >= 300 * 48  # bytes: at least their object headers


def test_the_setting_reads_the_environment() -> None:
    settings = load_settings(env={"WECOM_BOT_TRACEMALLOC": "25",
                                  "WECOM_BOT_TRACEMALLOC_DIR": "/var/tmp/reports"})
    assert (settings.tracemalloc, settings.tracemalloc_dir) == (25, "/var/tmp/reports")
    assert load_settings(env={}).tracemalloc == 0  # off unless asked for


def test_a_running_serve_writes_a_report_on_sigusr2(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    server, _ = start_serve(tmp_path, f'database_url = "sqlite://{tmp_path}/bot.sqlite3"\n'
                                      f'tracemalloc = 3\ntracemalloc_dir = "{reports}"\n')
    try:
        server.send_signal(signal.SIGUSR2)
        deadline = time.monotonic() + 30
        while not list(reports.glob("wecom-bot-serve-*-001.txt")):
            assert server.poll() is None, "serve exited"
            assert time.monotonic() < deadline, "no report"
            time.sleep(0.2)
        (path,) = reports.glob("wecom-bot-serve-*-001.txt")
        assert path.name == f"wecom-bot-serve-{server.pid}-001.txt"
        text = path.read_text(encoding="utf-8")
        assert text.startswith(f"wecom-bot serve pid {server.pid} report 1\nrss_bytes ")
        assert "frames 3" in text and "== live objects by type" in text
        assert server.poll() is None  # still serving
    finally:
        server.terminate()
        server.communicate(timeout=30)
