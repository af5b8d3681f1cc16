"""Prometheus metrics (prometheus-client): what the service records at its seams.

One ``Recorder`` per process (the composition root makes it), its own registry, so a test
that runs several services in one process sees only its own numbers. The pipeline, the
WeCom client and the outbox call it through ``Services``; domain code through
``bot.ports.Metrics``. ``metrics_enabled = false`` gives ``NullRecorder``: every call is a
no-op and ``/metrics`` is not served.

Every label value comes from a closed set (job names, API paths, WeCom's error table, the
configured apps) or is capped (``Capped``: the first N values seen, the rest as "other"):
no label carries a user id, message text or a secret. README "Metrics" lists them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
OTHER = "other"
# Latency buckets: callbacks ack in milliseconds, WeCom calls and jobs take up to seconds.
ACK_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
CALL_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
WAIT_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0)
RULE_LABELS = 50  # rule ids with a label of their own; later ones count under "other"
UNKNOWN_CODE_LABELS = 20


class Capped:
    """At most ``limit`` distinct label values: the first ones seen keep their own, later
    ones become "other", so a label's cardinality is bounded whatever the input."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, value: str) -> str:
        if value in self._seen:
            return value
        with self._lock:
            if len(self._seen) < self.limit:
                self._seen.add(value)
                return value
        return OTHER


def api_label(api: str) -> str:
    """An API path without its query (``aibot/response`` is a URL of WeCom's: named so)."""
    return api.split("?", 1)[0][:64]


class _UnknownCodes(Collector):
    """WeCom errcodes ``bot.protocol.errors`` does not name, as counted by
    ``bot.wecom.unknown_codes`` (process-wide): the most frequent by code, the rest summed."""

    def __init__(self, counts: Callable[[], dict[int, int]]) -> None:
        self._counts = counts

    def collect(self) -> Iterable[CounterMetricFamily]:
        family = CounterMetricFamily(
            "wecom_bot_wecom_unknown_errcodes",
            "WeCom answers with an errcode not in our error table, by code (top codes; the "
            "rest as other)", labels=["errcode"])
        ranked = sorted(self._counts().items(), key=lambda kv: (-kv[1], kv[0]))
        for code, n in ranked[:UNKNOWN_CODE_LABELS]:
            family.add_metric([str(code)], n)
        rest = sum(n for _, n in ranked[UNKNOWN_CODE_LABELS:])
        if rest:
            family.add_metric([OTHER], rest)
        yield family


class Recorder:
    """The metrics of one process. Methods are cheap and never raise into the caller."""

    enabled = True

    def __init__(self, *, unknown_codes: Callable[[], dict[int, int]] | None = None) -> None:
        r = self.registry = CollectorRegistry(auto_describe=True)
        self._rules = Capped(RULE_LABELS)
        self._children: dict[tuple[Any, tuple[str, ...]], Any] = {}  # see _child
        self.callbacks = Counter(
            "wecom_bot_callbacks", "Callbacks answered, by app, outcome and HTTP status",
            ["app", "outcome", "status"], registry=r)
        self.ack = Histogram(
            "wecom_bot_callback_ack_seconds", "Time from a callback's arrival to its answer",
            ["app"], buckets=ACK_BUCKETS, registry=r)
        self.jobs = Counter(
            "wecom_bot_jobs", "Jobs run, by kind (the job's name) and outcome (ok, retry, "
            "failed)", ["kind", "outcome"], registry=r)
        self.job_seconds = Histogram(
            "wecom_bot_job_duration_seconds", "Job run time, by kind", ["kind"],
            buckets=CALL_BUCKETS, registry=r)
        self.wecom_calls = Counter(
            "wecom_bot_wecom_calls", "WeCom API calls (each attempt), by API and errcode "
            "(0 ok; http_error for 5xx, timeouts and connection errors; unknown for a code "
            "not in our table)", ["api", "errcode"], registry=r)
        self.wecom_seconds = Histogram(
            "wecom_bot_wecom_call_duration_seconds", "WeCom API call time (each attempt)",
            ["api"], buckets=CALL_BUCKETS, registry=r)
        self.ratelimit_waits = Histogram(
            "wecom_bot_ratelimit_wait_seconds", "Waits for the client's own rate limiter, by "
            "API (only calls that waited)", ["api"], buckets=WAIT_BUCKETS, registry=r)
        self.ratelimit_busy = Counter(
            "wecom_bot_ratelimit_busy", "Calls given up on because the rate limiter was full "
            "past the wait allowed (rescheduled)", ["api"], registry=r)
        self.token_refreshes = Counter(
            "wecom_bot_token_refreshes", "access_token fetches (gettoken), by app and outcome",
            ["app", "outcome"], registry=r)
        self.outbox_finished = Counter(
            "wecom_bot_outbox_finished", "Outbox rows that reached a state (sent, failed, "
            "missed) or were rescheduled, by channel", ["channel", "state"], registry=r)
        self.kf_budget = Counter(
            "wecom_bot_kf_budget_skips", "kf messages not sent for WeCom's 5-in-48-h budget, "
            "by reason", ["reason"], registry=r)
        self.rule_hits = Counter(
            "wecom_bot_rule_hits", f"Keyword rule matches, by rule id (the first "
            f"{RULE_LABELS} rule ids seen; the rest as other) and channel",
            ["rule", "channel"], registry=r)
        self.escalations = Counter(
            "wecom_bot_escalations", "Escalation SLA steps: renotified, raised",
            ["step"], registry=r)
        # Read from the database and the store at scrape time (bot.pipeline.gauges).
        self.inbox_pending = Gauge(
            "wecom_bot_inbox_pending", "Inbox rows pending", registry=r)
        self.inbox_oldest = Gauge(
            "wecom_bot_inbox_oldest_pending_age_seconds",
            "Age of the oldest pending inbox row (0: none pending)", registry=r)
        self.outbox_pending = Gauge(
            "wecom_bot_outbox_pending", "Outbox rows pending, by channel", ["channel"],
            registry=r)
        self.outbox_oldest = Gauge(
            "wecom_bot_outbox_oldest_pending_age_seconds",
            "Age of the oldest pending outbox row (0: none pending)", registry=r)
        self.escalations_open = Gauge(
            "wecom_bot_escalations_live", "Escalations not resolved, by state (open, claimed)",
            ["state"], registry=r)
        self.escalations_breaching = Gauge(
            "wecom_bot_escalations_unclaimed_past_raise", "Open escalations past the raise "
            "SLA (sla_raise_minutes of working time, business_hours)", registry=r)
        self.group_tasks_waiting = Gauge(
            "wecom_bot_group_tasks_waiting_for_owner", "Group tasks created and waiting for "
            "the group owner to send them", registry=r)
        self.operator_alerts = Gauge(
            "wecom_bot_wecom_operator_alert", "1 while WeCom refuses an app for a reason only "
            "an operator can fix (60020 untrusted IP, 301002), by app and errcode",
            ["app", "errcode"], registry=r)
        self.outages = Counter(
            "wecom_bot_storage_outages", "Outages recorded once storage was back, by who saw "
            "them (serve: callbacks refused; worker: its storage out; startup: time no serve "
            "answered)", ["source"], registry=r)
        self.missed = Counter(
            "wecom_bot_missed_events", "What WeCom gave up on during an outage, found by "
            "reading WeCom back (contact_add, group_join, group_leave, group_dismissed)",
            ["kind"], registry=r)
        self.outages_open = Gauge(
            "wecom_bot_outages_unreconciled", "Recorded outages not reconciled yet",
            registry=r)
        self.state_errors = Counter(
            "wecom_bot_metrics_state_errors", "Scrapes whose database/store gauges could not "
            "be read (the gauges keep their last values)", registry=r)
        if unknown_codes is not None:
            r.register(_UnknownCodes(unknown_codes))

    def _child(self, metric: Any, *labels: str) -> Any:
        """``metric.labels(*labels)``, kept rather than looked up again: labels() takes a
        lock and checks its values every time, and the hot paths (each callback, job,
        WeCom call and reply) record here. Every label set is closed (api_label, the
        errcode table, the first 50 rule ids, the names of jobs, apps and outcomes), so
        the dict stays small."""
        key = (metric, labels)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = metric.labels(*labels)
        return child

    # -- the callback --------------------------------------------------------------------

    def callback(self, app: str, outcome: str, status: int, seconds: float) -> None:
        self._child(self.callbacks, app, outcome, str(status)).inc()
        self._child(self.ack, app).observe(seconds)

    # -- jobs ----------------------------------------------------------------------------

    def job(self, name: str, outcome: str, seconds: float) -> None:
        self._child(self.jobs, name, outcome).inc()
        self._child(self.job_seconds, name).observe(seconds)

    # -- WeCom ---------------------------------------------------------------------------

    def wecom_call(self, api: str, errcode: str, seconds: float) -> None:
        label = api_label(api)
        self._child(self.wecom_calls, label, errcode).inc()
        self._child(self.wecom_seconds, label).observe(seconds)

    def ratelimit_wait(self, api: str, seconds: float) -> None:
        self._child(self.ratelimit_waits, api_label(api)).observe(seconds)

    def ratelimit_gave_up(self, api: str) -> None:
        self._child(self.ratelimit_busy, api_label(api)).inc()

    def token_refresh(self, app: str, ok: bool) -> None:
        self._child(self.token_refreshes, app, "ok" if ok else "failed").inc()

    # -- the outbox ----------------------------------------------------------------------

    def outbox_state(self, channel: str, state: str) -> None:
        self._child(self.outbox_finished, channel, state).inc()

    # -- outages -------------------------------------------------------------------------

    def storage_outage(self, source: str) -> None:
        self._child(self.outages, source).inc()

    def missed_event(self, kind: str, count: int = 1) -> None:
        if count:
            self._child(self.missed, kind).inc(count)

    # -- the domain (bot.ports.Metrics) --------------------------------------------------

    def rule_hit(self, rule_id: str, channel: str) -> None:
        self._child(self.rule_hits, self._rules(rule_id), channel).inc()

    def kf_budget_skip(self, reason: str, count: int = 1) -> None:
        self._child(self.kf_budget, reason).inc(count)

    def escalation_step(self, step: str, count: int = 1) -> None:
        if count:
            self._child(self.escalations, step).inc(count)

    # -- exposition ----------------------------------------------------------------------

    def render(self) -> bytes:
        return bytes(generate_latest(self.registry))


class NullRecorder(Recorder):
    """Metrics off: the same methods, doing nothing (nothing is registered either)."""

    enabled = False

    def __init__(self, **_: Any) -> None:
        pass

    def callback(self, app: str, outcome: str, status: int, seconds: float) -> None:
        pass

    def job(self, name: str, outcome: str, seconds: float) -> None:
        pass

    def wecom_call(self, api: str, errcode: str, seconds: float) -> None:
        pass

    def ratelimit_wait(self, api: str, seconds: float) -> None:
        pass

    def ratelimit_gave_up(self, api: str) -> None:
        pass

    def token_refresh(self, app: str, ok: bool) -> None:
        pass

    def outbox_state(self, channel: str, state: str) -> None:
        pass

    def storage_outage(self, source: str) -> None:
        pass

    def missed_event(self, kind: str, count: int = 1) -> None:
        pass

    def rule_hit(self, rule_id: str, channel: str) -> None:
        pass

    def kf_budget_skip(self, reason: str, count: int = 1) -> None:
        pass

    def escalation_step(self, step: str, count: int = 1) -> None:
        pass

    def render(self) -> bytes:
        return b""


def make_recorder(enabled: bool, *, unknown_codes: Callable[[], dict[int, int]] | None = None
                  ) -> Recorder:
    return Recorder(unknown_codes=unknown_codes) if enabled else NullRecorder()
