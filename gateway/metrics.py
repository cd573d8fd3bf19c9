"""The gateway's own Prometheus metrics, in its application's registry (:class:`ecosystem.metrics.SystemMetrics`):

- ``egov_gateway_messages_total{channel, service_id, sender, code}``: every message a channel answered, by
  serviceId, sender id and result code: the provider's status code (``OK``, ``ACCEPTED`` …) or HTTP status
  (REST) for an answer, the ``SCE…`` code of a refusal, the provider's fault code for a relayed fault;
- ``egov_gateway_faults_total{channel, service_id, sender, code}``: the refusals and relayed faults among them;
- ``egov_gateway_step_seconds{channel, step}``: time spent in each step of the pipeline, a histogram:
  ``parse`` (hardened parse), ``verify`` (transport signatures: the sender's, and the provider's answer),
  ``authorise`` (register: sender, certificate, right to call), ``validate`` (envelope and payload schemas,
  date window), ``journal`` (each journal write), ``sign`` (the gateway's signatures), ``forward`` (the
  provider's round trip).

Label values come only from the register: a serviceId or sender id the register does not know is counted as
``<unknown>`` (the ids are read from a message before it is verified; a hostile sender must not be able to
create label values). A code is cut to 32 characters.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from prometheus_client import CollectorRegistry, Counter, Histogram

__all__ = ["PIPELINE_STEPS", "GatewayMetrics"]

PIPELINE_STEPS = ("parse", "verify", "authorise", "validate", "journal", "sign", "forward")
UNKNOWN = "<unknown>"
# From 50 µs (a register lookup) to 10 s (a slow provider).
STEP_BUCKETS = (0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 10.0)


class GatewayMetrics:
    """``known_service`` and ``known_sender`` say whether an id is in the register (read at each count, so a
    register changed at run time is followed)."""

    def __init__(
        self,
        registry: CollectorRegistry,
        known_service: Callable[[str], bool],
        known_sender: Callable[[str], bool],
    ) -> None:
        self._known_service = known_service
        self._known_sender = known_sender
        labels = ["channel", "service_id", "sender", "code"]
        self._messages = Counter(
            "egov_gateway_messages", "messages answered by the gateway, by result code", labels, registry=registry
        )
        self._faults = Counter(
            "egov_gateway_faults", "refusals and relayed provider faults, by code", labels, registry=registry
        )
        self._steps = Histogram(
            "egov_gateway_step_seconds",
            "time spent in each pipeline step",
            ["channel", "step"],
            buckets=STEP_BUCKETS,
            registry=registry,
        )
        self._step_children = {
            (channel, step): self._steps.labels(channel, step)
            for channel in ("sync", "async", "rest")
            for step in PIPELINE_STEPS
        }

    @contextmanager
    def step(self, channel: str, step: str) -> Iterator[None]:
        """Time one pipeline step (also when it raises: a refusal's cost is a cost)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self._step_children[(channel, step)].observe(time.perf_counter() - started)

    def answered(self, channel: str, service_id: str | None, sender: str | None, code: str, *, fault: bool) -> None:
        labels = (
            channel,
            service_id if service_id and self._known_service(service_id) else UNKNOWN,
            sender if sender and self._known_sender(sender) else UNKNOWN,
            code[:32] or UNKNOWN,
        )
        self._messages.labels(*labels).inc()
        if fault:
            self._faults.labels(*labels).inc()
