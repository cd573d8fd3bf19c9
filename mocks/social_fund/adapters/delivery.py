"""What leaves the fund for the job-loss payment, through its outbox, each retried until taken:

- topic ``job-loss.cabinet``: a head-signed notification or notice for the applicant's cabinet, in the envelope
  ``cabinetDocumentDelivery`` of ``EGOV_CabinetDocument`` (:mod:`contracts.cabinet_delivery`; document kinds
  ``job-loss-payment-decision`` and ``job-loss-payment-notice``, number = the decision's or notice's id);
- topic ``job-loss.stage-report``: each stage to the monitoring IS (service ``JOB_LOSS_PAYMENT``, the channel,
  the rule id, the deadline of the service and that of the step the stage starts, SP-1: regulation 004 §5) through
  the gateway's REST channel ``MONITORING_StageReport``.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from adapters.shep.rest_client import RestChannelClient, RestChannelError
from adapters.storage import DeliveryRefused
from adapters.storage.worker import Delivery
from contracts.job_loss_payment import SERVICE_TYPE
from contracts.stage_report import SERVICE_ID as MONITORING_SERVICE_ID
from contracts.stage_report import StageReportDocument, write_stage_report
from mocks.social_fund.service_layer.ports import StageReport

CABINET_TOPIC = "job-loss.cabinet"
STAGE_REPORT_TOPIC = "job-loss.stage-report"
# Answers of the REST channel that say "not now" rather than "never".
RETRYABLE_STATUSES = frozenset({408, 409, 425, 429})


def stage_report_payload(report: StageReport) -> dict[str, Any]:
    """The report as the monitoring IS reads it (the issuing organisation is added when it is sent)."""
    return write_stage_report(
        StageReportDocument(
            applicationId=report.application_id,
            serviceType=SERVICE_TYPE,
            stage=report.stage,
            stageAt=report.at,
            deadline=report.deadline,
            isPositive=report.is_positive,
            refuseReason=report.refuse_reason,
            ruleId=report.rule_id,
            shepCorrelationId=report.correlation_id,
            channel=report.channel.value,
            stepDeadline=report.step_deadline,
        )
    )


def stage_report_delivery(client: RestChannelClient, organisation: str) -> Delivery:
    def deliver(payload: dict[str, Any]) -> None:
        try:
            document = StageReportDocument.model_validate(payload)
        except ValidationError as exc:
            raise DeliveryRefused(f"the queued stage report cannot be read: {exc}") from exc
        document = document.model_copy(update={"registerOrg": organisation, "executorOrg": organisation})
        try:
            client.send(MONITORING_SERVICE_ID, write_stage_report(document), correlation_id=document.shepCorrelationId)
        except RestChannelError as exc:
            if 400 <= exc.status < 500 and exc.status not in RETRYABLE_STATUSES:
                raise DeliveryRefused(f"the monitoring IS refused the report (HTTP {exc.status}): {exc}") from exc
            raise

    return deliver
