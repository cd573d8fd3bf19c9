"""Example values of the job-loss payment contract (contracts/job_loss_payment.py), for tests of both ends."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from contracts import job_loss_payment as jl
from ecosystem.catalogue import FUND_BRANCH, official
from kernel.clock import almaty

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=almaty())
APPLICANT = jl.Applicant("900618330773", "Жумабаев", "Ержан", None, dt.date(1990, 6, 18), jl.Sex.MALE)
IBAN = "KZ86125KZT5004100100"


def application(channel: jl.Channel = jl.Channel.PORTAL, **changes: object) -> jl.PaymentApplication:
    value = jl.PaymentApplication(
        application_id="JLP-2026-0001",
        submitted_at=MONDAY,
        channel=channel,
        applicant=APPLICANT,
        documents=(
            jl.AttachedDocument(
                jl.DocumentKind.IDENTITY_DOCUMENT,
                "049876543",
                dt.date(2021, 3, 1),
                dt.date(2031, 2, 28),
                APPLICANT.iin,
                "ab" * 32,
            ),
            jl.AttachedDocument(
                jl.DocumentKind.UNEMPLOYED_CERTIFICATE,
                "CERT-2026-000017",
                dt.date(2026, 11, 25),
                dt.date(2026, 12, 24),
                APPLICANT.iin,
            ),
            jl.AttachedDocument(jl.DocumentKind.BANK_ACCOUNT, "BA-7781", dt.date(2026, 11, 20), None, APPLICANT.iin),
        ),
        bank_account=IBAN,
        consent=True,
    )
    return dataclasses.replace(value, **changes)  # type: ignore[arg-type]


def issuer() -> jl.Issuer:
    head = official("fund-department-head")
    return jl.Issuer(head.bin, FUND_BRANCH, f"{head.surname} {head.given_name} {head.patronymic}", head.title)


SCHEDULE = (
    jl.ScheduledMonth(dt.date(2026, 11, 25), dt.date(2026, 12, 24), Decimal("121500.00"), Decimal("109350.00")),
    jl.ScheduledMonth(dt.date(2026, 12, 25), dt.date(2027, 1, 24), Decimal("121500.00"), Decimal("109350.00")),
    jl.ScheduledMonth(dt.date(2027, 1, 25), dt.date(2027, 2, 24), Decimal("121500.00"), Decimal("109350.00")),
    jl.ScheduledMonth(dt.date(2027, 2, 25), dt.date(2027, 3, 24), Decimal("121500.00"), Decimal("109350.00")),
)


def assigned() -> jl.PaymentDecision:
    return jl.PaymentDecision(
        decision_id="GFSS-D-0001",
        application_id="JLP-2026-0001",
        registration_number="GFSS-2026-000001",
        decided_on=dt.date(2026, 12, 4),
        outcome=jl.Outcome.ASSIGNED,
        applicant_iin=APPLICANT.iin,
        applicant_name=APPLICANT.full_name,
        issuer=issuer(),
        payment=jl.AssignedPayment(
            right_arose=dt.date(2026, 11, 25),
            participation_months=36,
            counted_participation_months=36,
            average_monthly_income=Decimal("300000"),
            replacement_coefficient=Decimal("0.45"),
            participation_coefficient=Decimal("0.90"),
            gross=Decimal("121500.00"),
            pension_contribution=Decimal("12150.00"),
            net=Decimal("109350.00"),
            schedule=SCHEDULE,
        ),
    )


def refused(outcome: jl.Outcome = jl.Outcome.REFUSED_TO_ACCEPT) -> jl.PaymentDecision:
    return dataclasses.replace(
        assigned(),
        outcome=outcome,
        payment=None,
        grounds=(jl.Ground("PE-4 (7)", "Social Code Art. 115 p.1 sub.7", "participation is 5 months, under 6"),),
    )


def notice() -> jl.PaymentNotice:
    return jl.PaymentNotice(
        notice_id="GFSS-N-0001",
        decision_id="GFSS-D-0001",
        applicant_iin=APPLICANT.iin,
        kind=jl.NoticeKind.TERMINATED,
        ground=jl.Ground("DR-2", "Social Code Art. 119 p.2", "removed from the register on 2027-01-26"),
        effective_from=dt.date(2027, 2, 1),
        issued_on=dt.date(2027, 1, 27),
        issuer=issuer(),
        schedule=SCHEDULE[:3],
    )
