"""SQLAlchemy storage of the register: entries (optimistic version and a row lock), the history of
transitions, registration cases, vacancies and offers, deregistration requests, certificates, and the
dispatches owed to other systems. Each record keeps its searchable fields as columns and the whole record as
JSON (:mod:`employment.adapters.record_codec`). The tables are created with the centre's other tables."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from adapters.storage import AwareDateTime, insert_new, is_postgres
from employment.adapters.record_codec import from_json, to_json
from employment.domain.register import RegisterEntry, RegisterState, TransitionRecord
from employment.domain.rules.suitable_work import Offer, Vacancy
from employment.service_layer.register_records import (
    CaseStatus,
    CertificateRecord,
    DeregistrationCase,
    DeregistrationStatus,
    Dispatch,
    DispatchKind,
    RegistrationCase,
)
from employment.service_layer.register_repositories import RecordAlreadyStored, RegisterEntryChanged

register_metadata = MetaData()
ID = 160  # ids are the senders' own (at most 128) with a short prefix

entries = Table(
    "register_entries",
    register_metadata,
    Column("iin", String(12), primary_key=True),
    Column("state", String(32), nullable=False, index=True),
    Column("case_id", String(ID), nullable=False),
    Column("version", Integer, nullable=False),
    Column("record", JSON, nullable=False),
)
transitions = Table(
    "register_transitions",
    register_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("iin", String(12), nullable=False, index=True),
    Column("application_id", String(ID), nullable=False, index=True),
    Column("source", String(32)),
    Column("target", String(32), nullable=False),
    Column("at", AwareDateTime(), nullable=False),
    Column("rule_id", String(32), nullable=False),
    Column("reason", Text, nullable=False),
)
cases = Table(
    "registration_cases",
    register_metadata,
    Column("case_id", String(ID), primary_key=True),
    Column("iin", String(12), nullable=False, index=True),
    Column("status", String(32), nullable=False, index=True),
    Column("registered_at", AwareDateTime(), nullable=False),
    Column("record", JSON, nullable=False),
)
vacancies = Table(
    "vacancies",
    register_metadata,
    Column("vacancy_id", String(ID), primary_key=True),
    Column("open", Boolean, nullable=False, index=True),
    Column("registered_at", AwareDateTime(), nullable=False),
    Column("record", JSON, nullable=False),
)
offers = Table(
    "offers",
    register_metadata,
    Column("offer_id", String(ID), primary_key=True),
    Column("iin", String(12), nullable=False, index=True),
    Column("answered", Boolean, nullable=False),
    Column("answer_due", AwareDateTime(), nullable=False),
    Column("record", JSON, nullable=False),
)
deregistrations = Table(
    "deregistration_requests",
    register_metadata,
    Column("request_id", String(ID), primary_key=True),
    Column("iin", String(12), nullable=False, index=True),
    Column("status", String(32), nullable=False),
    Column("record", JSON, nullable=False),
)
certificates = Table(
    "unemployed_certificates",
    register_metadata,
    Column("application_id", String(ID), primary_key=True),
    Column("iin", String(12), nullable=False, index=True),
    Column("record", JSON, nullable=False),
)
dispatches = Table(
    "register_dispatches",
    register_metadata,
    Column("dispatch_id", String(ID + 40), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("iin", String(12), nullable=False),
    Column("reference", String(ID), nullable=False, index=True),
    Column("due", AwareDateTime(), nullable=False),
    Column("created_at", AwareDateTime(), nullable=False),
    Column("done_at", AwareDateTime()),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("set_aside", Boolean, nullable=False, default=False),
    Column("claimed_until", AwareDateTime()),
)


class SqlRegister:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def entry_for_update(self, iin: str) -> RegisterEntry | None:
        query = select(entries).where(entries.c.iin == iin)
        if is_postgres(self._c.engine):
            query = query.with_for_update()
        row = self._c.execute(query).mappings().first()
        if row is None:
            return None
        return from_json(RegisterEntry, {**row["record"], "version": row["version"]})

    def _values(self, entry: RegisterEntry) -> dict[str, Any]:
        record = to_json(entry)
        del record["version"]
        return {"state": entry.state.value, "case_id": entry.case_id, "record": record}

    def add(self, entry: RegisterEntry) -> None:
        if not insert_new(self._c, entries, {"iin": entry.iin, "version": 1, **self._values(entry)}):
            raise RegisterEntryChanged(entry.iin)

    def save(self, entry: RegisterEntry) -> RegisterEntry:
        result = self._c.execute(
            update(entries)
            .where(and_(entries.c.iin == entry.iin, entries.c.version == entry.version))
            .values(version=entry.version + 1, **self._values(entry))
        )
        if result.rowcount != 1:
            raise RegisterEntryChanged(entry.iin)
        return replace(entry, version=entry.version + 1)

    def record(self, transition: TransitionRecord) -> None:
        self._c.execute(
            transitions.insert().values(
                iin=transition.iin,
                application_id=transition.application_id,
                source=transition.source.value if transition.source else None,
                target=transition.target.value,
                at=transition.at,
                rule_id=transition.rule_id,
                reason=transition.reason,
            )
        )

    def history(self, iin: str) -> list[TransitionRecord]:
        rows = self._c.execute(select(transitions).where(transitions.c.iin == iin).order_by(transitions.c.id))
        return [
            TransitionRecord(
                r.iin,
                r.application_id,
                RegisterState(r.source) if r.source else None,
                RegisterState(r.target),
                r.at,
                r.rule_id,
                r.reason,
            )
            for r in rows
        ]


class SqlCases:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, case_id: str) -> RegistrationCase | None:
        row = self._c.execute(select(cases.c.record).where(cases.c.case_id == case_id)).first()
        return from_json(RegistrationCase, row[0]) if row else None

    def add(self, case: RegistrationCase) -> None:
        values = {
            "case_id": case.case_id,
            "iin": case.iin,
            "status": case.status.value,
            "registered_at": case.registered_at,
            "record": to_json(case),
        }
        if not insert_new(self._c, cases, values):
            raise RecordAlreadyStored(case.case_id)

    def save(self, case: RegistrationCase) -> None:
        self._c.execute(
            update(cases).where(cases.c.case_id == case.case_id).values(status=case.status.value, record=to_json(case))
        )

    def in_status(self, statuses: Iterable[CaseStatus], limit: int = 100) -> list[RegistrationCase]:
        query = (
            select(cases.c.record)
            .where(cases.c.status.in_([s.value for s in statuses]))
            .order_by(cases.c.registered_at, cases.c.case_id)
            .limit(limit)
        )
        return [from_json(RegistrationCase, row[0]) for row in self._c.execute(query)]


class SqlVacancies:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def add(self, vacancy: Vacancy) -> bool:
        values = {
            "vacancy_id": vacancy.vacancy_id,
            "open": vacancy.open,
            "registered_at": vacancy.registered_at,
            "record": to_json(vacancy),
        }
        return insert_new(self._c, vacancies, values)

    def get(self, vacancy_id: str) -> Vacancy | None:
        row = self._c.execute(select(vacancies.c.record).where(vacancies.c.vacancy_id == vacancy_id)).first()
        return from_json(Vacancy, row[0]) if row else None

    def open_vacancies(self) -> list[Vacancy]:
        query = select(vacancies.c.record).where(vacancies.c.open.is_(True)).order_by(vacancies.c.registered_at)
        return [from_json(Vacancy, row[0]) for row in self._c.execute(query)]


class SqlOffers:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def _values(self, offer: Offer) -> dict[str, Any]:
        return {
            "iin": offer.iin,
            "answered": offer.answer is not None,
            "answer_due": offer.answer_due,
            "record": to_json(offer),
        }

    def add(self, offer: Offer) -> None:
        if not insert_new(self._c, offers, {"offer_id": offer.offer_id, **self._values(offer)}):
            raise RecordAlreadyStored(offer.offer_id)

    def get(self, offer_id: str) -> Offer | None:
        row = self._c.execute(select(offers.c.record).where(offers.c.offer_id == offer_id)).first()
        return from_json(Offer, row[0]) if row else None

    def save(self, offer: Offer) -> None:
        self._c.execute(update(offers).where(offers.c.offer_id == offer.offer_id).values(**self._values(offer)))

    def of_person(self, iin: str) -> list[Offer]:
        query = select(offers.c.record).where(offers.c.iin == iin).order_by(offers.c.offer_id)
        return [from_json(Offer, row[0]) for row in self._c.execute(query)]

    def unanswered_by(self, moment: datetime, limit: int = 100) -> list[Offer]:
        query = (
            select(offers.c.record)
            .where(and_(offers.c.answered.is_(False), offers.c.answer_due < moment))
            .order_by(offers.c.answer_due)
            .limit(limit)
        )
        return [from_json(Offer, row[0]) for row in self._c.execute(query)]


class SqlDeregistrations:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, request_id: str) -> DeregistrationCase | None:
        row = self._c.execute(
            select(deregistrations.c.record).where(deregistrations.c.request_id == request_id)
        ).first()
        return from_json(DeregistrationCase, row[0]) if row else None

    def add(self, case: DeregistrationCase) -> None:
        values = {"request_id": case.request_id, "iin": case.iin, "status": case.status.value, "record": to_json(case)}
        if not insert_new(self._c, deregistrations, values):
            raise RecordAlreadyStored(case.request_id)

    def save(self, case: DeregistrationCase) -> None:
        self._c.execute(
            update(deregistrations)
            .where(deregistrations.c.request_id == case.request_id)
            .values(status=case.status.value, record=to_json(case))
        )

    def of_person(self, iin: str, statuses: Iterable[DeregistrationStatus]) -> list[DeregistrationCase]:
        query = select(deregistrations.c.record).where(
            and_(deregistrations.c.iin == iin, deregistrations.c.status.in_([s.value for s in statuses]))
        )
        return [from_json(DeregistrationCase, row[0]) for row in self._c.execute(query)]


class SqlCertificates:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, application_id: str) -> CertificateRecord | None:
        row = self._c.execute(
            select(certificates.c.record).where(certificates.c.application_id == application_id)
        ).first()
        return from_json(CertificateRecord, row[0]) if row else None

    def add(self, record: CertificateRecord) -> None:
        values = {"application_id": record.application_id, "iin": record.iin, "record": to_json(record)}
        try:
            inserted = insert_new(self._c, certificates, values)
        except IntegrityError as exc:  # pragma: no cover - on_conflict_do_nothing covers the key
            raise RecordAlreadyStored(record.application_id) from exc
        if not inserted:
            raise RecordAlreadyStored(record.application_id)

    def of_person(self, iin: str) -> list[CertificateRecord]:
        rows = self._c.execute(select(certificates.c.record).where(certificates.c.iin == iin))
        found = [from_json(CertificateRecord, row[0]) for row in rows]
        return sorted(found, key=lambda record: (record.received_at, record.application_id))


class SqlDispatches:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    @staticmethod
    def _dispatch(row: Any) -> Dispatch:
        return Dispatch(
            row.dispatch_id,
            DispatchKind(row.kind),
            row.iin,
            row.reference,
            row.due,
            row.created_at,
            row.done_at,
            row.attempts,
            row.last_error,
            row.set_aside,
        )

    def add(self, dispatch: Dispatch) -> bool:
        values = {
            "dispatch_id": dispatch.dispatch_id,
            "kind": dispatch.kind.value,
            "iin": dispatch.iin,
            "reference": dispatch.reference,
            "due": dispatch.due,
            "created_at": dispatch.created_at,
            "done_at": dispatch.done_at,
            "attempts": dispatch.attempts,
            "last_error": dispatch.last_error,
            "set_aside": dispatch.set_aside,
        }
        return insert_new(self._c, dispatches, values)

    def get(self, dispatch_id: str) -> Dispatch | None:
        row = self._c.execute(select(dispatches).where(dispatches.c.dispatch_id == dispatch_id)).first()
        return self._dispatch(row) if row else None

    def pending(self, limit: int = 50) -> list[Dispatch]:
        query = (
            select(dispatches)
            .where(and_(dispatches.c.done_at.is_(None), dispatches.c.set_aside.is_(False)))
            .order_by(dispatches.c.created_at, dispatches.c.dispatch_id)
            .limit(limit)
        )
        return [self._dispatch(row) for row in self._c.execute(query)]

    def claim(self, dispatch_id: str, now: datetime, until: datetime) -> bool:
        result = self._c.execute(
            update(dispatches)
            .where(
                and_(
                    dispatches.c.dispatch_id == dispatch_id,
                    dispatches.c.done_at.is_(None),
                    dispatches.c.set_aside.is_(False),
                    or_(dispatches.c.claimed_until.is_(None), dispatches.c.claimed_until <= now),
                )
            )
            .values(claimed_until=until)
        )
        return result.rowcount == 1

    def done(self, dispatch_id: str, at: datetime) -> None:
        self._c.execute(
            update(dispatches).where(dispatches.c.dispatch_id == dispatch_id).values(done_at=at, claimed_until=None)
        )

    def failed(self, dispatch_id: str, error: str, *, set_aside: bool) -> None:
        self._c.execute(
            update(dispatches)
            .where(dispatches.c.dispatch_id == dispatch_id)
            .values(attempts=dispatches.c.attempts + 1, last_error=error, set_aside=set_aside, claimed_until=None)
        )
