"""The portal's durable outbox: send accepted applications through the gateway and keep the results.

SPEC JS-10: the signed form goes to the employment centre; the result is an electronic document signed
with the EDS of the centre's director (or a person they authorised), sent to and kept in the personal
cabinet. Applications wait in the portal's database (status IN_PROGRESS), so one accepted before a
crash or a restart is picked up again: delivery is at least once, with the application id as the
``correlationId`` (a repeated application is the centre's case JS-7).

Outcomes of one attempt:

- a reply whose document verifies (enveloped XML-DSig, trusted chain, not revoked) and whose signer's
  certificate carries the employment centre's BIN -> DONE, with the result kind (``registered`` for
  ``jobSeekerRegistrationNotice``, ``refused`` for ``jobSeekerRegistrationRefusal``, ``not-accepted`` for
  ``jobSeekerApplicationNotAccepted``);
- a gateway fault (e.g. SCE016 when the centre does not accept the applicant's signature) -> REJECTED
  with the fault's code and message; a result that cannot be trusted -> REJECTED with SCE015/16/17/001;
- the gateway unreachable, or SCE010 (the provider did not answer, nothing was decided) -> stays
  IN_PROGRESS and is retried with an exponential backoff; ``attempts`` and ``last_error`` show it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from lxml import etree

from adapters.pki import TrustStore
from adapters.shep import ErrorCode, GatewayFault, Payload
from adapters.shep.faults import business_signature_code
from adapters.shep.service_call import SyncSender
from adapters.shep.sync_client import GatewayUnreachable, SyncReply
from adapters.signatures import SignatureError, verify_document
from adapters.xml import XmlRejected, parse_xml
from mocks.portal.applications import SERVICE_ID
from mocks.portal.storage import ApplicationRow, ApplicationStatus, PortalStore

LOG = logging.getLogger(__name__)

LMD_NS = "urn:kz:egov-sim:labour-market:documents:v1"
RESULT_KINDS = {
    f"{{{LMD_NS}}}jobSeekerRegistrationNotice": "registered",  # Rules Annex 3, JS-6
    f"{{{LMD_NS}}}jobSeekerRegistrationRefusal": "refused",  # Rules Annex 2, JS-3
    f"{{{LMD_NS}}}jobSeekerApplicationNotAccepted": "not-accepted",  # standard item 9, JS-2
}
RETRY_BASE = timedelta(seconds=2)
RETRY_MAX = timedelta(minutes=5)
LEASE = timedelta(minutes=2)


class UntrustedResultError(Exception):
    """The reply cannot be kept as the centre's result; ``code`` is the gateway error code it amounts to."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class OutboxRun:
    """What one pass over the pending applications did (by application id)."""

    done: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    retrying: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PendingDelivery:
    """An application still waiting to be delivered (the outbox's dead-letter view: nothing is hidden)."""

    application_id: str
    iin: str
    submitted_at: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None


def _utc_now() -> datetime:
    return datetime.now(UTC)


def retry_delay(attempts: int) -> timedelta:
    """2 s, 4 s, 8 s, ... capped at 5 minutes."""
    exponent = min(max(attempts - 1, 0), 16)  # bounded: 2 s * 2**16 is already far above the cap
    return min(RETRY_BASE * 2**exponent, RETRY_MAX)


class JobSeekerOutbox:
    """Send IN_PROGRESS applications and record what came back."""

    def __init__(
        self,
        store: PortalStore,
        sender: Callable[[], SyncSender],
        trust: TrustStore,
        employment_bin: str,
        now: Callable[[], datetime],
        *,
        wall_clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._store = store
        self._sender = sender
        self._trust = trust
        self._employment_bin = employment_bin
        self._now = now  # the simulation's clock: signature validity is judged at this instant
        self._wall_clock = wall_clock  # real time: backoff and leases must pass even under a fixed clock
        # one pass at a time in this process: POST /admin/outbox/run waits for the worker's pass in flight,
        # so when it returns every application that was due has been handled (leases guard other processes)
        self._pass_lock = threading.Lock()

    def pending(self) -> list[PendingDelivery]:
        return [
            PendingDelivery(row.id, row.iin, row.submitted_at, row.attempts, row.last_error, row.next_attempt_at)
            for row in self._store.pending(None, limit=1000)
        ]

    def process_pending(self, *, due_only: bool = True) -> OutboxRun:
        """One pass: every application whose next attempt is due (every pending one if not ``due_only``)."""
        with self._pass_lock:
            return self._pass(due_only)

    def _pass(self, due_only: bool) -> OutboxRun:
        run = OutboxRun()
        wall = self._wall_clock()
        for row in self._store.pending(wall if due_only else None):
            if not self._store.claim(row.id, wall, wall + LEASE):
                continue  # another worker is on it
            try:
                outcome = self._attempt(row)
            except Exception as exc:  # a bug or a storage failure: keep it visible on the row and retry later
                LOG.exception("application %s: unexpected failure while sending", row.id)
                outcome = self._retry(row, f"internal error: {exc!r}")
            getattr(run, outcome).append(row.id)
        return run

    def _attempt(self, row: ApplicationRow) -> str:
        try:
            reply = self._sender().send(SERVICE_ID, Payload(text=row.signed_form), correlation_id=row.id)
        except GatewayUnreachable as exc:
            return self._retry(row, str(exc))
        except GatewayFault as fault:
            if fault.code == ErrorCode.PROVIDER_UNAVAILABLE.value:
                return self._retry(row, str(fault))
            return self._reject(row, fault.code, fault.error.message)
        try:
            self._keep_result(row, reply)
        except UntrustedResultError as exc:
            return self._reject(row, exc.code.value, str(exc))
        return "done"

    def _retry(self, row: ApplicationRow, reason: str) -> str:
        attempts = row.attempts + 1
        delay = retry_delay(attempts)
        LOG.warning("application %s not delivered (attempt %d), retry in %s: %s", row.id, attempts, delay, reason)
        self._store.update_application(
            row.id, attempts=attempts, last_error=reason[:2000], next_attempt_at=self._wall_clock() + delay
        )
        return "retrying"

    def _reject(self, row: ApplicationRow, code: str, message: str) -> str:
        LOG.info("application %s rejected: %s %s", row.id, code, message)
        self._store.update_application(
            row.id,
            status=ApplicationStatus.REJECTED.value,
            attempts=row.attempts + 1,
            error_code=code,
            error_message=message,
            last_error=f"{code}: {message}"[:2000],
            next_attempt_at=None,
            finished_at=self._now(),
        )
        return "rejected"

    def _keep_result(self, row: ApplicationRow, reply: SyncReply) -> None:
        text = reply.payload.text
        if text is None and reply.payload.element is not None:
            text = etree.tostring(reply.payload.element, encoding="unicode")
        if not text:
            raise UntrustedResultError(ErrorCode.MALFORMED, "the reply carries no result document")
        try:
            document = parse_xml(text)
        except XmlRejected as exc:
            raise UntrustedResultError(ErrorCode.MALFORMED, f"the result is not usable XML: {exc}") from exc
        try:
            verified = verify_document(document, self._trust, self._now())
        except SignatureError as exc:
            raise UntrustedResultError(business_signature_code(exc), str(exc)) from exc
        signer = verified.signer
        if signer.bin != self._employment_bin:
            raise UntrustedResultError(
                ErrorCode.BUSINESS_SIGNATURE_INVALID,
                f"the result is signed by {signer.describe()}, not by the employment centre "
                f"(BIN {self._employment_bin}) (JS-10)",
            )
        signed = verified.document  # read only what the signature covers
        kind = RESULT_KINDS.get(signed.tag)
        if kind is None:
            raise UntrustedResultError(ErrorCode.MALFORMED, f"unexpected result document {signed.tag}")
        named = signed.findtext("applicationId")
        if named != row.id:
            raise UntrustedResultError(ErrorCode.MALFORMED, f"the result names application {named!r}, not {row.id!r}")
        self._store.update_application(
            row.id,
            status=ApplicationStatus.DONE.value,
            attempts=row.attempts + 1,
            result_kind=kind,
            result_document=text,
            signer_common_name=signer.common_name,
            signer_iin=signer.iin,
            signer_bin=signer.bin,
            next_attempt_at=None,
            last_error=None,
            finished_at=self._now(),
        )


class OutboxWorker:
    """A background thread running :meth:`JobSeekerOutbox.process_pending`, woken on each submission."""

    def __init__(self, outbox: JobSeekerOutbox, interval: float = 1.0) -> None:
        self._outbox = outbox
        self._interval = interval
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="portal-outbox", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self._outbox.process_pending()
            except Exception:  # keep the worker alive; the applications stay IN_PROGRESS and are retried
                LOG.exception("portal outbox pass failed")
            self._wake.wait(self._interval)
