"""Rules applied when a person asks to be registered as a job seeker.

Each rule returns ``None`` when it is satisfied, or a :class:`Reason` naming its rule id.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from employment.domain.models import Applicant, EmploymentPeriod, Reason, RegistryRecord
from kernel.parameters import int_on


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
    """JS-2 (standard item 9; regulation 000 §5 condition 1): an expired document is a ground to refuse to
    accept the application."""
    if record.document_valid_until is not None and record.document_valid_until < on:
        return Reason("JS-2", f"The identity document expired on {record.document_valid_until.isoformat()}.")
    return None


def consent_given(applicant: Applicant) -> Reason | None:
    """JS-2 (standard Annex 1): the application includes consent to process personal data."""
    if not applicant.consent_to_personal_data:
        return Reason("JS-2", "The application does not give consent to process personal data.")
    return None


def minor_has_representative(applicant: Applicant, on: date) -> Reason | None:
    """JS-1 (Rules No. 259 §6) with JS-2: a person under 16 also presents an application of a legal
    representative; without it the set of documents is incomplete (standard item 9)."""
    minimum = int_on("job_seeker.minimum_age", on)
    age = age_on(applicant.birth_date, on)
    if age < minimum and applicant.legal_representative is None:
        return Reason(
            "JS-1",
            f"The applicant is {age}, under {minimum}: an application of a legal representative is required "
            "(Rules No. 259 §6).",
        )
    return None


def no_labour_contract_in_force(periods: Iterable[EmploymentPeriod], on: date) -> Reason | None:
    """Rules No. 259 §4 and regulation 000 §5 action 3: a job seeker is a person without work and/or wage
    (income); the specialist checks the absence of labour activity.

    Labour activity is a labour contract in force on the day of the decision. A contract that ended
    before that day (even the day before) or that starts after it is no labour activity on that day;
    contributions still arriving for the last months worked are not either.
    """
    current = sorted((p for p in periods if p.in_force_on(on)), key=lambda p: p.start)
    if not current:
        return None
    contract = current[0]
    until = f"until {contract.end.isoformat()}" if contract.end else "with no end date"
    return Reason(
        "000 §5 action 3",
        f"A labour contract with {contract.employer_name} (BIN {contract.employer_bin}) is in force on "
        f"{on.isoformat()}: from {contract.start.isoformat()} {until}. A job seeker is a person without work "
        "(Rules No. 259 §4).",
    )
