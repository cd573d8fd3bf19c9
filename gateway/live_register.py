"""The register as the pipeline reads it on every request: the newest snapshot of the database's register,
kept in memory and checked against the register's version at most every ``max_age`` seconds.

Per request this costs a clock reading and a comparison; once the cached snapshot is ``max_age`` old, one
request reads the register's version (a single one-row select) and reloads the register only when another
gateway changed it. A change made through this gateway's own admin API is adopted at once
(:meth:`LiveRegister.adopt`); one made through another gateway on the same database is seen by this one
within ``max_age`` (``EGOV_SIM_REGISTER_REFRESH_SECONDS``, 0: checked on every request).

Each method reads one snapshot; a request that calls several (``authorise`` then ``provider_of``) may straddle
a change, which :meth:`ServiceRegistry.provider_of` refuses with a fault instead of routing to a participant
no longer registered.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from adapters.pki import CertificateSubject
from gateway.register_store import RegisterStore, Snapshot
from gateway.registry import Participant, Service, ServiceRegistry

log = logging.getLogger(__name__)


class LiveRegister:
    def __init__(
        self, store: RegisterStore, *, max_age: float, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._store = store
        self._max_age = max_age
        self._monotonic = monotonic
        self._snapshot = store.load()
        self._checked = monotonic()
        self._refreshing = threading.Lock()

    @property
    def store(self) -> RegisterStore:
        return self._store

    @property
    def version(self) -> int:
        return self._snapshot.version

    def current(self) -> ServiceRegistry:
        """The register as of at most ``max_age`` seconds ago; one thread at a time checks for a newer one,
        the others go on with the snapshot they have."""
        if self._monotonic() - self._checked < self._max_age or not self._refreshing.acquire(blocking=False):
            return self._snapshot.register
        try:
            if self._store.version() != self._snapshot.version:
                self._snapshot = self._store.load()
                log.info("register version %s in effect", self._snapshot.version)
            self._checked = self._monotonic()
        finally:
            self._refreshing.release()
        return self._snapshot.register

    def adopt(self, snapshot: Snapshot) -> None:
        """A change this gateway made: in effect from the next request."""
        with self._refreshing:
            if snapshot.version > self._snapshot.version:  # not one a refresh meanwhile found newer
                self._snapshot = snapshot
            self._checked = self._monotonic()

    # The pipeline's interface (gateway.registry.Register), each over the current snapshot.

    def participants(self) -> list[Participant]:
        return self.current().participants()

    def services(self) -> list[Service]:
        return self.current().services()

    def has_service(self, service_id: str) -> bool:
        return self.current().has_service(service_id)

    def provider_of(self, service: Service) -> Participant:
        return self.current().provider_of(service)

    def participant(self, sender_id: str) -> Participant | None:
        return self.current().participant(sender_id)

    def identify(self, sender_id: str, signer: CertificateSubject) -> Participant:
        return self.current().identify(sender_id, signer)

    def authorise(self, sender_id: str, signer: CertificateSubject, service_id: str) -> tuple[Participant, Service]:
        return self.current().authorise(sender_id, signer, service_id)
