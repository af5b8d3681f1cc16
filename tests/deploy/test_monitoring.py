"""The alert rules and the Grafana dashboard: promtool checks and unit-tests the rules, and
every metric a rule or a panel reads is one the service really exports on /metrics."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from bot.settings import Settings
from tests.harness.deploy import DEPLOY, exported_names, metric_names, tool
from tests.harness.service import serving

RULES = DEPLOY / "prometheus" / "alerts.yml"
DASHBOARD = DEPLOY / "grafana" / "wecom-bot.json"
PROMETHEUS_OWN = {"up"}  # what Prometheus records about each scrape


def test_promtool_accepts_the_rules_and_their_unit_tests() -> None:
    promtool = tool("promtool")
    checked = subprocess.run([promtool, "check", "rules", str(RULES)], capture_output=True,
                             text=True, timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "SUCCESS: 15 rules found" in checked.stdout
    tested = subprocess.run([promtool, "test", "rules", "alerts_test.yml"],
                            cwd=RULES.parent, capture_output=True, text=True, timeout=60)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def _panel_queries(dashboard: dict[str, Any]) -> list[str]:
    out = []
    for panel in dashboard["panels"]:
        for inner in [panel, *panel.get("panels", [])]:
            out.extend(t["expr"] for t in inner.get("targets", []))
    return out


def _rule_queries() -> list[str]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [rule["expr"] for g in groups for rule in g["rules"]]


def test_the_name_extraction_reads_what_promql_reads() -> None:
    assert metric_names(
        'histogram_quantile(0.99, sum by (le) (rate(a_bucket{x="y(z)"}[5m]))) '
        '/ clamp_min(b_total, 1e-9) > 0.01 and max(deriv(c[10m])) > 0 '
        'or absent(up{job="w"}) unless on (app) d offset 5m') == {
            "a_bucket", "b_total", "c", "up", "d"}


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_every_query_reads_an_exported_metric(
    mode_settings: Callable[..., Settings],
) -> None:
    async with serving(mode_settings()) as client:
        resp = await client.get("/metrics")
        assert resp.status == 200
        exported = exported_names(await resp.text()) | PROMETHEUS_OWN
    dashboard = json.loads(DASHBOARD.read_text())
    queries = _panel_queries(dashboard) + _rule_queries()
    assert len(queries) > 30
    used = set().union(*(metric_names(q) for q in queries))
    assert used - exported == set(), f"not exported: {sorted(used - exported)}"
    # Every metric the service exports is on the dashboard or in an alert, but the
    # housekeeping counter of unreadable scrapes.
    families = {n for n in exported if n.startswith("wecom_bot_")}
    unused = {n for n in families if not n.endswith(("_count", "_sum", "_bucket", "_created"))
              and n.removesuffix("_total") not in {u.removesuffix("_total") for u in used}
              and n.removesuffix("_total") + "_bucket" not in used}
    assert unused <= {"wecom_bot_metrics_state_errors_total",
                      "wecom_bot_metrics_state_errors"}, sorted(unused)
