"""Fakes of the ports of the employment centre and of the local employment authority: real behaviour in memory,
for tests without sockets."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any

from employment.domain.models import (
    AcceptanceDecision,
    Applicant,
    Contribution,
    EmploymentPeriod,
    InsuranceHistory,
    JobSeekerCard,
    RegistrationDecision,
    RegistryRecord,
    StageReport,
)
from employment.domain.register import RegisterEntry, TransitionRecord
from employment.domain.rules.rural_pre_registration import PreRegistration
from employment.domain.rules.suitable_work import Offer, Vacancy
from employment.service_layer.ports import (
    AuthorityReceipt,
    CabinetDelivery,
    CertificateDocument,
    DeregistrationNotice,
    DeregistrationRequest,
    ExternalSystemUnavailable,
    JobLossPaymentApplication,
    PaymentApplicationReceipt,
    PortRefused,
    StoredApplication,
    UnemployedDocumentsPackage,
    UnemployedDraft,
    UnemployedNotice,
    UnemployedStatusChange,
)
from employment.service_layer.register_records import (
    CaseStatus,
    CertificateRecord,
    DeregistrationCase,
    DeregistrationStatus,
    Dispatch,
    RegistrationCase,
)
from employment.service_layer.register_repositories import RecordAlreadyStored, RegisterEntryChanged
from employment.service_layer.rural_channel import PreRegistrationAlreadyStored
from employment.service_layer.unit_of_work import ApplicationAlreadyStored, CardChangedConcurrently
from mocks.local_authority.domain.models import Case as AuthorityCase
from mocks.local_authority.domain.models import InsuranceFacts, RegistryFacts
from mocks.local_authority.domain.models import Outcome as AuthorityOutcome
from mocks.local_authority.domain.models import Reason as AuthorityReason
from mocks.local_authority.service_layer.ports import StateSystemUnavailable


@dataclass
class FakePersonRegistry:
    people: dict[str, RegistryRecord] = field(default_factory=dict)
    asked: list[tuple[str, str | None]] = field(default_factory=list)
    down: bool = False

    def find(self, iin: str, correlation_id: str | None) -> RegistryRecord | None:
        self.asked.append((iin, correlation_id))
        if self.down:
            raise ExternalSystemUnavailable("the person registry", "down (fake)")
        return self.people.get(iin)


@dataclass
class FakeContributions:
    by_iin: dict[str, list[Contribution]] = field(default_factory=dict)
    employment: dict[str, list[EmploymentPeriod]] = field(default_factory=dict)

    def history(self, iin: str, period_from: date, period_to: date, correlation_id: str | None) -> InsuranceHistory:
        return InsuranceHistory(
            contributions=tuple(c for c in self.by_iin.get(iin, []) if period_from <= c.month <= period_to),
            employment=tuple(p for p in self.employment.get(iin, []) if p.end is None or p.end >= period_from),
        )


@dataclass
class FakeStageReporter:
    received: list[StageReport] = field(default_factory=list)
    failures_left: int = 0

    def report(self, report: StageReport) -> None:
        if self.failures_left:
            self.failures_left -= 1
            raise ExternalSystemUnavailable("the monitoring IS", "down (fake)")
        self.received.append(report)


@dataclass
class FakeDocuments:
    """Issues an unsigned stand-in of the Annex 3 / Annex 2 document, or of the refusal to accept, that
    names the decision."""

    issued: list[str] = field(default_factory=list)

    def issue(self, application_id: str, applicant: Applicant, decision: RegistrationDecision) -> str:
        rules = ",".join(reason.rule_id for reason in decision.reasons)
        kind = "notice" if decision.registered else f"refusal[{rules}]"
        serial = len(self.issued) + 1  # each issue is a distinct document, as a real signature would make it
        tag = kind.split("[")[0]
        document = f"<{tag} application='{application_id}' iin='{applicant.iin}' rules='{rules}' serial='{serial}'/>"
        self.issued.append(document)
        return document

    def issue_not_accepted(self, application_id: str, applicant: Applicant, refusal: AcceptanceDecision) -> str:
        rules = ",".join(reason.rule_id for reason in refusal.reasons)
        document = f"<notAccepted application='{application_id}' iin='{applicant.iin}' rules='{rules}'/>"
        self.issued.append(document)
        return document


@dataclass
class FakeDatabase:
    """What the fake units of work have committed: decisions, cards, the register, and the stage reports
    queued (a report whose key was queued before is dropped, as the outbox does)."""

    applications: dict[str, StoredApplication] = field(default_factory=dict)
    job_seekers: dict[str, JobSeekerCard] = field(default_factory=dict)
    stage_reports: list[StageReport] = field(default_factory=list)
    stage_report_keys: set[str] = field(default_factory=set)
    entries: dict[str, RegisterEntry] = field(default_factory=dict)
    transitions: list[TransitionRecord] = field(default_factory=list)
    cases: dict[str, RegistrationCase] = field(default_factory=dict)
    vacancies: dict[str, Vacancy] = field(default_factory=dict)
    offers: dict[str, Offer] = field(default_factory=dict)
    deregistrations: dict[str, DeregistrationCase] = field(default_factory=dict)
    certificates: dict[str, CertificateRecord] = field(default_factory=dict)
    dispatches: dict[str, Dispatch] = field(default_factory=dict)
    claims: dict[str, datetime] = field(default_factory=dict)
    commits: int = 0  # transactions that wrote something

    def reports_of(self, application_id: str) -> list[StageReport]:
        return [r for r in self.stage_reports if r.application_id == application_id]


REGISTER_TABLES = ("entries", "cases", "vacancies", "offers", "deregistrations", "certificates", "dispatches", "claims")


class _FakeApplications:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def get(self, application_id: str) -> StoredApplication | None:
        return self._uow.staged_applications.get(application_id) or self._uow.db.applications.get(application_id)

    def add(self, application: StoredApplication) -> None:
        if self.get(application.application_id) is not None:
            raise ApplicationAlreadyStored(application.application_id)
        self._uow.staged_applications[application.application_id] = application


class _FakeJobSeekers:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def card_for_update(self, iin: str) -> JobSeekerCard | None:
        return self._uow.staged_cards.get(iin) or self._uow.db.job_seekers.get(iin)

    def save(self, card: JobSeekerCard, *, new: bool) -> None:
        if new and self._uow.db.job_seekers.get(card.iin) is not None:
            raise CardChangedConcurrently(card.iin)
        self._uow.staged_cards[card.iin] = card


class _FakeRegister:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow
        self._entries: dict[str, RegisterEntry] = uow.table("entries")

    def entry_for_update(self, iin: str) -> RegisterEntry | None:
        return self._entries.get(iin)

    def add(self, entry: RegisterEntry) -> None:
        if entry.iin in self._entries or entry.iin in self._uow.db.entries:
            raise RegisterEntryChanged(entry.iin)
        self._entries[entry.iin] = replace(entry, version=1)
        self._uow.dirty = True

    def save(self, entry: RegisterEntry) -> RegisterEntry:
        stored = self._entries.get(entry.iin)
        if stored is None or stored.version != entry.version:
            raise RegisterEntryChanged(entry.iin)
        saved = replace(entry, version=entry.version + 1)
        self._entries[entry.iin] = saved
        self._uow.dirty = True
        return saved

    def record(self, transition: TransitionRecord) -> None:
        self._uow.staged_transitions.append(transition)

    def history(self, iin: str) -> list[TransitionRecord]:
        return [t for t in [*self._uow.db.transitions, *self._uow.staged_transitions] if t.iin == iin]


class _FakeTable:
    """A keyed table of frozen records, staged in the unit of work."""

    def __init__(self, uow: FakeUnitOfWork, name: str, key: str) -> None:
        self._uow = uow
        self._rows: dict[str, Any] = uow.table(name)
        self._key = key

    def get(self, record_id: str) -> Any:
        return self._rows.get(record_id)

    def _add(self, record: Any) -> bool:
        record_id = getattr(record, self._key)
        if record_id in self._rows:
            return False
        self._rows[record_id] = record
        self._uow.dirty = True
        return True

    def add(self, record: Any) -> None:
        if not self._add(record):
            raise RecordAlreadyStored(getattr(record, self._key))

    def save(self, record: Any) -> None:
        self._rows[getattr(record, self._key)] = record
        self._uow.dirty = True


class _FakeCases(_FakeTable):
    def in_status(self, statuses: Iterable[CaseStatus], limit: int = 100) -> list[RegistrationCase]:
        wanted = set(statuses)
        found = [c for c in self._rows.values() if c.status in wanted]
        return sorted(found, key=lambda c: (c.registered_at, c.case_id))[:limit]


class _FakeVacancies(_FakeTable):
    def add(self, record: Any) -> bool:  # type: ignore[override]
        return self._add(record)

    def open_vacancies(self) -> list[Vacancy]:
        return sorted((v for v in self._rows.values() if v.open), key=lambda v: v.registered_at)


class _FakeOffers(_FakeTable):
    def of_person(self, iin: str) -> list[Offer]:
        return sorted((o for o in self._rows.values() if o.iin == iin), key=lambda o: o.offer_id)

    def unanswered_by(self, moment: datetime, limit: int = 100) -> list[Offer]:
        due = [o for o in self._rows.values() if o.answer is None and o.answer_due < moment]
        return sorted(due, key=lambda o: o.answer_due)[:limit]


class _FakeDeregistrations(_FakeTable):
    def of_person(self, iin: str, statuses: Iterable[DeregistrationStatus]) -> list[DeregistrationCase]:
        wanted = set(statuses)
        return [c for c in self._rows.values() if c.iin == iin and c.status in wanted]


class _FakeCertificates(_FakeTable):
    def of_person(self, iin: str) -> list[CertificateRecord]:
        found = [c for c in self._rows.values() if c.iin == iin]
        return sorted(found, key=lambda c: (c.received_at, c.application_id))


class _FakeDispatches(_FakeTable):
    def add(self, record: Any) -> bool:  # type: ignore[override]
        return self._add(record)

    def pending(self, limit: int = 50) -> list[Dispatch]:
        waiting = [d for d in self._rows.values() if d.done_at is None and not d.set_aside]
        return sorted(waiting, key=lambda d: (d.created_at, d.dispatch_id))[:limit]

    def claim(self, dispatch_id: str, now: datetime, until: datetime) -> bool:
        claims: dict[str, datetime] = self._uow.table("claims")
        dispatch = self._rows.get(dispatch_id)
        if dispatch is None or dispatch.done_at is not None or dispatch.set_aside:
            return False
        if dispatch_id in claims and claims[dispatch_id] > now:
            return False
        claims[dispatch_id] = until
        self._uow.dirty = True
        return True

    def done(self, dispatch_id: str, at: datetime) -> None:
        self.save(replace(self._rows[dispatch_id], done_at=at))
        self._uow.table("claims").pop(dispatch_id, None)

    def failed(self, dispatch_id: str, error: str, *, set_aside: bool) -> None:
        current = self._rows[dispatch_id]
        self.save(replace(current, attempts=current.attempts + 1, last_error=error, set_aside=set_aside))
        self._uow.table("claims").pop(dispatch_id, None)


class FakeUnitOfWork:
    """All or nothing, like the real one: what was done inside ``with`` reaches ``db`` only on a clean exit."""

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.staged_applications: dict[str, StoredApplication] = {}
        self.staged_cards: dict[str, JobSeekerCard] = {}
        self.staged_reports: list[tuple[str, StageReport]] = []
        self.staged_transitions: list[TransitionRecord] = []
        self._tables: dict[str, dict[str, Any]] = {}
        self.dirty = False

    def table(self, name: str) -> dict[str, Any]:
        """This transaction's copy of a register table (written back on commit)."""
        if name not in self._tables:
            self._tables[name] = dict(getattr(self.db, name))
        return self._tables[name]

    @property
    def applications(self) -> _FakeApplications:
        return _FakeApplications(self)

    @property
    def job_seekers(self) -> _FakeJobSeekers:
        return _FakeJobSeekers(self)

    @property
    def register(self) -> _FakeRegister:
        return _FakeRegister(self)

    @property
    def cases(self) -> _FakeCases:
        return _FakeCases(self, "cases", "case_id")

    @property
    def vacancies(self) -> _FakeVacancies:
        return _FakeVacancies(self, "vacancies", "vacancy_id")

    @property
    def offers(self) -> _FakeOffers:
        return _FakeOffers(self, "offers", "offer_id")

    @property
    def deregistrations(self) -> _FakeDeregistrations:
        return _FakeDeregistrations(self, "deregistrations", "request_id")

    @property
    def certificates(self) -> _FakeCertificates:
        return _FakeCertificates(self, "certificates", "application_id")

    @property
    def dispatches(self) -> _FakeDispatches:
        return _FakeDispatches(self, "dispatches", "dispatch_id")

    def report_stage(self, report: StageReport, *, key: str | None = None) -> None:
        self.staged_reports.append((key or f"{report.application_id}/{report.stage.value}", report))

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        wrote = self.staged_applications or self.staged_cards or self.staged_reports or self.staged_transitions
        if exc_type is None and (wrote or self.dirty):
            self.db.applications.update(self.staged_applications)
            self.db.job_seekers.update(self.staged_cards)
            for key, report in self.staged_reports:
                if key not in self.db.stage_report_keys:
                    self.db.stage_report_keys.add(key)
                    self.db.stage_reports.append(report)
            self.db.transitions.extend(self.staged_transitions)
            for name, rows in self._tables.items():
                setattr(self.db, name, rows)
            self.db.commits += 1


def fake_unit_of_work(db: FakeDatabase) -> Callable[[], FakeUnitOfWork]:
    return lambda: FakeUnitOfWork(db)


@dataclass
class FakeRegisterDocuments:
    """Unsigned stand-ins of the register's documents that name what they say (for tests without a PKI)."""

    issued: list[str] = field(default_factory=list)

    def _issue(self, document: str) -> str:
        self.issued.append(document)
        return document

    def draft_unemployed_decision(self, package: UnemployedDraft) -> str:
        draft = package.draft
        rules = ",".join(r.rule_id for r in draft.reasons)
        return self._issue(f"<draft case='{draft.case_id}' on='{draft.drafted_on}' refuse='{rules}'/>")

    def unemployed_notice(self, notice: UnemployedNotice) -> str:
        if notice.registered:
            return self._issue(
                f"<annex4 case='{notice.case_id}' registeredOn='{notice.registered_on}' "
                f"issuedOn='{notice.issued_on}' validUntil='{notice.certificate_valid_until}'/>"
            )
        rules = ",".join(rule for rule, _ in notice.reasons)
        return self._issue(f"<annex5 case='{notice.case_id}' issuedOn='{notice.issued_on}' rules='{rules}'/>")

    def certificate(self, certificate: CertificateDocument) -> str:
        if certificate.valid_until is not None:
            return self._issue(
                f"<annex8 application='{certificate.application_id}' issuedOn='{certificate.issued_on}' "
                f"validUntil='{certificate.valid_until}'/>"
            )
        rules = ",".join(rule for rule, _ in certificate.reasons)
        return self._issue(f"<certificateRefusal application='{certificate.application_id}' rules='{rules}'/>")

    def deregistration_notice(self, notice: DeregistrationNotice) -> str:
        return self._issue(
            f"<deregistrationNotice request='{notice.request_id}' on='{notice.deregistered_on}' "
            f"rule='{notice.rule_id}' barredUntil='{notice.reregistration_barred_until}'/>"
        )


@dataclass
class FakeLocalAuthority:
    """Receives packages and requests like the authority's system: idempotent by case / request id; its
    decision is due 1 working day later (here: the next day at 18:30 of the receipt's zone, enough for the
    tests that read it back)."""

    now: Callable[[], datetime]
    packages: dict[str, UnemployedDocumentsPackage] = field(default_factory=dict)
    requests: dict[str, DeregistrationRequest] = field(default_factory=dict)
    sends: int = 0
    down: bool = False
    refuse: bool = False

    def _receipt(self, reference: str) -> AuthorityReceipt:
        self.sends += 1
        if self.down:
            raise ExternalSystemUnavailable("the local authority", "down (fake)")
        if self.refuse:
            raise PortRefused("the local authority refused the message (fake)")
        at = self.now()
        due = (at + timedelta(days=1)).replace(hour=18, minute=30, second=0, microsecond=0)
        return AuthorityReceipt(reference, f"MIO-{reference}", at, due)

    def send_unemployed_documents(self, package: UnemployedDocumentsPackage) -> AuthorityReceipt:
        receipt = self._receipt(package.case_id)
        self.packages.setdefault(package.case_id, package)
        return receipt

    def send_deregistration(self, request: DeregistrationRequest) -> AuthorityReceipt:
        receipt = self._receipt(request.request_id)
        self.requests.setdefault(request.request_id, request)
        return receipt


@dataclass
class FakeCabinet:
    delivered: dict[str, CabinetDelivery] = field(default_factory=dict)
    down: bool = False

    def deliver(self, delivery: CabinetDelivery) -> None:
        if self.down:
            raise ExternalSystemUnavailable("the portal", "down (fake)")
        self.delivered.setdefault(delivery.delivery_id, delivery)


@dataclass
class FakeFund:
    told: dict[str, UnemployedStatusChange] = field(default_factory=dict)

    def notify(self, change: UnemployedStatusChange) -> None:
        self.told.setdefault(change.notice_id, change)


@dataclass
class FakePaymentFund:
    """The fund's regional workstation: registers an application id once (a repeat answers the same receipt),
    with the deadline of the service 8 days on (enough for the tests that read it back)."""

    now: Callable[[], datetime]
    received: dict[str, JobLossPaymentApplication] = field(default_factory=dict)
    receipts: dict[str, PaymentApplicationReceipt] = field(default_factory=dict)
    sends: int = 0
    down: bool = False

    def apply(self, application: JobLossPaymentApplication) -> PaymentApplicationReceipt:
        self.sends += 1
        if self.down:
            raise ExternalSystemUnavailable("the State Social Insurance Fund", "down (fake)")
        if application.application_id not in self.receipts:
            self.received[application.application_id] = application
            at = self.now()
            number = f"GFSS-2026-{len(self.receipts) + 1:06d}"
            self.receipts[application.application_id] = PaymentApplicationReceipt(
                application.application_id, number, at, at + timedelta(days=8)
            )
        return self.receipts[application.application_id]


@dataclass
class FakePreRegistrations:
    """The rural assistant's pre-registrations (JS-13) in memory; each write "commits" its stage reports into
    ``db.stage_reports``, as the SQL store queues them in the centre's outbox."""

    db: FakeDatabase
    stored: dict[str, PreRegistration] = field(default_factory=dict)

    def get(self, pre_registration_id: str) -> PreRegistration | None:
        return self.stored.get(pre_registration_id)

    def add(self, pre: PreRegistration, reports: Sequence[StageReport]) -> None:
        if pre.pre_registration_id in self.stored:
            raise PreRegistrationAlreadyStored(pre.pre_registration_id)
        self.stored[pre.pre_registration_id] = pre
        self.db.stage_reports.extend(reports)

    def save(self, pre: PreRegistration, reports: Sequence[StageReport]) -> None:
        self.stored[pre.pre_registration_id] = pre
        self.db.stage_reports.extend(reports)

    def awaiting_documents(self) -> list[PreRegistration]:
        waiting = [p for p in self.stored.values() if p.state.value == "PRE_REGISTERED" and not p.documents_received_at]
        return sorted(waiting, key=lambda p: (p.documents_due, p.pre_registration_id))


# ---- the local employment authority's ports (mocks.local_authority.service_layer.ports) ----------------------


@dataclass
class FakeStateSystems:
    """The person registry and the fund as the local authority asks them: ``people`` by IIN (absent: unknown to
    the registry), ``insurance`` by IIN; ``down`` makes every question fail as a system that does not answer."""

    people: dict[str, RegistryFacts] = field(default_factory=dict)
    insurance_by_iin: dict[str, InsuranceFacts] = field(default_factory=dict)
    down: bool = False
    asked: list[tuple[str, str]] = field(default_factory=list)

    def person(self, iin: str, correlation_id: str | None) -> RegistryFacts | None:
        self.asked.append(("registry", iin))
        if self.down:
            raise StateSystemUnavailable("the person registry", "down (fake)")
        return self.people.get(iin)

    def insurance(self, iin: str, since: date, until: date, correlation_id: str | None) -> InsuranceFacts:
        self.asked.append(("fund", iin))
        if self.down:
            raise StateSystemUnavailable("the State Social Insurance Fund", "down (fake)")
        return self.insurance_by_iin.get(iin, InsuranceFacts())


@dataclass
class FakeDecisionSigner:
    """An unsigned stand-in of the head's decision that names what it decides."""

    signed: list[str] = field(default_factory=list)

    def sign(
        self,
        case: AuthorityCase,
        decision_id: str,
        outcome: AuthorityOutcome,
        reasons: Sequence[AuthorityReason],
        decided_on: date,
        registered_on: date | None,
    ) -> str:
        rules = ",".join(reason.rule_id for reason in reasons)
        document = f"<decision id='{decision_id}' case='{case.case_id}' outcome='{outcome}' rules='{rules}'/>"
        self.signed.append(document)
        return document
