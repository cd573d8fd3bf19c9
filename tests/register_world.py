"""A small world for the register's legal cases: the employment centre's service layer on a fake unit of
work, with fakes of every system around it and a clock the case moves. A case (tests/rules/register*.yaml,
certificate.yaml, deregistration.yaml) is a person, their card, and steps on dates; the runner applies the
steps through the real handlers and returns the world for the case's expectations.

Steps (each a one-key mapping):

- ``apply: {id, at}`` — the person's registration form reaches the centre (``register_job_seeker``);
- ``vacancy: {id, profession, region, salary, schedule, registered_at}`` — an employer's vacancy is stored;
- ``advance: <instant>`` — the clock moves there and ``advance_register`` runs;
- ``answer: {offer, accepted, at}`` — the job seeker answers offer number ``offer`` of the current case;
- ``decide: {kind, at, decided_on, registered_on, reasons}`` — the local authority's decision on the current
  case (registered / refused) or on the pending removal (deregistered / not-deregistered);
- ``ground: {ground, facts, at, source, id}`` — a DR-1 ground is reported;
- ``certificate: {id, at, signer}`` — a certificate application (Annex 7) arrives;
- ``schedule: [days]``, ``visit: {day, valid_reason}`` — UN-7;
- ``person: {...}`` — the person registry's record changes (e.g. a status);
- ``down: [authority | cabinet]``, ``up: [...]`` — a system stops or comes back.

Instants are wall-clock times in Asia/Almaty (``2026-11-23T10:00``); a step with ``at`` sets the clock
there first. A step with ``raises: <ErrorName>`` must fail with that error (and change nothing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from typing import Any

from employment.domain.calendar import WorkingCalendar
from employment.domain.models import (
    Applicant,
    CardProfile,
    EmploymentPeriod,
    LegalRepresentative,
    PersonStatus,
    Reason,
    RegistryRecord,
    Sex,
    StageReport,
)
from employment.domain.register import RegisterEntry
from employment.domain.rules.suitable_work import Vacancy
from employment.domain.rules.unemployed_draft import JOB_LOSS_PAYMENT_DOCUMENTS
from employment.service_layer.certificate import RequestCertificate, issue_certificate
from employment.service_layer.commands import RegisterJobSeeker
from employment.service_layer.deregistration import ReportDeregistrationGround, report_deregistration_ground
from employment.service_layer.handlers import EmploymentServices, register_job_seeker
from employment.service_layer.mediation import add_vacancy, answer_offer
from employment.service_layer.register import (
    AuthorityDecision,
    DecisionKind,
    advance_register,
    record_authority_decision,
)
from employment.service_layer.register_filing import RegisterServices
from employment.service_layer.register_records import CertificateRecord, DeregistrationCase, DeregistrationStatus
from employment.service_layer.visits import record_visit, schedule_visits
from kernel.clock import FixedClock, almaty
from tests.fakes import (
    FakeCabinet,
    FakeContributions,
    FakeDatabase,
    FakeDocuments,
    FakeFund,
    FakeLocalAuthority,
    FakePaymentFund,
    FakePersonRegistry,
    FakeRegisterDocuments,
    fake_unit_of_work,
)

IIN = "920314403019"
PROFILE_FIELDS = {f.name for f in fields(CardProfile)}


def instant(value: Any) -> dt.datetime:
    """A wall-clock instant in Asia/Almaty (YAML gives ``2026-11-23T10:00`` as text or a datetime)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=almaty()) if value.tzinfo is None else value
    return dt.datetime.fromisoformat(str(value)).replace(tzinfo=almaty())


def profile_from(data: dict[str, Any] | None) -> CardProfile:
    data = dict(data or {})
    unknown = set(data) - PROFILE_FIELDS
    assert not unknown, f"unknown card facts {unknown}"
    if "salary_min" in data:
        data["salary_min"] = Decimal(str(data["salary_min"]))
    if "total_experience_years" in data:
        data["total_experience_years"] = Decimal(str(data["total_experience_years"]))
    if "previous_professions" in data:
        data["previous_professions"] = tuple(data["previous_professions"])
    return CardProfile(**data)


@dataclass
class World:
    clock: FixedClock
    db: FakeDatabase = field(default_factory=FakeDatabase)
    registry: FakePersonRegistry = field(default_factory=FakePersonRegistry)
    contributions: FakeContributions = field(default_factory=FakeContributions)
    documents: FakeRegisterDocuments = field(default_factory=FakeRegisterDocuments)
    cabinet: FakeCabinet = field(default_factory=FakeCabinet)
    fund: FakeFund = field(default_factory=FakeFund)
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    iin: str = IIN
    birth_date: dt.date = dt.date(1992, 3, 14)
    profile: CardProfile = field(default_factory=CardProfile)
    minor: bool = False  # the form carries a legal representative's application (JS-1)
    certificates: list[CertificateRecord] = field(default_factory=list)
    reports: list[DeregistrationCase] = field(default_factory=list)
    authority: FakeLocalAuthority = field(init=False)
    payments: FakePaymentFund = field(init=False)

    def __post_init__(self) -> None:
        self.authority = FakeLocalAuthority(self.clock.now)
        self.payments = FakePaymentFund(self.clock.now)

    @property
    def employment(self) -> EmploymentServices:
        return EmploymentServices(
            uow=fake_unit_of_work(self.db),
            registry=self.registry,
            contributions=self.contributions,
            documents=FakeDocuments(),
            calendar=self.calendar,
            now=self.clock.now,
        )

    @property
    def services(self) -> RegisterServices:
        return RegisterServices(
            uow=fake_unit_of_work(self.db),
            registry=self.registry,
            contributions=self.contributions,
            documents=self.documents,
            authority=self.authority,
            cabinet=self.cabinet,
            fund=self.fund,
            calendar=self.calendar,
            now=self.clock.now,
            payments=self.payments,
        )

    @property
    def entry(self) -> RegisterEntry:
        entry = self.db.entries.get(self.iin)
        assert entry is not None, "the person has no register entry"
        return entry

    def stages(self, application_id: str) -> list[StageReport]:
        return self.db.reports_of(application_id)

    def set_person(self, person: dict[str, Any]) -> None:
        self.birth_date = person.get("birth_date", self.birth_date)
        sex = person.get("sex")
        self.registry.people[self.iin] = RegistryRecord(
            self.iin,
            "Сулейменова",
            "Жанар",
            None,
            self.birth_date,
            person.get("address", "Astana, Esil district"),
            dt.date(2031, 1, 1),
            Sex(sex) if sex else None,
            frozenset(PersonStatus(s) for s in person.get("statuses", [])),
        )

    def applicant(self) -> Applicant:
        representative = LegalRepresentative("880115300126", "Сулейменов Ерлан", "I agree") if self.minor else None
        return Applicant(
            self.iin, "Сулейменова", "Жанар", None, self.birth_date, True, representative, profile=self.profile
        )


def world_for(case: dict[str, Any]) -> World:
    world = World(FixedClock(instant(case.get("start", "2026-11-23T09:00"))))
    world.set_person(case.get("person", {"sex": "female"}))
    world.minor = bool(case.get("person", {}).get("representative"))
    world.profile = profile_from(case.get("profile"))
    world.contributions.employment[world.iin] = [
        EmploymentPeriod("040540010001", "ТОО Пример", p["start"], p.get("end")) for p in case.get("employment", [])
    ]
    return world


def _decision(world: World, step: dict[str, Any], number: int) -> AuthorityDecision:
    kind = DecisionKind(step["kind"])
    if kind in (DecisionKind.REGISTERED, DecisionKind.REFUSED):
        reference = world.entry.case_id
    else:
        pending = [
            c
            for c in world.db.deregistrations.values()
            if c.iin == world.iin and c.status is DeregistrationStatus.PENDING
        ]
        assert len(pending) == 1, f"expected one pending removal, found {len(pending)}"
        reference = pending[0].request_id
    return AuthorityDecision(
        decision_id=step.get("id", f"MIO-DECISION-{number}"),
        kind=kind,
        reference=reference,
        iin=world.iin,
        decided_on=step["decided_on"],
        registered_on=step.get("registered_on"),
        reasons=tuple(Reason(rule, f"ground {rule}") for rule in step.get("reasons", [])),
        signed_document=f"<decision kind='{kind.value}'/>",
        signer="the head of the local authority (test)",
        received_at=world.clock.now(),
    )


def run_steps(world: World, steps: list[dict[str, Any]]) -> World:
    for number, step in enumerate(steps, start=1):
        ((action, value),) = step.items()
        expected = value.get("raises") if isinstance(value, dict) else None
        try:
            _step(world, number, action, value)
        except Exception as exc:
            if expected is None or type(exc).__name__ != expected:
                raise
        else:
            assert expected is None, f"step {number} ({action}) should have raised {expected}"
    return world


def _step(world: World, number: int, action: str, value: Any) -> None:
    if isinstance(value, dict) and "at" in value:
        world.clock.set(instant(value["at"]))
    if action == "apply":
        at = instant(value["at"])
        command = RegisterJobSeeker(
            value.get("id", f"APP-{number}"),
            world.applicant(),
            value.get("signer", world.iin),
            "verified",
            at,
            value.get("id", f"APP-{number}"),
        )
        register_job_seeker(command, world.employment)
    elif action == "vacancy":
        add_vacancy(
            Vacancy(
                value["id"],
                "040540010001",
                value.get("employer", "ТОО Пример"),
                value["profession"],
                value["region"],
                Decimal(str(value["salary"])),
                value.get("schedule"),
                instant(value["registered_at"]),
            ),
            world.services,
        )
    elif action == "advance":
        world.clock.set(instant(value))
        advance_register(world.services)
    elif action == "answer":
        offer_id = f"{world.entry.case_id}/offer-{value['offer']}"
        answer_offer(offer_id, bool(value["accepted"]), instant(value["at"]), world.services)
    elif action == "decide":
        record_authority_decision(_decision(world, value, number), world.services)
    elif action == "ground":
        world.reports.append(
            report_deregistration_ground(
                ReportDeregistrationGround(
                    value.get("id", f"EVENT-{number}"),
                    world.iin,
                    value["ground"],
                    instant(value["at"]),
                    value.get("source", "fund"),
                    {k: str(v) for k, v in (value.get("facts") or {}).items()},
                ),
                world.services,
            )
        )
    elif action == "certificate":
        world.certificates.append(
            issue_certificate(
                RequestCertificate(
                    value.get("id", f"CERT-{number}"),
                    world.iin,
                    "Сулейменова Жанар",
                    value.get("signer", world.iin),
                    "verified",
                    instant(value["at"]),
                ),
                world.services,
            )
        )
    elif action == "schedule":
        schedule_visits(world.iin, list(value["days"] if isinstance(value, dict) else value), world.services)
    elif action == "visit":
        record_visit(world.iin, value["day"], world.services, valid_reason=value.get("valid_reason"))
    elif action == "person":
        world.set_person(value)
    elif action in ("down", "up"):
        for system in value:
            target = {"authority": world.authority, "cabinet": world.cabinet}[system]
            target.down = action == "down"
    else:
        raise AssertionError(f"unknown step {action!r}")


def _application(world: World, name: str) -> str:
    if name == "case":
        return world.entry.case_id
    if name == "removal":
        return world.reports[-1].request_id
    if name == "certificate":
        return world.certificates[-1].application_id
    return name


def check(world: World, expect: dict[str, Any]) -> None:
    """Assert each expectation of a case (exact lists and sets, never 'contains')."""
    for key, wanted in expect.items():
        if key == "state":
            assert world.entry.state.value == wanted
        elif key == "category":
            assert world.entry.category == wanted
        elif key == "unemployed_since":
            assert world.entry.unemployed_since == wanted
        elif key == "barred_until":
            assert world.entry.reregistration_barred_until == wanted
        elif key == "transitions":
            history = [
                [t.source.value if t.source else None, t.target.value, t.rule_id]
                for t in world.db.transitions
                if t.iin == world.iin
            ]
            assert history == wanted
        elif key == "draft":  # the exact reasons of the director-approved draft sent to the authority (UN-1)
            package = world.authority.packages[world.entry.case_id]
            assert [rule for rule, _ in package.proposal_reasons] == wanted
            assert package.proposes_registration is (not wanted)
        elif key == "stages":
            for name, stages in wanted.items():
                got = [
                    [r.stage.value, r.deadline.strftime("%Y-%m-%dT%H:%M")]
                    for r in world.stages(_application(world, name))
                ]
                assert got == [[stage, str(deadline).replace(" ", "T")[:16]] for stage, deadline in stages], got
        elif key == "rules_reported":
            for name, rules in wanted.items():
                assert [r.rule_id for r in world.stages(_application(world, name))] == rules
        elif key == "cabinet":
            assert [d.kind for d in world.cabinet.delivered.values()] == wanted
        elif key == "payment_documents_told":
            told = [d for d in world.cabinet.delivered.values() if d.kind.startswith("unemployed-")]
            assert bool(told) and all(d.information == JOB_LOSS_PAYMENT_DOCUMENTS for d in told) is wanted
        elif key == "fund":
            assert [[c.status, c.effective_on] for c in world.fund.told.values()] == wanted
        elif key == "documents":
            assert [d.split(" ")[0].lstrip("<") for d in world.documents.issued] == wanted
        elif key == "certificate":
            last = world.certificates[-1]
            assert [r.rule_id for r in last.reasons] == wanted.get("reasons", [])
            assert last.valid_until == wanted.get("valid_until")
            assert last.issued_on == wanted["issued_on"]
            if "deadline" in wanted:
                assert last.deadline == instant(wanted["deadline"])
        elif key == "certificates":
            assert len(world.certificates) == wanted
        elif key == "stored_certificates":
            assert len(world.db.certificates) == wanted
            assert len({c.document for c in world.certificates}) == 1
        elif key == "report":
            last = world.reports[-1]
            assert last.status.value == wanted["status"]
            assert [r.rule_id for r in last.reasons] == wanted["reasons"]
        elif key == "offers":
            offers = sorted(world.db.offers.values(), key=lambda o: o.offer_id)
            assert [[o.vacancy_id, o.answer.value if o.answer else None] for o in offers] == wanted
        elif key == "packages_sent":
            assert len(world.authority.packages) + len(world.authority.requests) == wanted
        elif key == "dispatches_pending":
            assert len([d for d in world.db.dispatches.values() if d.done_at is None]) == wanted
        elif key == "entries":
            assert len(world.db.entries) == wanted
        elif key == "stored_reports":
            assert len(world.db.deregistrations) == wanted
        elif key == "card_mark":
            changes = world.db.job_seekers[world.iin].changes
            assert changes and changes[-1].field == "register" and changes[-1].new == wanted
        elif key == "card_address":
            assert world.db.job_seekers[world.iin].address == wanted
        elif key == "visits":
            assert [[v.on, v.attended_on] for v in world.entry.visits] == wanted
        elif key in ("annex4", "annex8"):
            tag = f"<{key} "
            (document,) = [d for d in world.documents.issued if d.startswith(tag)]
            for attribute, value in wanted.items():
                assert f"{attribute}='{value}'" in document, (attribute, value, document)
        else:
            raise AssertionError(f"unknown expectation {key!r}")


__all__ = ["World", "check", "instant", "profile_from", "replace", "run_steps", "world_for"]
