"""Mode ``auto``: each role of SP-1 acts when its step is due (:func:`mocks.social_fund.domain.steps.acts_at`).

A duty of the fund's outbox worker (:class:`adapters.storage.OutboxWorker`), as the local authority's decisions
are: each pass leases the applications whose act is due on the shared clock, acts for each, then the worker
delivers what the acts queued. When the employment centre does not answer SP-7, nothing is decided: the
application is put off (10 s doubling, at most 10 minutes) with the error shown. In mode ``manual`` a pass does
nothing. Moving the shared clock 8 working days on makes the executor's draft, then the head's signature and the
clerk's handover, happen at the next passes.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass, field

from mocks.social_fund.adapters.storage import FundStore
from mocks.social_fund.service_layer.ports import Mode, StateSystemUnavailable, UnknownApplication, WrongStep
from mocks.social_fund.service_layer.services import FundServices

LOG = logging.getLogger(__name__)


@dataclass
class StepRun:
    acted: list[str] = field(default_factory=list)
    put_off: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, list[str]]:
        return {"acted": self.acted, "putOff": self.put_off}


class StepWorker:
    def __init__(self, services: FundServices, store: FundStore) -> None:
        self._services = services
        self._store = store
        self.worker_id = f"social-fund-steps@{socket.gethostname()}:{os.getpid()}"
        self._pass_lock = threading.Lock()

    def run_once(self) -> StepRun:
        run = StepRun()
        with self._pass_lock:
            if self._services.mode() is not Mode.AUTO:
                return run
            while True:
                claimed = self._store.claim_due(self.worker_id)
                if not claimed:
                    return run
                for application_id in claimed:
                    self._act(application_id, run)

    def _act(self, application_id: str, run: StepRun) -> None:
        try:
            self._services.act_automatically(application_id)
        except StateSystemUnavailable as exc:
            self._put_off(application_id, f"{exc.system} did not answer: {exc.detail}", run)
        except (WrongStep, UnknownApplication):
            self._store.release(application_id)
        except Exception as exc:  # a bug must not stop the worker: tried again later, visibly
            LOG.exception("acting on application %s failed", application_id)
            self._put_off(application_id, f"{type(exc).__name__}: {exc}", run)
        else:
            run.acted.append(application_id)

    def _put_off(self, application_id: str, error: str, run: StepRun) -> None:
        found = self._store.get(application_id)
        self._services.put_off(application_id, error, found.attempts if found else 0)
        run.put_off.append(application_id)
