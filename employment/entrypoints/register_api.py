"""The centre's own API for the register of the unemployed (JSON, under ``/admin/register``; the admin token
guards it when set). docs/register.md and docs/admin-apis.md describe it.

What the centre's staff (and a tester) do there, each a service-layer call: read a person's entry with its
history, offers and current case; report a vacancy (JS-9 offers it); enter the person's answer to an offer
(LM-5); enter the person's consent that the centre send the job-loss payment application (UN-5); report a
DR-1 ground (2)-(7) the centre established itself or a court reported (ground (1) comes from
the fund through ``ENBEK_RegisterEvent``); set and keep the schedule of visits (UN-7); and run the register's
time-driven step at once (the worker runs it by itself on the shared clock). No rule is applied here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, Literal, TypeVar

from fastapi import APIRouter, HTTPException
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from employment.adapters.record_codec import to_json
from employment.adapters.storage import EmploymentStore
from employment.domain.errors import ConflictingDecision, InvalidGroundFacts, InvalidPaymentConsent, NotInRegister
from employment.domain.rules.suitable_work import Vacancy
from employment.service_layer import deregistration, mediation, visits
from employment.service_layer.payment_consent import GivePaymentConsent, give_payment_consent
from employment.service_layer.ports import ExternalSystemUnavailable
from employment.service_layer.register import advance_register
from employment.service_layer.register_filing import RegisterServices

__all__ = ["register_router"]

_ID = r"^[A-Za-z0-9._:\-]{1,40}$"
_IIN = r"^\d{12}$"
T = TypeVar("T")


class VacancyIn(BaseModel):
    vacancyId: str = Field(pattern=_ID)
    employerBin: str = Field(pattern=_IIN)
    employerName: str = Field(min_length=1, max_length=200)
    profession: str = Field(min_length=1, max_length=200)
    region: str = Field(min_length=1, max_length=200)
    salary: Decimal = Field(gt=0, le=Decimal("100000000"))
    workSchedule: str | None = Field(default=None, max_length=200)


class OfferAnswerIn(BaseModel):
    accepted: bool


class GroundIn(BaseModel):
    eventId: str = Field(pattern=_ID)
    ground: int = Field(ge=2, le=7)
    source: Literal["centre", "court"] = "centre"
    facts: dict[str, str] = Field(default_factory=dict, max_length=20)


class PaymentConsentIn(BaseModel):
    consent: bool
    iban: str = Field(min_length=1, max_length=34)
    bankAgreementNumber: str = Field(min_length=1, max_length=64)
    bankAccountOpenedOn: date
    givenBy: str = Field(default="the person", min_length=1, max_length=200)


class ScheduleIn(BaseModel):
    days: list[date] = Field(max_length=100)


class VisitIn(BaseModel):
    day: date
    validReason: str | None = Field(default=None, max_length=500)


_FACT_KEY = re.compile(r"^[A-Za-z]{1,40}$")


def register_router(store: EmploymentStore, services: RegisterServices) -> APIRouter:
    router = APIRouter(prefix="/admin/register", tags=["register"])

    async def run(work: Callable[[], T]) -> T:
        try:
            return await run_in_threadpool(work)
        except ConflictingDecision as exc:
            raise HTTPException(409, str(exc)) from exc
        except (NotInRegister, InvalidGroundFacts, InvalidPaymentConsent) as exc:
            raise HTTPException(422, str(exc)) from exc
        except ExternalSystemUnavailable as exc:
            raise HTTPException(503, f"{exc.system} did not answer; nothing was stored, try again later") from exc

    @router.get("/people/{iin}")
    async def person(iin: str) -> dict[str, Any]:
        """The entry (state, since when, category, visits, the removal and its bar), the transitions oldest
        first, the offers made and the current registration case (its deadlines, the decision)."""
        entry = await run_in_threadpool(store.register_entry, iin)
        if entry is None:
            raise HTTPException(404, f"IIN {iin} is not in the register")

        def details() -> dict[str, Any]:
            with services.uow() as uow:
                case = uow.cases.get(entry.case_id)
                offers = uow.offers.of_person(iin)
            return {
                "entry": to_json(entry),
                "history": [to_json(record) for record in store.register_history(iin)],
                "offers": [to_json(offer) for offer in offers],
                "case": to_json(case) if case is not None else None,
            }

        return await run(details)

    @router.post("/vacancies", status_code=201)
    async def vacancy(body: VacancyIn) -> dict[str, Any]:
        """A vacancy for JS-9 (LM-2); 409 when its id is stored already."""
        stored = Vacancy(
            vacancy_id=body.vacancyId,
            employer_bin=body.employerBin,
            employer_name=body.employerName,
            profession=body.profession,
            region=body.region,
            salary=body.salary,
            work_schedule=body.workSchedule,
            registered_at=services.now(),
        )
        if not await run(lambda: mediation.add_vacancy(stored, services)):
            raise HTTPException(409, f"vacancy {body.vacancyId} is stored already")
        return to_json(stored)  # type: ignore[no-any-return]

    @router.post("/offers/{offer_id}/answer")
    async def answer(offer_id: str, body: OfferAnswerIn) -> dict[str, Any]:
        """LM-5: the person accepts or refuses the offer (an answer after its term counts as none)."""
        answered = await run(lambda: mediation.answer_offer(offer_id, body.accepted, services.now(), services))
        return {"offer": to_json(answered.offer), "state": answered.state.value}

    @router.post("/people/{iin}/grounds", status_code=201)
    async def ground(iin: str, body: GroundIn) -> dict[str, Any]:
        """A DR-1 ground (2)-(7) with its facts (docs/register.md); a court reports ground (5) only."""
        if body.source == "court" and body.ground != 5:
            raise HTTPException(422, "a court reports a sentence, DR-1 (5), only")
        bad = [key for key in body.facts if not _FACT_KEY.match(key) or len(body.facts[key]) > 500]
        if bad:
            raise HTTPException(422, f"facts are named by letters (at most 40) with values of at most 500: {bad}")
        command = deregistration.ReportDeregistrationGround(
            event_id=body.eventId,
            iin=iin,
            ground=body.ground,
            received_at=services.now(),
            source=body.source,
            facts=body.facts,
        )
        case = await run(lambda: deregistration.report_deregistration_ground(command, services))
        return to_json(case)  # type: ignore[no-any-return]

    @router.post("/people/{iin}/job-loss-payment-consent")
    async def payment_consent(iin: str, body: PaymentConsentIn) -> dict[str, Any]:
        """UN-5: the person consents that the centre send the job-loss payment application with this account;
        sent at once when the person is registered as unemployed, else with the registration (docs/register.md)."""
        if not re.match(_IIN, iin):
            raise HTTPException(422, f"{iin!r} is not an IIN (12 digits)")
        command = GivePaymentConsent(
            iin=iin,
            consent=body.consent,
            iban=body.iban.replace(" ", "").upper(),
            bank_agreement_number=body.bankAgreementNumber,
            bank_account_opened_on=body.bankAccountOpenedOn,
            given_at=services.now(),
            given_by=body.givenBy,
        )
        case = await run(lambda: give_payment_consent(command, services))
        return {"caseId": case.case_id, "status": case.status.value, "payment": to_json(case.payment)}

    @router.put("/people/{iin}/visits")
    async def schedule(iin: str, body: ScheduleIn) -> dict[str, Any]:
        """UN-7: the days of the schedule (visits attended or excused are kept)."""
        kept = await run(lambda: visits.schedule_visits(iin, body.days, services))
        return {"visits": [to_json(visit) for visit in kept]}

    @router.post("/people/{iin}/visits")
    async def visit(iin: str, body: VisitIn) -> dict[str, Any]:
        """UN-7: the person came for the visit of ``day``, or is excused for it (``validReason``)."""
        recorded = await run(lambda: visits.record_visit(iin, body.day, services, valid_reason=body.validReason))
        return to_json(recorded)  # type: ignore[no-any-return]

    @router.post("/advance")
    async def advance() -> dict[str, Any]:
        """Run the register's time-driven step now (JS-9, LM-5, UN-1, the dispatches) on the shared clock."""
        summary = await run(lambda: advance_register(services))
        return to_json(summary)  # type: ignore[no-any-return]

    return router
