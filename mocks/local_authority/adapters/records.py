"""The local authority's tables, and how a case or a complaint becomes a row and back.

A case keeps what the centre sent as JSON (``subject``: the person, and the draft or the ground and facts, as
the admin API shows it), the documents as received, and once decided the decision with its signed document.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, Integer, MetaData, String, Table, Text
from sqlalchemy.engine import RowMapping

from adapters.storage import AwareDateTime
from mocks.local_authority.domain.models import (
    Addressee,
    Case,
    CaseKind,
    CaseStatus,
    Complaint,
    ComplaintStatus,
    DecidedBy,
    Decision,
    DeregistrationInfo,
    Outcome,
    PersonData,
    Reason,
    RegistrationDraft,
    Sex,
)

metadata = MetaData()
cases = Table(
    "cases",
    metadata,
    Column("case_id", String(64), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("iin", String(12), nullable=False, index=True),
    Column("full_name", String(700), nullable=False),
    Column("correlation_id", String(128)),
    Column("sender_id", String(64), nullable=False),
    Column("signed_by", String(500), nullable=False),
    Column("subject", JSON, nullable=False),
    Column("document", Text, nullable=False),
    Column("received_at", AwareDateTime(), nullable=False),
    Column("deadline", AwareDateTime(), nullable=False),
    Column("decide_after", AwareDateTime(), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("next_attempt_at", AwareDateTime(), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("lease_until", AwareDateTime()),
    Column("leased_by", String(100)),
    Column("decision_id", String(64)),
    Column("outcome", String(16)),
    Column("reasons", JSON),
    Column("decided_at", AwareDateTime()),
    Column("decided_on", Date),
    Column("registered_on", Date),
    Column("decided_by", String(16)),
    Column("decision_document", Text),
    Column("delivered_at", AwareDateTime()),
)
complaints = Table(
    "complaints",
    metadata,
    Column("complaint_id", String(64), primary_key=True),
    Column("complainant_iin", String(12), nullable=False, index=True),
    Column("complainant_name", String(500), nullable=False),
    Column("addressee", String(32), nullable=False),
    Column("subject", String(500), nullable=False),
    Column("text", Text, nullable=False),
    Column("contested_application_id", String(64)),
    Column("correlation_id", String(128)),
    Column("sender_id", String(64), nullable=False),
    Column("signed_by", String(500)),
    Column("received_at", AwareDateTime(), nullable=False),
    Column("deadline", AwareDateTime(), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("answer", Text),
    Column("upheld", Boolean),
    Column("answered_at", AwareDateTime()),
)
authority_settings = Table(
    "authority_settings",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
)


def reasons_json(reasons: Sequence[Reason]) -> list[dict[str, str]]:
    return [{"ruleId": reason.rule_id, "text": reason.text} for reason in reasons]


def _reasons(raw: list[dict[str, str]] | None) -> tuple[Reason, ...]:
    return tuple(Reason(item["ruleId"], item["text"]) for item in raw or [])


def _person_json(person: PersonData) -> dict[str, Any]:
    return {
        "iin": person.iin,
        "surname": person.surname,
        "name": person.name,
        "patronymic": person.patronymic,
        "birthDate": person.birth_date.isoformat(),
        "sex": person.sex.value,
        "address": person.address,
    }


def _person(raw: dict[str, Any]) -> PersonData:
    return PersonData(
        raw["iin"],
        raw["surname"],
        raw["name"],
        raw["patronymic"],
        date.fromisoformat(raw["birthDate"]),
        Sex(raw["sex"]),
        raw["address"],
    )


def subject_json(subject: RegistrationDraft | DeregistrationInfo) -> dict[str, Any]:
    """The case's subject as its admin API shows it, and as it is kept."""
    if isinstance(subject, RegistrationDraft):
        return {
            "person": _person_json(subject.person),
            "jobSeekerRegisteredOn": subject.job_seeker_registered_on.isoformat(),
            "sendingGround": subject.sending_ground,
            "proposedOutcome": subject.proposed.value,
            "proposedReasons": reasons_json(subject.proposed_reasons),
        }
    return {
        "person": _person_json(subject.person),
        "unemployedSince": subject.unemployed_since.isoformat(),
        "ground": subject.ground,
        "ruleId": subject.rule_id,
        "facts": subject.facts,
        "informationReceivedOn": subject.information_received_on.isoformat(),
    }


def _subject(kind: CaseKind, raw: dict[str, Any]) -> RegistrationDraft | DeregistrationInfo:
    if kind is CaseKind.UNEMPLOYED_REGISTRATION:
        return RegistrationDraft(
            person=_person(raw["person"]),
            job_seeker_registered_on=date.fromisoformat(raw["jobSeekerRegisteredOn"]),
            sending_ground=raw["sendingGround"],
            proposed=Outcome(raw["proposedOutcome"]),
            proposed_reasons=_reasons(raw["proposedReasons"]),
        )
    return DeregistrationInfo(
        person=_person(raw["person"]),
        unemployed_since=date.fromisoformat(raw["unemployedSince"]),
        ground=int(raw["ground"]),
        facts=raw["facts"],
        information_received_on=date.fromisoformat(raw["informationReceivedOn"]),
    )


def case_from_row(row: RowMapping) -> Case:
    kind = CaseKind(row["kind"])
    decision = None
    if row["decision_id"] is not None:
        decision = Decision(
            decision_id=row["decision_id"],
            outcome=Outcome(row["outcome"]),
            reasons=_reasons(row["reasons"]),
            decided_at=row["decided_at"],
            decided_on=row["decided_on"],
            registered_on=row["registered_on"],
            decided_by=DecidedBy(row["decided_by"]),
            document=row["decision_document"],
        )
    return Case(
        case_id=row["case_id"],
        kind=kind,
        subject=_subject(kind, row["subject"]),
        correlation_id=row["correlation_id"],
        sender_id=row["sender_id"],
        signed_by=row["signed_by"],
        document=row["document"],
        received_at=row["received_at"],
        deadline=row["deadline"],
        decide_after=row["decide_after"],
        status=CaseStatus(row["status"]),
        decision=decision,
        attempts=row["attempts"],
        last_error=row["last_error"],
        delivered_at=row["delivered_at"],
    )


def complaint_from_row(row: RowMapping) -> Complaint:
    return Complaint(
        complaint_id=row["complaint_id"],
        complainant_iin=row["complainant_iin"],
        complainant_name=row["complainant_name"],
        addressee=Addressee(row["addressee"]),
        subject=row["subject"],
        text=row["text"],
        contested_application_id=row["contested_application_id"],
        correlation_id=row["correlation_id"],
        sender_id=row["sender_id"],
        signed_by=row["signed_by"],
        received_at=row["received_at"],
        deadline=row["deadline"],
        status=ComplaintStatus(row["status"]),
        answer=row["answer"],
        upheld=row["upheld"],
        answered_at=row["answered_at"],
    )
