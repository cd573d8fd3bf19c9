"""The rural path (JS-13, Rules No. 259 §15-21): the assistant's pre-registration, and its registration by the
centre once the documents arrive. The rules are in :mod:`employment.domain.rules.rural_pre_registration`.

- :func:`pre_register`: the assistant (a person of the centre's register for ``RURAL_ASSISTANT``) enters the
  card, at once or later from paper; the pre-registration is stored with its stage ``PRE_REGISTERED`` for the
  monitoring IS, whose deadline is the assistant's term to send the documents (§20). Idempotent by id.
- :func:`receive_documents`: the centre's worker records that the documents reached the centre; the stage
  ``DOCUMENTS_RECEIVED`` is reported with the centre's term (§21), the centre decides as on every channel
  (:func:`employment.service_layer.handlers.register_job_seeker`, channel ``RURAL_ASSISTANT``, the term running
  from the receipt) and the pre-registration keeps the registration date and the signed result for the
  assistant to tell the person. Idempotent: a second receipt answers the first decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from employment.domain.errors import PreRegistrationError, PreRegistrationNotFound
from employment.domain.models import Applicant, Stage, StageReport
from employment.domain.rules import channels
from employment.domain.rules import rural_pre_registration as rural
from employment.domain.rules.channels import Channel, Signer
from employment.domain.rules.job_seeker_registration import SERVICE_CODE
from employment.domain.rules.rural_pre_registration import PaperCard, PreRegistration, PreRegistrationState
from employment.service_layer.commands import RegisterJobSeeker
from employment.service_layer.handlers import EmploymentServices, register_job_seeker


class PreRegistrationAlreadyStored(Exception):
    """Another transaction stored a pre-registration under this id first."""


class PreRegistrations(Protocol):
    """The centre's store of pre-registrations; each write commits with the stage reports it queues."""

    def get(self, pre_registration_id: str) -> PreRegistration | None: ...

    def add(self, pre: PreRegistration, reports: Sequence[StageReport]) -> None:
        """Store a new pre-registration; raise :class:`PreRegistrationAlreadyStored` if its id is taken."""
        ...

    def save(self, pre: PreRegistration, reports: Sequence[StageReport]) -> None:
        """Store the new state of a pre-registration."""
        ...

    def awaiting_documents(self) -> list[PreRegistration]:
        """The pre-registrations whose documents have not reached the centre, earliest due first."""
        ...


@dataclass(frozen=True)
class PreRegisterJobSeeker:
    """A pre-registration form (channel ``RURAL_ASSISTANT``) whose signature the entrypoint has verified."""

    application_id: str
    applicant: Applicant
    signer: Signer
    signer_description: str
    paper_card: PaperCard | None  # a card filled on paper, entered later (§17)
    entered_at: datetime


@dataclass(frozen=True)
class ReceiveDocuments:
    """The centre's worker states when the documents of a pre-registration reached the centre (§21)."""

    pre_registration_id: str
    signer: Signer
    signer_description: str
    received_at: datetime


def pre_register(
    command: PreRegisterJobSeeker, services: EmploymentServices, store: PreRegistrations
) -> PreRegistration:
    """§15-20: store the assistant's pre-registration and report it with the assistant's term (§20)."""
    channels.require_authorised_signer(Channel.RURAL_ASSISTANT, command.signer, command.applicant, services.signers)
    existing = store.get(command.application_id)
    if existing is not None:
        return _same_person(existing, command.applicant)
    with services.uow() as uow:
        if uow.applications.get(command.application_id) is not None:
            raise PreRegistrationError(
                f"application id {command.application_id} is taken by an application the centre has decided; "
                "give the card its own id"
            )
    day = rural.card_day(command.paper_card, command.entered_at, services.calendar)
    pre = PreRegistration(
        pre_registration_id=command.application_id,
        applicant=command.applicant,
        assistant_iin=command.signer.iin or "",
        assistant_bin=command.signer.bin,
        assistant=command.signer_description,
        card_day=day,
        paper_card=command.paper_card,
        entered_at=command.entered_at,
        documents_due=rural.documents_due(day, services.calendar),
    )
    report = _stage(pre, Stage.PRE_REGISTERED, services.now(), pre.documents_due)
    try:
        store.add(pre, [report])
    except PreRegistrationAlreadyStored:
        stored = store.get(command.application_id)
        if stored is None:  # the other transaction cannot have vanished after taking the id
            raise
        return _same_person(stored, command.applicant)
    return pre


def receive_documents(
    command: ReceiveDocuments, services: EmploymentServices, store: PreRegistrations
) -> PreRegistration:
    """§21: the documents are at the centre; the centre registers the person (or refuses) and keeps, for the
    assistant, the date of registration and the signed result."""
    pre = store.get(command.pre_registration_id)
    if pre is None:
        raise PreRegistrationNotFound(f"no pre-registration {command.pre_registration_id}")
    # The receipt is the centre's act: its office staff sign it (JS-13 with 000 §5 action 1).
    channels.require_authorised_signer(Channel.OFFICE, command.signer, pre.applicant, services.signers)
    if pre.state is not PreRegistrationState.PRE_REGISTERED:
        return pre  # decided before: the same answer
    if pre.documents_received_at is None:
        rural.check_receipt(pre, command.received_at, services.now(), services.calendar)
        _, deadline = channels.term(Channel.RURAL_ASSISTANT, command.received_at, services.calendar)
        pre = rural.received(pre, command.received_at, command.signer_description, deadline)
        store.save(pre, [_stage(pre, Stage.DOCUMENTS_RECEIVED, services.now(), deadline)])
    assert pre.documents_received_at is not None
    stored = register_job_seeker(
        RegisterJobSeeker(
            application_id=pre.pre_registration_id,
            applicant=pre.applicant,
            signer_iin=pre.assistant_iin,
            signer_description=pre.assistant,
            received_at=pre.documents_received_at,
            correlation_id=pre.pre_registration_id,
            channel=Channel.RURAL_ASSISTANT,
            signer_bin=pre.assistant_bin,
        ),
        services,
    )
    registered_on = None
    if stored.registered:
        receipt, _ = channels.term(Channel.RURAL_ASSISTANT, pre.documents_received_at, services.calendar)
        registered_on = receipt.date()
    decided = rural.decided(pre, registered_on, stored.document)
    store.save(decided, [])
    return decided


def _same_person(pre: PreRegistration, applicant: Applicant) -> PreRegistration:
    if pre.applicant.iin != applicant.iin:
        raise PreRegistrationError(
            f"pre-registration {pre.pre_registration_id} is of IIN {pre.applicant.iin}, not {applicant.iin}: "
            "give the new card its own application id"
        )
    return pre


def _stage(pre: PreRegistration, stage: Stage, at: datetime, deadline: datetime) -> StageReport:
    return StageReport(
        pre.pre_registration_id,
        SERVICE_CODE,
        stage,
        at,
        deadline,
        None,
        pre.pre_registration_id,
        channel=Channel.RURAL_ASSISTANT.value,
    )


__all__ = [
    "PreRegisterJobSeeker",
    "PreRegistrationAlreadyStored",
    "PreRegistrations",
    "ReceiveDocuments",
    "pre_register",
    "receive_documents",
]
