"""Art. 119 of the Social Code (rule ``PE-7`` of docs/rules.md): a payment the fund assigned is suspended or
terminated, with a notice signed by the department's head.

- :meth:`PaymentStops.stop`: an event the department learns of (the admin API: death, false documents, the
  recipient's own application, loss of citizenship, the suspension grounds).
- :meth:`PaymentStops.terminate_deregistered`: Art. 119 p.2 sub.5, deregistration as unemployed. A duty of the
  fund's outbox worker: each pass compares the active payments with the fund's own register of unemployed status
  (filled by ``GFSS_UnemployedStatus``, :class:`StatusRecords`) and terminates, from the 1st of the month after
  the deregistration, each payment whose recipient was removed on or after the day the right arose. The notice id
  is the decision's id and the event, and a payment is changed only while still active, so a pass repeated (after
  a crash between the notice's arrival and the stop, or on another process) terminates it once.

Each stop is committed in one transaction with the payment's new schedule, the signed notice, its delivery to the
cabinet (not on the State Corporation's channel: the operator reads it with the application's status) and the
stage ``PAYMENT_SUSPENDED`` / ``PAYMENT_TERMINATED`` for the monitoring IS (rule PE-7, ``isPositive`` null, the
service's deadline, which the application met: the monitoring IS counts it finished at ``RESULT_ISSUED``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date

from contracts.job_loss_payment_model import Ground, NoticeKind, PaymentNotice
from kernel.clock import almaty
from mocks.social_fund.domain.models import PaymentMonth
from mocks.social_fund.domain.termination import RULE_ID, Event, apply
from mocks.social_fund.service_layer.ports import (
    IssuedNotice,
    Payment,
    PaymentStatus,
    StatusRecords,
    UnknownApplication,
)
from mocks.social_fund.service_layer.services import (
    NOTICE_KIND,
    FundServices,
    cabinet_items,
    scheduled_months,
    stage_report,
)

LOG = logging.getLogger(__name__)


def notice_id(payment: Payment, event: Event) -> str:
    """One notice per decision and event: what makes a repeated stop change nothing."""
    return f"{payment.decision_id}-{event.value}"


@dataclass(frozen=True)
class PaymentStops:
    fund: FundServices
    records: StatusRecords

    def stop(self, iin: str, event: Event, event_on: date) -> IssuedNotice | None:
        """PE-7 (Art. 119): suspend or terminate the person's active payment that still runs on the day it stops;
        None when no payment is affected."""
        for payment in self.fund.store.payments(iin):
            if payment.status is PaymentStatus.ACTIVE and (issued := self._stop(payment, event, event_on)):
                return issued
        return None

    def terminate_deregistered(self) -> list[IssuedNotice]:
        """PE-7 (Art. 119 p.2 sub.5): terminate each active payment whose recipient the register holds as removed
        on or after the day the right arose (a removal before it ended an earlier registration). Returns the
        notices issued by this pass."""
        active = self.fund.store.active_payments()
        removed = self.records.deregistrations({payment.iin for payment in active})
        issued: list[IssuedNotice] = []
        for payment in active:
            found = removed.get(payment.iin)
            if found is None or found.deregistered_on < payment.right_arose:
                continue
            notice = self._stop(payment, Event.DEREGISTRATION, found.deregistered_on)
            if notice is not None:
                LOG.info(
                    "payment %s terminated from %s: deregistered on %s",
                    payment.decision_id,
                    notice.notice.effective_from,
                    found.deregistered_on,
                )
                issued.append(notice)
        return issued

    def _stop(self, payment: Payment, event: Event, event_on: date) -> IssuedNotice | None:
        months = tuple(PaymentMonth(m.start, m.end, m.gross, m.net) for m in payment.schedule)
        stop = apply(event, event_on, months)
        if payment.schedule and stop.effective_from > payment.schedule[-1].end:
            return None  # the payment ended before: nothing to stop
        fund = self.fund
        notice = PaymentNotice(
            notice_id=notice_id(payment, event),
            decision_id=payment.decision_id,
            applicant_iin=payment.iin,
            kind=NoticeKind.SUSPENDED if stop.suspended else NoticeKind.TERMINATED,
            ground=Ground(RULE_ID, event.article, f"{event.text} ({event_on:%Y-%m-%d})"),
            effective_from=stop.effective_from,
            issued_on=fund.now().astimezone(almaty()).date(),
            issuer=fund.signer.issuer,
            schedule=scheduled_months(stop.schedule),
        )
        application = fund.store.get(payment.application_id)
        if application is None:
            raise UnknownApplication(f"no application {payment.application_id} for payment {payment.decision_id}")
        issued = IssuedNotice(notice, payment.application_id, fund.signer.sign_notice(notice))
        stopped = replace(
            payment,
            schedule=notice.schedule,
            stopped_from=stop.effective_from,
            status=PaymentStatus.SUSPENDED if stop.suspended else PaymentStatus.TERMINATED,
        )
        cabinet = cabinet_items(application, NOTICE_KIND, notice.notice_id, issued.signed)
        report = stage_report(application, event.stage, fund.now(), fund.calendar, rule_id=RULE_ID)
        return issued if fund.store.stop(stopped, issued, cabinet, [report]) else None
