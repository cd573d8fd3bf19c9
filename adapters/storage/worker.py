"""The background worker of an outbox: claims due messages and hands each to the delivery function of its
topic, on a thread of its own, until stopped.

Up to ``concurrency`` deliveries are in flight at once, each on a thread of a bounded pool (one receiver that
answers slowly does not hold up the others). The worker claims only as many messages as it has free places,
so a claimed message starts at once and its lease (``lease``, on the ecosystem's clock) has to cover one
delivery, not a queue; it must outlast the longest delivery (the HTTP timeout of the delivery functions),
else another instance may claim the message again while it is in flight (delivered twice: at least once
still holds). The order per ordering key holds as with one delivery at a time: the outbox never hands out
a message while an earlier one of its key is still pending, and a message in flight is pending until the
worker records its outcome.

A delivery function returns normally when the receiver took the message, raises :class:`DeliveryRefused`
when the receiver refused it for good (dead letter at once), and raises anything else for a failure that a
later attempt may cure (the outbox schedules the retry). The worker polls every ``poll_seconds`` of real
time, and "due" is judged on the ecosystem's clock, so advancing the clock makes waiting retries happen at
the next poll; ``wake()`` runs a pass at once (after a commit that queued something), and while deliveries are
in flight it (or the end of one of them) makes a free place take what is due at once. Each pass first runs
the worker's ``duties``: time-driven jobs of the system (what became due on the clock) that queue their
messages in the same outbox.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from adapters.storage.errors import DeliveryRefused
from adapters.storage.outbox import Outbox, OutboxMessage

__all__ = ["DeadLetterHook", "Delivery", "Duty", "OutboxRun", "OutboxWorker"]

LOG = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 16  # deliveries in flight at once (Settings.outbox_concurrency)
DEFAULT_LEASE = timedelta(minutes=2)  # well above the HTTP timeout of a delivery (Settings.http_timeout_seconds)

Delivery = Callable[[dict[str, Any]], None]
# A time-driven duty run before each pass (e.g. "decide what is due on the clock now"); it queues work in the
# outbox in its own transactions and may raise (logged, the pass goes on).
Duty = Callable[[], object]
# Called after a message became a dead letter (out of attempts, or refused for good), with the last error.
DeadLetterHook = Callable[[OutboxMessage, str], None]


@dataclass
class OutboxRun:
    """What one pass did, by message id."""

    delivered: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    dead: list[int] = field(default_factory=list)

    def as_json(self) -> dict[str, list[int]]:
        return {"delivered": self.delivered, "retrying": self.retrying, "dead": self.dead}


class OutboxWorker:
    def __init__(
        self,
        outbox: Outbox,
        deliveries: Mapping[str, Delivery],
        *,
        name: str = "outbox",
        poll_seconds: float = 0.5,
        batch: int = 20,
        on_dead: DeadLetterHook | None = None,
        duties: Sequence[Duty] = (),
        concurrency: int = DEFAULT_CONCURRENCY,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        if concurrency < 1:
            raise ValueError(f"an outbox worker delivers at least one message at a time, not {concurrency}")
        if lease <= timedelta(0):
            raise ValueError(f"the lease of a claimed message must be positive, not {lease}")
        self._outbox = outbox
        self._deliveries = dict(deliveries)
        self._on_dead = on_dead
        self._duties = tuple(duties)
        self._poll = poll_seconds
        self._batch = batch
        self._concurrency = concurrency
        self._lease = lease
        self.worker_id = f"{name}@{socket.gethostname()}:{os.getpid()}"
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pass_lock = threading.Lock()

    def run_once(self) -> OutboxRun:
        """Deliver every message due now, up to ``concurrency`` at a time (one pass; passes never overlap
        within a process). A message that becomes due during the pass (queued meanwhile, or the next of its
        ordering key once the earlier one is delivered) is delivered in the same pass."""
        run = OutboxRun()
        with self._pass_lock:
            self._run_duties()
            messages = self._claim(self._concurrency)
            if not messages:
                return run
            in_flight: dict[Future[None], OutboxMessage] = {}
            with ThreadPoolExecutor(self._concurrency, thread_name_prefix=f"{self.worker_id}-delivery") as pool:
                while messages or in_flight:
                    for message in messages:
                        attempt = pool.submit(self._deliveries[message.topic], message.payload)
                        attempt.add_done_callback(self._delivery_ended)
                        in_flight[attempt] = message
                    # a delivery that ends, a wake() (something queued) or at the latest the poll: a free place
                    # takes what is due at once. The event is cleared before looking, so nothing set after the
                    # look is lost: it is seen at the next turn.
                    self._wake.wait(self._poll)
                    self._wake.clear()
                    for future in [attempt for attempt in in_flight if attempt.done()]:
                        self._settle(in_flight.pop(future), future, run)
                    free = self._concurrency - len(in_flight)
                    messages = self._claim(free) if free and not self._stop.is_set() else []
        return run

    def _claim(self, places: int) -> list[OutboxMessage]:
        """Lease as many due messages as there are free places (at most ``batch``): each starts at once."""
        limit = min(places, self._batch)
        return self._outbox.claim(self.worker_id, topics=set(self._deliveries), limit=limit, lease=self._lease)

    def _run_duties(self) -> None:
        for duty in self._duties:
            try:
                duty()
            except Exception:  # one broken duty must not stop deliveries or the other duties
                LOG.exception("outbox duty %s failed", getattr(duty, "__name__", duty))

    def _settle(self, message: OutboxMessage, attempt: Future[None], run: OutboxRun) -> None:
        """Record the outcome of one delivery (on the worker's thread, in the order deliveries end)."""
        exc = attempt.exception()
        if isinstance(exc, DeliveryRefused):
            LOG.warning("outbox %s #%s refused for good: %s", message.topic, message.id, exc)
            self._failed(message, f"refused: {exc}", last=True, run=run)
        elif exc is not None:  # any other failure is worth another attempt; the outbox records it
            LOG.info("outbox %s #%s not delivered: %s", message.topic, message.id, exc)
            last = message.attempts + 1 >= self._outbox.policy.max_attempts
            self._failed(message, f"{type(exc).__name__}: {exc}", last=last, run=run)
        else:
            self._outbox.delivered(message.id)
            run.delivered.append(message.id)

    def _failed(self, message: OutboxMessage, error: str, *, last: bool, run: OutboxRun) -> None:
        """A failed attempt. On the last one the dead-letter hook runs FIRST and the message is dead only once
        it has: a crash in between leaves the job to be claimed again (and its delivery function, finding its
        subject already stopped, does nothing), and a failing hook leaves it to be retried, never a dead job
        that nothing else knows of."""
        if last and self._hook_done(message, error):
            self._outbox.failed(message.id, error, final=True)
            run.dead.append(message.id)
            return
        self._outbox.failed(message.id, error, may_die=False)
        run.retrying.append(message.id)

    def _hook_done(self, message: OutboxMessage, error: str) -> bool:
        if self._on_dead is None:
            return True
        try:
            self._on_dead(message, error)
        except Exception:
            LOG.exception("dead-letter hook failed for outbox %s #%s; it stays queued", message.topic, message.id)
            return False
        return True

    def wake(self) -> None:
        self._wake.set()

    def _delivery_ended(self, _: Future[None]) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name=self.worker_id, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                run = self.run_once()
                if run.retrying or run.dead:
                    LOG.debug("outbox pass: %s", run.as_json())
            except Exception:  # the worker must outlive a broken pass (database restarting, …)
                LOG.exception("outbox pass failed")
            self._wake.wait(self._poll)
            self._wake.clear()
