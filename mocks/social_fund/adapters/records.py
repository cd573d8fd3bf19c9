"""The fund's tables of job-loss payment applications, payments and notices, and how a record becomes a row and back.

An application keeps what arrived as the contract's ``paymentApplication`` (unsigned, as read), the document as
received (signed), and the notification drafted (``paymentDecision``, unsigned) and as signed. A payment keeps
its schedule as it stands (cut by Art. 119); a notice its signed text.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from lxml import etree
from sqlalchemy import JSON, Column, Date, Integer, MetaData, String, Table, Text
from sqlalchemy.engine import RowMapping

from adapters.storage import AwareDateTime
from adapters.xml import parse_xml
from contracts import job_loss_payment as contract
from contracts.job_loss_payment_model import ScheduledMonth
from mocks.social_fund.domain.steps import Step
from mocks.social_fund.service_layer.ports import (
    Application,
    IssuedNotice,
    Payment,
    PaymentStatus,
    Status,
)

metadata = MetaData()
applications = Table(
    "job_loss_applications",
    metadata,
    Column("application_id", String(64), primary_key=True),
    Column("registration_number", String(64), nullable=False, unique=True),
    Column("iin", String(12), nullable=False, index=True),
    Column("channel", String(32), nullable=False),
    Column("application", Text, nullable=False),
    Column("sender_id", String(64), nullable=False),
    Column("signed_by", String(500), nullable=False),
    Column("correlation_id", String(128)),
    Column("document", Text, nullable=False),
    Column("received_at", AwareDateTime(), nullable=False),
    Column("registered_at", AwareDateTime(), nullable=False),
    Column("deadline", AwareDateTime(), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("step", String(32)),
    Column("step_started", AwareDateTime()),
    Column("act_at", AwareDateTime(), index=True),
    Column("stage", String(32), nullable=False),
    Column("stage_at", AwareDateTime(), nullable=False),
    Column("executor", String(200)),
    Column("draft", Text),
    Column("signed_decision", Text),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("lease_until", AwareDateTime()),
    Column("leased_by", String(100)),
)
payments = Table(
    "job_loss_payments",
    metadata,
    Column("decision_id", String(64), primary_key=True),
    Column("application_id", String(64), nullable=False, index=True),
    Column("iin", String(12), nullable=False, index=True),
    Column("right_arose", Date, nullable=False),
    Column("schedule", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("stopped_from", Date),
)
notices = Table(
    "job_loss_notices",
    metadata,
    Column("notice_id", String(100), primary_key=True),
    Column("decision_id", String(64), nullable=False, index=True),
    Column("application_id", String(64), nullable=False, index=True),
    Column("signed", Text, nullable=False),
    Column("issued_on", Date, nullable=False),
)
fund_settings = Table(
    "fund_settings",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
)


def _xml(element: etree._Element) -> str:
    return etree.tostring(element, encoding="unicode")


def application_values(record: Application) -> dict[str, Any]:
    return {
        "application_id": record.application_id,
        "registration_number": record.registration_number,
        "iin": record.iin,
        "channel": record.channel.value,
        "application": _xml(contract.write_application(record.application)),
        "sender_id": record.sender_id,
        "signed_by": record.signed_by,
        "correlation_id": record.correlation_id,
        "document": record.document,
        "received_at": record.received_at,
        "registered_at": record.registered_at,
        "deadline": record.deadline,
    } | state_values(record)


def state_values(record: Application) -> dict[str, Any]:
    """The columns an SP-1 step changes."""
    return {
        "status": record.status.value,
        "step": record.step.name if record.step else None,
        "step_started": record.step_started,
        "act_at": record.act_at,
        "stage": record.stage,
        "stage_at": record.stage_at,
        "executor": record.executor,
        "draft": _xml(contract.write_decision(record.draft)) if record.draft else None,
        "signed_decision": record.signed_decision,
        "attempts": record.attempts,
        "last_error": record.last_error,
        "lease_until": None,
        "leased_by": None,
    }


def application_from_row(row: RowMapping) -> Application:
    return Application(
        application=contract.read_application(parse_xml(row["application"])),
        registration_number=row["registration_number"],
        sender_id=row["sender_id"],
        signed_by=row["signed_by"],
        correlation_id=row["correlation_id"],
        document=row["document"],
        received_at=row["received_at"],
        registered_at=row["registered_at"],
        deadline=row["deadline"],
        status=Status(row["status"]),
        step=Step[row["step"]] if row["step"] else None,
        step_started=row["step_started"],
        act_at=row["act_at"],
        stage=row["stage"],
        stage_at=row["stage_at"],
        executor=row["executor"],
        draft=contract.read_decision(parse_xml(row["draft"])) if row["draft"] else None,
        signed_decision=row["signed_decision"],
        attempts=row["attempts"],
        last_error=row["last_error"],
    )


def schedule_json(schedule: tuple[ScheduledMonth, ...]) -> list[dict[str, str]]:
    return [
        {"start": m.start.isoformat(), "end": m.end.isoformat(), "gross": f"{m.gross:.2f}", "net": f"{m.net:.2f}"}
        for m in schedule
    ]


def _schedule(raw: list[dict[str, str]]) -> tuple[ScheduledMonth, ...]:
    return tuple(
        ScheduledMonth(
            date.fromisoformat(m["start"]), date.fromisoformat(m["end"]), Decimal(m["gross"]), Decimal(m["net"])
        )
        for m in raw
    )


def payment_values(payment: Payment) -> dict[str, Any]:
    return {
        "decision_id": payment.decision_id,
        "application_id": payment.application_id,
        "iin": payment.iin,
        "right_arose": payment.right_arose,
        "schedule": schedule_json(payment.schedule),
        "status": payment.status.value,
        "stopped_from": payment.stopped_from,
    }


def payment_from_row(row: RowMapping) -> Payment:
    return Payment(
        decision_id=row["decision_id"],
        application_id=row["application_id"],
        iin=row["iin"],
        right_arose=row["right_arose"],
        schedule=_schedule(row["schedule"]),
        status=PaymentStatus(row["status"]),
        stopped_from=row["stopped_from"],
    )


def notice_values(notice: IssuedNotice) -> dict[str, Any]:
    return {
        "notice_id": notice.notice.notice_id,
        "decision_id": notice.notice.decision_id,
        "application_id": notice.application_id,
        "signed": notice.signed,
        "issued_on": notice.notice.issued_on,
    }


def notice_from_row(row: RowMapping) -> IssuedNotice:
    """The notice read back from its signed text (the signature is the last child, ignored by the reader)."""
    document = parse_xml(row["signed"])
    return IssuedNotice(contract.read_notice(document), row["application_id"], row["signed"])
