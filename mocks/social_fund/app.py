"""Composition root of the State Social Insurance Fund mock: ``create_app(settings)``.

- ``/bip-sync/``: the SyncChannel provider of ``GFSS_ContributionsQuery``, ``GFSS_UnemployedStatus``,
  ``GFSS_JobLossPayment`` and ``GFSS_JobLossPaymentResult`` (docs/protocol.md, docs/social-fund.md), accepting only
  gateway-signed requests and signing its answers;
- the outbox worker: its duties are the SP-1 roles in mode ``auto`` (``step_worker``), the watch of the
  registered unemployed (DR-1 (1), ``register_watch``) on the shared clock, and the termination of payments whose
  recipient the employment centre removed from the register (Art. 119 p.2, ``stops``); it sends
  ``ENBEK_RegisterEvent`` to the employment centre, the head-signed notifications and notices to the cabinet
  (``EGOV_CabinetDocument``) and the stage reports to the monitoring IS;
- the department API (:mod:`mocks.social_fund.entrypoints.department`): ``/admin/mode``,
  ``/admin/department/...``, ``/admin/payments/{iin}/events``;
- ``GET /health``;
- ``GET /admin/contributions/{iin}``: every contribution the fund has received for a person by today;
- ``POST /admin/employment``: record a labour contract reported to the fund (its months give contributions);
- ``GET /admin/unemployed/{iin}``: what the fund holds of the person's unemployed status;
- ``POST /admin/register-watch``: run the DR-1 (1) watch now; ``/admin/outbox``: the fund's outbox.

The fund's participants are the synthetic population: the same population file the person registry holds
(:mod:`mocks.population_store`; whichever of the two starts first writes it, with ``settings.population_seed``
and ``settings.population_size``), so what the two say about someone agrees, and an operator's edit of the
file reaches both.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

from fastapi import FastAPI, HTTPException
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode
from adapters.shep.outbox_delivery import sync_delivery
from adapters.shep.spyne_provider import InboundMessage, ProviderError
from adapters.storage import OutboxWorker
from contracts.cabinet_delivery import CABINET_SERVICE_ID, read_cabinet_receipt
from contracts.cabinet_delivery import Issuer as CabinetIssuer
from contracts.gfss import SERVICE_ID as CONTRIBUTIONS_SERVICE_ID
from contracts.unemployment_status import EVENT_SERVICE_ID, STATUS_SERVICE_ID, read_receipt
from ecosystem.app import create_system_app
from ecosystem.catalogue import official, system
from ecosystem.context import system_context
from ecosystem.outbox_admin import outbox_router
from ecosystem.settings import Settings
from kernel.iin import is_valid_iin
from kernel.working_calendar import WorkingCalendar
from mocks.population import Employer
from mocks.population_store import PopulationStore
from mocks.social_fund.adapters.contributions_query import ContributionsQueryError, SocialFundService
from mocks.social_fund.adapters.delivery import CABINET_TOPIC, STAGE_REPORT_TOPIC, stage_report_delivery
from mocks.social_fund.adapters.fund_records import ContributionRecords, PopulationRecords
from mocks.social_fund.adapters.register_store import GROUND_REPORT_TOPIC, FundRegisterStore
from mocks.social_fund.adapters.register_watch import RegisterWatch
from mocks.social_fund.adapters.signing import HeadSigner
from mocks.social_fund.adapters.step_worker import StepWorker
from mocks.social_fund.adapters.storage import FundStore
from mocks.social_fund.adapters.unemployed_register import GatewayUnemployedRegister
from mocks.social_fund.entrypoints.department import department_router
from mocks.social_fund.entrypoints.job_loss_intake import JobLossIntake
from mocks.social_fund.entrypoints.status_notices import StatusNoticeError, StatusNotices
from mocks.social_fund.service_layer.ports import Mode
from mocks.social_fund.service_layer.services import FundServices
from mocks.social_fund.service_layer.stops import PaymentStops

SYSTEM = "social_fund"
HEAD = "fund-department-head"


class RecordedEmployment(BaseModel):
    """A labour contract reported to the fund: its months bring contributions from the 25th of the next month."""

    iin: str = Field(pattern=r"^\d{12}$")
    employerBin: str = Field(pattern=r"^\d{12}$")
    employerName: str = Field(min_length=1, max_length=255)
    start: date
    end: date | None = None
    monthlyIncome: int = Field(gt=0, le=100_000_000)


def create_app(settings: Settings) -> FastAPI:
    context = system_context(settings, SYSTEM)
    store = FundRegisterStore.at(settings.database_for(SYSTEM), context.now)
    people = PopulationStore.open(settings.data_dir, seed=settings.population_seed, size=settings.population_size)
    service = SocialFundService(
        people, now=context.now, max_bytes=settings.max_message_bytes, recorded=store.recorded_employment
    )
    head = official(HEAD)
    configured = settings.social_fund
    signer = HeadSigner(head, context.layout.load_credential(context.layout.official(head.role)))
    fund = FundStore(store.engine, store.outbox, context.now, CabinetIssuer(head.bin, head.organisation))
    services = FundServices(
        store=fund,
        population=PopulationRecords(people),
        contributions=ContributionRecords(service),
        register=GatewayUnemployedRegister(context.sync_client()),
        signer=signer,
        calendar=WorkingCalendar(),
        now=context.now,
        configured_mode=Mode(configured.mode),
        examination_delay=configured.examination_delay,
    )
    stops = PaymentStops(services, store)
    watch = RegisterWatch(store, lambda iin: service.contributions(iin)[1], service.as_of)
    steps = StepWorker(services, fund)
    worker = OutboxWorker(
        store.outbox,
        {
            GROUND_REPORT_TOPIC: sync_delivery(context.sync_client(), EVENT_SERVICE_ID, read_receipt),
            CABINET_TOPIC: sync_delivery(context.sync_client(), CABINET_SERVICE_ID, read_cabinet_receipt),
            STAGE_REPORT_TOPIC: stage_report_delivery(context.rest_client(), context.identity.organisation),
        },
        name="social-fund",
        poll_seconds=configured.poll_seconds,
        duties=[steps.run_once, watch, stops.terminate_deregistered],
        concurrency=settings.outbox_concurrency,
        lease=settings.outbox_lease,
    )
    fund.on_queued(worker.wake)
    notices = StatusNotices(store, now=context.now, max_bytes=settings.max_message_bytes, on_deregistered=worker.wake)
    intake = JobLossIntake(
        services=services,
        trust=context.trust,
        now=context.now,
        max_bytes=settings.max_message_bytes,
        state_corporation_bin=system("state_corp").bin,
        centre_bin=system("employment").bin,
    )

    def handler(message: InboundMessage) -> Payload:
        if intake.handles(message.info.service_id):
            return intake(message)
        try:
            if message.info.service_id == STATUS_SERVICE_ID:
                return notices.handle(message.payload)
            if message.info.service_id == CONTRIBUTIONS_SERVICE_ID:
                return service.handle(message.payload)
        except (ContributionsQueryError, StatusNoticeError) as exc:
            raise ProviderError(ErrorCode.MALFORMED, str(exc)) from exc
        raise ProviderError(ErrorCode.UNKNOWN_SERVICE, f"the fund does not serve {message.info.service_id}")

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        worker.start()
        try:
            yield
        finally:
            await run_in_threadpool(worker.stop)
            store.dispose()

    app = create_system_app(
        context,
        title="State Social Insurance Fund (GFSS)",
        databases={SYSTEM: store.engine},
        outboxes={SYSTEM: store.outbox},
        description="GFSS_ContributionsQuery, GFSS_UnemployedStatus, GFSS_JobLossPayment and GFSS_JobLossPaymentResult "
        "at /bip-sync/ (through the gateway); the department /admin/department, /admin/mode; admin "
        "/admin/contributions, /admin/employment, /admin/unemployed, /admin/payments",
        lifespan=lifespan,
    )
    app.mount("/bip-sync", context.sync_provider("SocialFund", handler))
    app.include_router(outbox_router(store.outbox, worker))
    app.include_router(department_router(services, stops, steps, worker.wake))

    @app.get("/admin/contributions/{iin}")
    def contributions(iin: str) -> dict[str, object]:
        found, received = service.contributions(iin)
        return {
            "iin": iin,
            "personFound": found,
            "asOf": service.as_of().isoformat(),
            "contributions": [
                {
                    "month": f"{item.month:%Y-%m}",
                    "employerBin": item.employer.bin,
                    "employerName": item.employer.name,
                    "income": f"{item.income:.2f}",
                    "amount": f"{item.amount:.2f}",
                    "paidOn": item.paid_on.isoformat(),
                }
                for item in received
            ],
        }

    @app.post("/admin/employment", status_code=201)
    def record_employment(body: RecordedEmployment) -> dict[str, object]:
        if not is_valid_iin(body.iin) or people.find(body.iin) is None:
            raise HTTPException(404, f"the fund has no participant with IIN {body.iin}")
        if body.end is not None and body.end < body.start:
            raise HTTPException(422, "end is before start")
        record_id = store.record_employment(
            body.iin, Employer(body.employerBin, body.employerName), body.start, body.end, body.monthlyIncome
        )
        return {"id": record_id, "iin": body.iin}

    @app.get("/admin/unemployed/{iin}")
    def unemployed(iin: str) -> dict[str, object]:
        entry = store.entry(iin)
        if entry is None:
            raise HTTPException(404, f"the fund holds no unemployed status for {iin}")
        return entry.as_json()

    @app.post("/admin/register-watch")
    def run_watch() -> dict[str, object]:
        queued = watch()
        if queued:
            worker.wake()
        return {"queued": queued}

    return app
