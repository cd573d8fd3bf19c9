"""Stage reports that reach the monitoring IS as AsyncChannel NOTIFICATIONs (``MONITORING_StageReportAsync``):
the gateway PUSHes them to the IAsyncChannelClient endpoint; ``messageData/data`` carries the stage report's
JSON (:mod:`contracts.stage_report`) as text. The endpoint's inbox processes each messageId once."""

from __future__ import annotations

from adapters.shep.async_provider import AsyncHandler
from adapters.shep.faults import ErrorCode
from adapters.shep.spyne_provider import ProviderError
from adapters.signatures import TransportSignature
from contracts.async_channel import AsyncMessage
from contracts.stage_report import StageReportError, read_stage_report
from mocks.monitoring.service import StageReportService, report_from_document
from mocks.monitoring.storage import ForeignApplicationError, Provenance

SERVICE_ID = "MONITORING_StageReportAsync"


def stage_report_handler(service: StageReportService) -> AsyncHandler:
    def handle(message: AsyncMessage, transport: TransportSignature) -> None:
        info = message.info
        if info.service_id != SERVICE_ID:
            raise ProviderError(
                ErrorCode.UNKNOWN_SERVICE, f"the monitoring IS takes {SERVICE_ID}, not {info.service_id}"
            )
        if not message.data.text:
            raise ProviderError(ErrorCode.MALFORMED, "messageData/data must carry the stage report's JSON as text")
        try:
            document = read_stage_report(message.data.text.encode("utf-8"))
        except StageReportError as exc:
            raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
        report = report_from_document(document)
        provenance = Provenance(
            sender_id=info.sender_id,
            session_id=info.session_id,
            message_id=info.message_id,
            correlation_id=info.correlation_id,
            signed_by=transport.signer.describe(),
        )
        try:
            service.record(report, provenance)
        except ForeignApplicationError as exc:  # a refusal for good: the gateway marks it NOT_DELIVERED
            raise ProviderError(ErrorCode.ACCESS_DENIED, str(exc)) from exc

    return handle
