"""deploy/compose.yaml is a valid compose file (docker-compose's own check) that wires what
the README's production section says: PostgreSQL and Redis with volumes, a one-shot migrate
the processes wait for, two serve on the load balancer's ports, two workers with their
metrics port, Prometheus with this repository's rules scraping all four, Grafana with the
dashboard; and it refuses to start without its secrets."""

from __future__ import annotations

import os
import subprocess
from typing import Any

import yaml

from tests.harness.deploy import DEPLOY, tool

COMPOSE = DEPLOY / "compose.yaml"
REQUIRED = {"POSTGRES_PASSWORD": "pg-secret", "WECOM_BOT_PUBLIC_URL": "https://bot.example.com",
            "WECOM_BOT_WECOM": '{"corp_id": "ww1"}', "GRAFANA_ADMIN_PASSWORD": "gf-secret"}


def _config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    return subprocess.run([tool("docker-compose"), "-f", str(COMPOSE), "config"],
                          env={**clean, **env}, capture_output=True, text=True, timeout=60)


def _resolved() -> dict[str, Any]:
    done = _config(REQUIRED)
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)  # type: ignore[no-any-return]


def _mounts(service: dict[str, Any]) -> dict[str, str]:
    """target → source of a service's volumes (short or long syntax)."""
    out = {}
    for v in service.get("volumes", []):
        if isinstance(v, str):
            source, target = v.split(":")[:2]
        else:
            source, target = v.get("source", ""), v["target"]
        out[target] = source
    return out


def test_compose_file_is_valid_and_wired() -> None:
    config = _resolved()
    services = config["services"]
    assert set(services) == {"postgres", "redis", "migrate", "serve-1", "serve-2", "worker-1",
                             "worker-2", "prometheus", "grafana"}
    assert services["migrate"]["command"] == ["wecom-bot", "migrate"]
    assert services["migrate"]["build"]["args"]["BASE"] == "python:3.11-slim"
    for name in ("serve-1", "serve-2", "worker-1", "worker-2"):
        svc = services[name]
        assert svc["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        env = svc["environment"]
        assert env["WECOM_BOT_DATABASE_URL"] == \
            "postgres://wecom:pg-secret@postgres:5432/wecom_bot"
        assert env["WECOM_BOT_REDIS_URL"].startswith("redis://redis:6379/")
        assert _mounts(svc)["/app/data"] == "media"
    published = sorted(p["published"] for n in ("serve-1", "serve-2")
                       for p in services[n]["ports"])
    assert [int(p) for p in published] == [8081, 8082]
    for name in ("worker-1", "worker-2"):
        assert services[name]["command"][-2:] == ["--metrics-listen", "0.0.0.0:9100"]
    assert {"pgdata", "redisdata", "media"} <= set(config["volumes"])
    prometheus = _mounts(services["prometheus"])
    assert prometheus["/etc/prometheus/alerts.yml"] == str(DEPLOY / "prometheus" / "alerts.yml")
    grafana = _mounts(services["grafana"])
    assert grafana["/var/lib/grafana/dashboards/wecom-bot.json"] == \
        str(DEPLOY / "grafana" / "wecom-bot.json")
    binds = [s for s in [*prometheus.values(), *grafana.values()] if s.startswith("/")]
    assert len(binds) == 4 and all(os.path.exists(s) for s in binds)


def test_prometheus_scrapes_every_process_of_the_compose_file() -> None:
    scrape = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    jobs = {j["job_name"]: j["static_configs"][0]["targets"] for j in scrape["scrape_configs"]}
    assert jobs == {"wecom-bot-serve": ["serve-1:8080", "serve-2:8080"],
                    "wecom-bot-worker": ["worker-1:9100", "worker-2:9100"]}
    checked = subprocess.run([tool("promtool"), "check", "config", "prometheus.yml"],
                             cwd=DEPLOY / "prometheus", capture_output=True, text=True,
                             timeout=60)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_compose_refuses_to_start_without_its_secrets() -> None:
    for missing in REQUIRED:
        done = _config({k: v for k, v in REQUIRED.items() if k != missing})
        assert done.returncode != 0 and f"set {missing}" in done.stderr
