"""The authority's use cases: receive the centre's documents and complaints, decide, answer.

- :meth:`AuthorityServices.receive_case`: UN-1 / DR-1: the case is stored once per id with its deadline (UN-2:
  1 working day, §32; DR-1: 2 working days, §44) and its ``ACCEPTED`` stage; a repeated sending answers the
  same receipt.
- :meth:`AuthorityServices.decide_automatically`: mode ``auto``: the official verifies the data in the state
  systems (§32) and signs the centre's draft unless a ground of UN-4 appears (then refuses on it), or removes
  the person from the register unless the information is not confirmed (DR-1, DR-2).
- :meth:`AuthorityServices.approve` / :meth:`AuthorityServices.reject`: mode ``manual``, a tester as the head.
- :meth:`AuthorityServices.receive_complaint` / :meth:`AuthorityServices.answer_complaint`: AP-1 (§46-47).

Every decision is signed (the head's EDS), stored, queued for delivery to the centre and reported to the
monitoring IS (``RESULT_ISSUED`` or ``REFUSED``) in one transaction of the store.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from kernel.clock import almaty
from kernel.working_calendar import WorkingCalendar
from mocks.local_authority.domain import terms
from mocks.local_authority.domain.models import (
    Addressee,
    Case,
    CaseKind,
    CaseStatus,
    Complaint,
    ComplaintStatus,
    DecidedBy,
    Decision,
    DecisionMode,
    DeregistrationInfo,
    Outcome,
    Reason,
    Receipt,
    RegistrationDraft,
    StageReport,
)
from mocks.local_authority.domain.verification import (
    deregistration_not_confirmed,
    deregistration_reason,
    registration_grounds,
)
from mocks.local_authority.service_layer.ports import (
    CaseConflict,
    CaseStore,
    DecisionSigner,
    InvalidGround,
    NotPending,
    StateSystems,
    UnknownCase,
)

# Grounds of UN-4 a head may refuse registration on (Rules No. 259 §34 sub.1-5; (6) Social Code Art. 99 p.3 sub.6).
REGISTRATION_GROUNDS = frozenset(f"UN-4 ({n})" for n in range(1, 7))
COMPLAINT_SERVICE_TYPE = "COMPLAINT"
# The authorised body for assessing and controlling the quality of state services (Rules No. 259 §47).
QUALITY_ASSESSMENT_BODY = "Агентство Республики Казахстан по делам государственной службы"


@dataclass(frozen=True)
class ReceiveCase:
    case_id: str
    kind: CaseKind
    subject: RegistrationDraft | DeregistrationInfo
    correlation_id: str | None
    sender_id: str
    signed_by: str
    document: str


@dataclass(frozen=True)
class ReceiveComplaint:
    complaint_id: str
    complainant_iin: str
    complainant_name: str
    addressee: Addressee
    subject: str
    text: str
    contested_application_id: str | None
    correlation_id: str | None
    sender_id: str
    signed_by: str | None


@dataclass(frozen=True)
class AuthorityServices:
    store: CaseStore
    state_systems: StateSystems
    signer: DecisionSigner
    calendar: WorkingCalendar
    now: Callable[[], datetime]
    decision_delay: timedelta
    configured_mode: DecisionMode

    # ---- the mode ------------------------------------------------------------------------------------

    def mode(self) -> DecisionMode:
        return self.store.mode() or self.configured_mode

    def set_mode(self, mode: DecisionMode) -> DecisionMode:
        self.store.set_mode(mode)
        return mode

    # ---- receiving ---------------------------------------------------------------------------------------

    def receive_case(self, command: ReceiveCase) -> Receipt:
        """UN-1 / DR-1: store the case once, with its deadline, and report it ``ACCEPTED``."""
        if isinstance(command.subject, RegistrationDraft):
            foreign = [r.rule_id for r in command.subject.proposed_reasons if r.rule_id not in REGISTRATION_GROUNDS]
            if foreign:
                raise InvalidGround(
                    f"the draft refuses on {', '.join(foreign)}: registration as unemployed is refused on the grounds "
                    f"of UN-4 only ({', '.join(sorted(REGISTRATION_GROUNDS))}; Rules No. 259 §34)"
                )
        now = self.now()
        deadline = terms.decision_deadline(command.kind, now, self.calendar)
        case = Case(
            case_id=command.case_id,
            kind=command.kind,
            subject=command.subject,
            correlation_id=command.correlation_id,
            sender_id=command.sender_id,
            signed_by=command.signed_by,
            document=command.document,
            received_at=now,
            deadline=deadline,
            decide_after=terms.auto_decision_due(now, self.decision_delay, self.calendar),
        )
        stored = self.store.add_case(case, [self._accepted(case)])
        if stored.kind is not case.kind or stored.iin != case.iin:
            raise CaseConflict(
                f"case {case.case_id} was received before as a {stored.kind} case of another person or kind; "
                "send these documents under a new case id"
            )
        return self.receipt(stored)

    def receipt(self, case: Case) -> Receipt:
        return Receipt(
            case.kind.value, case.case_id, case.received_at, case.deadline, terms.decision_term_rule(case.kind)
        )

    def _accepted(self, case: Case) -> StageReport:
        return StageReport(
            application_id=case.application_id,
            service_type=case.kind.service_type,
            stage="ACCEPTED",
            at=case.received_at,
            deadline=case.deadline,
            is_positive=None,
            correlation_id=case.correlation_id,
            rule_id=terms.decision_term_rule(case.kind),
        )

    # ---- deciding ----------------------------------------------------------------------------------------

    def decide_automatically(self, case_id: str) -> Decision | None:
        """The configured official's decision (mode ``auto``); None when the case is not pending any more.
        Raises :class:`StateSystemUnavailable` when the verification could not be made (nothing decided)."""
        case = self._pending(case_id)
        today = self._today()
        person = case.subject.person
        registry = self.state_systems.person(person.iin, case.correlation_id)
        if isinstance(case.subject, RegistrationDraft):
            insurance = self.state_systems.insurance(person.iin, today.replace(day=1), today, case.correlation_id)
            grounds = registration_grounds(person, registry, insurance, today, case.subject.proposed_reasons)
            outcome = Outcome.REFUSED if grounds else Outcome.REGISTERED
            return self._decide(case, outcome, grounds, DecidedBy.AUTO)
        info = case.subject
        insurance = self.state_systems.insurance(person.iin, info.unemployed_since, today, case.correlation_id)
        not_confirmed = deregistration_not_confirmed(info, registry, insurance, today)
        if not_confirmed is not None:
            return self._decide(case, Outcome.REFUSED, (not_confirmed,), DecidedBy.AUTO)
        return self._decide(case, Outcome.DEREGISTERED, (deregistration_reason(info),), DecidedBy.AUTO)

    def approve(self, case_id: str) -> Decision:
        """The head signs what the centre sent: the draft as proposed (UN-2), or the removal (DR-2)."""
        case = self._pending(case_id)
        if isinstance(case.subject, RegistrationDraft):
            draft = case.subject
            decision = self._decide(case, draft.proposed, draft.proposed_reasons, DecidedBy.MANUAL)
        else:
            decision = self._decide(
                case, Outcome.DEREGISTERED, (deregistration_reason(case.subject),), DecidedBy.MANUAL
            )
        if decision is None:
            raise NotPending(f"case {case_id} was decided meanwhile")
        return decision

    def reject(self, case_id: str, rule_id: str | None, text: str) -> Decision:
        """The head refuses: registration on a ground of UN-4 (``rule_id`` required), deregistration because the
        information is not confirmed (the case's own DR-1 ground)."""
        case = self._pending(case_id)
        if not text.strip():
            raise InvalidGround("say why: the refusal states its ground in words")
        if isinstance(case.subject, RegistrationDraft):
            if rule_id not in REGISTRATION_GROUNDS:
                raise InvalidGround(
                    f"registration as unemployed is refused on a ground of UN-4: one of {sorted(REGISTRATION_GROUNDS)}"
                )
            reason = Reason(rule_id, text.strip())
        else:
            own = case.subject.rule_id
            if rule_id not in (None, own):
                raise InvalidGround(f"case {case_id} asks for removal on {own}; a rejection is given on that ground")
            reason = Reason(own, f"Not confirmed: {text.strip()}")
        decision = self._decide(case, Outcome.REFUSED, (reason,), DecidedBy.MANUAL)
        if decision is None:
            raise NotPending(f"case {case_id} was decided meanwhile")
        return decision

    def _decide(self, case: Case, outcome: Outcome, reasons: tuple[Reason, ...], by: DecidedBy) -> Decision | None:
        now = self.now()
        decided_on = now.astimezone(almaty()).date()
        registered_on = decided_on if outcome is Outcome.REGISTERED else None
        decision_id = f"MIO-{uuid.uuid4().hex[:24]}"
        document = self.signer.sign(case, decision_id, outcome, reasons, decided_on, registered_on)
        decision = Decision(decision_id, outcome, reasons, now, decided_on, registered_on, by, document)
        stage = "REFUSED" if outcome is Outcome.REFUSED else "RESULT_ISSUED"
        report = StageReport(
            application_id=case.application_id,
            service_type=case.kind.service_type,
            stage=stage,
            at=now,
            deadline=case.deadline,
            is_positive=outcome is not Outcome.REFUSED,
            correlation_id=case.correlation_id,
            refuse_reason="; ".join(reason.text for reason in reasons) if outcome is Outcome.REFUSED else None,
            rule_id=reasons[0].rule_id if reasons else terms.decision_term_rule(case.kind),
        )
        if not self.store.record_decision(case.case_id, decision, [report]):
            return None
        return decision

    def _pending(self, case_id: str) -> Case:
        case = self.store.case(case_id)
        if case is None:
            raise UnknownCase(f"no case {case_id}")
        if case.status is not CaseStatus.PENDING:
            raise NotPending(f"case {case_id} is decided already ({case.decision.outcome if case.decision else ''})")
        return case

    def _today(self) -> date:
        return self.now().astimezone(almaty()).date()

    def put_off(self, case_id: str, error: str, attempts: int) -> datetime:
        """Try the automatic decision again later: 10 s doubling per attempt, at most 10 minutes."""
        delay = min(timedelta(seconds=10) * (2 ** min(attempts, 10)), timedelta(minutes=10))
        next_attempt = self.now() + delay
        self.store.put_off(case_id, error, next_attempt)
        return next_attempt

    # ---- complaints (AP-1) -------------------------------------------------------------------------------

    def receive_complaint(self, command: ReceiveComplaint) -> Receipt:
        """Register the complaint with its term: 5 working days (§46) or 15 (§47) from registration."""
        now = self.now()
        complaint = Complaint(
            complaint_id=command.complaint_id,
            complainant_iin=command.complainant_iin,
            complainant_name=command.complainant_name,
            addressee=command.addressee,
            subject=command.subject,
            text=command.text,
            contested_application_id=command.contested_application_id,
            correlation_id=command.correlation_id,
            sender_id=command.sender_id,
            signed_by=command.signed_by,
            received_at=now,
            deadline=terms.complaint_deadline(command.addressee, now, self.calendar),
        )
        report = self._complaint_stage(complaint, "ACCEPTED", now, None)
        stored = self.store.add_complaint(complaint, [report])
        if stored.complainant_iin != complaint.complainant_iin:
            raise CaseConflict(f"complaint {complaint.complaint_id} was registered before for another complainant")
        return self.complaint_receipt(stored)

    def complaint_receipt(self, complaint: Complaint) -> Receipt:
        return Receipt("complaint", complaint.complaint_id, complaint.received_at, complaint.deadline, "AP-1")

    def answer_complaint(self, complaint_id: str, answer: str, upheld: bool) -> Complaint:
        complaint = self.store.complaint(complaint_id)
        if complaint is None:
            raise UnknownCase(f"no complaint {complaint_id}")
        if complaint.status is not ComplaintStatus.REGISTERED:
            raise NotPending(f"complaint {complaint_id} is answered already")
        if not answer.strip():
            raise InvalidGround("the answer to a complaint says something")
        now = self.now()
        report = self._complaint_stage(complaint, "RESULT_ISSUED", now, upheld)
        if not self.store.record_answer(complaint_id, answer.strip(), upheld, now, [report]):
            raise NotPending(f"complaint {complaint_id} was answered meanwhile")
        return replace(
            complaint, status=ComplaintStatus.ANSWERED, answer=answer.strip(), upheld=upheld, answered_at=now
        )

    def _complaint_stage(self, complaint: Complaint, stage: str, at: datetime, upheld: bool | None) -> StageReport:
        return StageReport(
            application_id=complaint.application_id,
            service_type=COMPLAINT_SERVICE_TYPE,
            stage=stage,
            at=at,
            deadline=complaint.deadline,
            is_positive=upheld,
            correlation_id=complaint.correlation_id,
            executor_org=QUALITY_ASSESSMENT_BODY if complaint.addressee is Addressee.QUALITY_ASSESSMENT else None,
            rule_id="AP-1",
        )
