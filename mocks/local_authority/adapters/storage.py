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
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine

from adapters.storage import LeasedRows, Outbox, create_store_engine, insert_new
from mocks.local_authority.adapters.delivery import (
    DECISION_TOPIC,
    STAGE_REPORT_TOPIC,
    decision_payload,
    stage_report_payload,
)
from mocks.local_authority.adapters.records import (
    authority_settings,
    case_from_row,
    cases,
    complaint_from_row,
    complaints,
    metadata,
    reasons_json,
    subject_json,
)
from mocks.local_authority.domain.models import (
    Case,
    CaseKind,
    CaseStatus,
    Complaint,
    ComplaintStatus,
    Decision,
    DecisionMode,
    StageReport,
)


class AuthorityStore:
    """The authority's database. ``now`` is the ecosystem's clock (leases and the outbox run on it)."""

    def __init__(self, engine: Engine, now: Callable[[], datetime]) -> None:
        self._engine = engine
        self._now = now
        metadata.create_all(engine)
        self.outbox = Outbox(engine, now)
        self._due = LeasedRows(
            engine,
            cases,
            key=cases.c.case_id,
            due_at=cases.c.next_attempt_at,
            waiting=cases.c.status == CaseStatus.PENDING.value,
        )
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
            created = insert_new(connection, cases, values)
            if created:
                self._queue_reports(connection, reports)
            row = connection.execute(select(cases).where(cases.c.case_id == case.case_id)).mappings().one()
        if created:
            self._notify()
        return case_from_row(row)

    def case(self, case_id: str) -> Case | None:
        with self._engine.connect() as connection:
            row = connection.execute(select(cases).where(cases.c.case_id == case_id)).mappings().first()
        return case_from_row(row) if row is not None else None

    def cases(self, status: CaseStatus | None = None, kind: CaseKind | None = None, limit: int = 100) -> list[Case]:
        query = select(cases)
        if status is not None:
            query = query.where(cases.c.status == status.value)
        if kind is not None:
            query = query.where(cases.c.kind == kind.value)
        query = query.order_by(cases.c.received_at.desc(), cases.c.case_id).limit(limit)
        with self._engine.connect() as connection:
            return [case_from_row(row) for row in connection.execute(query).mappings()]

    def record_decision(self, case_id: str, decision: Decision, reports: Sequence[StageReport]) -> bool:
        with self._engine.begin() as connection:
            changed = connection.execute(
                update(cases)
                .where(cases.c.case_id == case_id, cases.c.status == CaseStatus.PENDING.value)
                .values(
                    status=CaseStatus.DECIDED.value,
                    decision_id=decision.decision_id,
                    outcome=decision.outcome.value,
                    reasons=reasons_json(decision.reasons),
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
        return self._due.claim_due(worker, self._now(), limit=limit, lease=lease)

    def release(self, case_id: str) -> None:
        self._due.release(case_id)

    def put_off(self, case_id: str, error: str, next_attempt_at: datetime) -> None:
        self._due.put_off(case_id, error, next_attempt_at)

    # ---- the decision mode -------------------------------------------------------------------------------

    def mode(self) -> DecisionMode | None:
        with self._engine.connect() as connection:
            value = connection.execute(
                select(authority_settings.c.value).where(authority_settings.c.name == "mode")
            ).scalar_one_or_none()
        return DecisionMode(value) if value is not None else None

    def set_mode(self, mode: DecisionMode) -> None:
        with self._engine.begin() as connection:
            if not insert_new(connection, authority_settings, {"name": "mode", "value": mode.value}):
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
            created = insert_new(connection, complaints, values)
            if created:
                self._queue_reports(connection, reports)
            row = connection.execute(query).mappings().one()
        if created:
            self._notify()
        return complaint_from_row(row)

    def complaint(self, complaint_id: str) -> Complaint | None:
        query = select(complaints).where(complaints.c.complaint_id == complaint_id)
        with self._engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return complaint_from_row(row) if row is not None else None

    def complaints(self, status: ComplaintStatus | None = None, limit: int = 100) -> list[Complaint]:
        query = select(complaints)
        if status is not None:
            query = query.where(complaints.c.status == status.value)
        query = query.order_by(complaints.c.received_at.desc(), complaints.c.complaint_id).limit(limit)
        with self._engine.connect() as connection:
            return [complaint_from_row(row) for row in connection.execute(query).mappings()]

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
