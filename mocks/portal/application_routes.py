"""HTTP routes of the citizen's applications as the cabinet lists them (JS-10, CE-1, SP-4; CE-4), and the admin
view of one application:

- ``GET /api/cabinet/applications`` and ``GET /api/cabinet/applications/{id}`` (bearer token): each
  application of every service with its status, its result (verified when kept) or the plain words of its
  fault or delay, and the cabinet id of its result document;
- ``GET /admin/applications/{id}``: the stored application with the technical wording of its fault, its
  outbox message and the events of its delivery (correlation and message ids).

:func:`cabinet_application_out` and :func:`accepted_out` are the JSON of an application that the services'
routes answer with too.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from adapters.storage import Outbox
from mocks.portal.applications import SERVICE_TITLE, ApplicationNotFoundError, ApplicationView, JobSeekerApplications
from mocks.portal.cabinet import CabinetDocuments
from mocks.portal.certificates import SERVICE_TITLE as CERTIFICATE_TITLE
from mocks.portal.job_loss import SERVICE_TITLE as JOB_LOSS_TITLE
from mocks.portal.schemas import (
    AdminApplicationOut,
    ApplicationErrorOut,
    CabinetApplication,
    ErrorOut,
    ResultOut,
    SignedByOut,
    SubmissionAccepted,
)
from mocks.portal.sessions import CurrentCitizen
from mocks.portal.storage import (
    CERTIFICATE_SERVICE,
    DELIVERY_TOPIC,
    JOB_LOSS_SERVICE,
    JOB_SEEKER_SERVICE,
    SERVICE_TOPICS,
    PortalStore,
)

SERVICE_TITLES = {
    JOB_SEEKER_SERVICE: SERVICE_TITLE,
    CERTIFICATE_SERVICE: CERTIFICATE_TITLE,
    JOB_LOSS_SERVICE: JOB_LOSS_TITLE,
}


def accepted_out(view: ApplicationView) -> SubmissionAccepted:
    """The 202 of an application stored and queued for delivery."""
    return SubmissionAccepted(
        applicationId=view.application_id, status=view.status_label, submittedAt=view.submitted_at.isoformat()
    )


def cabinet_application_out(
    view: ApplicationView, result_documents: dict[str, str] | None = None
) -> CabinetApplication:
    """One application as the cabinet shows it; ``result_documents`` maps an application to its result's id."""
    result = None
    if view.result is not None:
        signer = view.result.signed_by
        result = ResultOut(
            kind=view.result.kind,
            documentXml=view.result.document_xml,
            signatureVerified=True,
            signedBy=SignedByOut(commonName=signer.common_name, iin=signer.iin, bin=signer.bin),
        )
    error = ApplicationErrorOut(code=view.error.code, message=view.error.message) if view.error else None
    return CabinetApplication(
        applicationId=view.application_id,
        service=view.service,
        serviceTitle=SERVICE_TITLES.get(view.service, view.service),
        status=view.status_label,  # type: ignore[arg-type]
        submittedAt=view.submitted_at.isoformat(),
        finishedAt=view.finished_at.isoformat() if view.finished_at else None,
        result=result,
        error=error,
        notice=view.notice,
        registeredAddress=view.registered_address,
        resultDocumentId=(result_documents or {}).get(view.application_id) if view.result else None,
    )


def application_router(
    store: PortalStore, applications: JobSeekerApplications, cabinet: CabinetDocuments, outbox: Outbox
) -> APIRouter:
    router = APIRouter()

    @router.get("/api/cabinet/applications", response_model=list[CabinetApplication])
    def cabinet_applications(citizen: CurrentCitizen) -> list[CabinetApplication]:
        documents = _result_documents(cabinet, citizen.iin)
        return [cabinet_application_out(view, documents) for view in applications.cabinet(citizen.iin)]

    @router.get(
        "/api/cabinet/applications/{application_id}",
        response_model=CabinetApplication,
        responses={404: {"model": ErrorOut}},
    )
    def cabinet_entry(citizen: CurrentCitizen, application_id: str) -> CabinetApplication:
        try:
            view = applications.cabinet_entry(citizen.iin, application_id)
        except ApplicationNotFoundError as exc:
            raise HTTPException(404, str(exc)) from exc
        return cabinet_application_out(view, _result_documents(cabinet, citizen.iin))

    @router.get(
        "/admin/applications/{application_id}",
        response_model=AdminApplicationOut,
        responses={404: {"model": ErrorOut}},
        tags=["outbox"],
    )
    def admin_application(application_id: str) -> AdminApplicationOut:
        try:
            row = applications.application(application_id)
        except ApplicationNotFoundError as exc:
            raise HTTPException(404, str(exc)) from exc
        message = outbox.find(SERVICE_TOPICS.get(row.service, DELIVERY_TOPIC), application_id)
        events = store.events_of(application_id)
        request = next((event for event in reversed(events) if event.kind == "accepted"), None)
        return AdminApplicationOut(
            applicationId=row.id,
            iin=row.iin,
            status=row.status,
            submittedAt=row.submitted_at.isoformat(),
            finishedAt=row.finished_at.isoformat() if row.finished_at else None,
            errorCode=row.error_code,
            errorMessage=row.error_message,
            errorDetail=row.error_detail,
            resultKind=row.result_kind,
            delivery=message.as_json() if message else None,
            correlationId=request.correlation_id if request else None,
            requestMessageId=request.message_id if request else None,
            events=[
                {
                    "messageId": event.message_id,
                    "kind": event.kind,
                    "correlationId": event.correlation_id,
                    "text": event.text,
                    "at": event.at.isoformat(),
                }
                for event in events
            ],
        )

    return router


def _result_documents(cabinet: CabinetDocuments, iin: str) -> dict[str, str]:
    """application id -> the cabinet id of its result (the answer, not the applicant's own form)."""
    return {
        row.application_id: row.id
        for row in cabinet.documents_of(iin)
        if row.application_id and row.source == "application" and row.issuer_id != iin
    }
