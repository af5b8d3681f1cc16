"""The Grafana dashboard's panels over a bench run, as a picture (docs/dashboard.png).

    .venv/bin/python bench/dashboard.py [--seconds 90] [--out docs/dashboard.png]

Production mode on this machine: ``serve`` (in this process, with the built-in sandbox as
WeCom) and two ``wecom-bot worker --metrics-listen`` processes on PostgreSQL (database
``bench_dashboard``; BENCH_PG) and Redis (db 10; BENCH_REDIS); a real Prometheus (Debian's
``prometheus`` package) scrapes all three every second with deploy/prometheus/alerts.yml.
Sandbox customers chat with the kf account, new contacts arrive, and for a while WeCom
answers 15 % of calls with errors, then refuses the main app with 60020 until the IP is
added. Afterwards every target of deploy/grafana/wecom-bot.json is asked of Prometheus over
the run (query_range), drawn in the dashboard's own layout, and photographed with headless
Chromium. Loopback only, bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loop  # noqa: E402  (the loop serve and worker run on)

PG_URL = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432/bench_dashboard")
REDIS_URL = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/10")
QUESTIONS = ["请问多久能发货", "安装要多久", "怎么开发票", "量尺怎么预约", "价格多少钱",
             "板材环保吗", "柜门坏了怎么维修", "门店地址在哪", "你好", "这个颜色还有吗"]
COLORS = ["#73bf69", "#f2cc0c", "#5794f2", "#ff780a", "#f2495c", "#b877d9", "#8ab8ff",
          "#fade2a", "#37872d", "#ca95e5"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_config(path: Path, port: int) -> None:
    from bot.settings import random_aes_key

    path.write_text(
        f'listen = "127.0.0.1:{port}"\ndatabase_url = "{PG_URL}"\nredis_url = "{REDIS_URL}"\n'
        f'log_level = "warning"\ncallback_max_age_seconds = 0\n\n[wecom]\n'
        f'corp_id = "ww_bench_dashboard"\napi_base = "sandbox"\n\n'
        f'[[wecom.apps]]\nname = "main"\nkind = "app"\nagent_id = 1000002\n'
        f'secret = "s3cr3t-main"\ntoken = "tokmain"\nencoding_aes_key = "{random_aes_key()}"\n',
        encoding="utf-8")


async def reset() -> None:
    import asyncpg
    import redis.asyncio as aioredis

    url = PG_URL.replace("postgres://", "postgresql://")
    base, _, name = url.rpartition("/")
    admin = await asyncpg.connect(f"{base}/postgres")
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    r = aioredis.from_url(REDIS_URL)
    await r.flushdb()
    await r.aclose()


def start_prometheus(tmp: Path, targets: dict[str, list[str]]
                     ) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("prometheus") or "/usr/bin/prometheus"
    shutil.copy(ROOT / "deploy/prometheus/alerts.yml", tmp / "alerts.yml")
    config = {
        "global": {"scrape_interval": "1s", "evaluation_interval": "5s"},
        "rule_files": ["alerts.yml"],
        "scrape_configs": [{"job_name": job, "static_configs": [{"targets": t}]}
                           for job, t in targets.items()],
    }
    (tmp / "prometheus.yml").write_text(json.dumps(config))
    port = free_port()
    proc = subprocess.Popen(
        [binary, f"--config.file={tmp / 'prometheus.yml'}", f"--storage.tsdb.path={tmp / 'tsdb'}",
         f"--web.listen-address=127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return proc, f"http://127.0.0.1:{port}"


def query_range(prom: str, expr: str, start: float, end: float, step: float
                ) -> list[dict[str, Any]]:
    q = urllib.parse.urlencode({"query": expr, "start": start, "end": end, "step": step})
    with urllib.request.urlopen(f"{prom}/api/v1/query_range?{q}", timeout=30) as resp:
        body = json.load(resp)
    if body.get("status") != "success":
        raise RuntimeError(f"{expr}: {body}")
    return list(body["data"]["result"])


def legend(fmt: str, labels: dict[str, str]) -> str:
    out = fmt
    for k, v in labels.items():
        out = out.replace("{{" + k + "}}", v)
    return out if "{{" not in out else out.split("{{", 1)[0].strip() or "value"


async def drive(base: str, seconds: float, sandbox: Any) -> list[tuple[float, str]]:
    """The load: customers chatting, new contacts, a spell of WeCom errors, then 60020."""
    from sandbox import SEED_KF

    marks: list[tuple[float, str]] = []
    started = time.time()
    stop_at = started + seconds
    corp = sandbox.corp

    async def customer(i: int) -> None:
        k = 0
        while time.time() < stop_at:
            text = QUESTIONS[(i + k) % len(QUESTIONS)]
            if k % 9 == 8:
                text = "转人工" if i % 2 else "太差了我要投诉"
            try:
                await sandbox.customer_says(SEED_KF, f"wmDash{i:04d}", text)
            except Exception:
                pass
            k += 1
            await asyncio.sleep(0.6 + (i % 5) * 0.15)

    async def contacts() -> None:
        n = 0
        while time.time() < stop_at:
            try:
                await sandbox.staff_adds_customer("zhangwei", f"wmDashNew{n:04d}")
            except Exception:
                pass
            n += 1
            await asyncio.sleep(2.0)

    async def script() -> None:
        await asyncio.sleep(seconds * 0.35)
        marks.append((time.time(), "WeCom errors 15 %"))
        corp.set_faults(error_rate=0.10, http5xx_rate=0.05, seed=7)
        await asyncio.sleep(seconds * 0.2)
        corp.set_faults()
        marks.append((time.time(), "60020 on main"))
        corp.egress_ip = "203.0.113.7"
        corp.admin["main"].trusted_ips = {"198.51.100.1"}
        await asyncio.sleep(seconds * 0.2)
        corp.admin["main"].trusted_ips = None
        marks.append((time.time(), "IP added"))

    async def strangers() -> None:
        # Callbacks that are not WeCom's: a bad signature now and then (answered 403).
        import aiohttp

        async with aiohttp.ClientSession() as session:
            while time.time() < stop_at:
                q = {"msg_signature": "0" * 40, "timestamp": str(int(time.time())),
                     "nonce": "n"}
                async with session.post(f"{base}/wecom/callback/main", params=q,
                                        data=b"<xml><Encrypt>x</Encrypt></xml>") as resp:
                    await resp.read()
                await asyncio.sleep(3.0)

    await asyncio.gather(*(customer(i) for i in range(16)), contacts(), script(), strangers())
    return marks


def render(dashboard: dict[str, Any], data: dict[int, list[tuple[str, list[tuple[float, float]]]]],
           start: float, end: float, marks: list[tuple[float, str]]) -> str:
    col, unit_h, width = 1600 / 24, 30, 1600
    boxes = []
    bottom = 0
    for panel in dashboard["panels"]:
        g = panel["gridPos"]
        x, y, w, h = g["x"] * col, g["y"] * unit_h, g["w"] * col, g["h"] * unit_h
        bottom = max(bottom, y + h)
        title = html.escape(panel["title"])
        if panel["type"] == "row":
            boxes.append(f'<div class="row" style="left:{x}px;top:{y}px;width:{w}px">{title}</div>')
            continue
        series = data.get(panel["id"], [])
        body = stat(series, end, panel["title"]) if panel["type"] == "stat" else chart(
            series, w - 16, h - 58, start, end, marks, panel["fieldConfig"]["defaults"]["unit"])
        boxes.append(f'<div class="panel" style="left:{x + 4}px;top:{y + 4}px;width:{w - 8}px;'
                     f'height:{h - 8}px"><div class="title">{title}</div>{body}</div>')
    return f"""<!doctype html><meta charset="utf-8"><style>
body {{ margin:0; background:#111217; font:12px -apple-system, "Noto Sans CJK SC", sans-serif;
       color:#ccccdc; }}
.head {{ padding:10px 14px; font-size:16px; color:#fff; }}
.head span {{ color:#8e8e8e; font-size:12px; }}
.canvas {{ position:relative; width:{width}px; height:{bottom + 10}px; margin:0 8px; }}
.row {{ position:absolute; font-size:14px; font-weight:600; color:#fff; padding:6px 4px; }}
.panel {{ position:absolute; background:#181b1f; border:1px solid #2c3235; border-radius:2px;
         box-sizing:border-box; padding:6px 8px; overflow:hidden; }}
.title {{ font-weight:600; color:#d8d9da; margin-bottom:4px; white-space:nowrap; }}
.legend {{ display:flex; flex-wrap:wrap; gap:2px 10px; font-size:11px; margin-top:2px; }}
.legend i {{ display:inline-block; width:12px; height:3px; margin-right:4px;
             vertical-align:middle; }}
.stat {{ display:flex; flex-wrap:wrap; gap:8px 18px; }} .stat b {{ font-size:26px; display:block; }}
</style><div class="head">wecom-bot <span>deploy/grafana/wecom-bot.json over a
{round(end - start)} s bench run (bench/dashboard.py): Prometheus {html.escape(prom_version())},
1 s scrapes of serve and two workers</span></div><div class="canvas">{"".join(boxes)}</div>"""


def prom_version() -> str:
    try:
        out = subprocess.run(["prometheus", "--version"], capture_output=True, text=True,
                             timeout=10).stdout
        return out.split()[2]
    except (OSError, IndexError, subprocess.SubprocessError):
        return "?"


def fmt(v: float, unit: str) -> str:
    if unit == "s":
        return f"{v * 1000:.0f} ms" if abs(v) < 1 else f"{v:.1f} s"
    if abs(v) >= 1000:
        return f"{v / 1000:.1f}k"
    return f"{v:.2f}".rstrip("0").rstrip(".") if abs(v) < 10 else f"{v:.0f}"


def chart(series: list[tuple[str, list[tuple[float, float]]]], w: float, h: float, start: float,
          end: float, marks: list[tuple[float, str]], unit: str) -> str:
    values = [v for _, pts in series for _, v in pts]
    top = max(values, default=1.0) or 1.0
    top *= 1.1
    left = 44
    pw = w - left

    def px(t: float) -> float:
        return left + (t - start) / (end - start) * pw

    def py(v: float) -> float:
        return h - 14 - v / top * (h - 20)

    parts = [f'<svg width="{w:.0f}" height="{h:.0f}">']
    for i in range(4):
        v = top * i / 3
        parts.append(f'<line x1="{left}" x2="{w:.0f}" y1="{py(v):.1f}" y2="{py(v):.1f}" '
                     'stroke="#2c3235"/>')
        parts.append(f'<text x="{left - 4}" y="{py(v) + 4:.1f}" fill="#8e8e8e" font-size="10" '
                     f'text-anchor="end">{fmt(v, unit)}</text>')
    for t, label in marks:
        parts.append(f'<line x1="{px(t):.1f}" x2="{px(t):.1f}" y1="0" y2="{h - 14:.0f}" '
                     'stroke="#5c5c5c" stroke-dasharray="3,3"/>')
        parts.append(f'<text x="{px(t) + 3:.1f}" y="10" fill="#8e8e8e" font-size="9">'
                     f'{html.escape(label)}</text>')
    for k in range(0, 5):
        t = start + (end - start) * k / 4
        anchor = "start" if k == 0 else "end" if k == 4 else "middle"
        parts.append(f'<text x="{px(t):.1f}" y="{h - 2:.0f}" fill="#8e8e8e" font-size="10" '
                     f'text-anchor="{anchor}">{time.strftime("%H:%M:%S", time.gmtime(t))}</text>')
    for i, (_, pts) in enumerate(series[:10]):
        if not pts:
            continue
        d = " ".join(f"{'M' if j == 0 else 'L'}{px(t):.1f},{py(v):.1f}"
                     for j, (t, v) in enumerate(pts))
        parts.append(f'<path d="{d}" fill="none" stroke="{COLORS[i % len(COLORS)]}" '
                     'stroke-width="1.5"/>')
    parts.append("</svg>")
    items = "".join(f'<span><i style="background:{COLORS[i % len(COLORS)]}"></i>'
                    f'{html.escape(name)}</span>' for i, (name, _) in enumerate(series[:10]))
    if not series:
        items = '<span style="color:#8e8e8e">no data</span>'
    return "".join(parts) + f'<div class="legend">{items}</div>'


def stat(series: list[tuple[str, list[tuple[float, float]]]], end: float, title: str) -> str:
    if not series:
        return '<div class="stat"><span><b>0</b>none</span></div>'
    cells = []
    for name, pts in series[:6]:
        # A series that stopped before the end is gone (an alert cleared): 0 now.
        last = pts[-1][1] if pts and pts[-1][0] >= end - 5 else 0.0
        peak = max((v for _, v in pts), default=0.0)
        bad = last == 0 if title.startswith("Processes") else \
            last > 0 and title.startswith("Operator")
        color = "#f2495c" if bad else "#73bf69"
        cells.append(f'<span><b style="color:{color}">{fmt(last, "")}</b>'
                     f'{html.escape(name)} (max {fmt(peak, "")})</span>')
    return f'<div class="stat">{"".join(cells)}</div>'


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--out", default=str(ROOT / "docs" / "dashboard.png"))
    args = parser.parse_args()

    from aiohttp import web

    from bot.conversations import rules_store
    from bot.conversations.rulebook import changed, sample_rules_text
    from bot.infra.db import migrate
    from bot.infra.logs import configure_logging
    from bot.settings import load_settings
    from bot.web.appkeys import SERVICES
    from bot.web.server import create_app
    from tests.harness.browser import browser_page

    await reset()
    tmp = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    port = free_port()
    config = tmp / "bench.toml"
    write_config(config, port)
    settings = load_settings(config, env={})
    configure_logging("json", "warning")
    await migrate(settings.database_url)
    app = create_app(settings)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    workers: list[subprocess.Popen[bytes]] = []
    prom = None
    try:
        services = app[SERVICES]
        await rules_store.import_rules(sample_rules_text(), mode="replace", actor="bench")
        await changed(services.ports)
        env = {**os.environ, "WECOM_BOT_CONFIG": str(config)}
        ports = [free_port(), free_port()]
        wecom_bot = Path(sys.executable).parent / "wecom-bot"
        workers = [subprocess.Popen(  # noqa: ASYNC220 - before the load
            [str(wecom_bot), "worker", "--metrics-listen", f"127.0.0.1:{p}"], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for p in ports]
        prom, prom_url = start_prometheus(tmp, {
            "wecom-bot-serve": [f"127.0.0.1:{port}"],
            "wecom-bot-worker": [f"127.0.0.1:{p}" for p in ports]})
        await asyncio.sleep(4.0)  # workers up, first scrapes in
        start = time.time()
        marks = await drive(f"http://127.0.0.1:{port}", args.seconds, services.sandbox)
        await asyncio.sleep(6.0)  # the last scrapes and the tail of the work
        end = time.time()

        dashboard = json.loads((ROOT / "deploy/grafana/wecom-bot.json").read_text())
        data: dict[int, list[tuple[str, list[tuple[float, float]]]]] = {}
        for panel in dashboard["panels"]:
            for target in panel.get("targets", []):
                expr = target["expr"].replace("$__rate_interval", "10s")
                result = await asyncio.to_thread(query_range, prom_url, expr, start, end, 2.0)
                for s in result:
                    pts = [(float(t), float(v)) for t, v in s["values"] if v not in ("NaN",)]
                    data.setdefault(panel["id"], []).append(
                        (legend(target["legendFormat"], s["metric"]), pts))
        page = tmp / "dashboard.html"
        page.write_text(render(dashboard, data, start, end, marks), encoding="utf-8")
        async with browser_page("http://127.0.0.1/") as browser:
            await browser.set_viewport_size({"width": 1620, "height": 900})
            await browser.goto(page.as_uri())
            await browser.screenshot(path=args.out, full_page=True)
        drawn = sum(1 for series in data.values() for _ in series)
        print(f"{args.out}: {len(data)} panels with data, {drawn} series, run {end - start:.0f} s")
    finally:
        for w in workers:
            w.terminate()
        deadline = time.monotonic() + 60
        while any(w.poll() is None for w in workers) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        for w in workers:
            if w.poll() is None:
                w.kill()
        if prom is not None:
            prom.terminate()
            prom.wait(30)
        await runner.cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    loop.run(main())
