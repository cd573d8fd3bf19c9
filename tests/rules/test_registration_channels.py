"""The rules that differ by registration channel, case by case from registration_channels.yaml (each case
names its rule): who may sign in the applicant's place (JS-10, JS-12, JS-13, ``000 §5 action 1``), the hours of
the receiving office (T-2), the rural assistant's terms and date of registration (JS-13), and the consent when
someone else signs the form (standard Annex 1 with JS-2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from employment.domain.calendar import WorkingCalendar
from employment.domain.errors import PreRegistrationError, SignerNotAllowed
from employment.domain.models import Applicant, RegistryRecord, Stage
from employment.domain.rules import channels, job_seeker_registration, rural_pre_registration
from employment.domain.rules.channels import Channel, ChannelStaff, Signer, SignerRegister
from employment.domain.rules.rural_pre_registration import PaperCard
from employment.service_layer.handlers import EmploymentServices
from employment.service_layer.rural_channel import (
    PreRegisterJobSeeker,
    ReceiveDocuments,
    pre_register,
    receive_documents,
)
from kernel.clock import FixedClock, almaty
from tests.fakes import (
    FakeContributions,
    FakeDatabase,
    FakeDocuments,
    FakePersonRegistry,
    FakePreRegistrations,
    fake_unit_of_work,
)

CASES = yaml.safe_load((Path(__file__).parent / "registration_channels.yaml").read_text(encoding="utf-8"))
KINDS = {"signer", "term", "documents_due", "card_day", "registered_on", "consent"}
IIN = "920314403019"
CENTRE, GK, FUND = "000340010007", "160640010002", "980740010004"
PEOPLE = {
    "applicant": Signer(IIN, None),
    "operator": Signer("900303400517", GK),
    "seated_worker": Signer("900303400517", CENTRE),  # the authorised operator with the centre's certificate
    "worker": Signer("870921441279", CENTRE),
    "director": Signer("880115300126", CENTRE),
    "assistant": Signer("940208362185", CENTRE),
    "stranger_at_gk": Signer("980730353012", GK),
    "fund_clerk": Signer("900303400517", FUND),
}
REGISTER = SignerRegister(
    {
        Channel.STATE_CORPORATION: ChannelStaff(frozenset({GK, CENTRE}), frozenset({"900303400517"})),
        Channel.OFFICE: ChannelStaff(frozenset({CENTRE}), frozenset({"870921441279", "880115300126"})),
        Channel.RURAL_ASSISTANT: ChannelStaff(frozenset({CENTRE}), frozenset({"940208362185"})),
    }
)


def _local(value: object) -> dt.datetime:
    """A wall-clock time in Astana, written 2026-11-23T10:00 in the YAML (read as text or as a datetime)."""
    text = value.isoformat() if isinstance(value, dt.datetime) else str(value)
    return dt.datetime.fromisoformat(text).replace(tzinfo=almaty())


def _applicant() -> Applicant:
    return Applicant(IIN, "Сулейменова", "Жанар", "Ерлановна", dt.date(1992, 3, 14), True)


def _services(now: dt.datetime, db: FakeDatabase) -> EmploymentServices:
    record = RegistryRecord(
        IIN, "Сулейменова", "Жанар", "Ерлановна", dt.date(1992, 3, 14), "Astana", dt.date(2031, 1, 1)
    )
    return EmploymentServices(
        uow=fake_unit_of_work(db),
        registry=FakePersonRegistry({IIN: record}),
        contributions=FakeContributions(),
        documents=FakeDocuments(),
        calendar=WorkingCalendar(),
        now=FixedClock(now).now,
        signers=REGISTER,
    )


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


def test_every_case_names_a_known_kind_and_rule() -> None:
    assert {case["kind"] for case in CASES} <= KINDS
    assert {"JS-10", "JS-12", "JS-13", "000 §5 action 1", "T-2", "JS-2"} <= {case["rule"] for case in CASES}


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "signer"], ids=lambda c: c["name"])
def test_signer(case: dict[str, Any]) -> None:
    channel = Channel(case["channel"])
    signer = PEOPLE[case["signer"]]
    if case["outcome"] == "allowed":
        channels.require_authorised_signer(channel, signer, _applicant(), REGISTER)
        return
    with pytest.raises(SignerNotAllowed) as refused:
        channels.require_authorised_signer(channel, signer, _applicant(), REGISTER)
    assert refused.value.rule_id == case["rule"]


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "term"], ids=lambda c: c["name"])
def test_term(case: dict[str, Any], calendar: WorkingCalendar) -> None:
    channel = Channel(case["channel"])
    submitted = _local(case["submitted_at"]) if "submitted_at" in case else _local(case["made_at"])
    started = channels.term_start(channel, submitted, _local(case["made_at"]))
    assert channels.term(channel, started, calendar) == (_local(case["received"]), _local(case["deadline"]))


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "documents_due"], ids=lambda c: c["name"])
def test_documents_due(case: dict[str, Any], calendar: WorkingCalendar) -> None:
    assert rural_pre_registration.documents_due(case["card_day"], calendar) == _local(case["due"])


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "card_day"], ids=lambda c: c["name"])
def test_card_day(case: dict[str, Any], calendar: WorkingCalendar) -> None:
    card = PaperCard(case["paper_card"]) if "paper_card" in case else None
    entered = _local(case["entered_at"])
    if case.get("outcome") == "refused":
        with pytest.raises(PreRegistrationError):
            rural_pre_registration.card_day(card, entered, calendar)
        return
    assert rural_pre_registration.card_day(card, entered, calendar) == case["card_day"]


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "registered_on"], ids=lambda c: c["name"])
def test_registered_on(case: dict[str, Any]) -> None:
    """The whole rural path with fakes: a paper card entered later, the documents received, the date told."""
    received_at = _local(case["received_at"])
    db = FakeDatabase()
    store = FakePreRegistrations(db)
    entered = dt.datetime.combine(case["paper_card"] + dt.timedelta(days=3), dt.time(9, 30), tzinfo=almaty())
    pre_register(
        PreRegisterJobSeeker(
            "RA-1",
            _applicant(),
            PEOPLE["assistant"],
            "assistant",
            PaperCard(case["paper_card"]),
            min(entered, received_at),
        ),
        _services(min(entered, received_at), db),
        store,
    )
    services = _services(received_at + dt.timedelta(minutes=5), db)
    decided = receive_documents(ReceiveDocuments("RA-1", PEOPLE["worker"], "worker", received_at), services, store)
    assert decided.registered_on == case["registered_on"]
    assert db.job_seekers[IIN].registered_on == case["registered_on"]
    assert decided.registered_on is not None and decided.registered_on.isoformat() in (decided.notice or "")
    application = [r for r in db.stage_reports if r.application_id == "RA-1"]
    assert [r.stage for r in application] == [
        Stage.PRE_REGISTERED,
        Stage.DOCUMENTS_RECEIVED,
        Stage.ACCEPTED,
        Stage.DATA_REQUESTED,
        Stage.DECISION_MADE,
        Stage.RESULT_ISSUED,
    ]
    assert {r.channel for r in application} == {"RURAL_ASSISTANT"}
    # the register entry opened with it (JS-6): its own case, reported under its own application id
    assert [(r.application_id, r.stage) for r in db.stage_reports if r not in application] == [
        ("UN-RA-1", Stage.JOB_SEEKER)
    ]


@pytest.mark.parametrize("case", [c for c in CASES if c["kind"] == "consent"], ids=lambda c: c["name"])
def test_consent(case: dict[str, Any]) -> None:
    counts = channels.applicant_consent(Channel(case["channel"]), case["stated"], case["signed_application"])
    assert counts is case["counts"]


@pytest.mark.parametrize(
    "made_at",
    [
        "2026-11-20T19:00",
        "2026-11-21T11:00",
        "2026-11-23T08:00",
        "2026-11-23T18:29",
        "2026-03-20T19:00",
        "2026-12-31T17:00",
    ],
)
def test_the_centres_channels_keep_the_portals_term(made_at: str, calendar: WorkingCalendar) -> None:
    """T-2: counted in the centre's hours, the portal and the office get the term the centre always applied."""
    at = _local(made_at)
    expected = job_seeker_registration.term(job_seeker_registration.term_start(at, at), calendar)
    for channel in (Channel.PORTAL, Channel.OFFICE):
        assert channels.term(channel, channels.term_start(channel, at, at), calendar) == expected
