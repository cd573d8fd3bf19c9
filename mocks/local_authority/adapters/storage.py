"""The local authority's store (SQLAlchemy; a SQLite file by default, PostgreSQL by URL): its cases, complaints,
decision mode and outbox.

Every method is one transaction. A decision is recorded, its delivery to the centre queued and its stage
report queued in the same transaction (:class:`adapters.storage.Outbox`), so nothing decided is lost if the
process is killed before sending: the outbox worker sends it after the restart. Cases due for an automatic
decision are leased to one worker at a time (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a conditional update
on SQLite), so two processes of the authority never decide one case twice; a lease that runs out (the
process died mid-decision) frees the case again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, Integer, MetaData, String, Table, Text, and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, RowMapping

from adapters.storage import AwareDateTime, Outbox, create_store_engine, is_postgres
from mocks.local_authority.adapters.delivery import (
    DECISION_TOPIC,
    STAGE_REPORT_TOPIC,
    decision_payload,
    stage_report_payload,
)
from mocks.local_authority.domain.models import (
    Addressee,
    Case,
    CaseKind,
    CaseStatus,
    Complaint,
    ComplaintStatus,
    DecidedBy,
    Decision,
    DecisionMode,
    DeregistrationInfo,
    Outcome,
    PersonData,
    Reason,
    RegistrationDraft,
    Sex,
    StageReport,
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


def _reasons_json(reasons: Sequence[Reason]) -> list[dict[str, str]]:
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
            "proposedReasons": _reasons_json(subject.proposed_reasons),
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


def _case(row: RowMapping) -> Case:
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


def _complaint(row: RowMapping) -> Complaint:
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


class AuthorityStore:
    """The authority's database. ``now`` is the ecosystem's clock (leases and the outbox run on it)."""

    def __init__(self, engine: Engine, now: Callable[[], datetime]) -> None:
        self._engine = engine
        self._now = now
        metadata.create_all(engine)
        self.outbox = Outbox(engine, now)
        self._listeners: list[Callable[[], None]] = []

    @classmethod
    def at(cls, url: str, now: Callable[[], datetime]) -> AuthorityStore:
        return cls(create_store_engine(url), now)

    @property
    def engine(self) -> Engine:
        return self._engine

    def on_queued(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` after each commit that queued something in the outbox (the worker's ``wake``)."""
        self._listeners.append(listener)

    def _notify(self) -> None:
        for listener in self._listeners:
            listener()

    def _insert(self, connection: Connection, table: Table, values: dict[str, Any]) -> bool:
        dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
        key = next(iter(table.primary_key.columns))
        statement = dialect.insert(table).values(**values).on_conflict_do_nothing().returning(key)
        return connection.execute(statement).first() is not None

    def _queue_reports(self, connection: Connection, reports: Sequence[StageReport]) -> None:
        for report in reports:
            self.outbox.put(
                connection,
                STAGE_REPORT_TOPIC,
                stage_report_payload(report),
                key=f"{report.application_id}/{report.stage}",
                ordering_key=report.application_id,
            )

    # ---- cases -------------------------------------------------------------------------------------------

    def add_case(self, case: Case, reports: Sequence[StageReport]) -> Case:
        values = {
            "case_id": case.case_id,
            "kind": case.kind.value,
            "iin": case.iin,
            "full_name": case.full_name,
            "correlation_id": case.correlation_id,
            "sender_id": case.sender_id,
            "signed_by": case.signed_by,
            "subject": subject_json(case.subject),
            "document": case.document,
            "received_at": case.received_at,
            "deadline": case.deadline,
            "decide_after": case.decide_after,
            "status": CaseStatus.PENDING.value,
            "next_attempt_at": case.decide_after,
            "attempts": 0,
        }
        with self._engine.begin() as connection:
            created = self._insert(connection, cases, values)
            if created:
                self._queue_reports(connection, reports)
            row = connection.execute(select(cases).where(cases.c.case_id == case.case_id)).mappings().one()
        if created:
            self._notify()
        return _case(row)

    def case(self, case_id: str) -> Case | None:
        with self._engine.connect() as connection:
            row = connection.execute(select(cases).where(cases.c.case_id == case_id)).mappings().first()
        return _case(row) if row is not None else None

    def cases(self, status: CaseStatus | None = None, kind: CaseKind | None = None, limit: int = 100) -> list[Case]:
        query = select(cases)
        if status is not None:
            query = query.where(cases.c.status == status.value)
        if kind is not None:
            query = query.where(cases.c.kind == kind.value)
        query = query.order_by(cases.c.received_at.desc(), cases.c.case_id).limit(limit)
        with self._engine.connect() as connection:
            return [_case(row) for row in connection.execute(query).mappings()]

    def record_decision(self, case_id: str, decision: Decision, reports: Sequence[StageReport]) -> bool:
        with self._engine.begin() as connection:
            changed = connection.execute(
                update(cases)
                .where(cases.c.case_id == case_id, cases.c.status == CaseStatus.PENDING.value)
                .values(
                    status=CaseStatus.DECIDED.value,
                    decision_id=decision.decision_id,
                    outcome=decision.outcome.value,
                    reasons=_reasons_json(decision.reasons),
                    decided_at=decision.decided_at,
                    decided_on=decision.decided_on,
                    registered_on=decision.registered_on,
                    decided_by=decision.decided_by.value,
                    decision_document=decision.document,
                    lease_until=None,
                    leased_by=None,
                )
            )
            if not changed.rowcount:
                return False
            correlation_id = connection.execute(
                select(cases.c.correlation_id).where(cases.c.case_id == case_id)
            ).scalar_one()
            self.outbox.put(
                connection,
                DECISION_TOPIC,
                decision_payload(case_id, decision, correlation_id),
                key=f"{case_id}/decision",
                ordering_key=case_id,
            )
            self._queue_reports(connection, reports)
        self._notify()
        return True

    def mark_delivered(self, case_id: str, at: datetime) -> None:
        """The centre acknowledged the decision."""
        with self._engine.begin() as connection:
            connection.execute(
                update(cases).where(cases.c.case_id == case_id, cases.c.delivered_at.is_(None)).values(delivered_at=at)
            )

    def claim_due(self, worker: str, *, limit: int = 10, lease: timedelta = timedelta(minutes=2)) -> list[str]:
        """Lease to ``worker`` the pending cases whose automatic decision is due, oldest first."""
        now = self._now()
        due = and_(
            cases.c.status == CaseStatus.PENDING.value,
            cases.c.next_attempt_at <= now,
            or_(cases.c.lease_until.is_(None), cases.c.lease_until <= now),
        )
        query = select(cases.c.case_id).where(due).order_by(cases.c.next_attempt_at, cases.c.case_id).limit(limit)
        claimed: list[str] = []
        with self._engine.begin() as connection:
            if is_postgres(self._engine):
                query = query.with_for_update(skip_locked=True)
            for case_id in connection.execute(query).scalars().all():
                taken = connection.execute(
                    update(cases)
                    .where(cases.c.case_id == case_id, due)
                    .values(lease_until=now + lease, leased_by=worker)
                )
                if taken.rowcount:
                    claimed.append(case_id)
        return claimed

    def release(self, case_id: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(update(cases).where(cases.c.case_id == case_id).values(lease_until=None, leased_by=None))

    def put_off(self, case_id: str, error: str, next_attempt_at: datetime) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                update(cases)
                .where(cases.c.case_id == case_id, cases.c.status == CaseStatus.PENDING.value)
                .values(
                    attempts=cases.c.attempts + 1,
                    last_error=error[:2000],
                    next_attempt_at=next_attempt_at,
                    lease_until=None,
                    leased_by=None,
                )
            )

    # ---- the decision mode -------------------------------------------------------------------------------

    def mode(self) -> DecisionMode | None:
        with self._engine.connect() as connection:
            value = connection.execute(
                select(authority_settings.c.value).where(authority_settings.c.name == "mode")
            ).scalar_one_or_none()
        return DecisionMode(value) if value is not None else None

    def set_mode(self, mode: DecisionMode) -> None:
        with self._engine.begin() as connection:
            if not self._insert(connection, authority_settings, {"name": "mode", "value": mode.value}):
                connection.execute(
                    update(authority_settings).where(authority_settings.c.name == "mode").values(value=mode.value)
                )

    # ---- complaints --------------------------------------------------------------------------------------

    def add_complaint(self, complaint: Complaint, reports: Sequence[StageReport]) -> Complaint:
        values = {
            "complaint_id": complaint.complaint_id,
            "complainant_iin": complaint.complainant_iin,
            "complainant_name": complaint.complainant_name,
            "addressee": complaint.addressee.value,
            "subject": complaint.subject,
            "text": complaint.text,
            "contested_application_id": complaint.contested_application_id,
            "correlation_id": complaint.correlation_id,
            "sender_id": complaint.sender_id,
            "signed_by": complaint.signed_by,
            "received_at": complaint.received_at,
            "deadline": complaint.deadline,
            "status": ComplaintStatus.REGISTERED.value,
        }
        query = select(complaints).where(complaints.c.complaint_id == complaint.complaint_id)
        with self._engine.begin() as connection:
            created = self._insert(connection, complaints, values)
            if created:
                self._queue_reports(connection, reports)
            row = connection.execute(query).mappings().one()
        if created:
            self._notify()
        return _complaint(row)

    def complaint(self, complaint_id: str) -> Complaint | None:
        query = select(complaints).where(complaints.c.complaint_id == complaint_id)
        with self._engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return _complaint(row) if row is not None else None

    def complaints(self, status: ComplaintStatus | None = None, limit: int = 100) -> list[Complaint]:
        query = select(complaints)
        if status is not None:
            query = query.where(complaints.c.status == status.value)
        query = query.order_by(complaints.c.received_at.desc(), complaints.c.complaint_id).limit(limit)
        with self._engine.connect() as connection:
            return [_complaint(row) for row in connection.execute(query).mappings()]

    def record_answer(
        self, complaint_id: str, answer: str, upheld: bool, at: datetime, reports: Sequence[StageReport]
    ) -> bool:
        with self._engine.begin() as connection:
            changed = connection.execute(
                update(complaints)
                .where(
                    complaints.c.complaint_id == complaint_id,
                    complaints.c.status == ComplaintStatus.REGISTERED.value,
                )
                .values(status=ComplaintStatus.ANSWERED.value, answer=answer, upheld=upheld, answered_at=at)
            )
            if not changed.rowcount:
                return False
            self._queue_reports(connection, reports)
        self._notify()
        return True

    def dispose(self) -> None:
        self._engine.dispose()
