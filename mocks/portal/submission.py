"""Delivery of accepted applications: the portal's outbox topic, sent through the gateway.

By default (``portal_registration_channel = "async"``) the signed form goes as an AsyncChannel REQUEST of
``ENBEK_JobSeekerRegistrationAsync``: the gateway's answer means "request accepted" (its messageId and
correlationId are recorded; the cabinet stays "In progress"); the centre's status NOTIFICATIONs and the
signed result (RESPONSE) arrive later at the portal's IAsyncChannelClient (:mod:`mocks.portal.async_results`),
and the result is kept by the same :meth:`ResultKeeper.keep` as a SyncChannel answer. With ``"sync"`` the
form goes as a SyncChannel SendMessage of ``ENBEK_JobSeekerRegistration`` and the result is in the answer.

JS-10 (Rules No. 259 §25-29): the signed form goes to the employment centre; the result is an electronic document signed
with the EDS of the centre's director (or a person they authorised), sent to and kept in the personal
cabinet. :meth:`mocks.portal.storage.PortalStore.add_application` stores the application and its outbox
message in one transaction; the shared :class:`adapters.storage.OutboxWorker` calls
:class:`JobSeekerDelivery` for it, at least once, with the application id as the ``correlationId`` (a
repeated application is the centre's case JS-7). Every attempt is a new SendMessage (a fresh messageId and
messageDate from :class:`adapters.shep.sync_client.SyncChannelClient`), so a re-send after SCE008 is not a
replay.

Outcomes of one attempt (the table is :mod:`mocks.portal.outcomes`, for either channel):

- a reply whose document verifies (enveloped XML-DSig, trusted chain, not revoked) and whose signer's
  certificate carries the employment centre's BIN -> DONE, with the result kind (``registered`` for
  ``jobSeekerRegistrationNotice``, ``refused`` for ``jobSeekerRegistrationRefusal``, ``not-accepted`` for
  ``jobSeekerApplicationNotAccepted``);
- the citizen's own error -> REJECTED, in plain words (delivered: nothing more to send);
- a transient failure -> :class:`DeliveryPostponed`: the outbox retries with backoff;
- the portal's own unfixable-by-retry problem -> :class:`DeliveryRefused`: a dead letter at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree

from adapters.pki import Credential, TrustStore
from adapters.shep import ErrorCode, Payload
from adapters.shep.async_client import AsyncChannelClient
from adapters.shep.envelope import RequestInfo, build_request
from adapters.shep.service_call import SyncSender
from adapters.shep.sync_client import new_message_id
from adapters.signatures import sign_envelope
from adapters.signed_documents import DocumentRejected
from adapters.storage import DeliveryRefused
from adapters.xml import to_bytes
from adapters.xml.parser import DEFAULT_MAX_BYTES
from contracts.async_channel import MessageType
from contracts.job_seeker_form import ASYNC_SERVICE_ID, SERVICE_ID
from mocks.portal.cabinet import document_row
from mocks.portal.document_kinds import JOB_SEEKER_RESULTS, DocumentVerifier, VerifiedDocument
from mocks.portal.outcomes import Handling, UntrustedResultError, classify
from mocks.portal.storage import ApplicationEventRow, ApplicationRow, ApplicationStatus, PortalStore

LOG = logging.getLogger(__name__)


class DeliveryPostponed(Exception):
    """A transient failure: nothing was decided, the outbox sends the application again later."""


REQUEST_ACCEPTED = (
    "Your request was accepted and passed to the employment centre; the result will appear here when it is ready."
)


class ResultKeeper:
    """Verify the centre's result document and keep it in the cabinet (JS-10, CE-4): one code path for a
    SyncChannel answer and an AsyncChannel RESPONSE; and record a failed attempt as the outcome table says.

    ``kinds`` are the documents that answer the applications this keeper serves (the job-seeker results by
    default; the certificate or its refusal for a certificate application). The document must verify, be
    signed by an official of the employment centre (``employment_bin``), match its schema, and name the
    application and its applicant; it is then kept in the cabinet with the application's outcome, in one
    transaction."""

    def __init__(
        self,
        store: PortalStore,
        trust: TrustStore,
        employment_bin: str,
        now: Callable[[], datetime],
        *,
        kinds: Collection[str] = JOB_SEEKER_RESULTS,
        verifier: DocumentVerifier | None = None,
    ) -> None:
        self._store = store
        self._employment_bin = employment_bin
        self._now = now  # the ecosystem's clock: signature validity is judged at this instant
        self._kinds = frozenset(kinds)
        self._verifier = verifier or DocumentVerifier(trust, now, max_bytes=DEFAULT_MAX_BYTES)

    def failed(self, row: ApplicationRow, error: BaseException) -> None:
        """Record the outcome of a failed attempt; raises for a retry or a hold (see the module docstring)."""
        outcome = classify(error)
        detail = f"{type(error).__name__}: {error}"
        if outcome.handling is Handling.REJECT:
            LOG.info("application %s rejected: %s", row.id, detail)
            self._store.finish_application(
                row.id,
                status=ApplicationStatus.REJECTED.value,
                error_code=outcome.code,
                error_message=outcome.plain,
                error_detail=detail,
                finished_at=self._now(),
            )
            return
        if outcome.handling is Handling.HOLD:
            LOG.error("application %s cannot be delivered without a person: %s", row.id, detail)
            raise DeliveryRefused(detail) from error
        LOG.warning("application %s not delivered, will retry: %s", row.id, detail)
        raise DeliveryPostponed(detail) from error

    def _verified(self, text: str) -> VerifiedDocument:
        try:
            return self._verifier.verify(text, issuer_bin=self._employment_bin, kinds=self._kinds)
        except DocumentRejected as exc:
            raise UntrustedResultError(
                exc.code, f"the result cannot be kept as the employment centre's (BIN {self._employment_bin}): {exc}"
            ) from exc

    def keep(self, payload: Payload, row: ApplicationRow | None = None) -> bool:
        """Keep the result document in ``payload`` for its application (``row``, or the one the document
        names); False when that application was finished before (a repeated result)."""
        text = payload.text
        if text is None and payload.element is not None:
            text = etree.tostring(payload.element, encoding="unicode")
        if not text:
            raise UntrustedResultError(ErrorCode.MALFORMED, "the reply carries no result document")
        verified = self._verified(text)  # read only what the signature covers
        named = verified.facts.application_id
        if row is None:
            row = self._store.application(named or "")
            if row is None:
                raise UntrustedResultError(
                    ErrorCode.MALFORMED, f"the result names no application of the portal ({named!r})"
                )
        if named != row.id:
            raise UntrustedResultError(ErrorCode.MALFORMED, f"the result names application {named!r}, not {row.id!r}")
        if verified.facts.person_iin != row.iin:
            raise UntrustedResultError(
                ErrorCode.MALFORMED,
                f"the result of {row.id} is addressed to IIN {verified.facts.person_iin}, not to the applicant",
            )
        signer = verified.signer
        now = self._now()
        return self._store.finish_application(
            row.id,
            document=document_row(verified, iin=row.iin, source="application", received_at=now, application_id=row.id),
            status=ApplicationStatus.DONE.value,
            result_kind=verified.kind.name,
            result_document=text,
            signer_common_name=signer.common_name,
            signer_iin=signer.iin,
            signer_bin=signer.bin,
            finished_at=now,
        )


class JobSeekerDelivery:
    """The outbox's delivery function for accepted applications (payload ``{"applicationId": …}``):
    ``channel`` "async" sends an AsyncChannel REQUEST, "sync" a SyncChannel SendMessage."""

    def __init__(
        self,
        store: PortalStore,
        keeper: ResultKeeper,
        *,
        channel: str = "async",
        sync_sender: Callable[[], SyncSender] | None = None,
        async_sender: Callable[[], AsyncChannelClient] | None = None,
        now: Callable[[], datetime],
    ) -> None:
        if channel not in ("async", "sync"):
            raise ValueError(f"the portal sends registrations over 'async' or 'sync', not {channel!r}")
        if (channel == "async" and async_sender is None) or (channel == "sync" and sync_sender is None):
            raise ValueError(f"the {channel} channel needs its client")
        self._store = store
        self._keeper = keeper
        self._channel = channel
        self._sync = sync_sender
        self._async = async_sender
        self._now = now

    def __call__(self, payload: dict[str, Any]) -> None:
        application_id = str(payload.get("applicationId", ""))
        row = self._store.application(application_id)
        if row is None:
            raise DeliveryRefused(f"no application {application_id!r} in the portal's store")
        if row.status != ApplicationStatus.IN_PROGRESS.value:
            return  # already finished: a repeated delivery after a crash before the outbox was told
        try:
            if self._async is not None and self._channel == "async":
                self._request(row, self._async())
            else:
                assert self._sync is not None
                reply = self._sync().send(SERVICE_ID, Payload(text=row.signed_form or ""), correlation_id=row.id)
                self._keeper.keep(reply.payload, row)
        except Exception as exc:  # every failure is classified (mocks.portal.outcomes), none is swallowed
            self._keeper.failed(row, exc)

    def _request(self, row: ApplicationRow, client: AsyncChannelClient) -> None:
        """Send the REQUEST; the gateway's receipt means "request accepted" (recorded with its ids)."""
        receipt = client.send(ASYNC_SERVICE_ID, Payload(text=row.signed_form or ""), message_type=MessageType.REQUEST)
        self._store.add_event(
            ApplicationEventRow(
                message_id=receipt.message_id,
                application_id=row.id,
                kind="accepted",
                correlation_id=receipt.correlation_id,
                text=REQUEST_ACCEPTED,
                at=self._now(),
            )
        )


@dataclass(frozen=True)
class EnvelopeSize:
    """How many bytes the gateway would receive for a signed form: the SendMessage the portal's client
    builds (``adapters.shep.sync_client``), signed with the portal's system key. The door compares it with
    the gateway's ``max_message_bytes``, so a form too large is refused before it is accepted."""

    sender_id: str
    password: str | None
    credential: Credential
    now: Callable[[], datetime]

    def __call__(self, application_id: str, signed_form: str) -> int:
        info = RequestInfo(
            message_id=new_message_id(),
            service_id=SERVICE_ID,
            sender_id=self.sender_id,
            password=self.password,
            message_date=self.now(),
            correlation_id=application_id,
            properties={},
        )
        envelope = sign_envelope(build_request(info, Payload(text=signed_form)), self.credential)
        return len(to_bytes(envelope))
