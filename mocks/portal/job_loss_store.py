"""What the portal keeps of the job-loss payment beyond the shared ``applications`` row:

- the fund's receipt of an application (SP-6: registration number and the service's deadline, regulation 004
  §9 (9)), recorded with the cabinet's event "registered by the fund ... decision due by ..." in one
  transaction; a repeated receipt (a re-send after a crash) changes nothing;
- the journal of SP-5 refusals (§9 (6)-(7)): a request refused before sending leaves no application, no
  outbox message and no copy behind, only this line — when, who asked, for whom, the check that failed, the
  certificate and the reason — so a tester sees it (``GET /admin/job-loss-payment/refusals``). Rows are only
  ever added.

Their own tables (created beside the portal's others, so a store of an earlier portal simply gains them).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text, select
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


class JobLossRefusalRow(_Base):
    """One job-loss payment request refused by SP-5 before anything was stored or sent."""

    __tablename__ = "job_loss_refusals"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(AwareDateTime(), index=True)
    citizen_iin: Mapped[str] = mapped_column(String(12), index=True)  # who was logged in
    applicant_iin: Mapped[str] = mapped_column(String(12))  # whom the request named
    rule: Mapped[str] = mapped_column(String(16))
    check: Mapped[str] = mapped_column(String(32))  # signing_check.Check
    outcome: Mapped[str] = mapped_column(String(16))  # REFUSED (a check failed) or NOT_CHECKED (the NCA not asked)
    certificate: Mapped[str] = mapped_column(Text)  # the chosen certificate's subject and serial number
    detail: Mapped[str] = mapped_column(Text)


MAX_DETAIL = 2000


class JobLossStore:
    """The receipts and refusals tables; each method is one transaction."""

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

    def record_refusal(self, row: JobLossRefusalRow) -> None:
        row.detail = row.detail[:MAX_DETAIL]
        with self._sessions.begin() as session:
            session.add(row)

    def refusals(self, citizen_iin: str | None = None, limit: int = 100) -> list[JobLossRefusalRow]:
        """Newest first; only those of ``citizen_iin`` when given."""
        query = select(JobLossRefusalRow).order_by(JobLossRefusalRow.seq.desc()).limit(max(1, min(limit, 1000)))
        if citizen_iin is not None:
            query = query.where(JobLossRefusalRow.citizen_iin == citizen_iin)
        with self._sessions.begin() as session:
            return list(session.scalars(query))
