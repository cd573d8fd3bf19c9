"""Map the standard Annex 2 registration form (:mod:`contracts.job_seeker_form`) to domain objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from contracts.job_seeker_form import SIGNED_APPLICATION, FormContractError, ReadForm, read_form, read_submitted_at
from employment.adapters.card_profile import card_profile
from employment.domain.models import Applicant, LegalRepresentative
from employment.domain.rules.channels import Channel, applicant_consent
from employment.domain.rules.rural_pre_registration import PaperCard


class FormError(ValueError):
    """The form is not a job-seeker registration form or lacks a required field."""


@dataclass(frozen=True)
class RegistrationForm:
    """What the centre reads from a verified form: the application, where it was taken, and the paper card
    of a rural later entry (JS-13)."""

    application_id: str
    applicant: Applicant
    submitted_at: datetime
    channel: Channel
    office: str | None
    paper_card: PaperCard | None


def _read(form: etree._Element) -> ReadForm:
    try:
        return read_form(form)
    except FormContractError as exc:
        raise FormError(str(exc)) from exc


def _applicant(read: ReadForm, channel: Channel) -> Applicant:
    representative = read.legal_representative
    intake = read.form.intake
    signed_application = intake is not None and intake.applicant_consent == SIGNED_APPLICATION
    return Applicant(
        iin=read.applicant.iin,
        surname=read.applicant.surname,
        name=read.applicant.name,
        patronymic=read.applicant.patronymic,
        birth_date=read.applicant.birth_date,
        consent_to_personal_data=applicant_consent(channel, read.consent_to_personal_data, signed_application),
        legal_representative=LegalRepresentative(
            iin=representative.iin, full_name=representative.full_name, statement=representative.statement
        )
        if representative is not None
        else None,
        profile=card_profile(read.form.fields),
    )


def applicant_from_form(form: etree._Element) -> tuple[str, Applicant]:
    """(applicationId, applicant) from a verified form."""
    read = _read(form)
    return read.form.application_id, _applicant(read, Channel(read.channel))


def registration_form(form: etree._Element) -> RegistrationForm:
    """Everything the centre needs of a verified form, its channel included (a form without ``intake`` was
    filled by the applicant on the portal)."""
    read = _read(form)
    channel = Channel(read.channel)
    intake = read.form.intake
    card = intake.paper_card if intake is not None else None
    return RegistrationForm(
        application_id=read.form.application_id,
        applicant=_applicant(read, channel),
        submitted_at=read.form.submitted_at,
        channel=channel,
        office=intake.office if intake is not None else None,
        paper_card=PaperCard(card.filled_on, card.number) if card is not None else None,
    )


def submitted_at_from_form(form: etree._Element) -> datetime:
    """The instant the applicant submitted the form on the portal (``submittedAt``), which the term of
    the service runs from (regulation 000 §10). It must carry its time zone."""
    try:
        return read_submitted_at(form)
    except FormContractError as exc:
        raise FormError(str(exc)) from exc
