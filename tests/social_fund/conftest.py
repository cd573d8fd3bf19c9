"""The fund's job-loss payment service layer on a real store (a SQLite file) with fakes of its ports, on a clock
the test moves. The applicant: a woman born 1990-05-12, registered as unemployed on Tuesday 2026-03-10, who
applies on Thursday 2026-03-12 at 10:00 with 36 months of contributions on 300 000 ₸ (worked example 2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from adapters.storage import Outbox, create_store_engine
from contracts.cabinet_delivery import Issuer as CabinetIssuer
from contracts.job_loss_payment_model import (
    Applicant,
    AttachedDocument,
    Channel,
    DocumentKind,
    PaymentApplication,
    Sex,
)
from kernel.clock import FixedClock, almaty
from kernel.months import add_months
from kernel.working_calendar import WorkingCalendar
from mocks.social_fund.adapters.storage import FundStore
from mocks.social_fund.domain.documents import Person
from mocks.social_fund.domain.models import ReceivedContribution
from mocks.social_fund.service_layer.ports import Mode
from mocks.social_fund.service_layer.services import FundServices, Receive
from tests.social_fund.fakes import FakeContributions, FakePopulation, FakeRegister, FakeSigner

IIN = "900512450123"
APPLIED = dt.datetime(2026, 3, 12, 10, 0, tzinfo=almaty())
REGISTERED_ON = dt.date(2026, 3, 10)
PERSON = Person(IIN, "Ахметова", "Айгерим", "Серикқызы", dt.date(1990, 5, 12), male=False)


def contributions() -> tuple[ReceivedContribution, ...]:
    """36 months on 300 000 ₸: 10 500 at 3.5 % until 2024-12, 15 000 at 5 % from 2025-01 (worked example 2)."""
    items = []
    month = dt.date(2023, 3, 1)
    while month < dt.date(2026, 3, 1):
        amount = Decimal("10500.00") if month.year < 2025 else Decimal("15000.00")
        items.append(ReceivedContribution(month, "990140000001", amount))
        month = add_months(month, 1)
    return tuple(items)


def application(
    application_id: str = "APP-1", channel: Channel = Channel.PORTAL, *, consent: bool = True, **applicant: object
) -> Receive:
    person = {
        "iin": IIN,
        "surname": "Ахметова",
        "name": "Айгерим",
        "patronymic": "Серикқызы",
        "birth_date": dt.date(1990, 5, 12),
        "sex": Sex.FEMALE,
    } | applicant
    documents = tuple(
        AttachedDocument(kind, f"N-{kind.value}", dt.date(2026, 1, 5), until, IIN)
        for kind, until in (
            (DocumentKind.IDENTITY_DOCUMENT, dt.date(2030, 1, 1)),
            (DocumentKind.UNEMPLOYED_CERTIFICATE, None),
            (DocumentKind.BANK_ACCOUNT, None),
        )
    )
    value = PaymentApplication(
        application_id,
        APPLIED,
        channel,
        Applicant(**person),  # type: ignore[arg-type]
        documents,
        "KZ86125KZT5004100100",
        consent,
    )
    return Receive(value, "EGOV_PORTAL", f"applicant {IIN}", f"corr-{application_id}", "<paymentApplication/>")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(APPLIED)


@pytest.fixture
def store(tmp_path: Path, clock: FixedClock) -> Iterator[FundStore]:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'social_fund.sqlite'}")
    yield FundStore(engine, Outbox(engine, clock.now), clock.now, CabinetIssuer("980740010004", "Филиал фонда"))
    engine.dispose()


@pytest.fixture
def register() -> FakeRegister:
    return FakeRegister({IIN: REGISTERED_ON})


@pytest.fixture
def signer() -> FakeSigner:
    return FakeSigner()


@pytest.fixture
def services(store: FundStore, register: FakeRegister, signer: FakeSigner, clock: FixedClock) -> FundServices:
    return FundServices(
        store=store,
        population=FakePopulation({IIN: PERSON}),
        contributions=FakeContributions({IIN: contributions()}),
        register=register,
        signer=signer,
        calendar=WorkingCalendar(),
        now=clock.now,
        configured_mode=Mode.AUTO,
    )
