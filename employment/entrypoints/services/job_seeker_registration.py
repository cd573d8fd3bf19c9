"""``ENBEK_JobSeekerRegistration`` (and ``ENBEK_JobSeekerRegistrationAsync``, the same over the AsyncChannel):
the signed registration form (standard Annex 2) in, the signed result
document (Rules Annex 3 or Annex 2) out.

The mapper verifies the enveloped signature on the exact text sent (the citizen's from the portal, SP-5; the
operator's from the State Corporation, JS-12) and reads the form; no rule is applied here. The channel is the
sender's: the portal brings PORTAL forms, the State Corporation's system STATE_CORPORATION forms, and a form
that names another channel than its sender's is refused (SCE003): the centre's own office and the rural
assistant enter theirs through the centre's API (``employment.entrypoints.channels_api``).
"""

from __future__ import annotations

from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode, business_signature_code
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from adapters.signatures import SignatureError, verify_document
from adapters.xml import XmlRejected, parse_xml
from ecosystem.catalogue import system
from employment.adapters.async_answers import ASYNC_SERVICE_ID
from employment.adapters.form_mapping import FormError, registration_form
from employment.domain.rules.channels import Channel
from employment.entrypoints.dispatch import InboundContext, ServiceRoute
from employment.service_layer.commands import RegisterJobSeeker
from employment.service_layer.handlers import register_job_seeker
from employment.service_layer.ports import StoredApplication

SERVICE_ID = "ENBEK_JobSeekerRegistration"


def channel_of_sender(sender_id: str) -> Channel | None:
    """The channel whose forms a gateway participant brings (Rules No. 259 §4 sub.2 and sub.3)."""
    return {
        system("portal").sender_id: Channel.PORTAL,
        system("state_corp").sender_id: Channel.STATE_CORPORATION,
    }.get(sender_id)


def to_command(message: InboundMessage, inbound: InboundContext) -> RegisterJobSeeker:
    if not message.payload.text:
        raise ProviderError(
            ErrorCode.BUSINESS_DATA_NOT_SIGNED,
            "the form must be carried as a signed XML document (xsi:type xs:string)",
        )
    try:
        form = parse_xml(message.payload.text, max_bytes=inbound.max_bytes)
        verified = verify_document(form, inbound.trust, inbound.now())
        read = registration_form(verified.document)
    except XmlRejected as exc:
        raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
    except SignatureError as exc:
        raise ProviderError(business_signature_code(exc), str(exc)) from exc
    except FormError as exc:
        raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
    channel = channel_of_sender(message.info.sender_id)
    if channel is None or read.channel is not channel:
        raise ProviderError(
            ErrorCode.ACCESS_DENIED,
            f"{message.info.sender_id} cannot bring a form taken through channel {read.channel.value}"
            + (f"; its forms are {channel.value} (intake/channel)" if channel is not None else ""),
        )
    whose = "the applicant's" if channel is Channel.PORTAL else "the operator's"
    return RegisterJobSeeker(
        application_id=read.application_id,
        applicant=read.applicant,
        signer_iin=verified.signer.iin,
        signer_description=f"employment centre verified {whose} signature: {verified.signer.describe()}",
        received_at=inbound.now(),
        correlation_id=message.info.correlation_id,
        submitted_at=read.submitted_at,
        channel=channel,
        signer_bin=verified.signer.bin,
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
