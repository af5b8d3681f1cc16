"""Event handlers, ``(event, ctx) -> reply | None``; ``build_dispatcher`` wires them in order."""

from __future__ import annotations

from bot.dispatch import Dispatcher


def build_dispatcher() -> Dispatcher:
    from bot.handlers import contacts, help, kefu, orders, staff

    dispatcher = Dispatcher("wecom-bot")
    dispatcher.include(help.router)
    dispatcher.include(staff.router)
    dispatcher.include(kefu.router)
    dispatcher.include(contacts.router)
    dispatcher.include(orders.router)
    # Other domains' staff commands go above this line: the FAQ answers any other text.
    dispatcher.include(staff.faq_router)
    return dispatcher
