"""``wecom-bot`` command line: serve | worker | migrate | demo | sandbox | admin | rules."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.infra.logs import configure_logging
from bot.settings import ConfigError, Settings, load_settings


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(args.config)
    configure_logging(settings.log_format, settings.log_level, cache=True)
    return settings


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.app import local_url
    from bot.web.server import bind_listener, create_app, serve

    settings = _settings(args)
    try:
        sock = bind_listener(settings)
    except OSError as exc:
        print(f"wecom-bot: cannot listen on {settings.listen}: {exc.strerror or exc} (change "
              "`listen` in the config file or set WECOM_BOT_LISTEN)", file=sys.stderr)
        return 1
    console = f"{local_url(settings)}/admin/"

    async def first_start() -> None:
        # The embedded default must be usable at once: the first start gets an admin token.
        from bot.api_access import any_token, create_token

        if settings.embedded and not await any_token():
            token = await create_token("admin", "admin")
            print(f"  admin token (shown once): {token}", flush=True)
        print(f"  console: {console}", flush=True)

    app = create_app(settings, on_start=first_start)
    mode = "embedded (SQLite, no Redis)" if settings.embedded else "production"
    wecom = "the built-in sandbox" if settings.wecom.is_sandbox else settings.wecom.api_base
    print(f"wecom-bot: {mode}, WeCom = {wecom}", flush=True)
    for app_cfg in settings.wecom.apps:
        print(f"  callback URL for {app_cfg.name!r}: http://{settings.listen}/wecom/callback/"
              f"{app_cfg.name}", flush=True)
    asyncio.run(serve(app, settings, sock))
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from bot.app import running
    from bot.pipeline.worker import run_worker

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
    from bot.app import local_url
    from sandbox import run_sandbox

    settings = _settings(args)
    print(f"WeCom sandbox on http://{args.host}:{args.port}, callbacks to {local_url(settings)}",
          flush=True)
    try:
        asyncio.run(run_sandbox(args.host, args.port, settings.wecom, local_url(settings)))
    except KeyboardInterrupt:
        pass
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo.runner import run_demo

    return asyncio.run(run_demo())


def cmd_migrate(args: argparse.Namespace) -> int:
    from bot.infra.db import migrate

    settings = _settings(args)
    applied = asyncio.run(migrate(settings.database_url))
    print(f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else ""))
    return 0


def cmd_admin(args: argparse.Namespace) -> int:
    from bot.api_access import TokenNameTaken, create_token, list_tokens, revoke_token
    from bot.infra.db import close_db, init_db, migrate

    settings = _settings(args)

    async def api_key(args: argparse.Namespace) -> int:
        from bot.orders import erp

        if args.admin_command == "revoke-api-key":
            if not await erp.revoke_key(args.name):
                print(f"wecom-bot: no live API key named {args.name!r}", file=sys.stderr)
                return 1
            print(f"revoked {args.name}")
            return 0
        try:
            key_id, secret = await erp.create_key(settings, args.name)
        except erp.SignatureError as exc:
            print(f"wecom-bot: {exc}", file=sys.stderr)
            return 2
        except erp.KeyNameTaken:
            print(f"wecom-bot: an API key named {args.name!r} exists", file=sys.stderr)
            return 1
        print(f"key id:  {key_id}\nsecret:  {secret}")
        print("(sign ERP requests with the secret; shown once, store it now)", file=sys.stderr)
        return 0

    async def main() -> int:
        if settings.embedded:
            await migrate(settings.database_url)
        await init_db(settings.database_url)
        try:
            if args.admin_command == "create-token":
                try:
                    token = await create_token(args.name, args.role)
                except TokenNameTaken:
                    print(f"wecom-bot: a token named {args.name!r} exists", file=sys.stderr)
                    return 1
                print(token)
                print(f"(role {args.role}; shown once, store it now)", file=sys.stderr)
            elif args.admin_command == "list-tokens":
                for row in await list_tokens():
                    state = "revoked" if row.revoked else "live"
                    print(f"{row.name}\t{row.role}\t{state}\tcreated {row.created_at:%F}")
            elif args.admin_command in ("create-api-key", "revoke-api-key"):
                return await api_key(args)
            elif args.admin_command == "revoke-token":
                if not await revoke_token(args.name):
                    print(f"wecom-bot: no live token named {args.name!r}", file=sys.stderr)
                    return 1
                print(f"revoked {args.name}")
            return 0
        finally:
            await close_db()

    return asyncio.run(main())


def cmd_rules(args: argparse.Namespace) -> int:
    """``rules import FILE [--replace|--merge] [--dry-run]`` and ``rules export``."""
    from bot.infra.db import close_db, init_db, migrate

    settings = _settings(args)

    async def main() -> int:
        from bot.conversations import rules_store
        from keywords import RuleError

        if settings.embedded:
            await migrate(settings.database_url)
        await init_db(settings.database_url)
        try:
            if args.rules_command == "export":
                sys.stdout.write(await rules_store.export_rules(args.format))
                return 0
            try:
                text = open(args.file, encoding="utf-8").read()  # noqa: ASYNC230
            except OSError as exc:
                print(f"wecom-bot: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
                return 1
            try:
                result = await rules_store.import_rules(
                    text, mode="replace" if args.replace else "merge", actor="cli",
                    dry_run=args.dry_run)
            except RuleError as exc:
                print(f"wecom-bot: {args.file}: nothing imported, {exc}", file=sys.stderr)
                return 1
            if result.diff:
                print(result.diff)
            verb = "would change" if args.dry_run else "changed"
            print(f"{verb}: {len(result.created)} created, {len(result.updated)} updated, "
                  f"{len(result.deleted)} deleted, {len(result.unchanged)} unchanged",
                  file=sys.stderr)
            if result.applied and not settings.embedded:
                # Running processes also poll the revision; this makes it instant.
                from bot.conversations.rulebook import CHANNEL
                from bot.infra.store import make_store

                store = make_store(settings.redis_url)
                await store.publish(CHANNEL, "cli")
                await store.close()
            return 0
        finally:
            await close_db()

    return asyncio.run(main())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wecom-bot", description=__doc__)
    parser.add_argument("--config", help="TOML config file (default: $WECOM_BOT_CONFIG)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the callback server (embedded default without config)")
    worker = sub.add_parser("worker", help="run background jobs from Redis (production)")
    worker.add_argument("--burst", action="store_true", help="exit when the queues are empty")
    sub.add_parser("migrate", help="apply database migrations")
    admin = sub.add_parser("admin", help="admin API tokens")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    create = admin_sub.add_parser("create-token", help="create a token (printed once)")
    create.add_argument("--role", choices=["admin", "specialist", "viewer"], required=True)
    create.add_argument("--name", required=True)
    admin_sub.add_parser("list-tokens", help="list tokens (never their values)")
    revoke = admin_sub.add_parser("revoke-token", help="revoke a token by name")
    revoke.add_argument("name")
    sub.add_parser("demo", help="a scripted day in the sandbox, with a transcript")
    key = admin_sub.add_parser("create-api-key", help="create an ERP API key (secret shown once)")
    key.add_argument("--name", required=True)
    revoke_key = admin_sub.add_parser("revoke-api-key", help="revoke an ERP API key by name")
    revoke_key.add_argument("name")
    rules = sub.add_parser("rules", help="keyword rules: import and export")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True)
    imp = rules_sub.add_parser("import", help="validate a YAML/JSON rule file, then load it")
    imp.add_argument("file")
    how = imp.add_mutually_exclusive_group()
    how.add_argument("--replace", action="store_true", help="rules not in the file are deleted")
    how.add_argument("--merge", action="store_true", help="add and update only (default)")
    imp.add_argument("--dry-run", action="store_true", help="print the diff, change nothing")
    exp = rules_sub.add_parser("export", help="write the rule set to stdout")
    exp.add_argument("--format", choices=["yaml", "json"], default="yaml")
    sandbox = sub.add_parser("sandbox", help="run the simulated WeCom on its own port")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8081)
    return parser


COMMANDS = {"serve": cmd_serve, "worker": cmd_worker, "migrate": cmd_migrate,
            "sandbox": cmd_sandbox, "admin": cmd_admin, "demo": cmd_demo, "rules": cmd_rules}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ConfigError as exc:
        print(f"wecom-bot: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
