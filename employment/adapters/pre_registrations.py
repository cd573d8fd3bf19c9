"""SQL store of the rural assistant's pre-registrations (JS-13), on the centre's database.

Each write commits the pre-registration with the stage reports it queues in the centre's outbox (topic
``stage-report``, ordered by the application id, which is the pre-registration's id), so the monitoring IS
receives ``PRE_REGISTERED`` and ``DOCUMENTS_RECEIVED`` before the centre's own stages of the same application.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import JSON, Column, Date, MetaData, String, Table, Text, select, update
from sqlalchemy.engine import Connection, Engine, RowMapping
from sqlalchemy.exc import IntegrityError

from adapters.storage import AwareDateTime, Outbox
from employment.adapters.stage_outbox import STAGE_REPORT_TOPIC, stage_report_payload
from employment.domain.models import Applicant, LegalRepresentative, StageReport
from employment.domain.rules.rural_pre_registration import PaperCard, PreRegistration, PreRegistrationState
from employment.service_layer.rural_channel import PreRegistrationAlreadyStored

metadata = MetaData()
pre_registrations = Table(
    "pre_registrations",
    metadata,
    Column("pre_registration_id", String(64), primary_key=True),
    Column("iin", String(12), nullable=False, index=True),
    Column("applicant", JSON, nullable=False),
    Column("assistant_iin", String(12), nullable=False),
    Column("assistant_bin", String(12)),
    Column("assistant", Text, nullable=False),
    Column("card_day", Date, nullable=False),
    Column("paper_card_filled_on", Date),
    Column("paper_card_number", String(64)),
    Column("entered_at", AwareDateTime(), nullable=False),
    Column("documents_due", AwareDateTime(), nullable=False, index=True),
    Column("state", String(32), nullable=False, index=True),
    Column("documents_received_at", AwareDateTime()),
    Column("received_by", Text),
    Column("registration_deadline", AwareDateTime()),
    Column("registered_on", Date),
    Column("result_document", Text),
    Column("notice", Text),
)


def _applicant_json(applicant: Applicant) -> dict[str, Any]:
    representative = applicant.legal_representative
    return {
        "iin": applicant.iin,
        "surname": applicant.surname,
        "name": applicant.name,
        "patronymic": applicant.patronymic,
        "birthDate": applicant.birth_date.isoformat(),
        "consent": applicant.consent_to_personal_data,
        "legalRepresentative": None
        if representative is None
        else {"iin": representative.iin, "fullName": representative.full_name, "statement": representative.statement},
    }


def _applicant(values: dict[str, Any]) -> Applicant:
    representative = values.get("legalRepresentative")
    return Applicant(
        iin=values["iin"],
        surname=values["surname"],
        name=values["name"],
        patronymic=values.get("patronymic"),
        birth_date=date.fromisoformat(values["birthDate"]),
        consent_to_personal_data=bool(values["consent"]),
        legal_representative=None
        if not representative
        else LegalRepresentative(representative["iin"], representative["fullName"], representative["statement"]),
    )


def _values(pre: PreRegistration) -> dict[str, Any]:
    card = pre.paper_card
    return {
        "iin": pre.applicant.iin,
        "applicant": _applicant_json(pre.applicant),
        "assistant_iin": pre.assistant_iin,
        "assistant_bin": pre.assistant_bin,
        "assistant": pre.assistant,
        "card_day": pre.card_day,
        "paper_card_filled_on": card.filled_on if card else None,
        "paper_card_number": card.number if card else None,
        "entered_at": pre.entered_at,
        "documents_due": pre.documents_due,
        "state": pre.state.value,
        "documents_received_at": pre.documents_received_at,
        "received_by": pre.received_by,
        "registration_deadline": pre.registration_deadline,
        "registered_on": pre.registered_on,
        "result_document": pre.result_document,
        "notice": pre.notice,
    }


def _pre_registration(row: RowMapping) -> PreRegistration:
    filled_on = row["paper_card_filled_on"]
    return PreRegistration(
        pre_registration_id=row["pre_registration_id"],
        applicant=_applicant(row["applicant"]),
        assistant_iin=row["assistant_iin"],
        assistant_bin=row["assistant_bin"],
        assistant=row["assistant"],
        card_day=row["card_day"],
        paper_card=PaperCard(filled_on, row["paper_card_number"]) if filled_on is not None else None,
        entered_at=row["entered_at"],
        documents_due=row["documents_due"],
        state=PreRegistrationState(row["state"]),
        documents_received_at=row["documents_received_at"],
        received_by=row["received_by"],
        registration_deadline=row["registration_deadline"],
        registered_on=row["registered_on"],
        result_document=row["result_document"],
        notice=row["notice"],
    )


class SqlPreRegistrations:
    """:class:`employment.service_layer.rural_channel.PreRegistrations` on the centre's database;
    ``on_queued`` wakes the outbox worker after a commit that queued stage reports."""

    def __init__(self, engine: Engine, outbox: Outbox, on_queued: Callable[[], None]) -> None:
        self._engine = engine
        self._outbox = outbox
        self._on_queued = on_queued
        metadata.create_all(engine)

    def get(self, pre_registration_id: str) -> PreRegistration | None:
        with self._engine.connect() as connection:
            query = select(pre_registrations).where(pre_registrations.c.pre_registration_id == pre_registration_id)
            row = connection.execute(query).mappings().first()
        return _pre_registration(row) if row is not None else None

    def add(self, pre: PreRegistration, reports: Sequence[StageReport]) -> None:
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    pre_registrations.insert().values(pre_registration_id=pre.pre_registration_id, **_values(pre))
                )
                self._queue(connection, reports)
        except IntegrityError as exc:
            raise PreRegistrationAlreadyStored(pre.pre_registration_id) from exc
        self._woken(reports)

    def save(self, pre: PreRegistration, reports: Sequence[StageReport]) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                update(pre_registrations)
                .where(pre_registrations.c.pre_registration_id == pre.pre_registration_id)
                .values(**_values(pre))
            )
            self._queue(connection, reports)
        self._woken(reports)

    def awaiting_documents(self) -> list[PreRegistration]:
        query = (
            select(pre_registrations)
            .where(pre_registrations.c.state == PreRegistrationState.PRE_REGISTERED.value)
            .where(pre_registrations.c.documents_received_at.is_(None))
            .order_by(pre_registrations.c.documents_due, pre_registrations.c.pre_registration_id)
        )
        with self._engine.connect() as connection:
            return [_pre_registration(row) for row in connection.execute(query).mappings()]

    def _queue(self, connection: Connection, reports: Sequence[StageReport]) -> None:
        for report in reports:
            self._outbox.put(
                connection,
                STAGE_REPORT_TOPIC,
                stage_report_payload(report),
                key=f"{report.application_id}/{report.stage.value}",
                ordering_key=report.application_id,
            )

    def _woken(self, reports: Sequence[StageReport]) -> None:
        if reports:
            self._on_queued()
