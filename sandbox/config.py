"""What the sandbox needs to know about the corp it simulates.

Protocols rather than bot's settings classes, so the sandbox does not import ``bot.settings``:
the service's WeComConfig / AppConfig satisfy them as they are, and tests or other hosts can
pass any object with the same attributes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Secret(Protocol):
    def get_secret_value(self) -> str: ...


class AppSpec(Protocol):
    """One app of the corp: a self-built app (``kind = "app"``) or an AI bot (``"aibot"``)."""

    @property
    def name(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def agent_id(self) -> int | None: ...

    @property
    def secret(self) -> Secret: ...

    @property
    def token(self) -> Secret: ...

    @property
    def encoding_aes_key(self) -> Secret: ...


class CorpSpec(Protocol):
    @property
    def corp_id(self) -> str: ...

    @property
    def apps(self) -> Sequence[AppSpec]: ...
