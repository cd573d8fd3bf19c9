"""Prometheus metrics every system shares, served at ``GET /metrics`` (text exposition format).

One :class:`prometheus_client.CollectorRegistry` per application (never the process-wide default registry),
built by :func:`ecosystem.app.create_system_app`, never at import time, so that several systems in one process
(the tests, ``egov-sim up --single-process``) each count their own requests:

- ``egov_http_requests_total{route, method, status}``: HTTP requests answered, by route *template*
  (``/admin/outbox/{message_id}/revive``, a mount's prefix such as ``/bip-sync``, or ``<unmatched>``), so a
  hostile client cannot invent label values;
- ``egov_http_request_duration_seconds{route, method}``: their latency (histogram);
- ``egov_outbox_messages{outbox, state}``: the outbox's messages by state (``pending`` is its depth, ``dead``
  its dead letters), read from the database when scraped;
- ``egov_outbox_retrying_messages{outbox}``: pending messages that have failed at least once;
- ``egov_outbox_retries{outbox}``: failed delivery attempts of the messages the outbox holds (a revived dead
  letter counts afresh);
- ``egov_outbox_scrape_errors_total{outbox}``: scrapes that could not read the outbox (the database failed);
- ``egov_worker_processes``: the worker processes serving the system (1, or the live workers' count).

A system adds its own metrics to ``SystemMetrics.registry`` (the gateway: :mod:`gateway.metrics`).

Several worker processes (the gateway's uvicorn workers, ``EGOV_SIM_GATEWAY_WORKERS``): a scrape is answered by
one worker, so each process writes its counters and histograms to files in ``PROMETHEUS_MULTIPROC_DIR``
(prometheus-client's multiprocess mode, chosen when the variable is set before the library is imported: the
launcher sets it to ``<data folder>/metrics/<system>``, emptied at each start, :func:`multiprocess_directory`),
and the scrape sums every worker's files (``MultiProcessCollector``). A worker that ends removes its live
gauges (``mark_process_dead``, :meth:`SystemMetrics.close`). Without the variable each application counts in
its own registry (the tests, ``egov-sim up --single-process``).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters.storage import Outbox

__all__ = [
    "CONTENT_TYPE_LATEST",
    "MULTIPROCESS_ENV",
    "HttpMetricsMiddleware",
    "OutboxCollector",
    "SystemMetrics",
    "multiprocess_directory",
]

LOG = logging.getLogger(__name__)
UNMATCHED = "<unmatched>"
# Latency buckets from a millisecond (a health check) to half a minute (a provider at its timeout).
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_directory(data_dir: Path, system: str) -> Path:
    """The empty folder where the worker processes of ``system`` write their metrics (a previous run's files
    would be summed with this run's: the folder is emptied). Call it in the supervisor, before any worker."""
    directory = data_dir / "metrics" / system
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory


class SystemMetrics:
    """The metrics of one system's application: declared in ``registry``; a scrape reads :meth:`exposition`
    (this registry alone, or every worker's files in multiprocess mode)."""

    def __init__(self, system: str) -> None:
        self.system = system
        self.registry = CollectorRegistry(auto_describe=True)
        shared = os.environ.get(MULTIPROCESS_ENV)
        self.multiprocess_dir = Path(shared) if shared else None
        if self.multiprocess_dir is None:
            self._scraped = self.registry
        else:  # the metrics declared above are written to files; a scrape reads them all, plus what is read live
            self._scraped = CollectorRegistry(auto_describe=False)
            MultiProcessCollector(self._scraped, path=str(self.multiprocess_dir))
        self.worker_processes = Gauge(
            "egov_worker_processes",
            "worker processes serving this system",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self.worker_processes.set(1)
        self.http_requests = Counter(
            "egov_http_requests",
            "HTTP requests answered, by route template, method and status",
            ["route", "method", "status"],
            registry=self.registry,
        )
        self.http_latency = Histogram(
            "egov_http_request_duration_seconds",
            "HTTP request latency, from the first byte received to the last byte sent",
            ["route", "method"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )

    def watch_outbox(self, name: str, outbox: Outbox) -> None:
        """Export the depth, retries and dead letters of ``outbox`` under ``outbox=name`` (read on scrape)."""
        self._scraped.register(OutboxCollector(name, outbox, self.registry))

    def exposition(self) -> bytes:
        return generate_latest(self._scraped)

    def close(self) -> None:
        """This process stops serving: in multiprocess mode its live gauges leave the sums (its counters stay)."""
        if self.multiprocess_dir is not None:
            mark_process_dead(os.getpid(), str(self.multiprocess_dir))


class OutboxCollector(Collector):
    """Reads the outbox's counts from its database at each scrape (nothing is counted in the delivery path)."""

    def __init__(self, name: str, outbox: Outbox, registry: CollectorRegistry) -> None:
        self._name = name
        self._outbox = outbox
        self._errors = Counter(
            "egov_outbox_scrape_errors",
            "scrapes that could not read an outbox",
            ["outbox"],
            registry=registry,
        )
        self._errors.labels(outbox=name)

    def collect(self) -> Iterator[Metric]:
        messages = GaugeMetricFamily("egov_outbox_messages", "outbox messages by state", labels=["outbox", "state"])
        retrying = GaugeMetricFamily(
            "egov_outbox_retrying_messages", "pending outbox messages that failed at least once", labels=["outbox"]
        )
        retries = GaugeMetricFamily(
            "egov_outbox_retries", "failed delivery attempts of the messages an outbox holds", labels=["outbox"]
        )
        try:
            stats = self._outbox.stats()
        except Exception:  # a scrape must not fail because one database does not answer; readiness says why
            LOG.warning("could not read the outbox %s for the metrics", self._name, exc_info=True)
            self._errors.labels(outbox=self._name).inc()
            return
        for state, count in stats.counts.items():
            messages.add_metric([self._name, state], count)
        retrying.add_metric([self._name], stats.retrying)
        retries.add_metric([self._name], stats.retries)
        yield from (messages, retrying, retries)

    def describe(self) -> Iterator[Metric]:
        return iter(())  # the families are only known by reading the database: never at registration


class HttpMetricsMiddleware:
    """ASGI middleware counting every HTTP request by route template, method and status, with its latency."""

    def __init__(self, app: ASGIApp, metrics: SystemMetrics) -> None:
        self._app = app
        self._metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self._app(scope, receive, record_status)
        finally:
            route = _route_of(scope)
            method = scope["method"] if scope["method"] in _METHODS else "OTHER"
            self._metrics.http_requests.labels(route, method, str(status)).inc()
            self._metrics.http_latency.labels(route, method).observe(time.perf_counter() - started)


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _route_of(scope: Scope) -> str:
    """The template of the route that served the request, never the raw path (bounded label values): the
    router leaves the route it chose in the scope; a mount (``/bip-sync``) is found by matching again."""
    chosen = scope.get("route")
    if chosen is not None:
        return str(getattr(chosen, "path", UNMATCHED))
    app = scope.get("app")
    router = getattr(app, "router", None)
    for route in getattr(router, "routes", ()):
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return str(getattr(route, "path", UNMATCHED)) or UNMATCHED
    return UNMATCHED
