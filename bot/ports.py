"""The ports: what domain code needs from the world, as ``typing.Protocol``s.

Domain packages (``conversations``, ``orders``) and their handlers are written against these
and nothing else of the outside: the composition root (``bot.app``) builds one adapter per
port from the settings, in embedded or production flavour, and hands them over as ``Ports``.

Handlers get a context holding ports. A passive handler (answered inside the callback
request) gets ``LocalPorts``, which has no WeCom API, outbox sender or directory: the type
checker refuses a passive handler that would call WeCom. What needs WeCom runs as a job.
"""

from __future__ import annotations

from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    Iterable,
    Mapping,
    Sequence,
)
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from bot.protocol import api_results as R
from bot.settings import AppConfig, Settings

if TYPE_CHECKING:
    from tortoise import BaseDBAsyncClient

    from bot.models import OutboxMessage, OutboxStatus
    from keywords import Matcher


class Clock(Protocol):
    """The service's time. Tests drive it to exercise SLA timers and 20 s windows."""

    def now(self) -> datetime:
        """Now, timezone-aware (UTC)."""
        ...

    def time(self) -> float:
        """Now as epoch seconds."""
        ...


# Seconds a crashed holder (a killed worker) keeps a lock from the others. Locks are renewed
# while held, so this bounds no work; it is how long a crash stalls what waits for the lock.
LOCK_TTL = 10.0


class SetWatch(Protocol):
    async def next(self, within: float) -> bool:
        """Whether a set came since the watch began (or since the last True), waiting up
        to ``within`` seconds for one. Best effort: one may go unheard (Redis lost the
        subscription), so a waiter reads the key itself after."""
        ...


class Store(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str, ttl: float | None = None) -> None: ...

    async def set_if_absent(self, key: str, value: str, ttl: float | None = None) -> bool:
        """Set only when the key does not exist; True when this call set it."""
        ...

    async def delete(self, key: str) -> None: ...

    async def take(self, key: str) -> str | None:
        """The key's value, deleted by the same round trip (None when unset)."""
        ...

    async def incr(self, key: str, amount: int = 1, ttl: float | None = None) -> int:
        """Add to a counter; ``ttl`` applies when the counter is created."""
        ...

    async def ttl(self, key: str) -> float | None:
        """Seconds left before the key expires; None for a missing or persistent key."""
        ...

    def lock(
        self, name: str, *, ttl: float = LOCK_TTL, wait: float | None = None
    ) -> AbstractAsyncContextManager[None]:
        """A mutual-exclusion lock shared by every process using this store.

        ``ttl`` bounds how long a crashed holder can keep it (a live holder keeps it as long
        as it needs: the lock is renewed while held); ``wait`` bounds how long to wait for it
        (None: forever), raising LockTimeout.
        """
        ...

    async def held(self, name: str) -> bool:
        """Whether someone holds the lock ``name`` now (a crashed holder's until its ttl)."""
        ...

    async def set_and_held(self, key: str, value: str, ttl: float | None, lock: str) -> bool:
        """``set(key, value, ttl)``, then ``held(lock)``, in one round trip; the set is
        announced to ``sets_of(key)`` in every process (the lock's holder may be waiting)."""
        ...

    def sets_of(self, key: str) -> SetWatch:
        """From now on, the ``set_and_held`` calls on ``key``, any process's."""
        ...

    async def publish(self, channel: str, message: str) -> None: ...

    def subscribe(self, channel: str) -> AsyncIterator[str]:
        """Messages published on the channel from now on."""
        ...

    async def ping(self) -> bool: ...

    async def close(self) -> None: ...


class Commits(Protocol):
    """Small write transactions, committed together with concurrent callers' where that is
    cheaper (``bot.infra.group_commit``): the domain's decisions go through it, so a test can
    make one fail as a failed commit would."""

    async def run(self, write: Callable[[BaseDBAsyncClient], Awaitable[Any]], *,
                  order: str = "", single_statement: bool = False) -> Any:
        """Run ``write(conn)`` in a transaction and return its result once it is durable.

        ``write`` may run more than once (it builds its rows afresh each time); ``order``:
        the shared row it touches, so concurrent writers lock rows in one order;
        ``single_statement``: the write is one statement, atomic by itself.
        """
        ...


class JobQueue(Protocol):
    async def enqueue(
        self, name: str, *args: Any, priority: bool = False, job_id: str | None = None,
        defer: float = 0.0,
    ) -> bool:
        """Queue a job; False when a job with the same id is already queued or running."""
        ...

    async def close(self) -> None: ...


class WeComApi(Protocol):
    """The main app's WeCom API as the domain and the pullers use it; the adapter is
    ``bot.wecom.client.AppClient``. Signatures mirror it (mypy checks the match at the root)."""

    async def auth_getuserinfo(self, code: str) -> R.AuthUserResult: ...

    async def kf_sync_msg(
        self, *, open_kfid: str, cursor: str | None = None, token: str | None = None,
        limit: int = 1000, voice_format: int | None = None,
    ) -> R.KfSyncMsgResult: ...

    async def kf_servicer_list(self, open_kfid: str) -> R.KfServicerListResult: ...

    async def kf_service_state_get(self, open_kfid: str, external_userid: str
                                   ) -> R.KfServiceStateResult: ...

    async def kf_service_state_trans(
        self, open_kfid: str, external_userid: str, service_state: int,
        servicer_userid: str | None = None,
    ) -> R.KfTransResult: ...

    async def kf_customer_batchget(
        self, external_userids: Sequence[str], *, need_enter_session_context: int = 0
    ) -> R.KfCustomerBatchResult: ...

    async def externalcontact_get(self, external_userid: str, cursor: str | None = None
                                  ) -> R.ExternalContactResult: ...

    async def groupchat_get(self, chat_id: str, *, need_name: bool = True
                            ) -> R.GroupChatResult: ...

    async def add_join_way(
        self, *, scene: int, chat_id_list: Sequence[str], remark: str | None = None,
        auto_create_room: int | None = None, room_base_name: str | None = None,
        room_base_id: int | None = None, state: str | None = None,
    ) -> R.JoinWayAddResult: ...

    async def get_join_way(self, config_id: str) -> R.JoinWayResult: ...

    async def get_groupmsg_task(self, msgid: str, *, limit: int = 500,
                                cursor: str | None = None) -> R.GroupMsgTaskResult: ...

    async def get_groupmsg_send_result(
        self, msgid: str, userid: str, *, limit: int = 500, cursor: str | None = None
    ) -> R.GroupMsgSendResult: ...

    async def group_welcome_template_add(
        self, *, text: str | None = None, notify: int = 1, **attachment: Mapping[str, Any]
    ) -> R.TemplateAddResult: ...

    async def group_welcome_template_edit(
        self, template_id: str, *, text: str | None = None, **attachment: Mapping[str, Any]
    ) -> R.Result: ...

    async def group_welcome_template_get(self, template_id: str) -> R.TemplateResult: ...

    async def group_welcome_template_del(self, template_id: str) -> R.Result: ...

    # 「联系我」, corp tags, customer lists and remarks (bot.wecom.api_customer)

    async def add_contact_way(
        self, *, type: int, scene: int, user: Sequence[str] = (), party: Sequence[int] = (),
        style: int | None = None, remark: str | None = None, skip_verify: bool | None = None,
        state: str | None = None,
    ) -> R.ContactWayAddResult: ...

    async def get_contact_way(self, config_id: str) -> R.ContactWayResult: ...

    async def update_contact_way(
        self, config_id: str, *, remark: str | None = None, skip_verify: bool | None = None,
        style: int | None = None, state: str | None = None, user: Sequence[str] | None = None,
        party: Sequence[int] | None = None,
    ) -> R.Result: ...

    async def del_contact_way(self, config_id: str) -> R.Result: ...

    async def get_corp_tag_list(self, *, tag_id: Sequence[str] = (),
                                group_id: Sequence[str] = ()) -> R.CorpTagListResult: ...

    async def add_corp_tag(self, *, tags: Sequence[Mapping[str, Any]],
                           group_id: str | None = None, group_name: str | None = None,
                           order: int | None = None) -> R.CorpTagAddResult: ...

    async def edit_corp_tag(self, id: str, *, name: str | None = None,
                            order: int | None = None) -> R.Result: ...

    async def del_corp_tag(self, *, tag_id: Sequence[str] = (),
                           group_id: Sequence[str] = ()) -> R.Result: ...

    async def mark_tag(self, userid: str, external_userid: str, *,
                       add_tag: Sequence[str] = (), remove_tag: Sequence[str] = ()
                       ) -> R.Result: ...

    async def get_follow_user_list(self) -> R.FollowUserListResult: ...

    async def batch_get_by_user(self, userid_list: Sequence[str], *,
                                cursor: str | None = None, limit: int = 100
                                ) -> R.BatchByUserResult: ...

    async def remark(self, userid: str, external_userid: str, *, remark: str | None = None,
                     description: str | None = None) -> R.Result: ...

    async def media_upload(self, media_type: str, content: bytes, filename: str, *,
                           content_type: str = "application/octet-stream",
                           cached: bool = True) -> R.MediaUploadResult: ...

    async def media_uploadimg(self, content: bytes, filename: str, *,
                              content_type: str = "image/png") -> R.MediaUploadImgResult: ...

    async def download(self, url: str, *, max_bytes: int) -> tuple[bytes, str]:
        """A file WeCom hosts (a 「联系我」 QR picture) by its URL: bytes and content type."""
        ...


class Outbox(Protocol):
    """Every message to WeCom, written as a row in the domain's own transaction, then sent
    with retries and tracked (``bot.delivery``). Rows go out through the main app."""

    def row(self, *, key: str, api: str, args: dict[str, Any], recipient: str,
            ref: str | None = None, deadline: datetime | None = None,
            priority: bool = False) -> OutboxMessage:
        """A row as it will be stored, not yet saved (the caller saves it with its change)."""
        ...

    async def add(self, *, key: str, api: str, args: dict[str, Any], recipient: str,
                  ref: str | None = None, deadline: datetime | None = None,
                  priority: bool = False, using_db: BaseDBAsyncClient | None = None
                  ) -> OutboxMessage:
        """Store a row (idempotent on ``key``); inside ``using_db``'s transaction if given."""
        ...

    async def flush(self, rows: Iterable[OutboxMessage]) -> None:
        """Queue the send of rows committed by the caller."""
        ...

    async def send_now(self, rows: Sequence[OutboxMessage], *, fresh: bool = False
                       ) -> list[OutboxMessage]:
        """One attempt at each row, in order, stopping at one that could not go out yet."""
        ...

    def errcode(self, row: OutboxMessage) -> int | None:
        """WeCom's errcode in a row's last error, if it was an API error."""
        ...

    async def mark(self, row_id: int, status: OutboxStatus, *, error: str | None = None
                   ) -> bool:
        """Record an outcome learned elsewhere (a callback, a group task's result); only
        forward (False when the row's state is final already)."""
        ...


class Metrics(Protocol):
    """What the domain counts for the operator's dashboards (``bot.infra.metrics``). Labels
    are bounded: a rule id (capped), a channel, a fixed reason; never a user or a text."""

    def rule_hit(self, rule_id: str, channel: str) -> None: ...

    def kf_budget_skip(self, reason: str, count: int = 1) -> None:
        """kf messages not sent because WeCom's 5-in-48-h budget is spent: ``reason`` is
        ``reply`` (an answer cut to the budget), ``over_limit`` (WeCom's 95001) or
        ``notice`` (an order notice skipped)."""
        ...

    def escalation_step(self, step: str, count: int = 1) -> None:
        """An escalation's SLA step: ``renotified`` or ``raised``."""
        ...


class KnownNames(Protocol):
    async def known_name(self, userid: str | None) -> str:
        """A member's name as last read from the directory, or the userid: never asks WeCom,
        so a passive handler may use it."""
        ...


class Directory(KnownNames, Protocol):
    async def staff_name(self, userid: str | None) -> str:
        """A member's name from the WeCom directory, or the userid when it cannot tell."""
        ...

    async def members(self) -> list[tuple[str, str]]:
        """(userid, name) of the members the app sees (its visible range), by name."""
        ...

    async def leader_of(self, userid: str) -> str | None:
        """The member's 直属上级 as the WeCom directory gives it, None when it names none
        (none set, outside the app's range, or WeCom cannot answer now)."""
        ...


class MessageMedia(Protocol):
    """Media as messages carry them (``bot.customers.media_library``)."""

    async def media_id_for_url(self, url: str) -> str:
        """An image URL as a temporary media_id (downloaded and uploaded once, cached)."""
        ...

    async def resolve(self, api: str, args: Mapping[str, Any]) -> dict[str, Any]:
        """A send's arguments with the media library's references (``{"media": id}``,
        ``"pic_media": id``) turned into what ``api`` takes: a media_id that has hours left
        of its 3 days (uploaded again otherwise), or a permanent picture URL. The same
        arguments when they hold none."""
        ...

    async def forget(self, api: str, args: Mapping[str, Any]) -> bool:
        """WeCom refused a media_id these arguments got (40007): drop the ones they
        reference, so the next ``resolve`` uploads afresh. False when they reference none."""
        ...


class MediaStore(Protocol):
    """Where the media library's files live: a local directory embedded, a directory every
    process shares in production (``bot.infra.media_files``)."""

    async def save(self, key: str, data: bytes) -> None: ...

    async def load(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...


class CustomerBook(Protocol):
    """What the other domains ask of the customers domain (``bot.customers.book``)."""

    async def contact_added(self, ports: Ports, event: Any) -> None:
        """add_external_contact / add_half_external_contact: the customer and the follow
        recorded, the channel code's tags and remark applied."""
        ...

    async def contact_removed(self, ports: Ports, event: Any) -> None:
        """del_external_contact / del_follow_user."""
        ...

    async def apply_tags(self, ports: Ports, external_userid: str, tags: Sequence[str], *,
                         cause: str) -> list[str]:
        """Give the customer these corp tags (by name, or "组/名"); returns the names not
        known (left out)."""
        ...

    async def tag_names(self, external_userid: str) -> frozenset[str]:
        """The customer's tags by name and as "组/名" (never asks WeCom)."""
        ...


class ArchiveSource(Protocol):
    """会话内容存档: records from ``seq`` on, and the next seq (the native SDK, or a test's)."""

    async def fetch(self, seq: int, limit: int) -> tuple[list[dict[str, Any]], int]: ...


@dataclass(frozen=True, slots=True)
class OrderInfo:
    order_no: str
    specialist: str | None = None  # userid of the order's service specialist
    stage: str | None = None  # current milestone, e.g. "量尺"
    group_chat_id: str | None = None  # the order's customer group, once bound


@dataclass(frozen=True, slots=True)
class OrderChoice:
    """One of a customer's orders, to pick from (a kf menu)."""

    order_id: int
    order_no: str
    stage: str | None  # its current stage; None: not started


class OrdersLookup(Protocol):
    """What conversations ask the orders domain: does this customer have an order, what is
    the state of order N, how far along are the customer's orders; and the customer's
    answer to an appointment menu, which the orders domain records."""

    async def for_customer(self, external_userid: str) -> OrderInfo | None: ...

    async def by_number(self, order_no: str) -> OrderInfo | None: ...

    async def staff_progress(self, order_no: str, *, with_link: bool) -> str | None:
        """What ``进度 <订单号>`` answers a member: stage, next stage and its expected date,
        overdue; with the customer's progress page link if ``with_link``. None: no order."""
        ...

    async def orders_of_customer(self, external_userid: str) -> list[OrderChoice]:
        """The orders the customer may ask about: the open ones, newest first; the newest
        finished one when none is open; none when they have no order."""
        ...

    async def progress_reply(self, external_userid: str, order_id: int) -> str | None:
        """The answer to the customer about that order: its stage, the next stage and its
        expected date, the link to its progress page. None when it is not theirs."""
        ...

    async def appointment_answer(self, ports: Ports, external_userid: str,
                                 menu_id: str | None) -> str | None:
        """The customer picked from an appointment menu (a time, or "another time"): the
        choice recorded on the order and told to its team; the reply to the customer.
        None when the click is not an appointment menu of theirs."""
        ...


class Background(Protocol):
    def spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Run work after the response (a passive reply's statistics), tracked to the stop."""
        ...


class Rulebook(Protocol):
    """The compiled keyword rules of this process, swapped in on every change."""

    @property
    def matcher(self) -> Matcher: ...

    @property
    def revision(self) -> int: ...

    async def load(self) -> None: ...


@dataclass
class LocalPorts:
    """What may be used inside the callback request: no WeCom API, no sending."""

    settings: Settings
    main_app: AppConfig  # the self-built app that serves kefu, contacts and app messages
    clock: Clock
    store: Store
    jobs: JobQueue
    background: Background
    orders: OrdersLookup
    rules: Rulebook
    names: KnownNames
    commits: Commits
    metrics: Metrics


@dataclass
class Ports(LocalPorts):
    """Everything a job's handler may use."""

    wecom: WeComApi
    outbox: Outbox
    directory: Directory
    media: MessageMedia
    media_files: MediaStore
    customers: CustomerBook
    archive: ArchiveSource | None = None

    def local(self) -> LocalPorts:
        """The local part alone, for a passive handler: a fresh copy on every call, so a
        port swapped on this object (a test's clock) is seen."""
        return LocalPorts(*[getattr(self, name) for name in _LOCAL_FIELDS])


@dataclass(frozen=True)
class PassiveContext:
    """What a passive handler sees: it answers inside the callback request, so no WeCom."""

    app: AppConfig  # the app the event came in on
    corp_id: str
    ports: LocalPorts
    # False when a job runs the handler (its answer is then sent actively, so the passive
    # reply's limits do not bind it).
    in_request: bool = True


@dataclass(frozen=True)
class HandlerContext:
    """What a handler run by a job sees."""

    app: AppConfig
    corp_id: str
    ports: Ports
    # The event's inbox row was stored by this process just now and never handled before
    # (a kf pull's own items): a handler may skip its look-up for an earlier attempt.
    fresh: bool = False


# -- the console's playground ---------------------------------------------------------------


class PlaygroundRefused(Exception):
    """The simulated WeCom refused a playground action, as WeCom would (errcode, errmsg)."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class PlaygroundSandbox(Protocol):
    """What the console's playground does in the built-in simulated WeCom (sandbox mode
    only; the composition root adapts the sandbox to it). Every action produces the real
    encrypted callback to this service and raises PlaygroundRefused when refused."""

    @property
    def default_open_kfid(self) -> str:
        """The seeded kf account, for kf actions that name none."""
        ...

    async def customer_says(self, open_kfid: str, external_userid: str, text: str, *,
                            menu_id: str | None = None) -> dict[str, Any]: ...

    async def customer_enters(self, open_kfid: str, external_userid: str, *,
                              scene: str = "") -> dict[str, Any]: ...

    async def staff_adds_customer(self, userid: str, external_userid: str | None = None, *,
                                  name: str | None = None, state: str = "") -> dict[str, Any]: ...

    async def customer_scans_code(self, config_id: str, external_userid: str | None = None, *,
                                  name: str | None = None) -> dict[str, Any]:
        """A customer scans a 「联系我」 channel code: added with its state, and called back."""
        ...

    async def staff_creates_group(self, owner: str, name: str) -> dict[str, Any]: ...

    async def customer_joins_group(self, external_userid: str, *, chat_id: str | None = None,
                                   config_id: str | None = None, join_scene: int = 3
                                   ) -> dict[str, Any]: ...

    async def staff_says(self, userid: str, text: str) -> dict[str, Any]: ...

    async def owner_confirms_task(self, msgid: str, userid: str | None = None
                                  ) -> dict[str, Any]: ...

    def world(self) -> dict[str, Any]:
        """Staff, customers, kf accounts, groups, and group tasks (``tasks``)."""
        ...

    def inbox(self, recipient: str) -> list[dict[str, Any]]:
        """What a person (userid / external_userid) or a group (chat_id) has received."""
        ...


# The fields of LocalPorts in order (dataclasses.fields() on every passive callback costs).
_LOCAL_FIELDS = tuple(f.name for f in fields(LocalPorts))
