"""The decisions of mode ``auto``: the configured official decides every case whose time has come.

It runs as a duty of the authority's outbox worker (:class:`adapters.storage.OutboxWorker`), so each pass of
that worker (every ``poll_seconds`` of real time, or at once after ``wake()``) first decides what is due and
then delivers what the decisions queued. A pass asks the store for the pending cases whose automatic decision
is due on the ecosystem's clock (``decide_after``, or the next attempt after a failure), leased to this worker
so that no other process decides them too, and decides each. When a state system did not answer, nothing is
decided: the case is put off (10 s doubling, at most 10 minutes) with the error shown on the case. In mode
``manual`` a pass does nothing. Advancing the shared clock past a case's ``decide_after`` makes its decision
happen at the next pass.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from mocks.local_authority.adapters.storage import AuthorityStore
from mocks.local_authority.domain.models import DecisionMode
from mocks.local_authority.service_layer.ports import NotPending, StateSystemUnavailable, UnknownCase
from mocks.local_authority.service_layer.services import AuthorityServices

LOG = logging.getLogger(__name__)


@dataclass
class DecisionRun:
    """What one pass did, by case id."""

    decided: list[str] = field(default_factory=list)
    put_off: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, list[str]]:
        return {"decided": self.decided, "putOff": self.put_off}


class DecisionWorker:
    def __init__(self, services: AuthorityServices, store: AuthorityStore) -> None:
        self._services = services
        self._store = store
        self.worker_id = f"local-authority-decisions@{socket.gethostname()}:{os.getpid()}"
        self._pass_lock = threading.Lock()
        self._wake: Callable[[], None] = lambda: None

    def woken_by(self, wake: Callable[[], None]) -> None:
        """``wake()`` runs a pass of the worker this is a duty of at once (a change of mode)."""
        self._wake = wake

    def wake(self) -> None:
        self._wake()

    def run_once(self) -> DecisionRun:
        """Decide every case due now (mode ``auto`` only; passes never overlap within a process)."""
        run = DecisionRun()
        with self._pass_lock:
            if self._services.mode() is not DecisionMode.AUTO:
                return run
            while True:
                claimed = self._store.claim_due(self.worker_id)
                if not claimed:
                    return run
                for case_id in claimed:
                    self._decide(case_id, run)

    def _decide(self, case_id: str, run: DecisionRun) -> None:
        try:
            decision = self._services.decide_automatically(case_id)
        except StateSystemUnavailable as exc:
            case = self._store.case(case_id)
            attempts = case.attempts if case is not None else 0
            when = self._services.put_off(case_id, f"{exc.system} did not answer: {exc.detail}", attempts)
            LOG.info("case %s put off until %s: %s", case_id, when.isoformat(), exc)
            run.put_off.append(case_id)
            return
        except (NotPending, UnknownCase):
            self._store.release(case_id)
            return
        except Exception as exc:  # a bug must not stop the worker: the case is tried again later, visibly
            LOG.exception("deciding case %s failed", case_id)
            case = self._store.case(case_id)
            self._services.put_off(case_id, f"{type(exc).__name__}: {exc}", case.attempts if case else 0)
            run.put_off.append(case_id)
            return
        if decision is not None:
            run.decided.append(case_id)
