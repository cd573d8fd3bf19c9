"""What the fund's job-loss payment use cases need from outside, and the records they keep.

Real adapters live in ``mocks.social_fund.adapters``; fakes in ``tests/social_fund/fakes.py``. Each store
method is one transaction: what it records, the stage reports and the cabinet deliveries it queues are committed
together, or not at all.

Errors::

    FundError
    ├── StateSystemUnavailable   the employment centre (SP-7) did not answer: nothing decided, tried again later
    ├── ApplicationConflict      an application id already names another person's application
    ├── UnknownApplication       no application (or payment) with this id
    ├── WrongStep                the role acts out of turn (the application is at another step, or finished)
    └── InvalidGround            a refusal names a ground it cannot carry
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from contracts.job_loss_payment_model import (
    Channel,
    Issuer,
    PaymentApplication,
    PaymentDecision,
    PaymentNotice,
    ScheduledMonth,
)
from mocks.social_fund.domain.documents import Person
from mocks.social_fund.domain.models import ReceivedContribution
from mocks.social_fund.domain.steps import Step


class FundError(Exception):
    """Base of the fund's service-layer errors."""


class StateSystemUnavailable(FundError):
    def __init__(self, system: str, detail: str) -> None:
        super().__init__(f"{system}: {detail}")
        self.system = system
        self.detail = detail


class ApplicationConflict(FundError):
    """The id already names another person's application: the sender must use a new id."""


class UnknownApplication(FundError, LookupError):
    """No application (or payment) has this id."""


class WrongStep(FundError):
    """The role acts out of turn."""


class InvalidGround(FundError, ValueError):
    """The ground given cannot be carried by this refusal."""


class Status(StrEnum):
    IN_PROGRESS = "in-progress"  # between registration and the result
    REFUSED = "refused"  # refused to accept on the document check (SP-3 cond. 2, SP-6 cond. 3)
    ISSUED = "issued"  # the clerk handed the signed notification over (SP-1 (5))


class Mode(StrEnum):
    """``auto``: each role acts when its step's term ends; ``manual``: a tester acts as each role."""

    AUTO = "auto"
    MANUAL = "manual"


class PaymentStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"  # Art. 119 p.1
    TERMINATED = "terminated"  # Art. 119 p.2


@dataclass(frozen=True)
class Application:
    """An application as the fund holds it: what arrived, where it stands on SP-1, and the notification."""

    application: PaymentApplication
    registration_number: str
    sender_id: str
    signed_by: str
    correlation_id: str | None
    document: str  # as received (signed), or as the clerk registered it
    received_at: datetime
    registered_at: datetime
    deadline: datetime  # of the whole service (SP-1)
    status: Status
    step: Step | None  # the step to be done next; None once finished
    step_started: datetime | None
    act_at: datetime | None  # mode auto: when the role acts
    stage: str  # the last stage reached (the monitoring IS's code)
    stage_at: datetime
    executor: str | None = None
    draft: PaymentDecision | None = None
    signed_decision: str | None = None
    attempts: int = 0
    last_error: str | None = None

    @property
    def application_id(self) -> str:
        return self.application.application_id

    @property
    def iin(self) -> str:
        return self.application.applicant.iin

    @property
    def channel(self) -> Channel:
        return self.application.channel


@dataclass(frozen=True)
class StageReport:
    application_id: str
    stage: str
    at: datetime
    deadline: datetime
    channel: Channel
    rule_id: str
    correlation_id: str | None = None
    is_positive: bool | None = None
    refuse_reason: str | None = None
    step_deadline: datetime | None = None  # SP-1 (regulation 004 §5): of the step this stage starts; none at the end


@dataclass(frozen=True)
class CabinetItem:
    """A signed document for the applicant's cabinet (``EGOV_CabinetDocument``)."""

    recipient_iin: str
    kind: str
    number: str
    signed_document: str
    correlation_id: str | None = None


@dataclass(frozen=True)
class Payment:
    """A payment assigned (Art. 117-118) and what Art. 119 did to it."""

    decision_id: str
    application_id: str
    iin: str
    right_arose: date
    schedule: tuple[ScheduledMonth, ...]  # as it stands: cut when suspended or terminated
    status: PaymentStatus = PaymentStatus.ACTIVE
    stopped_from: date | None = None


@dataclass(frozen=True)
class IssuedNotice:
    notice: PaymentNotice
    application_id: str
    signed: str


@dataclass(frozen=True)
class Registration:
    """SP-7: what the employment centre's register says of the person on a day."""

    registered: bool
    registered_on: date | None


@dataclass(frozen=True)
class Deregistration:
    """A removal from the register of the unemployed, as the employment centre told the fund
    (``GFSS_UnemployedStatus``, DR-2) and the fund keeps it."""

    iin: str
    registered_on: date  # the registration that was ended
    deregistered_on: date


class StatusRecords(Protocol):
    """The fund's own record of the unemployed status the employment centre reported to it."""

    def deregistrations(self, iins: Collection[str]) -> dict[str, Deregistration]:
        """Of these people, those whose last reported status is a removal from the register, by IIN."""
        ...


class UnemployedRegister(Protocol):
    def status(self, iin: str, on: date, correlation_id: str | None) -> Registration:
        """SP-7 (004 §1 (1)), ``ENBEK_UnemployedStatusQuery``; raises :class:`StateSystemUnavailable`."""
        ...


class Population(Protocol):
    def person(self, iin: str) -> Person | None:
        """The population data the fund holds of the person (the same as the person registry's)."""
        ...


class ContributionRecords(Protocol):
    def received(self, iin: str) -> tuple[ReceivedContribution, ...]:
        """The social contributions received for the person by today (the fund's own records)."""
        ...


class Signer(Protocol):
    """The department's authorised person (the head) signs notifications and notices with their EDS."""

    @property
    def issuer(self) -> Issuer: ...

    def sign_decision(self, decision: PaymentDecision) -> str: ...

    def sign_notice(self, notice: PaymentNotice) -> str: ...


class ApplicationStore(Protocol):
    def add(
        self, application: Application, reports: Sequence[StageReport], cabinet: Sequence[CabinetItem]
    ) -> Application:
        """Store a new application; if the id is taken, change nothing and return the stored one."""
        ...

    def get(self, application_id: str) -> Application | None: ...

    def applications(self, status: Status | None = None, limit: int = 100) -> list[Application]:
        """Applications, newest first."""
        ...

    def save(
        self,
        application: Application,
        expected_step: Step,
        reports: Sequence[StageReport],
        cabinet: Sequence[CabinetItem] = (),
        payment: Payment | None = None,
    ) -> bool:
        """Record the application's new state if it is still at ``expected_step``, with its reports, deliveries and
        the payment assigned; False (nothing changed) when another actor moved it meanwhile."""
        ...

    def put_off(self, application_id: str, error: str, next_attempt_at: datetime) -> None: ...

    def payments(self, iin: str) -> list[Payment]: ...

    def payment(self, decision_id: str) -> Payment | None: ...

    def active_payments(self) -> list[Payment]:
        """The payments neither suspended nor terminated (Art. 119), oldest right first."""
        ...

    def in_progress(self, iin: str) -> list[str]:
        """The ids of the person's applications not finished yet."""
        ...

    def stop(
        self,
        payment: Payment,
        notice: IssuedNotice,
        cabinet: Sequence[CabinetItem],
        reports: Sequence[StageReport],
    ) -> bool:
        """Record what Art. 119 did to the payment, its notice, the notice's delivery and stage report, in one
        transaction, if the payment is still active and the notice id new; False (nothing changed) otherwise."""
        ...

    def notices(self, application_id: str) -> list[IssuedNotice]: ...

    def mode(self) -> Mode | None: ...

    def set_mode(self, mode: Mode) -> None: ...
