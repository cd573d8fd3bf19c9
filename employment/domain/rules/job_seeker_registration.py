"""The decision to register a job seeker (JS-1..JS-6) and its term (JS-6, T-1, T-2)."""

from __future__ import annotations

from datetime import date, datetime

from employment.domain.calendar import WorkingCalendar
from employment.domain.errors import SignerIsNotApplicant
from employment.domain.models import Applicant, Contribution, Reason, RegistrationDecision, RegistryRecord
from employment.domain.rules import eligibility

SERVICE_CODE = "JOB_SEEKER_REGISTRATION"
TERM_WORKING_DAYS = 1  # JS-6 (§12), T-1 (standard item 3)


def require_signer_is_applicant(signer_iin: str | None, applicant: Applicant) -> None:
    """SP-5 / JS-10: the IIN in the signing certificate must equal the IIN in the form."""
    if signer_iin != applicant.iin:
        raise SignerIsNotApplicant(
            f"the form names IIN {applicant.iin} but is signed with the certificate of IIN {signer_iin}"
        )


def decide(
    applicant: Applicant, record: RegistryRecord | None, contributions: list[Contribution], on: date
) -> RegistrationDecision:
    """JS-3 then JS-2, JS-1 and the check of current work (000 §5 action 3); JS-6 when nothing refuses."""
    missing = eligibility.registry_knows_person(record, applicant.iin)
    if missing is not None or record is None:
        return RegistrationDecision(reasons=(missing,) if missing else (), decided_on=on)
    checks: list[Reason | None] = [
        eligibility.form_matches_registry(applicant, record),
        eligibility.identity_document_valid(record, on),
        eligibility.consent_given(applicant),
        eligibility.minor_has_representative(applicant, on),
        eligibility.has_no_current_work(contributions, on),
    ]
    return RegistrationDecision(reasons=tuple(reason for reason in checks if reason is not None), decided_on=on)


def term(received_at: datetime, calendar: WorkingCalendar) -> tuple[datetime, datetime]:
    """(effective receipt, deadline): T-2 moves receipt to working hours; JS-6 gives 1 working day."""
    return calendar.effective_receipt(received_at), calendar.deadline(received_at, TERM_WORKING_DAYS)
