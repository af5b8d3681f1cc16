"""Routing typed events to handlers.

Handlers are registered per event type (a class or an ``event_type`` string) with optional
filters; the first registration that matches wins. A handler is ``async (event, ctx)`` and
may return a reply.

``Router.on`` registers a job's handler: it runs after the 200, gets a ``HandlerContext``
(every port) and its reply is delivered actively. ``Router.passive`` registers a handler
that may run inside the callback request: its type only admits a ``PassiveContext``, whose
ports have no WeCom API, so mypy refuses a passive handler that would call WeCom. Should it
fail there, the job runs it again, still with local ports only, and delivers its reply
actively: one handler serves both paths.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from bot.ports import HandlerContext, PassiveContext
from bot.protocol.replies import Reply, TextReply

# Events are typed per handler (a handler for TextMessage takes a TextMessage), so the
# event parameter is Any here; the context parameter is what the type checker holds.
Handler = Callable[[Any, HandlerContext], Awaitable[Reply | None]]
PassiveHandler = Callable[[Any, PassiveContext], Awaitable[TextReply | None]]
Filter = Callable[[Any], bool]
H = TypeVar("H", bound=Handler)
P = TypeVar("P", bound=PassiveHandler)


@dataclass(frozen=True, slots=True)
class Route:
    keys: frozenset[str | type]
    filters: tuple[Filter, ...]
    name: str
    handler: Handler | None = None  # a job's handler
    local_handler: PassiveHandler | None = None  # a passive handler

    @property
    def passive(self) -> bool:
        return self.local_handler is not None

    async def run(self, event: Any, ctx: HandlerContext) -> Reply | None:
        """Run the handler from a job: a passive one still sees local ports only."""
        if self.local_handler is not None:
            local = PassiveContext(app=ctx.app, corp_id=ctx.corp_id, ports=ctx.ports.local(),
                                   in_request=False)
            return await self.local_handler(event, local)
        assert self.handler is not None
        return await self.handler(event, ctx)

    def accepts(self, cls: type, event_type: Any) -> bool:
        """Whether events of this class and ``event_type`` are this route's kind."""
        if cls in self.keys or event_type in self.keys:
            return True
        return any(isinstance(k, type) and issubclass(cls, k) for k in self.keys)

    def matches(self, event: Any) -> bool:
        return (self.accepts(type(event), getattr(event, "event_type", None))
                and all(f(event) for f in self.filters))


def _name(handler: object) -> str:
    return str(getattr(handler, "__qualname__", repr(handler)))


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

    def on(self, *keys: str | type, filters: Iterable[Filter] = ()) -> Callable[[H], H]:
        """Register a job's handler for these event types (it may use every port)."""
        def register(handler: H) -> H:
            self._add(Route(frozenset(keys), tuple(filters), _name(handler), handler=handler))
            return handler

        return register

    def passive(self, *keys: str | type, filters: Iterable[Filter] = ()) -> Callable[[P], P]:
        """Register a handler that is fast and local, so it may run inside the callback
        request and answer with an encrypted passive reply. It returns a TextReply or None;
        once it returns, the event counts as handled."""
        def register(handler: P) -> P:
            self._add(Route(frozenset(keys), tuple(filters), _name(handler),
                            local_handler=handler))
            return handler

        return register

    def _add(self, route: Route) -> None:
        if not route.keys:
            raise ValueError("a route needs at least one event type")
        self._routes.append(route)
        self._kinds.clear()

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
        for route in routes:  # plain loops: every callback passes here
            for accepts in route.filters:
                if not accepts(event):
                    break
            else:
                return route
        return None


class AnswerActively(Exception):
    """Raised by a passive handler, before any side effect, when its answer cannot go back
    inside the callback response (a text past WeCom's passive limit): the job runs it again
    and sends the answer actively."""


class Dispatcher(Router):
    async def feed(self, event: Any, ctx: HandlerContext) -> Reply | None:
        """Run the first matching handler (from a job); None when nothing handles it."""
        route = self.route_for(event)
        if route is None:
            return None
        return await route.run(event, ctx)


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
