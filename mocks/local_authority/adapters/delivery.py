"""What leaves the authority, through its outbox: decisions to the employment centre and stage reports to the
monitoring IS, each retried until taken (at least once; the receivers process each once).

- topic ``authority-decision``: the head-signed ``authorityDecision`` as escaped text in a SyncChannel
  ``SendMessage`` of ``ENBEK_AuthorityDecision`` (the centre verifies the exact bytes signed), on the case's
  correlationId; the centre answers a ``decisionAcknowledgement``. A fault a new attempt may cure (the centre
  or the gateway did not answer: SCE010, SCE909, a stale message SCE008, no connection) is retried; any other
  (the message refused as such) makes a dead letter a person can revive (``/admin/outbox``).
- topic ``stage-report``: UN-6 (Rules No. 259 §36) through the gateway's REST channel
  (``MONITORING_StageReport``), ordered per case.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode, GatewayFault
from adapters.shep.gateway_link import GatewayUnreachable
from adapters.shep.rest_client import RestChannelClient, RestChannelError
from adapters.shep.sync_client import SyncChannelClient
from adapters.storage import DeliveryRefused
from adapters.storage.worker import Delivery
from adapters.xml import XmlRejected
from contracts import local_authority as contract
from contracts.stage_report import SERVICE_ID as MONITORING_SERVICE_ID
from contracts.stage_report import StageReportDocument, write_stage_report
from mocks.local_authority.domain.models import Decision, StageReport

DECISION_TOPIC = "authority-decision"
STAGE_REPORT_TOPIC = "stage-report"

# Faults after which the same decision, sent again, may get through.
RETRYABLE_FAULTS = frozenset(
    {ErrorCode.REPLAY_OR_STALE.value, ErrorCode.PROVIDER_UNAVAILABLE.value, ErrorCode.INTERNAL.value}
)
# Answers of the REST channel that say "not now" rather than "never".
RETRYABLE_STATUSES = frozenset({408, 409, 425, 429})


def decision_payload(case_id: str, decision: Decision, correlation_id: str | None) -> dict[str, Any]:
    return {
        "caseId": case_id,
        "decisionId": decision.decision_id,
        "correlationId": correlation_id,
        "document": decision.document,
    }


def stage_report_payload(report: StageReport) -> dict[str, Any]:
    return {
        "applicationId": report.application_id,
        "serviceType": report.service_type,
        "stage": report.stage,
        "at": report.at.isoformat(),
        "deadline": report.deadline.isoformat(),
        "isPositive": report.is_positive,
        "correlationId": report.correlation_id,
        "executorOrg": report.executor_org,
        "refuseReason": report.refuse_reason,
        "ruleId": report.rule_id,
    }


def stage_report_from_payload(payload: dict[str, Any]) -> StageReport:
    try:
        return StageReport(
            application_id=payload["applicationId"],
            service_type=payload["serviceType"],
            stage=payload["stage"],
            at=datetime.fromisoformat(payload["at"]),
            deadline=datetime.fromisoformat(payload["deadline"]),
            is_positive=payload["isPositive"],
            correlation_id=payload["correlationId"],
            executor_org=payload["executorOrg"],
            refuse_reason=payload["refuseReason"],
            rule_id=payload["ruleId"],
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise DeliveryRefused(f"the queued stage report cannot be read ({exc!r}): written by another version?") from exc


def decision_delivery(
    client: Callable[[], SyncChannelClient], delivered: Callable[[str, datetime], None], now: Callable[[], datetime]
) -> Delivery:
    """Send one queued decision to the centre; ``delivered(case_id, at)`` once the centre acknowledged it."""

    def deliver(payload: dict[str, Any]) -> None:
        try:
            case_id, decision_id, document = payload["caseId"], payload["decisionId"], payload["document"]
        except KeyError as exc:
            raise DeliveryRefused(f"the queued decision lacks {exc}: written by another version?") from exc
        try:
            reply = client().send(
                contract.DECISION_SERVICE, Payload(text=document), correlation_id=payload.get("correlationId")
            )
        except GatewayFault as exc:
            if exc.innermost_code in RETRYABLE_FAULTS or exc.code in RETRYABLE_FAULTS:
                raise
            raise DeliveryRefused(f"{contract.DECISION_SERVICE} refused the decision {decision_id}: {exc}") from exc
        except GatewayUnreachable:
            raise
        try:
            acknowledgement = contract.read_acknowledgement(reply.payload.document())
        except (XmlRejected, contract.LocalAuthorityPayloadError) as exc:
            raise DeliveryRefused(
                f"the centre's answer to decision {decision_id} is no acknowledgement: {exc}"
            ) from exc
        if (acknowledgement.decision_id, acknowledgement.case_id) != (decision_id, case_id):
            raise DeliveryRefused(
                f"the centre acknowledged decision {acknowledgement.decision_id} of case {acknowledgement.case_id}, "
                f"not {decision_id} of case {case_id}"
            )
        delivered(case_id, now())

    return deliver


class GatewayStageReporter:
    """UN-6: each stage to the monitoring IS, through the gateway's REST channel."""

    def __init__(self, client: RestChannelClient, organisation: str) -> None:
        self._client = client
        self._organisation = organisation

    def report(self, report: StageReport) -> None:
        document = StageReportDocument(
            applicationId=report.application_id,
            serviceType=report.service_type,
            stage=report.stage,
            stageAt=report.at,
            deadline=report.deadline,
            isPositive=report.is_positive,
            registerOrg=self._organisation,
            executorOrg=report.executor_org or self._organisation,
            refuseReason=report.refuse_reason,
            ruleId=report.rule_id,
            shepCorrelationId=report.correlation_id,
        )
        try:
            self._client.send(MONITORING_SERVICE_ID, write_stage_report(document), correlation_id=report.correlation_id)
        except RestChannelError as exc:
            if 400 <= exc.status < 500 and exc.status not in RETRYABLE_STATUSES:
                raise DeliveryRefused(f"the monitoring IS refused the report (HTTP {exc.status}): {exc}") from exc
            raise


def stage_report_delivery(reporter: GatewayStageReporter) -> Delivery:
    def deliver(payload: dict[str, Any]) -> None:
        reporter.report(stage_report_from_payload(payload))

    return deliver
