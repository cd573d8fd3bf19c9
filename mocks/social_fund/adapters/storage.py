"""The fund's store of job-loss payment applications, payments and notices (SQLAlchemy; SQLite by default,
PostgreSQL by URL), sharing the fund's database and outbox with :mod:`mocks.social_fund.adapters.register_store`.

Every method is one transaction: an application's new state, its stage reports and its cabinet deliveries (and
the payment it assigned) are committed together (:class:`adapters.storage.Outbox`), so nothing decided is lost if
the process is killed before sending. A step is saved only if the application is still at the step its actor
read (compare and set), so two actors never do one step twice. Applications due in mode ``auto`` are leased to
one worker at a time (as the local authority's cases are).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine

from adapters.shep.outbox_delivery import queued_document
from adapters.storage import LeasedRows, Outbox, insert_new
from contracts.cabinet_delivery import CabinetDelivery, Issuer, write_cabinet_delivery
from mocks.social_fund.adapters.delivery import CABINET_TOPIC, STAGE_REPORT_TOPIC, stage_report_payload
from mocks.social_fund.adapters.records import (
    application_from_row,
    application_values,
    applications,
    fund_settings,
    metadata,
    notice_from_row,
    notice_values,
    notices,
    payment_from_row,
    payment_values,
    payments,
    state_values,
)
from mocks.social_fund.domain.steps import Step
from mocks.social_fund.service_layer.ports import (
    Application,
    CabinetItem,
    IssuedNotice,
    Mode,
    Payment,
    PaymentStatus,
    StageReport,
    Status,
)


class _Unchanged(Exception):
    """Leaves a transaction without changing anything."""


class FundStore:
    """``issuer``: the fund's branch as the cabinet names the issuer of its documents."""

    def __init__(self, engine: Engine, outbox: Outbox, now: Callable[[], datetime], issuer: Issuer) -> None:
        self._engine = engine
        self._now = now
        self._issuer = issuer
        metadata.create_all(engine)
        self.outbox = outbox
        self._due = LeasedRows(
            engine,
            applications,
            key=applications.c.application_id,
            due_at=applications.c.act_at,
            waiting=applications.c.step.is_not(None),
        )
        self._listeners: list[Callable[[], None]] = []

    def on_queued(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def _notify(self) -> None:
        for listener in self._listeners:
            listener()

    def _queue(self, connection: Connection, reports: Sequence[StageReport], cabinet: Sequence[CabinetItem]) -> None:
        for report in reports:
            self.outbox.put(
                connection,
                STAGE_REPORT_TOPIC,
                stage_report_payload(report),
                key=f"{report.application_id}/{report.stage}",
                ordering_key=report.application_id,
            )
        for item in cabinet:
            envelope = CabinetDelivery(item.recipient_iin, item.kind, item.number, self._issuer, item.signed_document)
            self.outbox.put(
                connection,
                CABINET_TOPIC,
                queued_document(write_cabinet_delivery(envelope), item.correlation_id),
                key=f"{item.kind}/{item.number}",
                ordering_key=item.recipient_iin,
            )

    # ---- applications ----------------------------------------------------------------------------------

    def add(
        self, application: Application, reports: Sequence[StageReport], cabinet: Sequence[CabinetItem]
    ) -> Application:
        with self._engine.begin() as connection:
            created = insert_new(connection, applications, application_values(application))
            if created:
                self._queue(connection, reports, cabinet)
            row = (
                connection.execute(
                    select(applications).where(applications.c.application_id == application.application_id)
                )
                .mappings()
                .one()
            )
        if created:
            self._notify()
        return application_from_row(row)

    def get(self, application_id: str) -> Application | None:
        with self._engine.connect() as connection:
            row = (
                connection.execute(select(applications).where(applications.c.application_id == application_id))
                .mappings()
                .first()
            )
        return application_from_row(row) if row is not None else None

    def applications(self, status: Status | None = None, limit: int = 100) -> list[Application]:
        query = select(applications)
        if status is not None:
            query = query.where(applications.c.status == status.value)
        query = query.order_by(applications.c.received_at.desc(), applications.c.application_id).limit(limit)
        with self._engine.connect() as connection:
            return [application_from_row(row) for row in connection.execute(query).mappings()]

    def save(
        self,
        application: Application,
        expected_step: Step,
        reports: Sequence[StageReport],
        cabinet: Sequence[CabinetItem] = (),
        payment: Payment | None = None,
    ) -> bool:
        with self._engine.begin() as connection:
            changed = connection.execute(
                update(applications)
                .where(
                    applications.c.application_id == application.application_id,
                    applications.c.step == expected_step.name,
                )
                .values(**state_values(application))
            )
            if not changed.rowcount:
                return False
            if payment is not None:
                insert_new(connection, payments, payment_values(payment))
            self._queue(connection, reports, cabinet)
        self._notify()
        return True

    def put_off(self, application_id: str, error: str, next_attempt_at: datetime) -> None:
        self._due.put_off(application_id, error, next_attempt_at)

    def in_progress(self, iin: str) -> list[str]:
        query = select(applications.c.application_id).where(
            applications.c.iin == iin, applications.c.status == Status.IN_PROGRESS.value
        )
        with self._engine.connect() as connection:
            return list(connection.execute(query).scalars())

    def claim_due(self, worker: str, *, limit: int = 10, lease: timedelta = timedelta(minutes=2)) -> list[str]:
        """Lease to ``worker`` the applications whose role's act is due, oldest first."""
        return self._due.claim_due(worker, self._now(), limit=limit, lease=lease)

    def release(self, application_id: str) -> None:
        self._due.release(application_id)

    # ---- payments and notices ----------------------------------------------------------------------------

    def payments(self, iin: str) -> list[Payment]:
        query = select(payments).where(payments.c.iin == iin).order_by(payments.c.right_arose)
        with self._engine.connect() as connection:
            return [payment_from_row(row) for row in connection.execute(query).mappings()]

    def payment(self, decision_id: str) -> Payment | None:
        with self._engine.connect() as connection:
            row = connection.execute(select(payments).where(payments.c.decision_id == decision_id)).mappings().first()
        return payment_from_row(row) if row is not None else None

    def active_payments(self) -> list[Payment]:
        query = (
            select(payments)
            .where(payments.c.status == PaymentStatus.ACTIVE.value)
            .order_by(payments.c.right_arose, payments.c.decision_id)
        )
        with self._engine.connect() as connection:
            return [payment_from_row(row) for row in connection.execute(query).mappings()]

    def stop(
        self,
        payment: Payment,
        notice: IssuedNotice,
        cabinet: Sequence[CabinetItem],
        reports: Sequence[StageReport],
    ) -> bool:
        """The payment changes only if it is still active (compare and set: two events read it active, one stops
        it) and the notice is new; its notice, delivery and stage report are committed with it."""
        try:
            with self._engine.begin() as connection:
                if not insert_new(connection, notices, notice_values(notice)):
                    raise _Unchanged
                values = payment_values(payment)
                changed = connection.execute(
                    update(payments)
                    .where(
                        payments.c.decision_id == payment.decision_id,
                        payments.c.status == PaymentStatus.ACTIVE.value,
                    )
                    .values(schedule=values["schedule"], status=values["status"], stopped_from=values["stopped_from"])
                )
                if not changed.rowcount:
                    raise _Unchanged  # rolls the notice back
                self._queue(connection, reports, cabinet)
        except _Unchanged:
            return False
        self._notify()
        return True

    def notices(self, application_id: str) -> list[IssuedNotice]:
        query = select(notices).where(notices.c.application_id == application_id).order_by(notices.c.notice_id)
        with self._engine.connect() as connection:
            return [notice_from_row(row) for row in connection.execute(query).mappings()]

    # ---- the mode ------------------------------------------------------------------------------------------

    def mode(self) -> Mode | None:
        with self._engine.connect() as connection:
            value = connection.execute(
                select(fund_settings.c.value).where(fund_settings.c.name == "mode")
            ).scalar_one_or_none()
        return Mode(value) if value is not None else None

    def set_mode(self, mode: Mode) -> None:
        with self._engine.begin() as connection:
            if not insert_new(connection, fund_settings, {"name": "mode", "value": mode.value}):
                connection.execute(update(fund_settings).where(fund_settings.c.name == "mode").values(value=mode.value))
