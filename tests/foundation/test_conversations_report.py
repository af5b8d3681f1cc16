"""bench/conversations.py's report: the ratios to the echo bot, and what a mode's CPU per
message comes to at WeCom's ceiling on kf replies."""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

import pytest

from tests.harness.fleet import ROOT

if str(ROOT) not in sys.path:  # bench/ is scripts, not an installed package
    sys.path.insert(0, str(ROOT))

from bench import conversations


def _row(mode: str, rate: float, cpu_seconds: dict[str, float], messages: int = 1000
         ) -> dict[str, Any]:
    return {"mode": mode, "rate": rate, "p50": 0.05, "p99": 0.2, "twice": 0, "missing": 0,
            "late": 0, "outbox_failed": 0, "messages": messages, "cpu": cpu_seconds,
            "seen": {g: 1 for g in cpu_seconds}, "counts": Counter({"sql insert": 700}),
            "stages": []}


def test_the_ceiling_line_prices_each_mode_at_wecoms_rate(
        capsys: pytest.CaptureFixture[str]) -> None:
    rows = [_row("echo", 1500.0, {"bench": 0.6}),
            # 2.0 ms a message over every process; 3.0 ms.
            _row("embedded", 400.0, {"bench": 2.0}),
            _row("production", 600.0, {"bench": 1.0, "workers": 1.4, "postgres": 0.6})]
    conversations.report(rows, customers=50, messages=20, statements=False)
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("at WeCom's ceiling"))
    # 10,000 replies a minute is 166.7/s: 166.7 x 2.0 ms = 0.33 of a core, x 3.0 ms = 0.50.
    assert "10,000 kf/send_msg a minute, 167 replies/s" in line
    assert "embedded 0.33 cores (the run went 2.4x that rate)" in line
    assert "production 0.50 cores (the run went 3.6x that rate)" in line
    assert "echo" not in line.split(":", 1)[1]
    table = {x.split()[0]: x.split() for x in out.splitlines()
             if x.startswith(("embedded ", "production "))}
    assert table["embedded"][2] == "0.27"  # 400 / 1500
    assert table["production"][10] == "5.00"  # 3.0 ms against the echo bot's 0.6


def test_a_mode_is_judged_against_the_echo_runs_beside_it(
        capsys: pytest.CaptureFixture[str]) -> None:
    before, after = _row("echo", 1600.0, {"bench": 0.6}), _row("echo", 1200.0, {"bench": 1.0})
    mode = _row("production", 700.0, {"bench": 1.6})
    mode["baseline"] = conversations.baseline(before, after)
    conversations.report([before, mode, after], customers=50, messages=20, statements=False)
    line = next(x for x in capsys.readouterr().out.splitlines()
                if x.startswith("production "))
    cols = line.split()
    # 700 against the mean of 1,600 and 1,200: 0.50x (0.44x against the first run alone),
    # and the target met; 1.6 ms against a mean 0.8 ms.
    assert cols[2] == "0.50"
    assert cols[10] == "2.00"
    assert cols[-1] == "yes"


def test_each_mode_is_paired_with_the_echo_runs_before_and_after_it() -> None:
    rates = iter([1000.0, 1200.0, 1400.0])
    order: list[str] = []

    def echo() -> dict[str, Any]:
        order.append("echo")
        return _row("echo", next(rates), {"bench": 0.6})

    def mode(name: str) -> dict[str, Any]:
        order.append(name)
        return _row(name, 500.0, {"bench": 2.0})

    rows = conversations.run_round(echo, mode, ["embedded", "production"])
    assert order == ["echo", "embedded", "echo", "production", "echo"]
    assert [r["mode"] for r in rows] == order
    assert rows[1]["baseline"]["rate"] == 1100.0  # the runs before and after embedded
    assert rows[3]["baseline"]["rate"] == 1300.0


def test_an_echo_run_that_missed_a_reply_is_no_baseline(
        capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = _row("echo", 1500.0, {"bench": 0.6}), _row("echo", 1400.0, {"bench": 0.6})
    bad["missing"] = 3
    conversations.report([good, bad], customers=50, messages=20, statements=False)
    echoes = [x.split() for x in capsys.readouterr().out.splitlines()
              if x.startswith("echo ")]
    assert [e[-1] for e in echoes] == ["yes", "NO"]
    assert echoes[1][2] == "-"  # no ratio of a baseline to another
