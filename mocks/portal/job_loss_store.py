"""What the portal keeps of a job-loss payment application beyond the shared ``applications`` row (SP-6):
the fund's receipt (registration number and the service's deadline, regulation 004 §9 (9)).

Its own table (created beside the portal's others, so a store of an earlier portal simply gains it). The
receipt is recorded with the cabinet's event "registered by the fund ... decision due by ..." in one
transaction; a repeated receipt (a re-send after a crash) changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

from adapters.storage import AwareDateTime
from mocks.portal.storage import ApplicationEventRow


class _Base(DeclarativeBase):
    pass


class JobLossReceiptRow(_Base):
    """The fund's ``applicationReceipt`` of one portal application."""

    __tablename__ = "job_loss_receipts"

    application_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    registration_number: Mapped[str] = mapped_column(String(64))
    registered_at: Mapped[datetime] = mapped_column(AwareDateTime())
    deadline: Mapped[datetime] = mapped_column(AwareDateTime())


class JobLossStore:
    """The receipts table; each method is one transaction."""

    def __init__(self, engine: Engine) -> None:
        _Base.metadata.create_all(engine)
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def record_receipt(self, row: JobLossReceiptRow, event: ApplicationEventRow) -> bool:
        """Keep the receipt and its cabinet event; False (nothing changed) if one was kept before."""
        with self._sessions.begin() as session:
            if session.get(JobLossReceiptRow, row.application_id) is not None:
                return False
            session.add(row)
            if session.get(ApplicationEventRow, event.message_id) is None:
                session.add(event)
            return True

    def receipt(self, application_id: str) -> JobLossReceiptRow | None:
        with self._sessions.begin() as session:
            return session.get(JobLossReceiptRow, application_id)
