"""The individual employment card on registration (JS-6, Rules §10, §14) and on a repeated application
(JS-7, Rules §22)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from employment.domain.models import Applicant, CardChange, JobSeekerCard, RegistryRecord


def card_after_registration(
    existing: JobSeekerCard | None, applicant: Applicant, record: RegistryRecord | None, on: date
) -> JobSeekerCard:
    """The card once the person is registered on ``on``.

    A first registration opens the card with the form's and the person registry's data (Rules §10, §14).
    A repeated application (Rules §22) re-checks the data given before and enters what changed: the card
    keeps its first registration date and records each changed field with its old and new value and the
    day of the change.
    """
    address = record.address if record is not None else None
    if existing is None:
        return JobSeekerCard(applicant.iin, applicant.full_name, applicant.birth_date, address, on, 1)
    if existing.iin != applicant.iin:
        raise ValueError(f"the card of IIN {existing.iin} cannot take the application of IIN {applicant.iin}")
    now = {"fullName": applicant.full_name, "birthDate": applicant.birth_date.isoformat(), "address": address}
    before = {"fullName": existing.full_name, "birthDate": existing.birth_date.isoformat(), "address": existing.address}
    changes = tuple(CardChange(name, before[name], now[name], on) for name in now if now[name] != before[name])
    return replace(
        existing,
        full_name=applicant.full_name,
        birth_date=applicant.birth_date,
        address=address if address is not None else existing.address,
        applications=existing.applications + 1,
        changes=existing.changes + tuple(c for c in changes if c.new is not None),
    )
