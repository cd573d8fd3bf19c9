"""Translate an inbound ``ENBEK_JobSeekerRegistration`` message into a command, and its outcome back.

Verify the citizen's enveloped signature (SP-5) on the exact bytes sent, map the form, dispatch; map
errors to SCE codes. No rule is applied here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from adapters.pki import TrustStore
from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode, business_signature_code
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from adapters.signatures import SignatureError, verify_document
from adapters.xml import XmlRejected, parse_xml
from employment.adapters.form_mapping import FormError, applicant_from_form, submitted_at_from_form
from employment.domain.errors import SignerIsNotApplicant
from employment.service_layer.commands import RegisterJobSeeker
from employment.service_layer.handlers import EmploymentServices, register_job_seeker
from employment.service_layer.ports import ExternalSystemUnavailable

REGISTRATION_SERVICE_ID = "ENBEK_JobSeekerRegistration"


def registration_handler(
    services: EmploymentServices, trust: TrustStore, now: Callable[[], datetime], max_bytes: int
) -> Callable[[InboundMessage], Payload]:
    def handle(message: InboundMessage) -> Payload:
        if message.info.service_id != REGISTRATION_SERVICE_ID:
            raise ProviderError(
                ErrorCode.UNKNOWN_SERVICE, f"the employment centre does not serve {message.info.service_id}"
            )
        if not message.payload.text:
            raise ProviderError(
                ErrorCode.BUSINESS_DATA_NOT_SIGNED,
                "the form must be carried as a signed XML document (xsi:type xs:string)",
            )
        try:
            form = parse_xml(message.payload.text, max_bytes=max_bytes)
            verified = verify_document(form, trust, now())
            application_id, applicant = applicant_from_form(verified.document)
            submitted_at = submitted_at_from_form(verified.document)
        except XmlRejected as exc:
            raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
        except SignatureError as exc:
            raise ProviderError(business_signature_code(exc), str(exc)) from exc
        except FormError as exc:
            raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
        command = RegisterJobSeeker(
            application_id=application_id,
            applicant=applicant,
            signer_iin=verified.signer.iin,
            signer_description=f"employment centre verified the applicant's signature: {verified.signer.describe()}",
            received_at=now(),
            correlation_id=message.info.correlation_id,
            submitted_at=submitted_at,
        )
        try:
            stored = register_job_seeker(command, services)
        except SignerIsNotApplicant as exc:
            raise ProviderError(ErrorCode.BUSINESS_SIGNATURE_INVALID, str(exc)) from exc
        except ExternalSystemUnavailable as exc:
            raise ProviderError(
                ErrorCode.INTERNAL, f"the decision needs a state system that did not answer: {exc}"
            ) from exc
        return Payload(text=stored.document)

    return handle
