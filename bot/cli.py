"""``wecom-bot`` command line: serve | worker | migrate | sandbox."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.logs import configure_logging
from bot.settings import ConfigError, Settings, load_settings


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.config)
    configure_logging(settings.log_format, settings.log_level)
    return settings


def cmd_serve(args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot.service import create_app

    settings = _settings(args)
    app = create_app(settings)
    mode = "embedded (SQLite, no Redis)" if settings.embedded else "production"
    wecom = "the built-in sandbox" if settings.wecom.is_sandbox else settings.wecom.api_base
    print(f"wecom-bot: {mode}, WeCom = {wecom}", flush=True)
    for app_cfg in settings.wecom.apps:
        print(f"  callback URL for {app_cfg.name!r}: http://{settings.listen}/wecom/callback/"
              f"{app_cfg.name}", flush=True)
    web.run_app(app, host=settings.host, port=settings.port, print=None,
                shutdown_timeout=settings.job_timeout_seconds, access_log=None)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from bot.service import running
    from bot.worker import run_worker

    settings = _settings(args)
    if settings.embedded:
        print("wecom-bot worker needs redis_url: in embedded mode `serve` runs the jobs itself",
              file=sys.stderr)
        return 2

    async def main() -> None:
        async with running(settings, role="worker") as services:
            await run_worker(services, burst=args.burst)

    asyncio.run(main())
    return 0


def cmd_sandbox(args: argparse.Namespace) -> int:
    from bot.service import local_url
    from bot.wecom.sandbox import run_sandbox

    settings = _settings(args)
    print(f"WeCom sandbox on http://{args.host}:{args.port}, callbacks to {local_url(settings)}",
          flush=True)
    try:
        asyncio.run(run_sandbox(args.host, args.port, settings.wecom, local_url(settings)))
    except KeyboardInterrupt:
        pass
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from bot.db import migrate

    settings = _settings(args)
    applied = asyncio.run(migrate(settings.database_url))
    print(f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else ""))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wecom-bot", description=__doc__)
    parser.add_argument("--config", help="TOML config file (default: $WECOM_BOT_CONFIG)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the callback server (embedded default without config)")
    worker = sub.add_parser("worker", help="run background jobs from Redis (production)")
    worker.add_argument("--burst", action="store_true", help="exit when the queues are empty")
    sub.add_parser("migrate", help="apply database migrations")
    sandbox = sub.add_parser("sandbox", help="run the simulated WeCom on its own port")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8081)
    return parser


COMMANDS = {"serve": cmd_serve, "worker": cmd_worker, "migrate": cmd_migrate,
            "sandbox": cmd_sandbox}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ConfigError as exc:
        print(f"wecom-bot: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
