"""``ENBEK_JobSeekerRegistration`` (and ``ENBEK_JobSeekerRegistrationAsync``, the same over the AsyncChannel):
the signed registration form (standard Annex 2) in, the signed result
document (Rules Annex 3 or Annex 2) out.

The mapper verifies the citizen's enveloped signature (SP-5) on the exact text sent and reads the form; no
rule is applied here.
"""

from __future__ import annotations

from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode, business_signature_code
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from adapters.signatures import SignatureError, verify_document
from adapters.xml import XmlRejected, parse_xml
from employment.adapters.async_answers import ASYNC_SERVICE_ID
from employment.adapters.form_mapping import FormError, applicant_from_form, submitted_at_from_form
from employment.entrypoints.dispatch import InboundContext, ServiceRoute
from employment.service_layer.commands import RegisterJobSeeker
from employment.service_layer.handlers import register_job_seeker
from employment.service_layer.ports import StoredApplication

SERVICE_ID = "ENBEK_JobSeekerRegistration"


def to_command(message: InboundMessage, inbound: InboundContext) -> RegisterJobSeeker:
    if not message.payload.text:
        raise ProviderError(
            ErrorCode.BUSINESS_DATA_NOT_SIGNED,
            "the form must be carried as a signed XML document (xsi:type xs:string)",
        )
    try:
        form = parse_xml(message.payload.text, max_bytes=inbound.max_bytes)
        verified = verify_document(form, inbound.trust, inbound.now())
        application_id, applicant = applicant_from_form(verified.document)
        submitted_at = submitted_at_from_form(verified.document)
    except XmlRejected as exc:
        raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
    except SignatureError as exc:
        raise ProviderError(business_signature_code(exc), str(exc)) from exc
    except FormError as exc:
        raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
    return RegisterJobSeeker(
        application_id=application_id,
        applicant=applicant,
        signer_iin=verified.signer.iin,
        signer_description=f"employment centre verified the applicant's signature: {verified.signer.describe()}",
        received_at=inbound.now(),
        correlation_id=message.info.correlation_id,
        submitted_at=submitted_at,
    )


def to_payload(stored: StoredApplication) -> Payload:
    return Payload(text=stored.document)


ROUTE: ServiceRoute[RegisterJobSeeker, StoredApplication] = ServiceRoute(
    service_id=SERVICE_ID,
    to_command=to_command,
    handle=register_job_seeker,
    to_payload=to_payload,
    async_service_id=ASYNC_SERVICE_ID,
)
