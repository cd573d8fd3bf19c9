"""``ENBEK_UnemployedCertificate``: the certificate of registration as unemployed (CE-1..CE-4, Rules No. 259
§38-43), through the portal only. The applicant-signed Annex 7 application in, the director-signed Annex 8
certificate or the reasoned refusal (CE-3) out, as signed text; the portal verifies it and keeps it in the
personal cabinet (CE-4).

The mapper reads the message as hostile: signed text only (SCE017), parsed within the size limit and checked
against ``wsdl/xsd/register-documents.xsd`` (SCE001); it must be the Annex 7 application (SCE001); the
signature must verify (SCE016, SCE015) and be the applicant's own (SCE016, checked again by the handler);
only the portal sends it (SCE003). Nothing is stored on a refusal.
"""

from __future__ import annotations

from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from adapters.signed_documents import DocumentRejected, read_signed_register_document
from contracts.register_documents import CERTIFICATE_SERVICE_ID, CertificateApplication
from ecosystem.catalogue import system
from employment.entrypoints.dispatch import InboundContext, ServiceRoute, register_services
from employment.service_layer.certificate import RequestCertificate, issue_certificate
from employment.service_layer.handlers import EmploymentServices
from employment.service_layer.register_records import CertificateRecord

SERVICE_ID = CERTIFICATE_SERVICE_ID


def to_command(message: InboundMessage, inbound: InboundContext) -> RequestCertificate:
    portal = system("portal").sender_id
    if message.info.sender_id != portal:
        raise ProviderError(
            ErrorCode.ACCESS_DENIED, f"the certificate is applied for through the portal ({portal}) only"
        )
    if not message.payload.text:
        raise ProviderError(
            ErrorCode.BUSINESS_DATA_NOT_SIGNED, "the application must be carried as a signed XML document (xs:string)"
        )
    now = inbound.now()
    try:
        verified = read_signed_register_document(message.payload.text, inbound.trust, now, max_bytes=inbound.max_bytes)
    except DocumentRejected as exc:
        raise ProviderError(exc.code, str(exc)) from exc
    application = verified.document
    if not isinstance(application, CertificateApplication):
        raise ProviderError(
            ErrorCode.MALFORMED, f"{SERVICE_ID} carries the certificate application (Annex 7), not {application.kind}"
        )
    if verified.signer.iin != application.applicant.iin:
        raise ProviderError(
            ErrorCode.BUSINESS_SIGNATURE_INVALID,
            f"the application is signed by {verified.signer.describe()}, not by the applicant (Annex 7, §41)",
        )
    return RequestCertificate(
        application_id=application.application_id,
        iin=application.applicant.iin,
        full_name=application.applicant.full_name,
        signer_iin=verified.signer.iin,
        signer_description=f"employment centre verified the applicant's signature: {verified.signer.describe()}",
        received_at=now,
        correlation_id=message.info.correlation_id,
    )


def handle(command: RequestCertificate, services: EmploymentServices) -> CertificateRecord:
    return issue_certificate(command, register_services(services))


def to_payload(record: CertificateRecord) -> Payload:
    return Payload(text=record.document)


ROUTE: ServiceRoute[RequestCertificate, CertificateRecord] = ServiceRoute(
    service_id=SERVICE_ID, to_command=to_command, handle=handle, to_payload=to_payload
)
