"""The local employment authority through the gateway (``employment.service_layer.ports.LocalAuthority``).

- UN-1 (Rules No. 259 §31): the director-signed ``unemployedRegistrationPackage`` is the draft decision itself
  (:mod:`employment.adapters.register_document_issuer` writes and signs it when the director approves the
  draft), so what the centre keeps and what the authority receives are the same bytes; it travels as text
  on ``MIO_UnemployedRegistration``.
- DR-1 (§44): the ``deregistrationRequest`` is written from the stored request and the person as the registry
  holds them, signed with the director's EDS and sent on ``MIO_Deregistration``.

The answer is the authority's ``receipt`` (its deadline is the decision's). Both services are idempotent at
the authority by case id, so a retry answers the first receipt. Failures: see
:mod:`employment.adapters.gateway_calls`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from lxml import etree

from adapters.pki import Credential
from adapters.shep.envelope import Payload
from adapters.shep.service_call import SyncSender
from adapters.signed_documents import sign_to_text
from contracts import local_authority as la
from employment.adapters.gateway_calls import call
from employment.domain.models import RegistryRecord, Sex
from employment.service_layer.ports import (
    AuthorityReceipt,
    DeregistrationRequest,
    ExternalSystemUnavailable,
    PersonRegistry,
    PortRefused,
    UnemployedDocumentsPackage,
)

__all__ = ["GatewayLocalAuthority", "authority_person"]

SYSTEM = "the local employment authority"


def authority_person(record: RegistryRecord) -> la.Person:
    """The person as the authority's payloads carry them, from the person registry's record."""
    if record.sex is None:
        raise PortRefused(f"the person registry did not give the sex of IIN {record.iin}")
    return la.Person(
        iin=record.iin,
        surname=record.surname,
        name=record.name,
        patronymic=record.patronymic,
        birth_date=record.birth_date,
        sex=la.Sex.MALE if record.sex is Sex.MALE else la.Sex.FEMALE,
        address=record.address or "no registered address",
    )


class GatewayLocalAuthority:
    def __init__(
        self,
        sender: SyncSender,
        registry: PersonRegistry,
        director: Credential,
        now: Callable[[], datetime],
    ) -> None:
        self._sender = sender
        self._registry = registry
        self._director = director
        self._now = now

    def send_unemployed_documents(self, package: UnemployedDocumentsPackage) -> AuthorityReceipt:
        answer = call(
            self._sender,
            la.UNEMPLOYED_REGISTRATION_SERVICE,
            Payload(text=package.draft_document),
            package.correlation_id,
            SYSTEM,
        )
        return self._receipt(answer, package.case_id)

    def send_deregistration(self, request: DeregistrationRequest) -> AuthorityReceipt:
        record = self._registry.find(request.iin, request.correlation_id)
        if record is None:
            raise PortRefused(f"the person registry holds no data for IIN {request.iin}")
        facts = "; ".join([request.finding, *(f"{key}: {value}" for key, value in request.facts)])
        document = la.write_deregistration_request(
            la.DeregistrationRequest(
                case_id=request.request_id,
                sent_at=self._now(),
                person=authority_person(record),
                unemployed_since=request.unemployed_since,
                ground=request.ground,
                facts=facts[:8000],
                information_received_on=request.information_received_at.date(),
            )
        )
        answer = call(
            self._sender,
            la.DEREGISTRATION_SERVICE,
            Payload(text=sign_to_text(document, self._director)),
            request.correlation_id,
            SYSTEM,
        )
        return self._receipt(answer, request.request_id)

    @staticmethod
    def _receipt(answer: etree._Element, reference: str) -> AuthorityReceipt:
        try:
            receipt = la.read_receipt(answer)
        except la.LocalAuthorityPayloadError as exc:
            raise ExternalSystemUnavailable(SYSTEM, f"the receipt cannot be read: {exc}") from exc
        if receipt.case_id != reference:
            raise ExternalSystemUnavailable(SYSTEM, f"the receipt names case {receipt.case_id}, not {reference}")
        return AuthorityReceipt(
            reference=reference,
            authority_case_id=receipt.case_id,
            received_at=receipt.received_at,
            decision_due=receipt.deadline,
        )
