"""Composition root and HTTP entrypoints of the State Corporation system: ``create_app(settings)``.

The operator workstation (regulation 004 §7-8; docs/channels.md#the-state-corporation):

- ``POST /api/operator/login`` ``{iin, password}``: a bearer token for the operator (401 on a mismatch);
- ``POST /api/operator/person-lookup`` ``{applicantIin}``: SP-2, the person registry asked through the gateway;
  200 found, 404 "data cannot be obtained" (the request stops), 422 wrong IIN, 502 registry unreachable;
- ``POST /api/operator/registrations``: JS-12, the job-seeker registration: SP-2 lookup, the form signed with the
  operator's EDS, ``ENBEK_JobSeekerRegistration`` through the gateway, the director-signed result kept on the
  case. 201 with the case (``DONE``, or ``FAILED`` / ``REJECTED``), 404 with the case when ``STOPPED`` (SP-2),
  403 for an operator not allowed to register, 422 for a request the State Corporation does not accept;
- ``GET /api/operator/cases``, ``GET /api/operator/cases/{caseId}``: the cases of the operator's branch, each
  with the journal of its steps and the signed result;
- ``POST /api/operator/cases/{caseId}/resend``: send a ``FAILED`` case's signed request again;
- ``/api/operator/payment-cases...``: the job-loss payment application (SP-2, SP-3), in
  :mod:`mocks.state_corp.payment_routes`.

Every route but login needs ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse

from adapters.person_registry import PersonRegistryClient
from adapters.pki import Credential
from adapters.shep.service_call import SyncSender
from ecosystem.app import create_system_app
from ecosystem.catalogue import system
from ecosystem.context import system_context
from ecosystem.settings import Settings
from mocks.state_corp.operators import (
    PERSON_LOOKUP,
    LoginRefusedError,
    NotAuthenticatedError,
    OperationNotAllowedError,
    Operator,
    OperatorDesk,
)
from mocks.state_corp.payment_cases import OperatorPaymentApplications
from mocks.state_corp.payment_results import FundVerifier
from mocks.state_corp.payment_routes import add_payment_routes
from mocks.state_corp.refusals import refusals_as_http
from mocks.state_corp.registration import (
    CaseStatus,
    OperatorRegistrations,
    RegistryFinder,
)
from mocks.state_corp.schemas import (
    Authorization,
    CaseOut,
    CaseStep,
    LoginAnswer,
    LoginRequest,
    LookupFailed,
    OperatorOut,
    PersonFound,
    PersonLookupRequest,
    PersonNotFound,
    Refused,
    RegistrationRequest,
)
from mocks.state_corp.service import (
    InvalidIinError,
    PersonLookupService,
    RegistryLookup,
    RegistryUnavailableError,
)
from mocks.state_corp.storage import CaseRow, StateCorpStore


def create_app(settings: Settings) -> FastAPI:
    context = system_context(settings, "state_corp")
    store = StateCorpStore.at(settings.database_for("state_corp"))
    desk = OperatorDesk(store, context.now)
    desk.seed()

    def registry() -> PersonRegistryClient:
        return PersonRegistryClient(context.sync_client(), context.identity.sender_id, context.now)  # GK_IIS

    def lookup_registry() -> RegistryLookup:
        client: RegistryLookup = registry()
        return client

    def finder() -> RegistryFinder:
        client: RegistryFinder = registry()
        return client

    def sender() -> SyncSender:
        client: SyncSender = context.sync_client()
        return client

    def credential_of(role: str) -> Credential:
        return context.layout.load_credential(context.layout.official(role))

    lookups = PersonLookupService(lookup_registry)
    registrations = OperatorRegistrations(
        store,
        registry=finder,
        sender=sender,
        credential_of=credential_of,
        trust=context.trust,
        centre_bin=system("employment").bin,
        now=context.now,
    )
    payments = OperatorPaymentApplications(
        store,
        registry=finder,
        sender=sender,
        credential_of=credential_of,
        verifier=FundVerifier(context.trust, system("social_fund").bin),
        now=context.now,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            store.dispose()

    app = create_system_app(
        context,
        title="State Corporation system",
        databases={"state_corp": store.engine},
        description="Operator workstation: login, person lookup in the person registry through the gateway "
        "(SP-2), job-seeker registration signed by the operator (JS-12), the job-loss payment application and "
        "its result (SP-2, SP-3), the cases and their results.",
        lifespan=lifespan,
    )

    def operator_of(authorization: str | None) -> Operator:
        try:
            return desk.operator_for(authorization)
        except NotAuthenticatedError as exc:
            raise HTTPException(401, str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc

    @app.post("/api/operator/login", response_model=LoginAnswer, responses={401: {"model": Refused}})
    def login(request: LoginRequest) -> LoginAnswer:
        try:
            token, operator, expires = desk.login(request.iin.strip(), request.password)
        except LoginRefusedError as exc:
            raise HTTPException(401, str(exc)) from exc
        return LoginAnswer(token=token, expiresAt=expires.isoformat(), operator=_operator_out(operator))

    @app.post(
        "/api/operator/person-lookup",
        response_model=PersonFound,
        responses={
            401: {"model": Refused},
            403: {"model": Refused},
            404: {"model": PersonNotFound},
            422: {"model": LookupFailed},
            502: {"model": LookupFailed},
        },
    )
    def person_lookup(request: PersonLookupRequest, authorization: Authorization = None) -> PersonFound | JSONResponse:
        operator = operator_of(authorization)
        if request.operatorIin is not None and request.operatorIin.strip() != operator.iin:
            raise HTTPException(403, f"logged in as operator {operator.iin}, not {request.operatorIin.strip()}")
        try:
            operator.require(PERSON_LOOKUP)
            outcome = lookups.lookup(operator.iin, request.applicantIin.strip())
        except OperationNotAllowedError as exc:
            raise HTTPException(403, str(exc)) from exc
        except InvalidIinError as exc:
            return JSONResponse(LookupFailed(detail=str(exc)).model_dump(), status_code=422)
        except RegistryUnavailableError as exc:
            failed = LookupFailed(detail=str(exc), correlationId=exc.correlation_id)
            return JSONResponse(failed.model_dump(), status_code=502)
        if outcome.person is None:
            message = outcome.not_found_message(request.applicantIin.strip())
            missing = PersonNotFound(message=message, correlationId=outcome.correlation_id)
            return JSONResponse(missing.model_dump(), status_code=404)
        return PersonFound(person=outcome.person, correlationId=outcome.correlation_id)

    @app.post(
        "/api/operator/registrations",
        status_code=201,
        response_model=CaseOut,
        responses={401: {"model": Refused}, 403: {"model": Refused}, 404: {"model": CaseOut}, 422: {"model": Refused}},
    )
    def register(request: RegistrationRequest, authorization: Authorization = None) -> JSONResponse:
        operator = operator_of(authorization)
        with refusals_as_http():
            case = registrations.register(
                operator, request.applicantIin.strip(), request.applicantConsent, request.form
            )
        status = 404 if case.status == CaseStatus.STOPPED.value else 201
        return JSONResponse(_case_out(store, case).model_dump(), status_code=status)

    @app.get("/api/operator/cases", response_model=list[CaseOut])
    def cases(authorization: Authorization = None) -> list[CaseOut]:
        operator = operator_of(authorization)
        return [_case_out(store, case) for case in store.cases_of(operator.iin)]

    @app.get("/api/operator/cases/{case_id}", response_model=CaseOut, responses={404: {"model": Refused}})
    def case(case_id: str, authorization: Authorization = None) -> CaseOut:
        operator = operator_of(authorization)
        with refusals_as_http():
            return _case_out(store, registrations.case_of(operator, case_id))

    @app.post("/api/operator/cases/{case_id}/resend", response_model=CaseOut, responses={409: {"model": Refused}})
    def resend(case_id: str, authorization: Authorization = None) -> CaseOut:
        operator = operator_of(authorization)
        with refusals_as_http():
            resent = registrations.resend(operator, case_id)
        return _case_out(store, resent)

    add_payment_routes(app, store, payments, operator_of)
    return app


def _operator_out(operator: Operator) -> OperatorOut:
    return OperatorOut(
        iin=operator.iin,
        fullName=operator.full_name,
        branch=operator.branch,
        services=list(operator.services),
        canSign=operator.official_role is not None,
    )


def _case_out(store: StateCorpStore, case: CaseRow) -> CaseOut:
    return CaseOut(
        caseId=case.case_id,
        service=case.service,
        status=case.status,
        operatorIin=case.operator_iin,
        applicantIin=case.applicant_iin,
        createdAt=case.created_at.isoformat(),
        updatedAt=case.updated_at.isoformat(),
        person=case.person,
        resultKind=case.result_kind,
        registeredOn=case.registered_on,
        reasons=case.reasons or [],
        signedBy=case.signed_by,
        resultDocument=case.result_document,
        signedRequest=case.signed_form,
        errorCode=case.error_code,
        errorMessage=case.error_message,
        steps=[CaseStep(at=s.at.isoformat(), step=s.step, detail=s.detail) for s in store.steps(case.case_id)],
    )
