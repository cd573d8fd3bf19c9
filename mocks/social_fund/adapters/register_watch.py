"""DR-1 (1) as the fund sees it: contributions arriving for a registered unemployed person mean they work.

Rules No. 259 §44 (1): the local authority removes the person from the register within 2 working days of
receiving the information that social contributions (with pension contributions and medical insurance
deductions) arrive for them. The fund is where that information is: it knows from the employment centre who
is registered (``unemployedStatusNotice``) and it receives the contributions.

The project's reading of "arrive for them": a contribution **for a month after the month of registration**
has been received (its payment day has come, ``mocks.social_fund.adapters.contributions``). A contribution for the
month of registration itself is not a ground: it may pay for the days worked before the dismissal that led
to the registration. The report goes once per registration (``register_store``), through the gateway as
``ENBEK_RegisterEvent``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date

from adapters.shep.outbox_delivery import queued_document
from contracts.unemployment_status import DeregistrationGroundReport, ReportedContribution, write_report
from mocks.social_fund.adapters.contributions import Contribution
from mocks.social_fund.adapters.register_store import FundRegisterStore, RegisterEntry

LOG = logging.getLogger(__name__)


def first_month_after(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def contributions_after_registration(received: Sequence[Contribution], registered_on: date) -> list[Contribution]:
    """DR-1 (1): the contributions received for months after the month of registration."""
    first = first_month_after(registered_on)
    return [item for item in received if item.month >= first]


def ground_report(entry: RegisterEntry, found: Sequence[Contribution], today: date) -> DeregistrationGroundReport:
    return DeregistrationGroundReport(
        report_id=f"GFSS-DR1-{entry.iin}-{entry.registered_on:%Y%m%d}",
        iin=entry.iin,
        registered_on=entry.registered_on,
        reported_on=today,
        contributions=tuple(
            ReportedContribution(item.month, item.employer.bin, item.employer.name, item.paid_on) for item in found
        ),
    )


class RegisterWatch:
    """One pass over the registered unemployed: queue a DR-1 (1) report for each who now has contributions
    for a month after the registration. Run as a duty of the fund's outbox worker, so advancing the shared
    clock past a payment day makes the report go at the next poll."""

    def __init__(
        self,
        store: FundRegisterStore,
        contributions: Callable[[str], Sequence[Contribution]],
        today: Callable[[], date],
        *,
        on_queued: Callable[[], None] = lambda: None,
    ) -> None:
        self._store = store
        self._contributions = contributions
        self._today = today
        self._on_queued = on_queued

    def __call__(self) -> list[str]:
        """The ids of the reports queued by this pass."""
        today = self._today()
        queued: list[str] = []
        for entry in self._store.registered():
            found = contributions_after_registration(self._contributions(entry.iin), entry.registered_on)
            if not found:
                continue
            report = ground_report(entry, found, today)
            if self._store.mark_reported(entry, report.report_id, queued_document(write_report(report), None)):
                LOG.info("DR-1 (1) reported for %s: %d month(s) of contributions", entry.iin, len(found))
                queued.append(report.report_id)
        if queued:
            self._on_queued()
        return queued
