"""``ENBEK_RegisterEvent``: the State Social Insurance Fund reports social contributions that arrived for a
registered unemployed person for a month after the month of registration, ground DR-1 (1) (Rules No. 259
§44 sub.1); the answer is the ``noticeReceipt``.

The mapper reads the message as hostile: the ``deregistrationGroundReport`` element (or the same as text),
parsed within the size limit and checked against ``wsdl/xsd/unemployment-status.xsd`` (SCE001), of ground
``DR-1 (1)`` only (SCE001); only the fund sends it (SCE003). The facts of ground (1) are the months reported
and the employer (docs/register.md); ``report_deregistration_ground`` records it once per report id (a repeat
is answered ``already-recorded`` and changes nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from adapters.xml import XmlRejected
from contracts.unemployment_status import (
    CONTRIBUTIONS_GROUND,
    EVENT_SERVICE_ID,
    NoticeReceipt,
    ReceiptOutcome,
    UnemploymentPayloadError,
    read_report,
    write_receipt,
)
from ecosystem.catalogue import system
from employment.entrypoints.dispatch import InboundContext, ServiceRoute, register_services
from employment.service_layer.deregistration import ReportDeregistrationGround, report_deregistration_ground
from employment.service_layer.handlers import EmploymentServices

SERVICE_ID = EVENT_SERVICE_ID
SOURCE = "fund"  # the request id is ``fund:<report id>``


@dataclass(frozen=True)
class Recorded:
    report_id: str
    received_at: datetime
    repeated: bool


def to_command(message: InboundMessage, inbound: InboundContext) -> ReportDeregistrationGround:
    fund = system("social_fund").sender_id
    if message.info.sender_id != fund:
        raise ProviderError(ErrorCode.ACCESS_DENIED, f"only the State Social Insurance Fund ({fund}) reports DR-1 (1)")
    try:
        report = read_report(message.payload.document(inbound.max_bytes))
    except XmlRejected as exc:
        raise ProviderError(ErrorCode.MALFORMED, f"the report is not acceptable XML: {exc}") from exc
    except UnemploymentPayloadError as exc:
        raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
    if report.ground_rule_id != CONTRIBUTIONS_GROUND:
        raise ProviderError(
            ErrorCode.MALFORMED, f"the fund reports ground {CONTRIBUTIONS_GROUND} only, not {report.ground_rule_id}"
        )
    if not report.contributions:
        raise ProviderError(ErrorCode.MALFORMED, "the report names no contribution (DR-1 (1))")
    months = sorted({f"{item.month:%Y-%m}" for item in report.contributions})
    employers = sorted({item.employer_bin for item in report.contributions})
    facts = {"months": ",".join(months)}
    if len(employers) == 1:
        facts["employerBin"] = employers[0]
    return ReportDeregistrationGround(
        event_id=report.report_id,
        iin=report.iin,
        ground=1,
        received_at=inbound.now(),
        source=SOURCE,
        facts=facts,
        correlation_id=message.info.correlation_id,
    )


def handle(command: ReportDeregistrationGround, services: EmploymentServices) -> Recorded:
    case = report_deregistration_ground(command, register_services(services))
    # a report recorded before keeps the instant it first arrived
    return Recorded(command.event_id, command.received_at, case.information_received_at != command.received_at)


def to_payload(result: Recorded) -> Payload:
    outcome = ReceiptOutcome.ALREADY_RECORDED if result.repeated else ReceiptOutcome.RECORDED
    return Payload(element=write_receipt(NoticeReceipt(result.report_id, result.received_at, outcome)))


ROUTE: ServiceRoute[ReportDeregistrationGround, Recorded] = ServiceRoute(
    service_id=SERVICE_ID, to_command=to_command, handle=handle, to_payload=to_payload
)
