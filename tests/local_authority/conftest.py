"""The local authority's service layer on a real store (a SQLite file) with fakes of the state systems and of
the head's signature, on a clock the test moves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kernel.clock import FixedClock
from kernel.working_calendar import WorkingCalendar
from mocks.local_authority.adapters.storage import AuthorityStore
from mocks.local_authority.domain.models import (
    CaseKind,
    DecisionMode,
    DeregistrationInfo,
    InsuranceFacts,
    LabourContract,
    Outcome,
    PersonData,
    Reason,
    RegistrationDraft,
    RegistryFacts,
    Sex,
)
from mocks.local_authority.service_layer.services import AuthorityServices, ReceiveCase
from mocks.population import PERSONA_EMPLOYED, PERSONA_JOB_SEEKER
from tests.fakes import FakeDecisionSigner, FakeStateSystems
from tests.local_authority.examples import MONDAY

JOB_SEEKER = PersonData(
    PERSONA_JOB_SEEKER, "Сулейменова", "Жанар", "Ерлановна", dt.date(1992, 3, 14), Sex.FEMALE, "г. Астана"
)
EMPLOYED = PersonData(PERSONA_EMPLOYED, "Кузнецов", "Дмитрий", "Сергеевич", dt.date(1985, 9, 2), Sex.MALE, "г. Алматы")


def registry_of(person: PersonData, **changes: object) -> RegistryFacts:
    facts = {
        "iin": person.iin,
        "surname": person.surname,
        "name": person.name,
        "patronymic": person.patronymic,
        "birth_date": person.birth_date,
        "sex": person.sex,
        "deceased": False,
        "imprisoned": False,
    }
    return RegistryFacts(**(facts | changes))  # type: ignore[arg-type]


def registration(
    case_id: str = "C-1", person: PersonData = JOB_SEEKER, reasons: tuple[Reason, ...] = ()
) -> ReceiveCase:
    draft = RegistrationDraft(
        person, dt.date(2026, 11, 20), "no-suitable-work", Outcome.REFUSED if reasons else Outcome.REGISTERED, reasons
    )
    return ReceiveCase(
        case_id,
        CaseKind.UNEMPLOYED_REGISTRATION,
        draft,
        f"corr-{case_id}",
        "ENBEK_LABOUR_MARKET",
        "SERIKBAEV ERLAN (IIN 880115300126, BIN 000340010007)",
        "<unemployedRegistrationPackage/>",
    )


def deregistration(case_id: str = "D-1", ground: int = 1, person: PersonData = JOB_SEEKER) -> ReceiveCase:
    info = DeregistrationInfo(person, dt.date(2026, 8, 10), ground, "contributions for October", dt.date(2026, 11, 20))
    return ReceiveCase(
        case_id,
        CaseKind.DEREGISTRATION,
        info,
        f"corr-{case_id}",
        "ENBEK_LABOUR_MARKET",
        "SERIKBAEV ERLAN (IIN 880115300126, BIN 000340010007)",
        "<deregistrationRequest/>",
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY)


@pytest.fixture
def store(tmp_path: Path, clock: FixedClock) -> Iterator[AuthorityStore]:
    opened = AuthorityStore.at(f"sqlite:///{tmp_path / 'local_authority.sqlite'}", clock.now)
    yield opened
    opened.dispose()


@pytest.fixture
def state() -> FakeStateSystems:
    return FakeStateSystems(
        people={JOB_SEEKER.iin: registry_of(JOB_SEEKER), EMPLOYED.iin: registry_of(EMPLOYED)},
        insurance_by_iin={
            JOB_SEEKER.iin: InsuranceFacts(
                (LabourContract("040540010001", "ТОО Логистика", dt.date(2019, 2, 1), dt.date(2026, 7, 31)),),
                (dt.date(2026, 7, 1),),
            ),
            EMPLOYED.iin: InsuranceFacts(
                (LabourContract("040540010002", "АО Энерго", dt.date(2021, 4, 1), None),), (dt.date(2026, 10, 1),)
            ),
        },
    )


@pytest.fixture
def signer() -> FakeDecisionSigner:
    return FakeDecisionSigner()


@pytest.fixture
def services(
    store: AuthorityStore, state: FakeStateSystems, signer: FakeDecisionSigner, clock: FixedClock
) -> AuthorityServices:
    return AuthorityServices(
        store=store,
        state_systems=state,
        signer=signer,
        calendar=WorkingCalendar(),
        now=clock.now,
        decision_delay=dt.timedelta(hours=2),
        configured_mode=DecisionMode.AUTO,
    )
