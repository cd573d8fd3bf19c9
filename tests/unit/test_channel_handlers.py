"""The registration handlers by channel, with fakes: the State Corporation's and the office's forms signed in the
applicant's place, and the rural path (pre-registration, documents received, registration), hostile inputs
included. Nothing is stored or reported on a refusal."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from employment.domain.calendar import WorkingCalendar
from employment.domain.errors import PreRegistrationError, PreRegistrationNotFound, SignerNotAuthorised
from employment.domain.models import Applicant, RegistryRecord, Stage
from employment.domain.rules.channels import Channel, ChannelStaff, Signer, SignerRegister
from employment.domain.rules.rural_pre_registration import PaperCard, PreRegistration, PreRegistrationState
from employment.service_layer.commands import RegisterJobSeeker
from employment.service_layer.handlers import EmploymentServices, register_job_seeker
from employment.service_layer.ports import ExternalSystemUnavailable
from employment.service_layer.rural_channel import (
    PreRegisterJobSeeker,
    ReceiveDocuments,
    pre_register,
    receive_documents,
)
from kernel.clock import almaty
from tests.fakes import (
    FakeContributions,
    FakeDatabase,
    FakeDocuments,
    FakePersonRegistry,
    FakePreRegistrations,
    fake_unit_of_work,
)

IIN = "920314403019"
CENTRE, GK = "000340010007", "160640010002"
OPERATOR = Signer("900303400517", GK)
WORKER = Signer("870921441279", CENTRE)
ASSISTANT = Signer("940208362185", CENTRE)
SATURDAY = dt.datetime(2026, 11, 21, 11, 0, tzinfo=almaty())
MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=almaty())
REGISTER = SignerRegister(
    {
        Channel.STATE_CORPORATION: ChannelStaff(frozenset({GK, CENTRE}), frozenset({OPERATOR.iin or ""})),
        Channel.OFFICE: ChannelStaff(frozenset({CENTRE}), frozenset({WORKER.iin or ""})),
        Channel.RURAL_ASSISTANT: ChannelStaff(frozenset({CENTRE}), frozenset({ASSISTANT.iin or ""})),
    }
)


class Clock:
    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def now(self) -> dt.datetime:
        return self.at


def _applicant(iin: str = IIN) -> Applicant:
    return Applicant(iin, "Сулейменова", "Жанар", "Ерлановна", dt.date(1992, 3, 14), True)


def _registry() -> FakePersonRegistry:
    record = RegistryRecord(
        IIN, "Сулейменова", "Жанар", "Ерлановна", dt.date(1992, 3, 14), "Astana", dt.date(2031, 1, 1)
    )
    return FakePersonRegistry({IIN: record})


def _services(db: FakeDatabase, clock: Clock, registry: FakePersonRegistry | None = None) -> EmploymentServices:
    return EmploymentServices(
        uow=fake_unit_of_work(db),
        registry=registry or _registry(),
        contributions=FakeContributions(),
        documents=FakeDocuments(),
        calendar=WorkingCalendar(),
        now=clock.now,
        signers=REGISTER,
    )


def _form(
    channel: Channel, signer: Signer, at: dt.datetime = SATURDAY, application_id: str = "GK-1"
) -> RegisterJobSeeker:
    return RegisterJobSeeker(
        application_id, _applicant(), signer.iin, "verified", at, application_id, at, channel, signer.bin
    )


def test_the_operator_signed_form_registers_in_the_state_corporations_hours() -> None:
    db = FakeDatabase()
    stored = register_job_seeker(_form(Channel.STATE_CORPORATION, OPERATOR), _services(db, Clock(SATURDAY)))
    assert stored.registered and stored.channel == "STATE_CORPORATION"
    assert db.job_seekers[IIN].registered_on == dt.date(2026, 11, 21)  # Saturday: the State Corporation works
    assert stored.deadline == dt.datetime(2026, 11, 23, 20, 0, tzinfo=almaty())
    # the application's stages carry its channel (the register's own case, UN-…, is the centre's process)
    assert {r.channel for r in db.stage_reports if r.application_id == stored.application_id} == {"STATE_CORPORATION"}


def test_the_same_saturday_at_the_office_counts_from_monday() -> None:
    db = FakeDatabase()
    stored = register_job_seeker(_form(Channel.OFFICE, WORKER, application_id="OF-1"), _services(db, Clock(SATURDAY)))
    assert stored.registered and stored.channel == "OFFICE"
    assert db.job_seekers[IIN].registered_on == dt.date(2026, 11, 23)
    assert stored.deadline == dt.datetime(2026, 11, 24, 18, 30, tzinfo=almaty())


@pytest.mark.parametrize(
    ("channel", "signer", "rule"),
    [
        (Channel.STATE_CORPORATION, Signer(IIN, None), "JS-12"),  # the applicant's own certificate
        (Channel.STATE_CORPORATION, Signer("980730353012", GK), "JS-12"),  # an operator not authorised
        (Channel.STATE_CORPORATION, Signer(OPERATOR.iin, "980740010004"), "JS-12"),  # another organisation
        (Channel.OFFICE, OPERATOR, "000 §5 action 1"),
        (Channel.OFFICE, ASSISTANT, "000 §5 action 1"),
        (Channel.RURAL_ASSISTANT, WORKER, "JS-13"),
    ],
)
def test_a_signer_not_authorised_for_the_channel_changes_nothing(channel: Channel, signer: Signer, rule: str) -> None:
    db = FakeDatabase()
    with pytest.raises(SignerNotAuthorised) as refused:
        register_job_seeker(_form(channel, signer), _services(db, Clock(SATURDAY)))
    assert refused.value.rule_id == rule
    assert db.applications == {} and db.job_seekers == {} and db.stage_reports == [] and db.commits == 0


def test_a_centre_with_nobody_authorised_refuses_every_form_but_the_portals() -> None:
    db = FakeDatabase()
    services = replace(_services(db, Clock(SATURDAY)), signers=SignerRegister())
    with pytest.raises(SignerNotAuthorised, match="authorises nobody"):
        register_job_seeker(_form(Channel.STATE_CORPORATION, OPERATOR), services)
    assert register_job_seeker(_form(Channel.PORTAL, Signer(IIN, None), application_id="P-1"), services).registered


# ---- the rural path -----------------------------------------------------------------------------------------


def _pre(
    store: FakePreRegistrations,
    services: EmploymentServices,
    *,
    card: PaperCard | None = None,
    application_id: str = "RA-1",
    applicant: Applicant | None = None,
    signer: Signer = ASSISTANT,
) -> PreRegistrationState:
    pre = pre_register(
        PreRegisterJobSeeker(application_id, applicant or _applicant(), signer, "assistant", card, services.now()),
        services,
        store,
    )
    return pre.state


def test_a_later_entry_keeps_the_card_date_and_its_term_is_already_overdue() -> None:
    db, clock = FakeDatabase(), Clock(dt.datetime(2026, 11, 25, 10, 0, tzinfo=almaty()))
    store = FakePreRegistrations(db)
    _pre(store, _services(db, clock), card=PaperCard(dt.date(2026, 11, 20), "П-17"))
    pre = store.get("RA-1")
    assert pre is not None and pre.card_day == dt.date(2026, 11, 20) and pre.later_entry
    assert pre.documents_due == dt.datetime(2026, 11, 23, 18, 30, tzinfo=almaty())  # §20, from the card's day
    (report,) = db.stage_reports
    assert report.stage is Stage.PRE_REGISTERED and report.deadline == pre.documents_due < clock.now()
    assert db.applications == {} and db.job_seekers == {}  # pre-registered, not registered


def test_a_pre_registration_is_entered_once() -> None:
    db, clock = FakeDatabase(), Clock(MONDAY)
    store = FakePreRegistrations(db)
    services = _services(db, clock)
    _pre(store, services)
    _pre(store, services)
    assert len(store.stored) == 1 and len(db.stage_reports) == 1
    with pytest.raises(PreRegistrationError, match="of IIN"):
        _pre(store, services, applicant=_applicant("850902305172"))


def test_a_pre_registration_cannot_take_the_id_of_a_decided_application() -> None:
    db, clock = FakeDatabase(), Clock(MONDAY)
    services = _services(db, clock)
    register_job_seeker(_form(Channel.OFFICE, WORKER, MONDAY, "TAKEN"), services)
    reports = len(db.stage_reports)
    store = FakePreRegistrations(db)
    with pytest.raises(PreRegistrationError, match="is taken"):
        _pre(store, services, application_id="TAKEN")
    assert store.stored == {} and len(db.stage_reports) == reports


def test_the_office_cannot_pre_register_in_the_assistants_place() -> None:
    db = FakeDatabase()
    store = FakePreRegistrations(db)
    with pytest.raises(SignerNotAuthorised):
        _pre(store, _services(db, Clock(MONDAY)), signer=WORKER)
    assert store.stored == {} and db.stage_reports == []


def _received(
    store: FakePreRegistrations, services: EmploymentServices, at: dt.datetime, by: Signer = WORKER
) -> PreRegistration:
    return receive_documents(ReceiveDocuments("RA-1", by, "worker", at), services, store)


@pytest.mark.parametrize(
    ("received_at", "error"),
    [
        (dt.datetime(2026, 11, 19, 17, 0, tzinfo=almaty()), "before the assistant filled the card"),
        (dt.datetime(2026, 11, 23, 11, 0, tzinfo=almaty()), "after now"),
    ],
)
def test_a_receipt_before_the_card_or_ahead_of_now_is_refused(received_at: dt.datetime, error: str) -> None:
    db, clock = FakeDatabase(), Clock(dt.datetime(2026, 11, 23, 10, 0, tzinfo=almaty()))
    store = FakePreRegistrations(db)
    _pre(store, _services(db, clock), card=PaperCard(dt.date(2026, 11, 20)))
    with pytest.raises(PreRegistrationError, match=error):
        _received(store, _services(db, clock), received_at)
    pre = store.get("RA-1")
    assert pre is not None and pre.documents_received_at is None and len(db.stage_reports) == 1


def test_only_the_office_records_the_receipt_and_only_of_a_known_pre_registration() -> None:
    db, clock = FakeDatabase(), Clock(MONDAY)
    store = FakePreRegistrations(db)
    services = _services(db, clock)
    _pre(store, services)
    with pytest.raises(SignerNotAuthorised):
        _received(store, services, MONDAY, by=ASSISTANT)
    with pytest.raises(PreRegistrationNotFound):
        receive_documents(ReceiveDocuments("RA-404", WORKER, "worker", MONDAY), services, store)
    assert db.applications == {} and len(db.stage_reports) == 1


def test_the_registry_down_at_registration_keeps_the_receipt_and_a_retry_registers_once() -> None:
    db, clock = FakeDatabase(), Clock(MONDAY)
    store = FakePreRegistrations(db)
    _pre(store, _services(db, clock))
    down = _registry()
    down.down = True
    with pytest.raises(ExternalSystemUnavailable):
        _received(store, _services(db, clock, down), MONDAY)
    pre = store.get("RA-1")
    assert pre is not None and pre.state is PreRegistrationState.PRE_REGISTERED and pre.documents_received_at == MONDAY
    clock.at = MONDAY + dt.timedelta(hours=2)
    decided = _received(store, _services(db, clock), MONDAY + dt.timedelta(hours=1))
    assert decided.registered_on == dt.date(2026, 11, 23)  # the first receipt counts
    stages = [r.stage for r in db.stage_reports]
    assert stages.count(Stage.DOCUMENTS_RECEIVED) == 1 and stages[-1] is Stage.RESULT_ISSUED
    again = _received(store, _services(db, clock), MONDAY)
    assert again == decided and len(db.stage_reports) == len(stages)  # the same answer, nothing new


def test_a_person_the_registry_does_not_know_is_refused_and_the_assistant_told_to_return_the_documents() -> None:
    db, clock = FakeDatabase(), Clock(MONDAY)
    store = FakePreRegistrations(db)
    _pre(store, _services(db, clock))
    decided = _received(store, _services(db, clock, FakePersonRegistry()), MONDAY)
    assert decided.state is PreRegistrationState.REFUSED
    assert "return their documents" in (decided.notice or "")
    assert db.applications["RA-1"].reasons[0]["ruleId"] == "JS-3" and db.job_seekers == {}
