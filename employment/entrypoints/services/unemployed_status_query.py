"""``ENBEK_UnemployedStatusQuery``: the State Social Insurance Fund asks whether a person is registered as
unemployed on a day (SP-7, regulation 004 §1 (1): the job-loss payment is assigned to a registered unemployed
person, Social Code Art. 115 p.2 sub.1); the answer is the ``unemployedStatusAnswer`` read from the centre's
register (:mod:`employment.service_layer.status_query`).

The mapper reads the message as hostile: the ``unemployedStatusQuery`` element (or the same as text), parsed
within the size limit and checked against ``wsdl/xsd/unemployment-status.xsd`` (SCE001); only the fund asks
(SCE003). A person the register does not know is answered ``registered`` false, without a case.
"""

from __future__ import annotations

from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from adapters.xml import XmlRejected
from contracts.unemployment_status import (
    QUERY_SERVICE_ID,
    CertificateOfRegistration,
    UnemployedStatusAnswer,
    UnemploymentPayloadError,
    read_query,
    write_answer,
)
from ecosystem.catalogue import system
from employment.entrypoints.dispatch import InboundContext, ServiceRoute, register_services
from employment.service_layer.handlers import EmploymentServices
from employment.service_layer.status_query import StatusAnswer, StatusQuery, answer_status_query

SERVICE_ID = QUERY_SERVICE_ID


def to_command(message: InboundMessage, inbound: InboundContext) -> StatusQuery:
    fund = system("social_fund").sender_id
    if message.info.sender_id != fund:
        raise ProviderError(
            ErrorCode.ACCESS_DENIED, f"only the State Social Insurance Fund ({fund}) asks for unemployed status"
        )
    try:
        query = read_query(message.payload.document(inbound.max_bytes))
    except XmlRejected as exc:
        raise ProviderError(ErrorCode.MALFORMED, f"the query is not acceptable XML: {exc}") from exc
    except UnemploymentPayloadError as exc:
        raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
    return StatusQuery(query.query_id, query.iin, query.on, message.info.correlation_id)


def handle(command: StatusQuery, services: EmploymentServices) -> StatusAnswer:
    return answer_status_query(command, register_services(services))


def to_payload(result: StatusAnswer) -> Payload:
    status, certificate = result.status, result.certificate
    answer = UnemployedStatusAnswer(
        query_id=result.query_id,
        iin=result.iin,
        on=status.on,
        registered=status.registered,
        registered_on=status.registered_on,
        deregistered_on=status.deregistered_on,
        deregistration_ground=status.deregistration_ground,
        certificate=(
            CertificateOfRegistration(certificate.number, certificate.issued_on, certificate.valid_until)
            if certificate is not None and certificate.valid_until is not None
            else None
        ),
        case_id=status.case_id,
    )
    return Payload(element=write_answer(answer))


ROUTE: ServiceRoute[StatusQuery, StatusAnswer] = ServiceRoute(
    service_id=SERVICE_ID, to_command=to_command, handle=handle, to_payload=to_payload
)
