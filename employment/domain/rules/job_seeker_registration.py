"""Registration of a job seeker in two steps, each naming its rule, and the term of the service.

1. :func:`accept` — acceptance of the application (JS-2: standard item 9, regulation 000 §5 condition 1;
   JS-1: Rules No. 259 §6). An incomplete set of documents (no consent, no legal representative's
   application for a person under 16) or an expired document: the application is not accepted, and
   nothing is decided.
2. :func:`decide` — the decision on an accepted application: JS-3 (Rules §7-8, refusal to register,
   Rules Annex 2) when the data cannot be confirmed; refusal when a labour contract is in force on the
   decision day (Rules §4, regulation 000 §5 action 3); otherwise JS-6 (Rules §12, §14).

:func:`term_start` and :func:`term` give the moment the term runs from and the deadline (T-1, T-2) in the centre's
hours; :mod:`employment.domain.rules.channels` gives them by channel (the State Corporation's hours, the rural
assistant's receipt), which the registration handler applies.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from employment.domain.calendar import WorkingCalendar
from employment.domain.errors import SignerIsNotApplicant
from employment.domain.models import (
    AcceptanceDecision,
    Applicant,
    EmploymentPeriod,
    Reason,
    RegistrationDecision,
    RegistryRecord,
)
from employment.domain.rules import eligibility
from kernel.parameters import int_on

SERVICE_CODE = "JOB_SEEKER_REGISTRATION"
TERM_PARAMETER = "job_seeker_registration.term_working_days"  # standard item 3; regulation 000 §5, §10


def require_signer_is_applicant(signer_iin: str | None, applicant: Applicant) -> None:
    """SP-5 / JS-10: the IIN in the signing certificate must equal the IIN in the form."""
    if signer_iin != applicant.iin:
        raise SignerIsNotApplicant(
            f"the form names IIN {applicant.iin} but is signed with the certificate of IIN {signer_iin}"
        )


def accept(applicant: Applicant, record: RegistryRecord | None, on: date) -> AcceptanceDecision:
    """JS-2 (standard item 9; regulation 000 §5 condition 1) with JS-1 (Rules §6): is the application
    accepted? The identity document's validity comes from the person registry (Rules §28); a person the
    registry does not hold is left to :func:`decide` (JS-3)."""
    checks: list[Reason | None] = [
        eligibility.consent_given(applicant),
        eligibility.minor_has_representative(applicant, on),
        eligibility.identity_document_valid(record, on) if record is not None else None,
    ]
    return AcceptanceDecision(reasons=tuple(reason for reason in checks if reason is not None), checked_on=on)


def decide(
    applicant: Applicant,
    record: RegistryRecord | None,
    employment: Iterable[EmploymentPeriod],
    on: date,
) -> RegistrationDecision:
    """The decision on an accepted application: JS-3 (Rules §7-8), then no labour contract in force on
    the decision day (Rules §4; regulation 000 §5 action 3); JS-6 (Rules §12) when nothing refuses."""
    missing = eligibility.registry_knows_person(record, applicant.iin)
    if missing is not None or record is None:
        return RegistrationDecision(reasons=(missing,) if missing else (), decided_on=on)
    checks: list[Reason | None] = [
        eligibility.form_matches_registry(applicant, record),
        eligibility.no_labour_contract_in_force(employment, on),
    ]
    return RegistrationDecision(reasons=tuple(reason for reason in checks if reason is not None), decided_on=on)


def term_start(submitted_at: datetime | None, received_at: datetime) -> datetime:
    """The moment the term runs from.

    Through the portal: the moment the documents were submitted to the portal (regulation 000 §10), as
    the signed form states it, however late the portal's delivery reached the centre; it can never be
    later than that delivery. Without a submission instant (documents handed in at the centre): the
    moment they reached the centre (regulation 000 §5).
    """
    if submitted_at is None:
        return received_at
    if submitted_at.tzinfo is None or submitted_at.utcoffset() is None:
        raise ValueError(f"the submission instant {submitted_at.isoformat()} has no time zone")
    return min(submitted_at, received_at)


def term(started_at: datetime, calendar: WorkingCalendar) -> tuple[datetime, datetime]:
    """(effective receipt, deadline): T-2 moves receipt into working hours (standard item 7); the term is
    the number of working days in force on the day of receipt (standard item 3; Rules §12)."""
    receipt = calendar.effective_receipt(started_at)
    return receipt, calendar.deadline(started_at, int_on(TERM_PARAMETER, receipt.date()))
