"""The district department's API (SP-1, regulation 004 §5): a tester acts as each role, or watches them act in mode
``auto``. Under ``/admin``, so the admin token guards it (ecosystem/admin_guard.py)::

    GET  /admin/mode                                   {"mode": "auto"|"manual", "configured": ...}
    POST /admin/mode {"mode": "manual"}                 kept in the store
    POST /admin/department/applications                 the clerk registers a paper application (SP-1 (1))
    GET  /admin/department/applications?status=        applications with their current step and its deadline
    GET  /admin/department/applications/{id}           one application, its decision (schedule) and notices
    POST /admin/department/applications/{id}/assign {"executor": "..."}     the head (SP-1 (2))
    POST /admin/department/applications/{id}/examine                      the executor drafts from the facts
    POST /admin/department/applications/{id}/refuse {"ruleId": "PE-5 (1)", "text": "..."}   PE-5
    POST /admin/department/applications/{id}/sign                         the head (SP-1 (4))
    POST /admin/department/applications/{id}/hand-over                    the clerk (SP-1 (5))
    POST /admin/department/run                         act now on what is due (mode auto)
    POST /admin/payments/{iin}/events {"event": "death", "on": "2026-05-03"}   Art. 119 (PE-7)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from contracts.job_loss_payment_model import (
    Applicant,
    AttachedDocument,
    Channel,
    DocumentKind,
    PaymentApplication,
    PaymentDecision,
    ScheduledMonth,
    Sex,
)
from kernel.iin import is_valid_iin
from mocks.social_fund.adapters.step_worker import StepWorker
from mocks.social_fund.domain.steps import step_deadline
from mocks.social_fund.domain.termination import Event
from mocks.social_fund.service_layer.ports import (
    Application,
    ApplicationConflict,
    InvalidGround,
    Mode,
    StateSystemUnavailable,
    Status,
    UnknownApplication,
    WrongStep,
)
from mocks.social_fund.service_layer.services import FundServices, Receive
from mocks.social_fund.service_layer.stops import PaymentStops

CLERK = "the department's clerk"


class ModeChange(BaseModel):
    mode: Mode


class PaperDocument(BaseModel):
    kind: DocumentKind
    number: str = Field(min_length=1, max_length=64)
    issuedOn: date
    validUntil: date | None = None
    holderIin: str = Field(pattern=r"^\d{12}$")


class PaperApplication(BaseModel):
    """What the clerk types from the paper application (the applicant signed it, with consent, SP-1 (1))."""

    applicationId: str = Field(pattern=r"^[A-Za-z0-9._:-]{1,64}$")
    iin: str = Field(pattern=r"^\d{12}$")
    surname: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=100)
    patronymic: str | None = Field(default=None, max_length=100)
    birthDate: date
    sex: Sex
    documents: list[PaperDocument] = Field(max_length=20)
    bankAccount: str = Field(pattern=r"^KZ[0-9A-Z]{18}$")
    consent: bool


class Executor(BaseModel):
    executor: str = Field(min_length=1, max_length=200)


class Refusal(BaseModel):
    ruleId: str = Field(max_length=16, description="PE-5 (1), PE-5 (2) or PE-5 (3)")
    text: str = Field(min_length=1, max_length=4000)


class PaymentEvent(BaseModel):
    event: Event
    on: date = Field(description="the day of the event, or the day the information arrived (suspension)")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def schedule_json(schedule: tuple[ScheduledMonth, ...]) -> list[dict[str, str]]:
    return [
        {"from": m.start.isoformat(), "to": m.end.isoformat(), "gross": f"{m.gross:.2f}", "net": f"{m.net:.2f}"}
        for m in schedule
    ]


def decision_json(decision: PaymentDecision | None) -> dict[str, Any] | None:
    if decision is None:
        return None
    payment = decision.payment
    return {
        "decisionId": decision.decision_id,
        "outcome": decision.outcome.value,
        "decidedOn": decision.decided_on.isoformat(),
        "grounds": [{"ruleId": g.rule_id, "article": g.article, "text": g.text} for g in decision.grounds],
        "payment": None
        if payment is None
        else {
            "rightArose": payment.right_arose.isoformat(),
            "participationMonths": payment.participation_months,
            "countedParticipationMonths": payment.counted_participation_months,
            "averageMonthlyIncome": str(payment.average_monthly_income),
            "replacementCoefficient": str(payment.replacement_coefficient),
            "participationCoefficient": str(payment.participation_coefficient),
            "gross": f"{payment.gross:.2f}",
            "pensionContribution": f"{payment.pension_contribution:.2f}",
            "net": f"{payment.net:.2f}",
            "schedule": schedule_json(payment.schedule),
            "pensionAgeDay": payment.pension_age_day.isoformat() if payment.pension_age_day else None,
        },
    }


def application_json(services: FundServices, found: Application, *, full: bool = False) -> dict[str, Any]:
    step = found.step
    shown: dict[str, Any] = {
        "applicationId": found.application_id,
        "registrationNumber": found.registration_number,
        "channel": found.channel.value,
        "iin": found.iin,
        "fullName": found.application.applicant.full_name,
        "status": found.status.value,
        "stage": found.stage,
        "stageAt": found.stage_at.isoformat(),
        "deadline": found.deadline.isoformat(),
        "step": None
        if step is None
        else {
            "name": step.name,
            "role": step.role.value,
            "started": _iso(found.step_started),
            "deadline": _iso(step_deadline(step, found.step_started, services.calendar))
            if found.step_started
            else None,
            "actsAt": _iso(found.act_at),
        },
        "executor": found.executor,
        "attempts": found.attempts,
        "lastError": found.last_error,
    }
    if full:
        shown |= {
            "decision": decision_json(found.draft),
            "signedDecision": found.signed_decision,
            "notices": [
                {
                    "noticeId": n.notice.notice_id,
                    "kind": n.notice.kind.value,
                    "ruleId": n.notice.ground.rule_id,
                    "article": n.notice.ground.article,
                    "ground": n.notice.ground.text,
                    "effectiveFrom": n.notice.effective_from.isoformat(),
                    "schedule": schedule_json(n.notice.schedule),
                    "signed": n.signed,
                }
                for n in services.store.notices(found.application_id)
            ],
        }
    return shown


def _translate(call: Callable[[], Application]) -> Application:
    try:
        return call()
    except UnknownApplication as exc:
        raise HTTPException(404, str(exc)) from exc
    except WrongStep as exc:
        raise HTTPException(409, str(exc)) from exc
    except (InvalidGround, ApplicationConflict) as exc:
        raise HTTPException(422, str(exc)) from exc
    except StateSystemUnavailable as exc:
        raise HTTPException(503, f"{exc.system} did not answer; try again") from exc


def department_router(
    services: FundServices, stops: PaymentStops, worker: StepWorker, wake: Callable[[], None]
) -> APIRouter:
    router = APIRouter(prefix="/admin", tags=["social fund department"])
    base = "/department/applications"

    def mode_json() -> dict[str, Any]:
        return {"mode": services.mode().value, "configured": services.configured_mode.value}

    @router.get("/mode")
    def mode() -> dict[str, Any]:
        return mode_json()

    @router.post("/mode")
    def change_mode(change: ModeChange) -> dict[str, Any]:
        services.set_mode(change.mode)
        wake()
        return mode_json()

    @router.post(base, status_code=201)
    def register(body: PaperApplication) -> dict[str, Any]:
        if not is_valid_iin(body.iin):
            raise HTTPException(422, f"iin {body.iin} is not a valid IIN (check digit)")
        value = PaymentApplication(
            application_id=body.applicationId,
            submitted_at=services.now(),
            channel=Channel.DEPARTMENT,
            applicant=Applicant(body.iin, body.surname, body.name, body.patronymic, body.birthDate, body.sex),
            documents=tuple(
                AttachedDocument(d.kind, d.number, d.issuedOn, d.validUntil, d.holderIin) for d in body.documents
            ),
            bank_account=body.bankAccount,
            consent=body.consent,
        )
        stored = _translate(lambda: services.receive(Receive(value, "GFSS", CLERK, None, "paper application"))[0])
        wake()
        return application_json(services, stored, full=True)

    @router.get(base)
    def listed(status: Status | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict[str, Any]]:
        return [application_json(services, found) for found in services.store.applications(status, limit)]

    @router.get(base + "/{application_id}")
    def one(application_id: str) -> dict[str, Any]:
        found = services.store.get(application_id)
        if found is None:
            raise HTTPException(404, f"no application {application_id}")
        return application_json(services, found, full=True)

    def acted(call: Callable[[], Application]) -> dict[str, Any]:
        result = _translate(call)
        wake()
        return application_json(services, result, full=True)

    @router.post(base + "/{application_id}/assign")
    def assign(application_id: str, body: Executor) -> dict[str, Any]:
        return acted(lambda: services.assign_executor(application_id, body.executor))

    @router.post(base + "/{application_id}/examine")
    def examine(application_id: str) -> dict[str, Any]:
        return acted(lambda: services.examine(application_id))

    @router.post(base + "/{application_id}/refuse")
    def refuse(application_id: str, body: Refusal) -> dict[str, Any]:
        return acted(lambda: services.refuse_to_assign(application_id, body.ruleId, body.text))

    @router.post(base + "/{application_id}/sign")
    def sign(application_id: str) -> dict[str, Any]:
        return acted(lambda: services.sign(application_id))

    @router.post(base + "/{application_id}/hand-over")
    def hand_over(application_id: str) -> dict[str, Any]:
        return acted(lambda: services.hand_over(application_id))

    @router.post("/department/run")
    def run() -> dict[str, Any]:
        return worker.run_once().as_json() | {"mode": services.mode().value}

    @router.post("/payments/{iin}/events")
    def event(iin: str, body: PaymentEvent) -> dict[str, Any]:
        issued = stops.stop(iin, body.event, body.on)
        if issued is None:
            raise HTTPException(404, f"no payment of {iin} runs after {body.on} for Art. 119 to stop")
        wake()
        return {
            "noticeId": issued.notice.notice_id,
            "kind": issued.notice.kind.value,
            "effectiveFrom": issued.notice.effective_from.isoformat(),
            "schedule": schedule_json(issued.notice.schedule),
        }

    return router
