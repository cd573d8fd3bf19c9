"""The portal's durable state: citizens (salted password hashes), login sessions, applications, and the
documents kept in the personal cabinet.

An application is stored, with the applicant's signed form, in the same transaction as the outbox message
that will send it (:mod:`adapters.storage`), before the portal answers "In progress" (JS-10, Rules No. 259 §29): a crash
between acceptance and delivery loses nothing. A job-seeker application waits first for the applicant to
agree to their registered address (JS-11: "Awaiting your confirmation"; cancelled, it stops there). A signed
document kept in the cabinet (an application's result, or one delivered by ``EGOV_CabinetDocument``) is one
row of ``cabinet_documents``, unique by its issuer and number, written in the same transaction as the outcome
of its application. Instants are stored with :class:`AwareDateTime` and read back in the ecosystem's time
zone (+05:00).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import String, Text, UniqueConstraint, func, inspect, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from adapters.storage import AwareDateTime, Outbox, create_store_engine

# The services of the portal (an application's ``service``) and the outbox topic that delivers each.
JOB_SEEKER_SERVICE = "job-seeker-registration"  # JS-10: ENBEK_JobSeekerRegistration(Async)
CERTIFICATE_SERVICE = "unemployed-certificate"  # CE-1: ENBEK_UnemployedCertificate
DELIVERY_TOPIC = "portal.job-seeker-application"
JOB_LOSS_SERVICE = "job-loss-payment"  # SP-4..SP-6: GFSS_JobLossPayment
CERTIFICATE_TOPIC = "portal.certificate-application"
JOB_LOSS_TOPIC = "portal.job-loss-payment-application"
SERVICE_TOPICS = {
    JOB_SEEKER_SERVICE: DELIVERY_TOPIC,
    CERTIFICATE_SERVICE: CERTIFICATE_TOPIC,
    JOB_LOSS_SERVICE: JOB_LOSS_TOPIC,
}
# Events of an application that say how its delivery goes (the AsyncChannel's); the others are JS-11's
# ("address": the registered address shown, "confirmed", "cancelled").
DELIVERY_EVENTS = frozenset({"accepted", "notice", "status"})


class ApplicationStatus(StrEnum):
    """Where an application stands (the cabinet shows "In progress", "Done", "Rejected"; portal user guide),
    and before it is sent, whether the applicant agreed to their registered address (JS-11)."""

    AWAITING_CONFIRMATION = "AWAITING_CONFIRMATION"
    CANCELLED = "CANCELLED"
    IN_PROGRESS = "IN_PROGRESS"
    DONE = "DONE"
    REJECTED = "REJECTED"


class _Base(DeclarativeBase):
    pass


class CitizenRow(_Base):
    __tablename__ = "citizens"

    iin: Mapped[str] = mapped_column(String(12), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(String(255))


class SessionRow(_Base):
    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    iin: Mapped[str] = mapped_column(String(12), index=True)
    created_at: Mapped[datetime] = mapped_column(AwareDateTime())
    expires_at: Mapped[datetime] = mapped_column(AwareDateTime())


class ApplicationRow(_Base):
    __tablename__ = "applications"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    iin: Mapped[str] = mapped_column(String(12), index=True)
    service: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)
    submitted_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    signed_form: Mapped[str | None] = mapped_column(Text)  # None until the applicant confirms (JS-11)
    # JS-11: the form as prepared (JSON) and the registered address the person registry gave, shown to the
    # applicant before they confirm or cancel
    prepared_form: Mapped[str | None] = mapped_column(Text)
    registered_address: Mapped[str | None] = mapped_column(Text)
    result_kind: Mapped[str | None] = mapped_column(String(32))
    result_document: Mapped[str | None] = mapped_column(Text)
    signer_common_name: Mapped[str | None] = mapped_column(String(255))
    signer_iin: Mapped[str | None] = mapped_column(String(12))
    signer_bin: Mapped[str | None] = mapped_column(String(12))
    # what the citizen is shown (a code and plain words) ...
    error_code: Mapped[str | None] = mapped_column(String(16))
    error_message: Mapped[str | None] = mapped_column(Text)
    # ... and what only the admin API shows (the fault as the gateway or the centre worded it)
    error_detail: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = mapped_column(AwareDateTime())


class PortalStore:
    """Tables of the portal; each method is one transaction."""

    def __init__(self, engine: Engine) -> None:
        _Base.metadata.create_all(engine)
        _require_current_schema(engine)
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def at(cls, url: str) -> PortalStore:
        return cls(create_store_engine(url))

    @property
    def engine(self) -> Engine:
        return self._engine

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # ---- citizens ------------------------------------------------------------------------------

    def citizen_count(self) -> int:
        with self._session() as session:
            return session.scalar(select(func.count()).select_from(CitizenRow)) or 0

    def add_citizens(self, citizens: Iterable[CitizenRow]) -> None:
        with self._session() as session:
            session.add_all(list(citizens))

    def citizen(self, iin: str) -> CitizenRow | None:
        with self._session() as session:
            return session.get(CitizenRow, iin)

    # ---- login sessions ------------------------------------------------------------------------

    def add_login_session(self, row: SessionRow) -> None:
        with self._session() as session:
            session.add(row)

    def login_session(self, token_hash: str) -> SessionRow | None:
        with self._session() as session:
            return session.get(SessionRow, token_hash)

    def delete_login_session(self, token_hash: str) -> None:
        with self._session() as session:
            row = session.get(SessionRow, token_hash)
            if row is not None:
                session.delete(row)

    # ---- applications --------------------------------------------------------------------------

    def add_application(
        self,
        row: ApplicationRow,
        outbox: Outbox,
        topic: str = DELIVERY_TOPIC,
        *,
        document: CabinetDocumentRow | None = None,
    ) -> None:
        """Store the application (and the cabinet's copy of its signed ``document``, if any) and queue its
        delivery (keyed by the application id) in ONE transaction."""
        with self._session() as session:
            session.add(row)
            if document is not None:
                session.add(document)
            session.flush()
            outbox.put(session.connection(), topic, {"applicationId": row.id}, key=row.id)

    def add_prepared_application(self, row: ApplicationRow, event: ApplicationEventRow) -> None:
        """Store an application awaiting the applicant's confirmation (JS-11), with the event that says what
        they were shown."""
        with self._session() as session:
            session.add(row)
            session.add(event)

    def send_prepared_application(
        self, application_id: str, values: dict[str, Any], event: ApplicationEventRow, outbox: Outbox
    ) -> bool:
        """Confirmed (JS-11): the application becomes IN_PROGRESS with its signed form, and its delivery is
        queued, in ONE transaction; False (nothing changed) if it was not awaiting confirmation."""
        statement = (
            update(ApplicationRow)
            .where(
                ApplicationRow.id == application_id,
                ApplicationRow.status == ApplicationStatus.AWAITING_CONFIRMATION.value,
            )
            .values(status=ApplicationStatus.IN_PROGRESS.value, **values)
        )
        with self._session() as session:
            if not getattr(session.execute(statement), "rowcount", 0):
                return False
            session.add(event)
            session.flush()
            outbox.put(session.connection(), DELIVERY_TOPIC, {"applicationId": application_id}, key=application_id)
            return True

    def cancel_prepared_application(self, application_id: str, at: datetime, event: ApplicationEventRow) -> bool:
        """Cancelled (JS-11): the application stops; False (nothing changed) if it was not awaiting confirmation."""
        statement = (
            update(ApplicationRow)
            .where(
                ApplicationRow.id == application_id,
                ApplicationRow.status == ApplicationStatus.AWAITING_CONFIRMATION.value,
            )
            .values(status=ApplicationStatus.CANCELLED.value, finished_at=at)
        )
        with self._session() as session:
            if not getattr(session.execute(statement), "rowcount", 0):
                return False
            session.add(event)
            return True

    def application(self, application_id: str) -> ApplicationRow | None:
        with self._session() as session:
            return session.get(ApplicationRow, application_id)

    def applications_of(self, iin: str) -> list[ApplicationRow]:
        query = select(ApplicationRow).where(ApplicationRow.iin == iin).order_by(ApplicationRow.submitted_at)
        with self._session() as session:
            return list(session.scalars(query))

    # ---- what the AsyncChannel said ---------------------------------------------------------------

    def add_event(self, row: ApplicationEventRow) -> bool:
        """Record one event; False if its messageId was recorded before."""
        with self._session() as session:
            if session.get(ApplicationEventRow, row.message_id) is not None:
                return False
            session.add(row)
            return True

    def events_of(self, application_id: str) -> list[ApplicationEventRow]:
        query = (
            select(ApplicationEventRow)
            .where(ApplicationEventRow.application_id == application_id)
            .order_by(ApplicationEventRow.at, ApplicationEventRow.kind)
        )
        with self._session() as session:
            return list(session.scalars(query))

    def event(self, message_id: str) -> ApplicationEventRow | None:
        with self._session() as session:
            return session.get(ApplicationEventRow, message_id)

    def finish_application(
        self, application_id: str, *, document: CabinetDocumentRow | None = None, **values: Any
    ) -> bool:
        """Record the outcome of an IN_PROGRESS application, and keep its result ``document`` in the cabinet,
        in one transaction; False if it was already finished (a repeated delivery after a crash between
        recording the outcome and acknowledging the outbox message)."""
        statement = (
            update(ApplicationRow)
            .where(ApplicationRow.id == application_id, ApplicationRow.status == ApplicationStatus.IN_PROGRESS.value)
            .values(**values)
        )
        with self._session() as session:
            result = session.execute(statement)
            finished = bool(getattr(result, "rowcount", 0))
            if finished and document is not None and _same_document(session, document) is None:
                session.add(document)
            return finished

    # ---- the documents of the personal cabinet -----------------------------------------------------

    def keep_document(self, row: CabinetDocumentRow) -> tuple[CabinetDocumentRow, bool]:
        """Keep a delivered document once: (the kept row, True) the first time; (the row kept before, False)
        when the issuer delivered this number before (two deliveries at once: one insert wins)."""
        with self._session() as session:
            kept = _same_document(session, row)
            if kept is not None:
                return kept, False
        try:
            with self._session() as session:
                session.add(row)
            return row, True
        except IntegrityError:
            with self._session() as session:
                kept = _same_document(session, row)
            if kept is None:
                raise
            return kept, False

    def cabinet_document(self, document_id: str) -> CabinetDocumentRow | None:
        with self._session() as session:
            return session.get(CabinetDocumentRow, document_id)

    def cabinet_documents_of(self, iin: str) -> list[CabinetDocumentRow]:
        query = (
            select(CabinetDocumentRow)
            .where(CabinetDocumentRow.iin == iin)
            .order_by(CabinetDocumentRow.received_at, CabinetDocumentRow.id)
        )
        with self._session() as session:
            return list(session.scalars(query))

    def cabinet_documents_of_application(self, application_id: str) -> list[CabinetDocumentRow]:
        query = select(CabinetDocumentRow).where(CabinetDocumentRow.application_id == application_id)
        with self._session() as session:
            return list(session.scalars(query.order_by(CabinetDocumentRow.received_at)))


class ApplicationEventRow(_Base):
    """What the AsyncChannel said about an application, by the gateway's messageId (one row each: a
    repeated delivery of the same message is recorded once): ``accepted`` (the gateway took the REQUEST),
    ``notice`` (a status NOTIFICATION of the centre), ``status`` (the gateway's status of the REQUEST)."""

    __tablename__ = "application_events"

    message_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    application_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    correlation_id: Mapped[str | None] = mapped_column(String(128), index=True)
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(AwareDateTime())


class CabinetDocumentRow(_Base):
    """A signed document kept in a citizen's personal cabinet (CE-4, UN-3, DR-2, JS-10): its text as received
    (the signature verifies over exactly these bytes), what it is, who issued and who signed it.
    ``source`` is ``application`` (the result or the signed form of an application of the portal, which
    ``application_id`` names) or ``delivery`` (``EGOV_CabinetDocument`` from ``sender_id``)."""

    __tablename__ = "cabinet_documents"
    __table_args__ = (UniqueConstraint("issuer_id", "document_number", name="uq_cabinet_document_number"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    iin: Mapped[str] = mapped_column(String(12), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    document_number: Mapped[str] = mapped_column(String(255))
    issuer_id: Mapped[str] = mapped_column(String(12))  # the issuing organisation's BIN, or a person's IIN
    issuer_name: Mapped[str] = mapped_column(String(2000))
    issued_on: Mapped[str | None] = mapped_column(String(10))  # ISO date, as the document states it
    application_id: Mapped[str | None] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(16))
    sender_id: Mapped[str | None] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(Text)
    signer_common_name: Mapped[str] = mapped_column(String(255))
    signer_iin: Mapped[str | None] = mapped_column(String(12))
    signer_bin: Mapped[str | None] = mapped_column(String(12))
    received_at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)


def _same_document(session: Session, row: CabinetDocumentRow) -> CabinetDocumentRow | None:
    query = select(CabinetDocumentRow).where(
        CabinetDocumentRow.issuer_id == row.issuer_id, CabinetDocumentRow.document_number == row.document_number
    )
    return session.scalars(query).first()


def _require_current_schema(engine: Engine) -> None:
    """A store written by an older portal (its own retry columns, no ``error_detail``) is refused by name."""
    columns = {column["name"] for column in inspect(engine).get_columns(ApplicationRow.__tablename__)}
    missing = sorted(set(ApplicationRow.__table__.columns.keys()) - columns)
    if missing:
        raise RuntimeError(
            f"the portal's applications table at {engine.url.render_as_string(hide_password=True)} lacks "
            f"{', '.join(missing)}: it was made by an older version; remove that database (or the data "
            "folder's db/portal.sqlite) and start again"
        )
