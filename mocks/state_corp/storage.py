"""The State Corporation system's durable state: operators (salted password hashes), their login sessions, and
the cases they take, each with the journal of its steps (regulation 004 §7-8; JS-12): the job-seeker
registrations (``cases``) and the job-loss payment applications (``payment_cases``, SP-2, SP-3).

Instants are stored with :class:`adapters.storage.AwareDateTime` and read back with their +05:00 offset.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from adapters.storage import AwareDateTime, create_store_engine


class _Base(DeclarativeBase):
    pass


class OperatorRow(_Base):
    __tablename__ = "operators"

    iin: Mapped[str] = mapped_column(String(12), primary_key=True)  # the operator's login
    full_name: Mapped[str] = mapped_column(String(255))
    branch: Mapped[str] = mapped_column(String(255))
    official_role: Mapped[str | None] = mapped_column(String(64))  # whose EDS key the workstation holds
    services: Mapped[list[str]] = mapped_column(JSON)  # what the operator may do
    password_hash: Mapped[str] = mapped_column(String(255))


class OperatorSessionRow(_Base):
    __tablename__ = "operator_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    operator_iin: Mapped[str] = mapped_column(String(12), index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime())


class CaseRow(_Base):
    """One applicant served by one operator: the registration request and what came back."""

    __tablename__ = "cases"

    case_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # also the applicationId and correlationId
    service: Mapped[str] = mapped_column(String(64))
    operator_iin: Mapped[str] = mapped_column(String(12), index=True)
    applicant_iin: Mapped[str] = mapped_column(String(12), index=True)
    status: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())
    person: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the person registry's answer (SP-2)
    signed_form: Mapped[str | None] = mapped_column(Text)  # the operator-signed request (004 §7 process 5)
    result_kind: Mapped[str | None] = mapped_column(String(32))
    result_document: Mapped[str | None] = mapped_column(Text)  # the director-signed result, as received
    registered_on: Mapped[str | None] = mapped_column(String(10))
    reasons: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    signed_by: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error_code: Mapped[str | None] = mapped_column(String(16))
    error_message: Mapped[str | None] = mapped_column(Text)


class PaymentCaseRow(_Base):
    """One job-loss payment application taken by an operator (SP-2, SP-3): what was entered, the signed
    application as sent, the fund's receipt, and the signed decision and notices as received."""

    __tablename__ = "payment_cases"

    case_id: Mapped[str] = mapped_column(String(64), primary_key=True)  # also the applicationId and correlationId
    operator_iin: Mapped[str] = mapped_column(String(12), index=True)
    applicant_iin: Mapped[str] = mapped_column(String(12), index=True)
    status: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    updated_at: Mapped[datetime] = mapped_column(AwareDateTime())
    entry: Mapped[dict[str, Any]] = mapped_column(JSON)  # what the operator entered (documents, IBAN, consent)
    person: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the person registry's answer (SP-2)
    signed_application: Mapped[str | None] = mapped_column(Text)  # the operator-signed paymentApplication
    registration_number: Mapped[str | None] = mapped_column(String(64))  # the fund's receipt (SP-3 process 6)
    registered_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    deadline: Mapped[datetime | None] = mapped_column(AwareDateTime())  # the deadline of the service (SP-1)
    stage: Mapped[str | None] = mapped_column(String(32))  # as the fund last answered (GFSS_JobLossPaymentResult)
    stage_at: Mapped[datetime | None] = mapped_column(AwareDateTime())
    checked_at: Mapped[datetime | None] = mapped_column(AwareDateTime())  # when the fund was last asked
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the verified decision, read
    decision_document: Mapped[str | None] = mapped_column(Text)  # the signed decision, as received
    notices: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)  # verified notices, read, with their text
    error_code: Mapped[str | None] = mapped_column(String(16))
    error_message: Mapped[str | None] = mapped_column(Text)


class CaseStepRow(_Base):
    """The journal of a case, one row per step, never changed."""

    __tablename__ = "case_steps"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime())
    step: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)


class StateCorpStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        _Base.metadata.create_all(engine)
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def at(cls, url: str) -> StateCorpStore:
        return cls(create_store_engine(url))

    @property
    def engine(self) -> Engine:
        return self._engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # ---- operators and sessions ----------------------------------------------------------------------

    def operator(self, iin: str) -> OperatorRow | None:
        with self.session() as session:
            return session.get(OperatorRow, iin)

    def add_operator_if_missing(self, row: OperatorRow) -> None:
        """Add the operator; one already stored keeps their password and takes the account's name, branch, EDS
        role and services as the code now says (a service added later reaches operators seeded before it)."""
        with self.session() as session:
            stored = session.get(OperatorRow, row.iin)
            if stored is None:
                session.add(row)
                return
            stored.full_name = row.full_name
            stored.branch = row.branch
            stored.official_role = row.official_role
            stored.services = list(row.services)

    def add_session(self, row: OperatorSessionRow) -> None:
        with self.session() as session:
            session.add(row)

    def operator_session(self, token_hash: str) -> OperatorSessionRow | None:
        with self.session() as session:
            return session.get(OperatorSessionRow, token_hash)

    # ---- cases ----------------------------------------------------------------------------------------

    def add_case(self, row: CaseRow, step: str, detail: str) -> None:
        with self.session() as session:
            session.add(row)
            session.flush()
            session.add(CaseStepRow(case_id=row.case_id, at=row.created_at, step=step, detail=detail))

    def update_case(self, case_id: str, at: datetime, step: str, detail: str, **values: Any) -> None:
        """Change the case and journal the step, in one transaction."""
        with self.session() as session:
            session.execute(update(CaseRow).where(CaseRow.case_id == case_id).values(updated_at=at, **values))
            session.add(CaseStepRow(case_id=case_id, at=at, step=step, detail=detail))

    def case(self, case_id: str) -> CaseRow | None:
        with self.session() as session:
            return session.get(CaseRow, case_id)

    def cases_of(self, operator_iin: str, limit: int = 100) -> list[CaseRow]:
        query = (
            select(CaseRow)
            .where(CaseRow.operator_iin == operator_iin)
            .order_by(CaseRow.created_at.desc(), CaseRow.case_id)
            .limit(limit)
        )
        with self.session() as session:
            return list(session.scalars(query))

    # ---- job-loss payment cases ------------------------------------------------------------------------

    def add_payment_case(self, row: PaymentCaseRow, step: str, detail: str) -> None:
        with self.session() as session:
            session.add(row)
            session.flush()
            session.add(CaseStepRow(case_id=row.case_id, at=row.created_at, step=step, detail=detail))

    def update_payment_case(self, case_id: str, at: datetime, step: str, detail: str, **values: Any) -> None:
        """Change the payment case and journal the step, in one transaction."""
        self.update_payment_case_steps(case_id, at, [(step, detail)], **values)

    def update_payment_case_steps(
        self, case_id: str, at: datetime, steps: Sequence[tuple[str, str]], **values: Any
    ) -> None:
        """Change the payment case and journal the steps (step, detail), in one transaction."""
        with self.session() as session:
            session.execute(
                update(PaymentCaseRow).where(PaymentCaseRow.case_id == case_id).values(updated_at=at, **values)
            )
            session.add_all(CaseStepRow(case_id=case_id, at=at, step=step, detail=detail) for step, detail in steps)

    def payment_case(self, case_id: str) -> PaymentCaseRow | None:
        with self.session() as session:
            return session.get(PaymentCaseRow, case_id)

    def payment_cases_of(self, operator_iins: list[str], limit: int = 100) -> list[PaymentCaseRow]:
        query = (
            select(PaymentCaseRow)
            .where(PaymentCaseRow.operator_iin.in_(operator_iins))
            .order_by(PaymentCaseRow.created_at.desc(), PaymentCaseRow.case_id)
            .limit(limit)
        )
        with self.session() as session:
            return list(session.scalars(query))

    def operators_of_branch(self, branch: str) -> list[str]:
        with self.session() as session:
            return list(session.scalars(select(OperatorRow.iin).where(OperatorRow.branch == branch)))

    def steps(self, case_id: str) -> list[CaseStepRow]:
        query = select(CaseStepRow).where(CaseStepRow.case_id == case_id).order_by(CaseStepRow.seq)
        with self.session() as session:
            return list(session.scalars(query))

    def dispose(self) -> None:
        self._engine.dispose()
