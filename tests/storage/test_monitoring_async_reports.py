"""Stage reports that arrive as AsyncChannel NOTIFICATIONs obey the same ownership rule as the REST intake:
a report for an application another system registered is refused for good (SCE003), so the gateway marks it
NOT_DELIVERED instead of retrying it to a dead letter."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

import pytest

from adapters.shep.faults import ErrorCode
from adapters.shep.spyne_provider import ProviderError
from adapters.signatures import TransportSignature
from contracts.async_channel import AsyncMessage, AsyncMessageInfo, MessageData, MessageType
from kernel.clock import almaty
from mocks.monitoring.async_reports import SERVICE_ID, stage_report_handler
from mocks.monitoring.service import StageReportService
from mocks.monitoring.storage import StageReportStore

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=almaty())


def _notification(sender: str, message_id: str, stage: str, at: datetime) -> AsyncMessage:
    report: dict[str, Any] = {
        "applicationId": "A-ASYNC",
        "serviceType": "JOB_SEEKER_REGISTRATION",
        "stage": stage,
        "stageAt": at.isoformat(),
        "deadline": (T0 + timedelta(days=1)).isoformat(),
        "registerOrg": "centre",
        "executorOrg": "centre",
    }
    info = AsyncMessageInfo(
        service_id=SERVICE_ID,
        message_type=MessageType.NOTIFICATION,
        message_date=at,
        sender_id=sender,
        message_id=message_id,
        correlation_id="A-ASYNC",
    )
    return AsyncMessage(info, MessageData(text=json.dumps(report)))


def test_a_notification_for_another_systems_application_is_refused_with_sce003(database_url: str) -> None:
    service = StageReportService(StageReportStore.at(database_url), lambda: T0 + timedelta(hours=1))
    handle = stage_report_handler(service)
    signed = cast(TransportSignature, SimpleNamespace(signer=SimpleNamespace(describe=lambda: "the gateway")))
    handle(_notification("ENBEK_LABOUR_MARKET", "m-1", "ACCEPTED", T0), signed)

    with pytest.raises(ProviderError) as refused:
        handle(_notification("GK_IIS", "m-2", "REFUSED", T0 + timedelta(minutes=5)), signed)

    assert refused.value.code == ErrorCode.ACCESS_DENIED
    assert "registered by ENBEK_LABOUR_MARKET" in str(refused.value)
    assert service.application("A-ASYNC").current_state == "ACCEPTED"  # nothing changed
