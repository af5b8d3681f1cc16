"""Event handlers, ``(event, ctx) -> reply | None``; ``build_dispatcher`` wires them in order."""

from __future__ import annotations

from bot.dispatch import Dispatcher


def build_dispatcher() -> Dispatcher:
    from bot.handlers import help

    dispatcher = Dispatcher("wecom-bot")
    dispatcher.include(help.router)
    return dispatcher
