"""The authority's SyncChannel intake: ``MIO_UnemployedRegistration``, ``MIO_Deregistration``, ``MIO_Complaint``.

Each message is read as hostile until proven otherwise, and refused with an SCE code before anything is
stored (docs/local-authority.md lists them):

1. the documents travel as signed XML text (``xsi:type xs:string``), read with the hardened parser within the
   size limit (SCE017 if there is no text; SCE001 if it is not acceptable XML);
2. the payload must match ``wsdl/xsd/local-authority.xsd`` and be the root element of the service (SCE001);
3. UN-1 and DR-1: the enveloped signature must verify (SCE017 unsigned, SCE016 invalid, SCE015 expired or
   revoked) and be an official's of the employment centre: a person's certificate (IIN) carrying the centre's
   BIN (SCE016 otherwise), Rules No. 259 §31 ("the director of the employment centre, or a person they
   authorised, approves the draft decision with EDS");
4. a complaint may be signed: then by the complainant (IIN in the certificate = the complainant's, SCE016);
5. the contract's reading and the IIN's check digit (SCE001).

Then the service layer stores the case (once per id: a repeated sending answers the same receipt) and the
answer is the ``receipt`` with the deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from adapters.pki import TrustStore
from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode, business_signature_code
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from adapters.signatures import SignatureError, verify_document
from adapters.signatures.business import DS_NS
from adapters.xml import CompiledSchema, XmlRejected, parse_xml
from contracts import local_authority as contract
from kernel.iin import is_valid_iin
from mocks.local_authority.domain.models import (
    Addressee,
    CaseKind,
    DeregistrationInfo,
    Outcome,
    PersonData,
    Reason,
    Receipt,
    RegistrationDraft,
    Sex,
)
from mocks.local_authority.service_layer.ports import CaseConflict, InvalidGround
from mocks.local_authority.service_layer.services import AuthorityServices, ReceiveCase, ReceiveComplaint

_ROOTS = {
    contract.UNEMPLOYED_REGISTRATION_SERVICE: contract.PACKAGE_TAG,
    contract.DEREGISTRATION_SERVICE: contract.DEREGISTRATION_TAG,
    contract.COMPLAINT_SERVICE: contract.COMPLAINT_TAG,
}


@dataclass(frozen=True)
class Intake:
    """The provider handler of the authority's three services."""

    services: AuthorityServices
    trust: TrustStore
    now: Callable[[], datetime]
    max_bytes: int
    schema: CompiledSchema
    centre_bin: str  # the employment centre's BIN: its officials sign the documents

    def __call__(self, message: InboundMessage) -> Payload:
        service_id = message.info.service_id
        root = _ROOTS.get(service_id)
        if root is None:
            raise ProviderError(
                ErrorCode.UNKNOWN_SERVICE,
                f"the local employment authority does not serve {service_id}; it serves {', '.join(sorted(_ROOTS))}",
            )
        text, document = self._document(message, root)
        try:
            if service_id == contract.COMPLAINT_SERVICE:
                receipt = self._complaint(message, document)
            else:
                receipt = self._case(message, text, document, service_id)
        except (CaseConflict, InvalidGround) as exc:
            raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
        return Payload(element=contract.write_receipt(_receipt(receipt)))

    def _document(self, message: InboundMessage, root: str) -> tuple[str, etree._Element]:
        """Steps 1-2: the payload as text and its root element, schema-valid and of this service."""
        if message.payload.text:
            text = message.payload.text
        elif message.payload.element is not None and root == contract.COMPLAINT_TAG:
            text = etree.tostring(message.payload.element, encoding="unicode")  # a complaint may be an element
        else:
            raise ProviderError(
                ErrorCode.BUSINESS_DATA_NOT_SIGNED,
                "the documents must be carried as a signed XML document (xsi:type xs:string)",
            )
        try:
            document = parse_xml(text, max_bytes=self.max_bytes)
        except XmlRejected as exc:
            raise ProviderError(ErrorCode.MALFORMED, f"the payload is not acceptable XML: {exc}") from exc
        check = self.schema.check(document)
        if check.error is not None:
            raise ProviderError(ErrorCode.MALFORMED, f"the payload does not match {contract.SCHEMA}: {check.error}")
        if document.tag != root:
            raise ProviderError(
                ErrorCode.MALFORMED,
                f"{message.info.service_id} carries {etree.QName(root).localname}, not "
                f"{etree.QName(document).localname}",
            )
        return text, document

    def _case(self, message: InboundMessage, text: str, document: etree._Element, service_id: str) -> Receipt:
        try:
            verified = verify_document(document, self.trust, self.now())
        except SignatureError as exc:
            raise ProviderError(business_signature_code(exc), str(exc)) from exc
        signer = verified.signer
        if signer.iin is None or signer.bin != self.centre_bin:
            raise ProviderError(
                ErrorCode.BUSINESS_SIGNATURE_INVALID,
                f"the documents must be signed by an official of the employment centre (BIN {self.centre_bin}), "
                f"not by {signer.describe()} (Rules No. 259 §31)",
            )
        subject: RegistrationDraft | DeregistrationInfo
        try:
            if service_id == contract.UNEMPLOYED_REGISTRATION_SERVICE:
                package = contract.read_registration_package(verified.document)
                case_id, kind, subject = package.case_id, CaseKind.UNEMPLOYED_REGISTRATION, _draft(package)
            else:
                request = contract.read_deregistration_request(verified.document)
                case_id, kind, subject = request.case_id, CaseKind.DEREGISTRATION, _deregistration(request)
        except contract.LocalAuthorityPayloadError as exc:
            raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
        _check_iin(subject.person.iin, "person/iin")
        return self.services.receive_case(
            ReceiveCase(
                case_id=case_id,
                kind=kind,
                subject=subject,
                correlation_id=message.info.correlation_id,
                sender_id=message.info.sender_id,
                signed_by=signer.describe(),
                document=text,
            )
        )

    def _complaint(self, message: InboundMessage, document: etree._Element) -> Receipt:
        signed_by: str | None = None
        signer_iin: str | None = None
        content = document
        if document.find(f"{{{DS_NS}}}Signature") is not None:
            try:
                verified = verify_document(document, self.trust, self.now())
            except SignatureError as exc:
                raise ProviderError(business_signature_code(exc), str(exc)) from exc
            content, signed_by, signer_iin = verified.document, verified.signer.describe(), verified.signer.iin
        try:
            complaint = contract.read_complaint(content)
        except contract.LocalAuthorityPayloadError as exc:
            raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
        _check_iin(complaint.complainant_iin, "complainant/iin")
        if signed_by is not None and signer_iin != complaint.complainant_iin:
            raise ProviderError(
                ErrorCode.BUSINESS_SIGNATURE_INVALID,
                f"a signed complaint is signed by the complainant {complaint.complainant_iin}, not by {signed_by}",
            )
        return self.services.receive_complaint(
            ReceiveComplaint(
                complaint_id=complaint.complaint_id,
                complainant_iin=complaint.complainant_iin,
                complainant_name=complaint.complainant_name,
                addressee=Addressee(complaint.addressee.value),
                subject=complaint.subject,
                text=complaint.text,
                contested_application_id=complaint.contested_application_id,
                correlation_id=message.info.correlation_id,
                sender_id=message.info.sender_id,
                signed_by=signed_by,
            )
        )


def _check_iin(iin: str, where: str) -> None:
    if not is_valid_iin(iin):
        raise ProviderError(ErrorCode.MALFORMED, f"{where} {iin!r} is not a valid IIN (check digit)")


def _person(person: contract.Person) -> PersonData:
    return PersonData(
        person.iin,
        person.surname,
        person.name,
        person.patronymic,
        person.birth_date,
        Sex(person.sex.value),
        person.address,
    )


def _draft(package: contract.UnemployedRegistrationPackage) -> RegistrationDraft:
    return RegistrationDraft(
        person=_person(package.person),
        job_seeker_registered_on=package.job_seeker_registered_on,
        sending_ground=package.sending_ground.value,
        proposed=Outcome(package.draft.proposed_outcome.value),
        proposed_reasons=tuple(Reason(reason.rule_id, reason.text) for reason in package.draft.reasons),
    )


def _deregistration(request: contract.DeregistrationRequest) -> DeregistrationInfo:
    return DeregistrationInfo(
        person=_person(request.person),
        unemployed_since=request.unemployed_since,
        ground=request.ground,
        facts=request.facts,
        information_received_on=request.information_received_on,
    )


def _receipt(receipt: Receipt) -> contract.Receipt:
    return contract.Receipt(
        kind=contract.ReceiptKind(receipt.kind),
        case_id=receipt.case_id,
        received_at=receipt.received_at,
        deadline=receipt.deadline,
        rule_id=receipt.rule_id,
    )
