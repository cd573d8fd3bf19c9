"""Rules applied when a person asks to be registered as a job seeker.

Each rule returns ``None`` when it is satisfied, or a :class:`Reason` naming its rule id.
"""

from __future__ import annotations

from datetime import date

from employment.domain.models import Applicant, Contribution, Reason, RegistryRecord

MINIMUM_AGE = 16
RECENT_MONTHS_FOR_CURRENT_WORK = 2


def age_on(birth_date: date, day: date) -> int:
    years = day.year - birth_date.year
    return years - 1 if (day.month, day.day) < (birth_date.month, birth_date.day) else years


def registry_knows_person(record: RegistryRecord | None, iin: str) -> Reason | None:
    """JS-3 (§7-8): the data cannot be confirmed when the person registry holds no such person."""
    if record is None:
        return Reason("JS-3", f"The person registry holds no data for IIN {iin}; the data cannot be confirmed.")
    return None


def form_matches_registry(applicant: Applicant, record: RegistryRecord) -> Reason | None:
    """JS-3 (§8): data in the form that contradict the state registry are unreliable."""
    mismatches = [
        field
        for field, stated, held in (
            ("surname", applicant.surname, record.surname),
            ("name", applicant.name, record.name),
            ("birth date", applicant.birth_date.isoformat(), record.birth_date.isoformat()),
        )
        if stated.strip().casefold() != held.strip().casefold()
    ]
    if mismatches:
        return Reason("JS-3", f"The form's {', '.join(mismatches)} differ from the person registry.")
    return None


def identity_document_valid(record: RegistryRecord, on: date) -> Reason | None:
    """JS-2 (standard item 9): an expired identity document is a ground for refusal."""
    if record.document_valid_until is not None and record.document_valid_until < on:
        return Reason("JS-2", f"The identity document expired on {record.document_valid_until.isoformat()}.")
    return None


def consent_given(applicant: Applicant) -> Reason | None:
    """JS-2 (standard Annex 1): the application includes consent to process personal data."""
    if not applicant.consent_to_personal_data:
        return Reason("JS-2", "The application does not give consent to process personal data.")
    return None


def minor_has_representative(applicant: Applicant, on: date) -> Reason | None:
    """JS-1 (§6) with JS-2: a person under 16 also presents an application of a legal representative;
    without it the set of documents is incomplete."""
    age = age_on(applicant.birth_date, on)
    if age < MINIMUM_AGE and applicant.legal_representative is None:
        return Reason(
            "JS-1",
            f"The applicant is {age}, under {MINIMUM_AGE}: an application of a legal representative is required (§6).",
        )
    return None


def has_no_current_work(contributions: list[Contribution], on: date) -> Reason | None:
    """000 §5 action 3: the specialist checks that the applicant has no current work.

    Evidence of work is a social contribution for either of the two calendar months before the month of
    the application (contributions for a month arrive during the next one, so the application month
    itself is never complete).
    """
    first_recent = _month_start(on, back=RECENT_MONTHS_FOR_CURRENT_WORK)
    recent = [c for c in contributions if c.month >= first_recent and c.month < _month_start(on, back=0)]
    if recent:
        latest = max(recent, key=lambda c: c.month)
        return Reason(
            "000 §5 action 3",
            f"Social contributions were received for {latest.month:%Y-%m} from employer {latest.employer_name} "
            f"(BIN {latest.employer_bin}): the applicant has current work.",
        )
    return None


def _month_start(day: date, back: int) -> date:
    month_index = day.year * 12 + (day.month - 1) - back
    return date(month_index // 12, month_index % 12 + 1, 1)
