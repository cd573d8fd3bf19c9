"""The fund's use cases on the job-loss payment: receive, check, the SP-1 steps, decide, notify (regulation 004;
Social Code Arts. 113-119).

- :meth:`FundServices.receive`: the regional workstation (SP-3 process 6) or the clerk (SP-1 (1)) registers the
  application once per id (a repeated sending answers the same receipt) with the service's deadline; the
  department checks the documents at once (SP-3 cond. 2, SP-6 cond. 3: PE-4 (2), (3), (5)) and on violations the
  head signs the refusal to accept (stage ``REFUSED``); otherwise the application waits for the head (SP-1 (2)).
- :meth:`assign_executor` (head, SP-1 (2)), :meth:`examine` (executor, SP-1 (3): the facts from the fund's records,
  SP-7 asked of the employment centre, the payments the fund assigned; then
  :func:`mocks.social_fund.domain.decision.decide`), :meth:`refuse_to_assign` (executor, PE-5), :meth:`sign` (head,
  SP-1 (4)), :meth:`hand_over` (clerk, SP-1 (5): ``RESULT_ISSUED``, the notification to the cabinet except on the
  State Corporation's channel, where the operator pulls it with ``GFSS_JobLossPaymentResult``).
- :meth:`act_automatically`: mode ``auto``, the role of the current step acts.
- Art. 119 (PE-7), the payment suspended or terminated: :mod:`mocks.social_fund.service_layer.stops`.

Every stage is reported to the monitoring IS (service ``JOB_LOSS_PAYMENT``) with the service's deadline.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from contracts.job_loss_payment_model import (
    AssignedPayment,
    Channel,
    Ground,
    Outcome,
    PaymentApplication,
    PaymentDecision,
    ScheduledMonth,
    Sex,
)
from kernel.clock import almaty
from kernel.working_calendar import WorkingCalendar
from mocks.social_fund.domain import documents as checks
from mocks.social_fund.domain.decision import decide
from mocks.social_fund.domain.models import Assignment, Claim, PaymentMonth
from mocks.social_fund.domain.steps import RULE_ID, Step, acts_at, registered_at, service_deadline
from mocks.social_fund.service_layer.ports import (
    Application,
    ApplicationConflict,
    ApplicationStore,
    CabinetItem,
    ContributionRecords,
    InvalidGround,
    Mode,
    Payment,
    PaymentStatus,
    Population,
    Signer,
    StageReport,
    Status,
    UnemployedRegister,
    UnknownApplication,
    WrongStep,
)

DECISION_KIND = "job-loss-payment-decision"
NOTICE_KIND = "job-loss-payment-notice"
AUTO_EXECUTOR = "the department's executor (auto)"


@dataclass(frozen=True)
class Receive:
    application: PaymentApplication
    sender_id: str
    signed_by: str
    correlation_id: str | None
    document: str


def person_of(application: PaymentApplication) -> checks.Person:
    applicant = application.applicant
    return checks.Person(
        applicant.iin,
        applicant.surname,
        applicant.name,
        applicant.patronymic,
        applicant.birth_date,
        male=applicant.sex is Sex.MALE,
    )


def _ground(ground: checks.Ground) -> Ground:
    return Ground(ground.rule_id, ground.article, ground.text)


def scheduled_months(schedule: tuple[PaymentMonth, ...]) -> tuple[ScheduledMonth, ...]:
    return tuple(ScheduledMonth(month.start, month.end, month.gross, month.net) for month in schedule)


@dataclass(frozen=True)
class FundServices:
    store: ApplicationStore
    population: Population
    contributions: ContributionRecords
    register: UnemployedRegister
    signer: Signer
    calendar: WorkingCalendar
    now: Callable[[], datetime]
    configured_mode: Mode
    examination_delay: timedelta | None = None

    # ---- the mode ------------------------------------------------------------------------------------

    def mode(self) -> Mode:
        return self.store.mode() or self.configured_mode

    def set_mode(self, mode: Mode) -> Mode:
        self.store.set_mode(mode)
        return mode

    def _today(self) -> date:
        return self.now().astimezone(almaty()).date()

    def _day(self, at: datetime | None) -> date:
        return (at or self.now()).astimezone(almaty()).date()

    # ---- SP-1 (1), SP-3 process 6: registration and the document check -------------------------------

    def receive(self, command: Receive) -> tuple[Application, bool]:
        """Register the application once; (the stored application, whether it was stored before)."""
        stored = self.store.get(command.application.application_id)
        repeated = stored is not None
        if stored is None:
            record, reports, cabinet = self._registered(command)
            stored = self.store.add(record, reports, cabinet)
            repeated = stored.registration_number != record.registration_number
        if stored.iin != command.application.applicant.iin:
            raise ApplicationConflict(
                f"application {stored.application_id} was registered before for another person; use a new id"
            )
        return stored, repeated

    def _registered(self, command: Receive) -> tuple[Application, list[StageReport], list[CabinetItem]]:
        now = self.now()
        application = command.application
        registered = registered_at(now, self.calendar)
        deadline = service_deadline(now, self.calendar)
        record = Application(
            application=application,
            registration_number=f"GFSS-{registered:%Y%m%d}-{uuid.uuid4().hex[:8].upper()}",
            sender_id=command.sender_id,
            signed_by=command.signed_by,
            correlation_id=command.correlation_id,
            document=command.document,
            received_at=now,
            registered_at=registered,
            deadline=deadline,
            status=Status.IN_PROGRESS,
            step=Step.ASSIGNMENT,
            step_started=registered,
            act_at=acts_at(Step.ASSIGNMENT, registered, self.calendar),
            stage=Step.REGISTRATION.value,
            stage_at=registered,
        )
        reports = [stage_report(record, Step.REGISTRATION.value, registered)]
        # SP-3 cond. 2, SP-6 cond. 3: PE-4 (2), (3), (5) (Social Code Art. 115 p.1 sub.2, 3, 5).
        grounds = checks.document_grounds(
            person_of(application),
            [
                checks.Document(d.kind.value, d.number, d.issued_on, d.valid_until, d.holder_iin)
                for d in application.documents
            ],
            application.consent,
            self.population.person(application.applicant.iin),
            registered.astimezone(almaty()).date(),
            represented=application.representative is not None,
        )
        if not grounds:
            return record, reports, []
        refusal = tuple(_ground(g) for g in grounds)
        decision = self._decision(record, self._today(), Outcome.REFUSED_TO_ACCEPT, refusal, None)
        signed = self.signer.sign_decision(decision)
        refused = replace(
            record,
            status=Status.REFUSED,
            step=None,
            step_started=None,
            act_at=None,
            stage="REFUSED",
            stage_at=now,
            draft=decision,
            signed_decision=signed,
        )
        reports.append(
            stage_report(
                refused,
                "REFUSED",
                now,
                positive=False,
                rule_id=grounds[0].rule_id,
                reason="; ".join(g.text for g in grounds),
            )
        )
        return refused, reports, cabinet_items(refused, DECISION_KIND, decision.decision_id, signed)

    # ---- SP-1 (2)-(5) ----------------------------------------------------------------------------------

    def assign_executor(self, application_id: str, executor: str, at: datetime | None = None) -> Application:
        """SP-1 (2), 004 §5 (2): the head assigns the responsible executor (10 minutes). ``at``: when the role
        acted (now, or in mode auto the moment the step fell due: :meth:`act_automatically`)."""
        application = self._at(application_id, Step.ASSIGNMENT)
        if not executor.strip():
            raise InvalidGround("name the executor")
        return self._advance(application, Step.ASSIGNMENT, at, executor=executor.strip())

    def examine(self, application_id: str, at: datetime | None = None) -> Application:
        """SP-1 (3), 004 §5 (3): the executor examines the documents and drafts the notification from the facts
        (PE-1..PE-4, PE-6). Raises :class:`StateSystemUnavailable` when the centre does not answer SP-7."""
        application = self._at(application_id, Step.EXAMINATION)
        claim = self.claim(application)
        decided = decide(claim)
        on = self._day(at)
        if isinstance(decided, Assignment):
            draft = self._decision(application, on, Outcome.ASSIGNED, (), self._payment(claim.right_arose, decided))
        else:
            grounds = tuple(_ground(checks.decided_ground(g)) for g in decided.grounds)
            draft = self._decision(application, on, Outcome.REFUSED_TO_ACCEPT, grounds, None)
        return self._advance(application, Step.EXAMINATION, at, draft=draft)

    def refuse_to_assign(self, application_id: str, rule_id: str, text: str) -> Application:
        """PE-5 (Social Code Art. 115 p.2): the executor drafts a refusal to assign on the ground they found."""
        application = self._at(application_id, Step.EXAMINATION)
        try:
            ground = checks.executor_ground(rule_id, text)
        except checks.UnknownGround as exc:
            raise InvalidGround(str(exc)) from exc
        draft = self._decision(application, self._today(), Outcome.REFUSED_TO_ASSIGN, (_ground(ground),), None)
        return self._advance(application, Step.EXAMINATION, draft=draft)

    def sign(self, application_id: str, at: datetime | None = None) -> Application:
        """SP-1 (4), 004 §5 (4): the head signs the notification with their EDS (10 minutes)."""
        application = self._at(application_id, Step.SIGNING)
        if application.draft is None:
            raise WrongStep(f"application {application_id} has no draft to sign")
        signed = self.signer.sign_decision(application.draft)
        return self._advance(application, Step.SIGNING, at, signed_decision=signed)

    def hand_over(self, application_id: str, at: datetime | None = None) -> Application:
        """SP-1 (5), 004 §5 (5): the clerk registers the signed notification and hands it over (20 minutes):
        ``RESULT_ISSUED``; the payment assigned is recorded (PE-4 (1), Art. 118 p.5 read it later)."""
        application = self._at(application_id, Step.HANDOVER)
        draft, signed = application.draft, application.signed_decision
        if draft is None or signed is None:
            raise WrongStep(f"application {application_id} has no signed notification")
        payment = None
        if draft.payment is not None:
            payment = Payment(
                draft.decision_id, application_id, application.iin, draft.payment.right_arose, draft.payment.schedule
            )
        return self._advance(
            application,
            Step.HANDOVER,
            at,
            payment=payment,
            cabinet=cabinet_items(application, DECISION_KIND, draft.decision_id, signed),
        )

    def act_automatically(self, application_id: str) -> Application:
        """Mode ``auto``: the role of the current step acts (the head assigns the configured executor), at the
        moment the step fell due: when the shared clock was moved past several steps at once, each role acted in
        its turn and on time, and every stage carries the time it was reached (the next step counts from it)."""
        application = self._get(application_id)
        step = application.step
        now = self.now()
        at = min(now, application.act_at) if application.act_at is not None else now
        if step is Step.ASSIGNMENT:
            return self.assign_executor(application_id, AUTO_EXECUTOR, at)
        if step is Step.EXAMINATION:
            return self.examine(application_id, at)
        if step is Step.SIGNING:
            return self.sign(application_id, at)
        if step is Step.HANDOVER:
            return self.hand_over(application_id, at)
        raise WrongStep(f"application {application_id} is {application.status.value}")

    def put_off(self, application_id: str, error: str, attempts: int) -> datetime:
        """Try again later: 10 s doubling per attempt, at most 10 minutes."""
        next_attempt = self.now() + min(timedelta(seconds=10) * (2 ** min(attempts, 10)), timedelta(minutes=10))
        self.store.put_off(application_id, error, next_attempt)
        return next_attempt

    # ---- the facts of the claim ----------------------------------------------------------------------

    def claim(self, application: Application) -> Claim:
        """The facts the payment is decided on: the fund's records of contributions (PE-3, PE-4 (6)), the
        population data (birth date and sex, PE-6), SP-7 the registration as unemployed asked of the centre (PE-1:
        the right arose that day), the payments the fund assigned and the applications pending (PE-4 (1), Art. 118
        p.5)."""
        iin = application.iin
        applied_on = application.registered_at.astimezone(almaty()).date()
        person = self.population.person(iin) or person_of(application.application)
        registration = self.register.status(iin, applied_on, application.correlation_id)
        today = self._today()
        payments = [p for p in self.store.payments(iin) if p.application_id != application.application_id]
        pending = [i for i in self.store.in_progress(iin) if i != application.application_id]
        being_paid = any(
            p.status is not PaymentStatus.TERMINATED and p.schedule and p.schedule[-1].end >= applied_on
            for p in payments
        )
        paid_before = sum(1 for p in payments for month in p.schedule if month.start <= today)
        return Claim(
            male=person.male,
            birth_date=person.birth_date,
            right_arose=registration.registered_on or applied_on,
            applied_on=applied_on,
            registered_unemployed=registration.registered and registration.registered_on is not None,
            payment_assigned_or_pending=being_paid or bool(pending),
            months_paid_before=paid_before,
            contributions=self.contributions.received(iin),
        )

    # ---- helpers ---------------------------------------------------------------------------------------

    def _get(self, application_id: str) -> Application:
        application = self.store.get(application_id)
        if application is None:
            raise UnknownApplication(f"no application {application_id}")
        return application

    def _at(self, application_id: str, step: Step) -> Application:
        application = self._get(application_id)
        if application.step is not step:
            where = application.step.role if application.step else application.status.value
            raise WrongStep(
                f"application {application_id} waits for step {application.step or '-'} ({where}), not {step.name}"
            )
        return application

    def _advance(
        self,
        application: Application,
        step: Step,
        at: datetime | None = None,
        *,
        payment: Payment | None = None,
        cabinet: list[CabinetItem] | None = None,
        **changes: object,
    ) -> Application:
        now = at or self.now()
        following = step.next
        moved = replace(
            application,
            step=following,
            step_started=now if following else None,
            act_at=acts_at(following, now, self.calendar, self.examination_delay) if following else None,
            stage=step.value,
            stage_at=now,
            status=Status.ISSUED if following is None else Status.IN_PROGRESS,
            attempts=0,
            last_error=None,
            **changes,  # type: ignore[arg-type]
        )
        positive = None
        if following is None and moved.draft is not None:
            positive = moved.draft.outcome is Outcome.ASSIGNED
        report = stage_report(moved, step.value, now, positive=positive)
        if not self.store.save(moved, step, [report], cabinet or [], payment):
            raise WrongStep(f"application {application.application_id} was moved on meanwhile")
        return moved

    def _decision(
        self,
        application: Application,
        decided_on: date,
        outcome: Outcome,
        grounds: tuple[Ground, ...],
        payment: AssignedPayment | None,
    ) -> PaymentDecision:
        return PaymentDecision(
            decision_id=f"GFSS-D-{uuid.uuid4().hex[:20]}",
            application_id=application.application_id,
            registration_number=application.registration_number,
            decided_on=decided_on,
            outcome=outcome,
            applicant_iin=application.iin,
            applicant_name=application.application.applicant.full_name,
            issuer=self.signer.issuer,
            grounds=grounds,
            payment=payment,
        )

    @staticmethod
    def _payment(right_arose: date, assignment: Assignment) -> AssignedPayment:
        amount = assignment.amount
        return AssignedPayment(
            right_arose=right_arose,
            participation_months=assignment.participation,
            counted_participation_months=assignment.counted_participation,
            average_monthly_income=amount.average_monthly_income,
            replacement_coefficient=amount.replacement_coefficient,
            participation_coefficient=amount.participation_coefficient,
            gross=amount.gross,
            pension_contribution=amount.pension_contribution,
            net=amount.net,
            schedule=scheduled_months(assignment.schedule),
            pension_age_day=assignment.pension_age_day,
        )


def stage_report(
    application: Application,
    stage: str,
    at: datetime,
    *,
    positive: bool | None = None,
    rule_id: str = RULE_ID,
    reason: str | None = None,
) -> StageReport:
    """A stage of the application for the monitoring IS, with the service's deadline; a refusal names its grounds."""
    if positive is False and reason is None and application.draft is not None:
        reason = "; ".join(ground.text for ground in application.draft.grounds)
        rule_id = application.draft.grounds[0].rule_id if application.draft.grounds else rule_id
    return StageReport(
        application_id=application.application_id,
        stage=stage,
        at=at,
        deadline=application.deadline,
        channel=application.channel,
        rule_id=rule_id,
        correlation_id=application.correlation_id,
        is_positive=positive,
        refuse_reason=reason,
    )


def cabinet_items(application: Application, kind: str, number: str, signed: str) -> list[CabinetItem]:
    """SP-6: the result to the personal cabinet; on the State Corporation's channel the operator pulls it
    (SP-3, ``GFSS_JobLossPaymentResult``)."""
    if application.channel is Channel.STATE_CORPORATION:
        return []
    return [CabinetItem(application.iin, kind, number, signed, application.correlation_id)]
