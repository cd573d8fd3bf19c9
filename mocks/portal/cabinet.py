"""The documents of the personal cabinet: kept from the answers to the citizen's applications (JS-10, CE-4)
and delivered by other systems through ``EGOV_CabinetDocument`` (UN-3, UN-5, DR-2: the centre's notices).

A delivery (``cabinetDocumentDelivery``, :mod:`contracts.cabinet_delivery`) is kept only when every check
passes, and nothing is stored otherwise:

1. the sender is an organisation that issues such documents (the employment centre, the local authority) —
   else SCE003; the envelope names it as the issuer (its BIN) — else SCE003;
2. the envelope is XML within the limits and matches ``register-documents.xsd`` — else SCE001;
3. the recipient is a citizen of the portal — else SCE001;
4. the signed document verifies on the ecosystem's clock (SCE017 not signed, SCE016 invalid, SCE015 not
   current), its signer's certificate carries the sender's BIN (an official of the sending organisation,
   else SCE016), it is a kind the cabinet keeps and matches its schema (else SCE001);
5. the document is the one the envelope announces: kind, number, addressee — else SCE001.

The cabinet keeps a document once per issuer and number: the same document delivered again is answered with
the first receipt (``alreadyDelivered``); another document under a number already kept is refused (SCE001).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from adapters.shep import ErrorCode, Payload
from adapters.shep.spyne_provider import Handler, InboundMessage, ProviderError
from adapters.signed_documents import DocumentRejected, compiled_schema
from adapters.xml import XmlLimits, XmlRejected
from contracts.cabinet_delivery import (
    CABINET_SERVICE_ID,
    SCHEMA,
    CabinetDelivery,
    CabinetReceipt,
    read_cabinet_delivery,
    write_cabinet_receipt,
)
from contracts.register_documents import RegisterDocumentError, RegisterKind
from mocks.portal.document_kinds import JOB_LOSS_RESULTS, KINDS, DocumentVerifier, VerifiedDocument
from mocks.portal.storage import CabinetDocumentRow, PortalStore

LOG = logging.getLogger(__name__)

# What the employment centre and the local authority may put into a cabinet: every kind but the applicant's
# own application and the fund's notifications (which the fund alone delivers: Issuers.kinds).
DELIVERABLE_KINDS = frozenset(KINDS) - {RegisterKind.CERTIFICATE_APPLICATION.value} - JOB_LOSS_RESULTS


class CabinetDeliveryRefused(Exception):
    """A delivery that is not kept; ``code`` is the gateway error code the portal answers with."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code


class CabinetDocumentNotFound(LookupError):
    """No document with this id in the citizen's cabinet."""


def new_document_id() -> str:
    return f"DOC-{uuid.uuid4().hex[:20].upper()}"


def document_row(
    verified: VerifiedDocument,
    *,
    iin: str,
    source: str,
    received_at: datetime,
    issuer_name: str | None = None,
    application_id: str | None = None,
    sender_id: str | None = None,
) -> CabinetDocumentRow:
    """The cabinet's record of a verified document."""
    signer = verified.signer
    facts = verified.facts
    return CabinetDocumentRow(
        id=new_document_id(),
        iin=iin,
        kind=verified.kind.name,
        document_number=facts.document_number,
        issuer_id=verified.issuer_id(),
        issuer_name=issuer_name or signer.organisation or signer.common_name,
        issued_on=facts.issued_on.isoformat() if facts.issued_on else None,
        application_id=application_id or facts.application_id,
        source=source,
        sender_id=sender_id,
        document=verified.text,
        signer_common_name=signer.common_name,
        signer_iin=signer.iin,
        signer_bin=signer.bin,
        received_at=received_at,
    )


@dataclass(frozen=True)
class Issuers:
    """Who may deliver documents to cabinets: gateway sender id -> the BIN its officials sign with."""

    by_sender: Mapping[str, str]
    # the kinds a sender may deliver, when not DELIVERABLE_KINDS (the fund: its notifications only, SP-6)
    kinds: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def kinds_of(self, sender_id: str) -> frozenset[str]:
        return self.kinds.get(sender_id, DELIVERABLE_KINDS)

    def bin_of(self, sender_id: str) -> str:
        found = self.by_sender.get(sender_id)
        if found is None:
            raise CabinetDeliveryRefused(
                ErrorCode.ACCESS_DENIED,
                f"the portal keeps documents issued by {', '.join(sorted(self.by_sender))}, not by {sender_id}",
            )
        return found


class CabinetDocuments:
    """Keep delivered documents (see the module docstring) and show the citizen theirs."""

    def __init__(
        self,
        store: PortalStore,
        verifier: DocumentVerifier,
        issuers: Issuers,
        now: Callable[[], datetime],
        *,
        max_bytes: int,
        limits: XmlLimits | None = None,
        on_kept: Callable[[CabinetDocumentRow, VerifiedDocument], None] | None = None,
    ) -> None:
        """``on_kept`` is told of every document kept (also when delivered again), after it is kept: the fund's
        decision then becomes the result of its application (SP-6, :mod:`mocks.portal.job_loss`)."""
        self._store = store
        self._verifier = verifier
        self._issuers = issuers
        self._now = now
        self._max_bytes = max_bytes
        self._limits = limits
        self._on_kept = on_kept

    def receive(self, sender_id: str, payload: Payload) -> CabinetReceipt:
        """Keep one delivery, or raise :class:`CabinetDeliveryRefused` having changed nothing."""
        issuer_bin = self._issuers.bin_of(sender_id)
        delivery = self._read(payload)
        if delivery.issuer.bin != issuer_bin:
            raise CabinetDeliveryRefused(
                ErrorCode.ACCESS_DENIED,
                f"{sender_id} (BIN {issuer_bin}) may deliver its own documents only, "
                f"not those of BIN {delivery.issuer.bin}",
            )
        if self._store.citizen(delivery.recipient_iin) is None:
            raise CabinetDeliveryRefused(
                ErrorCode.MALFORMED, f"no citizen with IIN {delivery.recipient_iin} at the portal"
            )
        try:
            verified = self._verifier.verify(
                delivery.signed_document, issuer_bin=issuer_bin, kinds=self._issuers.kinds_of(sender_id)
            )
        except DocumentRejected as exc:
            raise CabinetDeliveryRefused(exc.code, str(exc)) from exc
        self._check_announced(delivery, verified)
        row = document_row(
            verified,
            iin=delivery.recipient_iin,
            source="delivery",
            received_at=self._now(),
            issuer_name=delivery.issuer.name,
            sender_id=sender_id,
        )
        kept, first = self._store.keep_document(row)
        if not first and (kept.document != row.document or kept.iin != row.iin):
            raise CabinetDeliveryRefused(
                ErrorCode.MALFORMED,
                f"document number {row.document_number} of BIN {issuer_bin} is kept already for another document; "
                "a document is delivered once under its number",
            )
        if self._on_kept is not None:
            self._on_kept(kept, verified)
        LOG.info(
            "cabinet document %s (%s %s from %s) %s",
            kept.id,
            kept.kind,
            kept.document_number,
            sender_id,
            "kept" if first else "delivered again: nothing changed",
        )
        return CabinetReceipt(kept.id, kept.document_number, kept.received_at, already_delivered=not first)

    def _read(self, payload: Payload) -> CabinetDelivery:
        try:
            element = payload.document(self._max_bytes, self._limits)
        except XmlRejected as exc:
            raise CabinetDeliveryRefused(ErrorCode.MALFORMED, f"the delivery is not acceptable XML: {exc}") from exc
        check = compiled_schema(SCHEMA).check(element)
        if check.error is not None:
            raise CabinetDeliveryRefused(ErrorCode.MALFORMED, f"the delivery does not match {SCHEMA}: {check.error}")
        try:
            return read_cabinet_delivery(element)
        except RegisterDocumentError as exc:
            raise CabinetDeliveryRefused(ErrorCode.MALFORMED, str(exc)) from exc

    @staticmethod
    def _check_announced(delivery: CabinetDelivery, verified: VerifiedDocument) -> None:
        facts = verified.facts
        announced = (delivery.document_kind, delivery.document_number, delivery.recipient_iin)
        found = (verified.kind.name, facts.document_number, facts.person_iin)
        if announced != found:
            raise CabinetDeliveryRefused(
                ErrorCode.MALFORMED,
                f"the envelope announces {announced[0]} {announced[1]} for IIN {announced[2]}, but the signed "
                f"document is {found[0]} {found[1]} for IIN {found[2]}",
            )

    # ---- what the citizen sees -------------------------------------------------------------------

    def documents_of(self, iin: str) -> list[CabinetDocumentRow]:
        return self._store.cabinet_documents_of(iin)

    def document(self, iin: str, document_id: str) -> CabinetDocumentRow:
        row = self._store.cabinet_document(document_id)
        if row is None or row.iin != iin:
            raise CabinetDocumentNotFound(f"you have no document {document_id!r}")
        return row


def cabinet_handler(cabinet: CabinetDocuments) -> Handler:
    """The SyncChannel handler of ``EGOV_CabinetDocument``: the receipt, or a fault with the refusal's code."""

    def handle(message: InboundMessage) -> Payload:
        if message.info.service_id != CABINET_SERVICE_ID:
            raise ProviderError(ErrorCode.UNKNOWN_SERVICE, f"the portal provides {CABINET_SERVICE_ID} only")
        try:
            receipt = cabinet.receive(message.info.sender_id, message.payload)
        except CabinetDeliveryRefused as exc:
            LOG.warning("cabinet delivery from %s refused (%s): %s", message.info.sender_id, exc.code.value, exc)
            raise ProviderError(exc.code, str(exc)) from exc
        return Payload(element=write_cabinet_receipt(receipt))

    return handle
