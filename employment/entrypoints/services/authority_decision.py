"""``ENBEK_AuthorityDecision``: the local employment authority's decision, signed by its head (UN-2, Rules
No. 259 §32; DR-2, §45), back to the centre; the answer is the ``decisionAcknowledgement``.

The mapper reads the message as hostile: the decision travels as signed text (SCE017 otherwise), parsed
within the size limit and checked against ``wsdl/xsd/local-authority.xsd`` (SCE001); the enveloped signature
must verify (SCE016, SCE015 for a certificate not current) and be an official's of the local authority (the
signer's certificate carries its BIN, SCE016 otherwise); only the authority may send it (SCE003). Then
``record_authority_decision`` records it, once per decision id (the same decision again answers the same
acknowledgement; another decision on a decided case, or a case the centre did not send: SCE001, nothing
changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from adapters.signed_documents import DocumentRejected, compiled_schema, verify_signed_text
from contracts import local_authority as la
from ecosystem.catalogue import system
from employment.domain.models import Reason
from employment.entrypoints.dispatch import InboundContext, ServiceRoute, register_services
from employment.service_layer.handlers import EmploymentServices
from employment.service_layer.register import (
    AuthorityDecision,
    DecisionKind,
    DecisionOutcome,
    record_authority_decision,
)

SERVICE_ID = la.DECISION_SERVICE

_KINDS = {
    (la.CaseKind.UNEMPLOYED_REGISTRATION, la.Outcome.REGISTERED): DecisionKind.REGISTERED,
    (la.CaseKind.UNEMPLOYED_REGISTRATION, la.Outcome.REFUSED): DecisionKind.REFUSED,
    (la.CaseKind.DEREGISTRATION, la.Outcome.DEREGISTERED): DecisionKind.DEREGISTERED,
    (la.CaseKind.DEREGISTRATION, la.Outcome.REFUSED): DecisionKind.NOT_DEREGISTERED,
}


@dataclass(frozen=True)
class Acknowledged:
    outcome: DecisionOutcome
    received_at: datetime


def to_command(message: InboundMessage, inbound: InboundContext) -> AuthorityDecision:
    authority = system("local_authority")
    if message.info.sender_id != authority.sender_id:
        raise ProviderError(
            ErrorCode.ACCESS_DENIED, f"only the local authority ({authority.sender_id}) sends its decisions"
        )
    if not message.payload.text:
        raise ProviderError(
            ErrorCode.BUSINESS_DATA_NOT_SIGNED, "the decision must be carried as a signed XML document (xs:string)"
        )
    now = inbound.now()
    try:
        verified = verify_signed_text(
            message.payload.text,
            inbound.trust,
            now,
            signer_bin=authority.bin,
            schema=compiled_schema(la.SCHEMA),
            max_bytes=inbound.max_bytes,
        )
        decision = la.read_decision(verified.signed)
    except DocumentRejected as exc:
        raise ProviderError(exc.code, str(exc)) from exc
    except la.LocalAuthorityPayloadError as exc:
        raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
    if verified.signer.iin is None:
        raise ProviderError(
            ErrorCode.BUSINESS_SIGNATURE_INVALID,
            f"the decision is signed by {verified.signer.describe()}, not by a person: the head signs it (§32)",
        )
    return AuthorityDecision(
        decision_id=decision.decision_id,
        kind=_KINDS[(decision.kind, decision.outcome)],  # read_decision allows no other pair
        reference=decision.case_id,
        iin=decision.person_iin,
        decided_on=decision.decided_on,
        registered_on=decision.registered_on,
        reasons=tuple(Reason(reason.rule_id, reason.text) for reason in decision.reasons),
        signed_document=message.payload.text,
        signer=verified.signer.describe(),
        received_at=now,
        correlation_id=message.info.correlation_id,
    )


def handle(command: AuthorityDecision, services: EmploymentServices) -> Acknowledged:
    return Acknowledged(record_authority_decision(command, register_services(services)), command.received_at)


def to_payload(result: Acknowledged) -> Payload:
    acknowledgement = la.DecisionAcknowledgement(
        decision_id=result.outcome.decision_id, case_id=result.outcome.reference, received_at=result.received_at
    )
    return Payload(element=la.write_acknowledgement(acknowledgement))


ROUTE: ServiceRoute[AuthorityDecision, Acknowledged] = ServiceRoute(
    service_id=SERVICE_ID, to_command=to_command, handle=handle, to_payload=to_payload
)
