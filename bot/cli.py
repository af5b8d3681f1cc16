"""The ``wecom-bot`` command line: serve, worker, migrate, doctor, demo, sandbox, admin, rules."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from bot.infra import event_loop
from bot.infra.logs import configure_logging
from bot.settings import ConfigError, Settings, load_settings


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings(getattr(args, "config", None))
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
    base = settings.public_url or f"http://{settings.listen}"
    for app_cfg in settings.wecom.apps:
        print(f"  callback URL for {app_cfg.name!r}: {base}/wecom/callback/{app_cfg.name}",
              flush=True)
    event_loop.run(serve(app, settings, sock), settings.event_loop)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from bot.app import running
    from bot.pipeline.worker import run_worker

    settings = _settings(args)
    if settings.embedded:
        print("wecom-bot worker needs redis_url: in embedded mode `serve` runs the jobs itself",
              file=sys.stderr)
        return 2

    listen = args.metrics_listen
    if listen is not None:
        host, _, port = listen.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            print(f"wecom-bot worker: --metrics-listen {listen!r} is not HOST:PORT",
                  file=sys.stderr)
            return 2

    async def main() -> None:
        from bot.web.health import operations_app
        from bot.web.server import listening

        async with running(settings, role="worker") as services:
            if listen is None:
                await run_worker(services, burst=args.burst)
                return
            async with listening(operations_app(services), host.strip("[]"), int(port)):
                await run_worker(services, burst=args.burst)

    event_loop.run(main(), settings.event_loop)
    return 0


def cmd_sandbox(args: argparse.Namespace) -> int:
    from bot.app import local_url
    from sandbox import run_sandbox

    settings = _settings(args)
    urls = args.callback_url or [local_url(settings)]
    bad = [u for u in urls if not u.startswith(("http://", "https://"))]
    if bad:
        print(f"wecom-bot sandbox: --callback-url {bad[0]!r} is not an http(s) URL",
              file=sys.stderr)
        return 2
    print(f"WeCom sandbox on http://{args.host}:{args.port}, callbacks to {', '.join(urls)}",
          flush=True)
    try:
        event_loop.run(run_sandbox(args.host, args.port, settings.wecom, urls[0],
                                   callback_base_urls=urls if len(urls) > 1 else (),
                                   callback_retry_delay=args.callback_retry_delay,
                                   callback_timeout=args.callback_timeout),
                       settings.event_loop)
    except KeyboardInterrupt:
        pass
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo.runner import run_demo

    return event_loop.run(run_demo())


def cmd_migrate(args: argparse.Namespace) -> int:
    from bot.infra.db import migrate

    settings = _settings(args)
    applied = event_loop.run(migrate(settings.database_url), settings.event_loop)
    print(f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else ""))
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    import json

    from bot.app import main_app_of, standalone_sandbox
    from bot.doctor import Report, diagnose, render_text
    from bot.infra.db import close_db, init_db, ping_db
    from bot.infra.store import make_store
    from bot.pipeline.outage_queries import Summary, summary
    from bot.web.server import listening
    from bot.wecom.client import WeComClient

    settings = _settings(args)
    main_app = main_app_of(settings).name

    reached: list[bool] = []

    async def database() -> None:
        await init_db(settings.database_url)
        await ping_db()
        reached.append(True)

    async def redis() -> None:
        store = make_store(settings.redis_url)
        try:
            await store.ping()
        finally:
            await store.close()

    async def outages() -> Summary:
        if not reached:  # the database check before it failed: that says why
            raise ConnectionError("database unreachable")
        return await summary()

    async def check(base_url: str | None) -> Report:
        # A memory store: the doctor must fetch its own tokens, not reuse the service's.
        client = WeComClient(settings.wecom, make_store(""), base_url=base_url)
        try:
            return await diagnose(settings, client, main_app=main_app, database=database,
                                  redis=redis, outages=outages)
        finally:
            await client.close()
            await close_db()

    async def main() -> Report:
        if settings.wecom.is_sandbox:
            async with listening(standalone_sandbox(settings)) as base_url:
                return await check(base_url)
        return await check(None)

    report = event_loop.run(main(), settings.event_loop)
    if args.json:
        print(json.dumps({"ok": report.ok, "checks": [c.as_dict() for c in report.checks]},
                         ensure_ascii=False, indent=2))
    else:
        print(render_text(report))
    return 0 if report.ok else 1


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

    return event_loop.run(main(), settings.event_loop)


def cmd_rules(args: argparse.Namespace) -> int:
    """``rules import FILE [--replace|--merge] [--dry-run]`` and ``rules export``."""
    from bot.infra.db import close_db, init_db, migrate

    settings = _settings(args)
    text = ""
    if args.rules_command == "import":
        # Read before anything else is touched, so a bad file changes nothing.
        try:
            with open(args.file, "rb") as fh:
                raw = fh.read()
        except OSError as exc:
            print(f"wecom-bot: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return 1
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            print(f"wecom-bot: {args.file}: nothing imported, not UTF-8 text (byte "
                  f"0x{raw[exc.start]:02x} at offset {exc.start}); save it as UTF-8 and try "
                  "again", file=sys.stderr)
            return 1

    async def main() -> int:
        from bot.conversations import rules_store
        from bot.customers import rule_refs
        from keywords import RuleError, load_rules

        if settings.embedded:
            await migrate(settings.database_url)
        await init_db(settings.database_url)
        try:
            if args.rules_command == "export":
                sys.stdout.write(await rules_store.export_rules(args.format))
                return 0
            try:
                found = await rule_refs.problems(load_rules(text))
                if found:  # tags and media the rules name must exist
                    raise RuleError(found)
                result = await rules_store.import_rules(
                    text, mode="replace" if args.replace else "merge", actor="cli",
                    dry_run=args.dry_run)
            except RuleError as exc:
                reason = " ".join(str(exc).split())  # one line, even for YAML's own messages
                print(f"wecom-bot: {args.file}: nothing imported, {reason}", file=sys.stderr)
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

    return event_loop.run(main(), settings.event_loop)


DESCRIPTION = """\
wecom-bot: customer operations on WeCom (企业微信).

Every subcommand reads the TOML config given by --config (before or after the subcommand)
or $WECOM_BOT_CONFIG; without one it runs embedded (SQLite, no Redis, the built-in sandbox).
"""


def _common() -> argparse.ArgumentParser:
    # Added to every (sub)parser; SUPPRESS keeps a later level from resetting an earlier one.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", default=argparse.SUPPRESS, metavar="PATH",
                        help="TOML config file (default: $WECOM_BOT_CONFIG)")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="wecom-bot", description=DESCRIPTION, parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(parent: Any, name: str, help: str, description: str = "") -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(
            name, help=help, description=description or help[:1].upper() + help[1:] + ".",
            parents=[common])
        return p

    add(sub, "serve", "run the callback server and the console (embedded without a config)",
        "Run the callback server, the admin console and the admin API. Embedded mode (no "
        "redis_url) also runs the jobs in process.")
    worker = add(sub, "worker", "run background jobs from Redis (production)",
                 "Run background jobs from the Redis queue. Production only: in embedded mode "
                 "`serve` runs the jobs itself.")
    worker.add_argument("--burst", action="store_true", help="exit when the queues are empty")
    worker.add_argument("--metrics-listen", metavar="HOST:PORT", default=None,
                        help="serve /metrics, /healthz and /readyz there (Prometheus)")
    add(sub, "migrate", "apply database migrations",
        "Apply the pending database migrations (once per deploy, before the processes start).")
    doctor = add(sub, "doctor", "check the configuration against the real corp before go-live",
                 "Check each app's secret, the trusted IP, the visible range, the 客户联系 and "
                 "微信客服 permissions, kf accounts, the callback URL, the clock, the database "
                 "and Redis; print a checklist with a fix for each failure. Exits 1 if any "
                 "check fails.")
    doctor.add_argument("--json", action="store_true", help="print the results as JSON")
    admin = add(sub, "admin", "admin API tokens and ERP API keys",
                "Create, list and revoke admin API tokens and ERP API keys.")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True, metavar="ACTION")
    create = add(admin_sub, "create-token", "create an admin API token (printed once)")
    create.add_argument("--role", choices=["admin", "specialist", "viewer"], required=True,
                        help="what the token may do")
    create.add_argument("--name", required=True, help="who or what the token is for")
    add(admin_sub, "list-tokens", "list tokens (never their values)")
    revoke = add(admin_sub, "revoke-token", "revoke a token by name")
    revoke.add_argument("name")
    key = add(admin_sub, "create-api-key", "create an ERP API key (secret shown once)",
              "Create an ERP API key; its secret is derived from erp_signing_secret and "
              "shown once.")
    key.add_argument("--name", required=True, help="the integration's name, e.g. erp")
    revoke_key = add(admin_sub, "revoke-api-key", "revoke an ERP API key by name")
    revoke_key.add_argument("name")
    add(sub, "demo", "play a scripted day in the sandbox and print a transcript",
        "Play a scripted day in the sandbox (kefu, welcomes, escalation, an order's "
        "milestones) and print a transcript; exits 0 only if every step happened.")
    rules = add(sub, "rules", "keyword rules: import and export",
                "Import keyword rules from a YAML/JSON file, or export the rule set.")
    rules_sub = rules.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    imp = add(rules_sub, "import", "validate a UTF-8 YAML/JSON rule file, then load it",
              "Validate a UTF-8 YAML/JSON rule file, then load it in one transaction: "
              "nothing changes if any rule is invalid.")
    imp.add_argument("file")
    how = imp.add_mutually_exclusive_group()
    how.add_argument("--replace", action="store_true", help="rules not in the file are deleted")
    how.add_argument("--merge", action="store_true", help="add and update only (default)")
    imp.add_argument("--dry-run", action="store_true", help="print the diff, change nothing")
    exp = add(rules_sub, "export", "write the rule set to stdout")
    exp.add_argument("--format", choices=["yaml", "json"], default="yaml")
    sandbox = add(sub, "sandbox", "run the simulated WeCom on its own port",
                  "Run the simulated WeCom on its own port; point api_base at it to try the "
                  "service (or `doctor`) against it.")
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8081)
    sandbox.add_argument("--callback-url", action="append", metavar="URL",
                         help="the service's base URL for callbacks (default: http://{listen} "
                         "from the config); repeat it for several serve processes and each "
                         "callback POST goes to the next in turn, as the load balancer in "
                         "front of them would (WeCom itself knows one URL per app)")
    sandbox.add_argument("--callback-timeout", type=float, default=5.0, metavar="SECONDS",
                         help="how long a callback may take before it is retried (WeCom: 5)")
    sandbox.add_argument("--callback-retry-delay", type=float, default=1.0, metavar="SECONDS",
                         help="the pause before each of a callback's 3 retries")
    return parser


COMMANDS = {"serve": cmd_serve, "worker": cmd_worker, "migrate": cmd_migrate, "doctor": cmd_doctor,
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
