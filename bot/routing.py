"""Routing typed events to handlers.

Handlers are registered per event type (a class or an ``event_type`` string) with optional
filters; the first registration that matches wins. A handler is ``async (event, ctx)`` and
may return a reply, which the caller delivers passively (inside the callback's response)
or actively (from a job), so one handler serves both paths.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

Handler = Callable[[Any, Any], Awaitable[Any]]
Filter = Callable[[Any], bool]


@dataclass(frozen=True, slots=True)
class Route:
    keys: frozenset[str | type]
    handler: Handler
    filters: tuple[Filter, ...]
    passive: bool
    name: str

    def accepts(self, cls: type, event_type: Any) -> bool:
        """Whether events of this class and ``event_type`` are this route's kind."""
        if cls in self.keys or event_type in self.keys:
            return True
        return any(isinstance(k, type) and issubclass(cls, k) for k in self.keys)

    def matches(self, event: Any) -> bool:
        return (self.accepts(type(event), getattr(event, "event_type", None))
                and all(f(event) for f in self.filters))


class Router:
    def __init__(self, name: str = "router") -> None:
        self.name = name
        self._routes: list[Route] = []
        # (event class, event_type) -> the routes of that kind, in order: every callback
        # looks its route up, and most routes are for other kinds.
        self._kinds: dict[tuple[type, Any], tuple[Route, ...]] = {}

    @property
    def routes(self) -> tuple[Route, ...]:
        return tuple(self._routes)

    def on(
        self, *keys: str | type, filters: Iterable[Filter] = (), passive: bool = False
    ) -> Callable[[Handler], Handler]:
        """Register a handler for these event types.

        ``passive=True`` marks a handler that is fast and local (no WeCom API call), so it may
        run inside the callback request to answer with an encrypted passive reply. It returns
        a TextReply or None; once it returns, the event counts as handled.
        """
        if not keys:
            raise ValueError("a route needs at least one event type")

        def register(handler: Handler) -> Handler:
            self._routes.append(
                Route(frozenset(keys), handler, tuple(filters), passive, handler.__qualname__)
            )
            self._kinds.clear()
            return handler

        return register

    def include(self, other: Router, *, first: bool = False) -> None:
        """Add ``other``'s routes after this router's own (before them with ``first``)."""
        if first:
            self._routes[:0] = other._routes
        else:
            self._routes.extend(other._routes)
        self._kinds.clear()

    def route_for(self, event: Any) -> Route | None:
        kind = (type(event), getattr(event, "event_type", None))
        routes = self._kinds.get(kind)
        if routes is None:
            routes = self._kinds[kind] = tuple(r for r in self._routes if r.accepts(*kind))
        return next((r for r in routes if all(f(event) for f in r.filters)), None)


class Dispatcher(Router):
    async def feed(self, event: Any, ctx: Any) -> Any:
        """Run the first matching handler; None when nothing handles the event."""
        route = self.route_for(event)
        if route is None:
            return None
        return await route.handler(event, ctx)


_MENTIONS = re.compile(r"^(?:\s*@\S+)+\s*")


_last_command: list[Any] = [None, None]  # [event, its command text]


def command_text(event: Any) -> str | None:
    """The message text with surrounding space and leading @-mentions (AI bot in groups) removed."""
    # Every text filter of every route asks again for the same event: answer from the last.
    if _last_command[0] is event:
        return _last_command[1]
    content = getattr(event, "content", None)
    text = _MENTIONS.sub("", content).strip() if isinstance(content, str) else None
    _last_command[:] = [event, text]
    return text


def text_is(*words: str) -> Filter:
    """Filter: the command text, case-folded, is one of ``words``."""
    wanted = {w.strip().casefold() for w in words}

    def check(event: Any) -> bool:
        text = command_text(event)
        return text is not None and text.casefold() in wanted

    return check


def text_startswith(*commands: str) -> Filter:
    """Filter: the command text's first word is one of ``commands``."""

    def check(event: Any) -> bool:
        text = command_text(event)
        return bool(text) and text.split(maxsplit=1)[0] in commands  # type: ignore[union-attr]

    return check
