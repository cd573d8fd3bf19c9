"""Map the standard Annex 2 registration form (``jobSeekerRegistrationForm``) to domain objects."""

from __future__ import annotations

from datetime import date, datetime

from lxml import etree

from adapters.xml import child_text
from employment.domain.models import Applicant, LegalRepresentative

FORM_NS = "urn:kz:egov-sim:labour-market:job-seeker:v1"


class FormError(ValueError):
    """The form is not a job-seeker registration form or lacks a required field."""


def _text(parent: etree._Element, path: str, required: bool = True) -> str | None:
    value = child_text(parent, path)
    if required and not value:
        raise FormError(f"the form has no {path}")
    return value


def applicant_from_form(form: etree._Element) -> tuple[str, Applicant]:
    """(applicationId, applicant) from a verified form."""
    if form.tag != f"{{{FORM_NS}}}jobSeekerRegistrationForm":
        raise FormError(f"expected {{{FORM_NS}}}jobSeekerRegistrationForm, found {form.tag}")
    applicant = form.find("applicant")
    if applicant is None:
        raise FormError("the form has no applicant")
    representative = form.find("legalRepresentative")
    try:
        birth_date = date.fromisoformat(_text(applicant, "birthDate") or "")
    except ValueError as exc:
        raise FormError(f"applicant/birthDate is not a date: {exc}") from exc
    return _text(form, "applicationId") or "", Applicant(
        iin=_text(applicant, "iin") or "",
        surname=_text(applicant, "surname") or "",
        name=_text(applicant, "name") or "",
        patronymic=_text(applicant, "patronymic", required=False),
        birth_date=birth_date,
        consent_to_personal_data=(_text(form, "consentToPersonalData", required=False) or "").lower() in ("true", "1"),
        legal_representative=LegalRepresentative(
            iin=_text(representative, "iin") or "",
            full_name=_text(representative, "fullName") or "",
            statement=_text(representative, "statement") or "",
        )
        if representative is not None
        else None,
    )


def submitted_at_from_form(form: etree._Element) -> datetime:
    """The instant the applicant submitted the form on the portal (``submittedAt``), which the term of
    the service runs from (regulation 000 §10). It must carry its time zone."""
    text = _text(form, "submittedAt") or ""
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise FormError(f"submittedAt is not a date and time: {text!r}") from exc
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise FormError(f"submittedAt {text!r} has no time zone; give it with its offset, e.g. +05:00")
    return instant
