"""HTTP entrypoints of the job-loss payment application at the State Corporation (SP-2, SP-3; regulation 004
§7-8; docs/channels.md#the-job-loss-payment-at-the-state-corporation):

- ``POST /api/operator/payment-cases``: SP-2, the application: 201 with the case ``REGISTERED`` (the fund's
  receipt), 404 with the case ``STOPPED`` (data cannot be obtained), 502 / 503 with the case ``FAILED`` or
  ``REJECTED`` (503: the registry, the gateway or the fund did not answer, send it again), 403 an operator not
  allowed, 422 an entry the State Corporation does not accept (nothing stored);
- ``GET /api/operator/payment-cases``, ``GET /api/operator/payment-cases/{caseId}``: the branch's cases;
- ``POST /api/operator/payment-cases/{caseId}/resend``: carry a ``FAILED`` case on (409 for any other);
- ``POST /api/operator/payment-cases/{caseId}/refresh``: SP-3, ask the fund for the result; 200 with the case
  (the stage, the verified decision and notices), 502 / 503 with the case when the fund's answer cannot be trusted
  or the fund cannot be reached, 409 for a case not registered by the fund.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse

from mocks.state_corp.operators import Operator
from mocks.state_corp.payment_cases import (
    UNREACHABLE,
    OperatorPaymentApplications,
    PaymentStatus,
    RefreshFailed,
)
from mocks.state_corp.payment_entry import EnteredDocument, EnteredRepresentative, PaymentEntry
from mocks.state_corp.refusals import refusals_as_http
from mocks.state_corp.schemas import (
    Authorization,
    CaseStep,
    DocumentIn,
    PaymentApplicationRequest,
    PaymentCaseOut,
    Refused,
)
from mocks.state_corp.storage import PaymentCaseRow, StateCorpStore

Authenticate = Callable[[str | None], Operator]
_CASE_ANSWERS: dict[int | str, dict[str, Any]] = {
    401: {"model": Refused},
    403: {"model": Refused},
    404: {"model": PaymentCaseOut},
    409: {"model": Refused},
    422: {"model": Refused},
    502: {"model": PaymentCaseOut},
    503: {"model": PaymentCaseOut},
}


def add_payment_routes(
    app: FastAPI, store: StateCorpStore, payments: OperatorPaymentApplications, operator_of: Authenticate
) -> None:
    def answered(case: PaymentCaseRow, ok: int) -> JSONResponse:
        return JSONResponse(payment_case_out(store, case).model_dump(), status_code=_http_status(case, ok))

    @app.post("/api/operator/payment-cases", status_code=201, response_model=PaymentCaseOut, responses=_CASE_ANSWERS)
    def apply(request: PaymentApplicationRequest, authorization: Authorization = None) -> JSONResponse:
        operator = operator_of(authorization)
        with refusals_as_http():
            case = payments.apply(operator, _entry(request))
        return answered(case, 201)

    @app.get("/api/operator/payment-cases", response_model=list[PaymentCaseOut])
    def cases(authorization: Authorization = None) -> list[PaymentCaseOut]:
        operator = operator_of(authorization)
        return [payment_case_out(store, case) for case in payments.cases_of(operator)]

    @app.get("/api/operator/payment-cases/{case_id}", response_model=PaymentCaseOut, responses=_CASE_ANSWERS)
    def case(case_id: str, authorization: Authorization = None) -> PaymentCaseOut:
        operator = operator_of(authorization)
        with refusals_as_http():
            return payment_case_out(store, payments.case_of(operator, case_id))

    @app.post("/api/operator/payment-cases/{case_id}/resend", response_model=PaymentCaseOut, responses=_CASE_ANSWERS)
    def resend(case_id: str, authorization: Authorization = None) -> JSONResponse:
        operator = operator_of(authorization)
        with refusals_as_http():
            resent = payments.resend(operator, case_id)
        return answered(resent, 200)

    @app.post("/api/operator/payment-cases/{case_id}/refresh", response_model=PaymentCaseOut, responses=_CASE_ANSWERS)
    def refresh(case_id: str, authorization: Authorization = None) -> JSONResponse:
        operator = operator_of(authorization)
        try:
            with refusals_as_http():
                refreshed = payments.refresh(operator, case_id)
        except RefreshFailed as exc:
            kept = payments.case_of(operator, case_id)
            return JSONResponse(payment_case_out(store, kept).model_dump(), status_code=503 if exc.unreachable else 502)
        return answered(refreshed, 200)


def _http_status(case: PaymentCaseRow, ok: int) -> int:
    """404 for SP-2's stop; 503 when nobody answered (the registry, the gateway or the fund: send again); 502 when
    the gateway or the fund refused or answered what cannot be kept; ``ok`` otherwise."""
    if case.status == PaymentStatus.STOPPED.value:
        return 404
    if case.status == PaymentStatus.FAILED.value and (case.error_code is None or case.error_code in UNREACHABLE):
        return 503
    if case.status in (PaymentStatus.FAILED.value, PaymentStatus.REJECTED.value):
        return 502
    return ok


def _document(value: DocumentIn) -> EnteredDocument:
    return EnteredDocument(value.number, value.issuedOn, value.validUntil)


def _entry(request: PaymentApplicationRequest) -> PaymentEntry:
    representative = request.representative
    return PaymentEntry(
        applicant_iin=request.applicantIin,
        identity_document=_document(request.identityDocument),
        unemployed_certificate=_document(request.unemployedCertificate),
        bank_account_document=_document(request.bankAccountDocument),
        iban=request.iban,
        consent=request.applicantConsent,
        representative=None
        if representative is None
        else EnteredRepresentative(
            representative.iin, representative.fullName, _document(representative.powerOfAttorney)
        ),
    )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def payment_case_out(store: StateCorpStore, case: PaymentCaseRow) -> PaymentCaseOut:
    return PaymentCaseOut(
        caseId=case.case_id,
        status=case.status,
        operatorIin=case.operator_iin,
        applicantIin=case.applicant_iin,
        createdAt=case.created_at.isoformat(),
        updatedAt=case.updated_at.isoformat(),
        entry=case.entry,
        person=case.person,
        registrationNumber=case.registration_number,
        registeredAt=_iso(case.registered_at),
        deadline=_iso(case.deadline),
        stage=case.stage,
        stageAt=_iso(case.stage_at),
        checkedAt=_iso(case.checked_at),
        decision=case.decision,
        decisionDocument=case.decision_document,
        notices=case.notices or [],
        signedRequest=case.signed_application,
        errorCode=case.error_code,
        errorMessage=case.error_message,
        steps=[CaseStep(at=s.at.isoformat(), step=s.step, detail=s.detail) for s in store.steps(case.case_id)],
    )
