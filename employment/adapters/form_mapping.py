"""Map the standard Annex 2 registration form (:mod:`contracts.job_seeker_form`) to domain objects."""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from contracts.job_seeker_form import FormContractError, read_form, read_submitted_at
from employment.adapters.card_profile import card_profile
from employment.domain.models import Applicant, LegalRepresentative


class FormError(ValueError):
    """The form is not a job-seeker registration form or lacks a required field."""


def applicant_from_form(form: etree._Element) -> tuple[str, Applicant]:
    """(applicationId, applicant) from a verified form."""
    try:
        read = read_form(form)
    except FormContractError as exc:
        raise FormError(str(exc)) from exc
    representative = read.legal_representative
    return read.form.application_id, Applicant(
        iin=read.applicant.iin,
        surname=read.applicant.surname,
        name=read.applicant.name,
        patronymic=read.applicant.patronymic,
        birth_date=read.applicant.birth_date,
        consent_to_personal_data=read.consent_to_personal_data,
        legal_representative=LegalRepresentative(
            iin=representative.iin, full_name=representative.full_name, statement=representative.statement
        )
        if representative is not None
        else None,
        profile=card_profile(read.form.fields),
    )


def submitted_at_from_form(form: etree._Element) -> datetime:
    """The instant the applicant submitted the form on the portal (``submittedAt``), which the term of
    the service runs from (regulation 000 §10). It must carry its time zone."""
    try:
        return read_submitted_at(form)
    except FormContractError as exc:
        raise FormError(str(exc)) from exc
