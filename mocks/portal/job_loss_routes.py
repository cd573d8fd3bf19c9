"""HTTP routes of the job-loss payment service (SP-4..SP-6; :mod:`mocks.portal.job_loss`), bearer token:

- ``GET  /api/services/job-loss-payment/prefill``: what the portal fills in (the applicant as it knows them,
  their identity document, the cabinet's certificate of registration as unemployed);
- ``POST /api/services/job-loss-payment``: the form (:class:`JobLossApplicationRequest`); 202 "In progress",
  or 422 (the form; an SP-5 refusal, its body naming the failed ``check``), 403 (no EDS key; not in one's
  own name), 413 (a copy too large), 503 (the NCA cannot be asked: nothing sent unchecked);
- ``GET  /api/services/job-loss-payment/{id}``: the application, the fund's receipt, the decision and the
  notices (JSON); the cabinet's HTML of each at ``/cabinet/documents/{documentId}.html``;
- ``GET  /admin/job-loss-payment/refusals?iin=&limit=`` (admin, no token): the journal of SP-5 refusals,
  newest first — the only trace a refused request leaves besides the portal's log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse

from adapters.xml import XmlRejected, parse_xml
from contracts import job_loss_payment as jl
from contracts.errors import PayloadError
from kernel.clock import almaty
from mocks.portal.application_routes import accepted_out
from mocks.portal.applications import (
    ApplicationNotFoundError,
    ApplicationView,
    FormRejectedError,
    FormTooLargeError,
    NoSigningKeyError,
)
from mocks.portal.cabinet import CabinetDocuments
from mocks.portal.cabinet_routes import html_url
from mocks.portal.job_loss import JobLossApplications, NotOwnApplicationError
from mocks.portal.job_loss_form import FormFacts, applicant_of, identity_document_of
from mocks.portal.job_loss_schemas import (
    DecisionOut,
    DocumentIn,
    DocumentOut,
    GroundOut,
    JobLossApplicationOut,
    JobLossApplicationRequest,
    MonthOut,
    NoticeOut,
    PaymentOut,
    PrefillOut,
    RefusalOut,
)
from mocks.portal.job_loss_store import JobLossStore
from mocks.portal.schemas import IIN_PATTERN, ErrorOut, SubmissionAccepted
from mocks.portal.sessions import CurrentCitizen
from mocks.portal.signing_check import NcaUnavailableError, SigningCertificateRefused
from mocks.portal.storage import ApplicationRow, CabinetDocumentRow

PATH = "/api/services/job-loss-payment"


def _document_out(kind: str, document: DocumentIn | jl.AttachedDocument) -> DocumentOut:
    if isinstance(document, DocumentIn):
        number, issued, until, digest = document.number, document.issuedOn, document.validUntil, None
    else:
        number, issued, until, digest = document.number, document.issued_on, document.valid_until, document.copy_sha256
    return DocumentOut(
        kind=kind,
        number=number,
        issuedOn=issued.isoformat(),
        validUntil=until.isoformat() if until else None,
        copySha256=digest,
    )


def _ground(ground: jl.Ground) -> GroundOut:
    return GroundOut(ruleId=ground.rule_id, article=ground.article, text=ground.text)


def _months(schedule: tuple[jl.ScheduledMonth, ...]) -> list[MonthOut]:
    return [
        MonthOut(start=m.start.isoformat(), end=m.end.isoformat(), gross=f"{m.gross:.2f}", net=f"{m.net:.2f}")
        for m in schedule
    ]


def _payment(payment: jl.AssignedPayment | None) -> PaymentOut | None:
    if payment is None:
        return None
    return PaymentOut(
        rightArose=payment.right_arose.isoformat(),
        participationMonths=payment.participation_months,
        countedParticipationMonths=payment.counted_participation_months,
        averageMonthlyIncome=f"{payment.average_monthly_income:.2f}",
        replacementCoefficient=str(payment.replacement_coefficient),
        participationCoefficient=str(payment.participation_coefficient),
        gross=f"{payment.gross:.2f}",
        pensionContribution=f"{payment.pension_contribution:.2f}",
        net=f"{payment.net:.2f}",
        schedule=_months(payment.schedule),
        pensionAgeDay=payment.pension_age_day.isoformat() if payment.pension_age_day else None,
    )


class JobLossView:
    """The JSON of one application with its result, read from what the portal kept (verified when kept)."""

    def __init__(self, receipts: JobLossStore, cabinet: CabinetDocuments, max_bytes: int) -> None:
        self._receipts = receipts
        self._cabinet = cabinet
        self._max_bytes = max_bytes

    def of(self, row: ApplicationRow, view: ApplicationView) -> JobLossApplicationOut:
        """``view`` is what the cabinet shows of ``row`` (its status and notice: the receipt, or a delay)."""
        application = jl.read_application(parse_xml(row.signed_form or "", max_bytes=self._max_bytes))
        receipt = self._receipts.receipt(row.id)
        documents = self._cabinet.documents_of(row.iin)
        decision_row = next(
            (d for d in documents if d.kind == jl.DECISION_DOCUMENT_KIND and d.application_id == row.id), None
        )
        decision = self._decision(row, decision_row)
        notices = self._notices(documents, decision.decisionId if decision else None)
        return JobLossApplicationOut(
            applicationId=row.id,
            status=view.status_label,
            submittedAt=row.submitted_at.isoformat(),
            finishedAt=row.finished_at.isoformat() if row.finished_at else None,
            bankAccount=application.bank_account,
            documents=[_document_out(d.kind.value, d) for d in application.documents],
            registrationNumber=receipt.registration_number if receipt else None,
            registeredAt=receipt.registered_at.isoformat() if receipt else None,
            deadline=receipt.deadline.isoformat() if receipt else None,
            notice=view.notice,
            errorCode=row.error_code,
            errorMessage=row.error_message,
            decision=decision,
            notices=notices,
        )

    def _decision(self, row: ApplicationRow, kept: CabinetDocumentRow | None) -> DecisionOut | None:
        text = kept.document if kept else row.result_document
        if not text or (row.result_kind is None and kept is None):
            return None
        decision = jl.read_decision(parse_xml(text, max_bytes=self._max_bytes))
        return DecisionOut(
            decisionId=decision.decision_id,
            decidedOn=decision.decided_on.isoformat(),
            outcome=decision.outcome.value,
            grounds=[_ground(g) for g in decision.grounds],
            payment=_payment(decision.payment),
            signedBy=f"{decision.issuer.signer_name}, {decision.issuer.signer_position} ({decision.issuer.bin})",
            documentId=kept.id if kept else None,
            htmlUrl=html_url(kept.id) if kept else None,
        )

    def _notices(self, documents: list[CabinetDocumentRow], decision_id: str | None) -> list[NoticeOut]:
        found: list[NoticeOut] = []
        for kept in documents:
            if decision_id is None or kept.kind != jl.NOTICE_DOCUMENT_KIND:
                continue
            notice = jl.read_notice(parse_xml(kept.document, max_bytes=self._max_bytes))
            if notice.decision_id != decision_id:
                continue
            found.append(
                NoticeOut(
                    noticeId=notice.notice_id,
                    kind=notice.kind.value,
                    ground=_ground(notice.ground),
                    effectiveFrom=notice.effective_from.isoformat(),
                    issuedOn=notice.issued_on.isoformat(),
                    schedule=_months(notice.schedule),
                    documentId=kept.id,
                    htmlUrl=html_url(kept.id),
                )
            )
        return found


def _refused(status: int, message: str, check: str | None = None) -> JSONResponse:
    body: dict[str, str] = {"detail": message}
    if check is not None:
        body |= {"rule": "SP-5", "check": check}
    return JSONResponse(body, status_code=status)


def job_loss_router(
    applications: JobLossApplications,
    cabinet_entry: Callable[[str, str], ApplicationView],
    facts: FormFacts,
    view: JobLossView,
    now: Callable[[], datetime],
) -> APIRouter:
    """The routes of the module docstring; ``cabinet_entry(iin, id)`` is the cabinet's view of an application."""
    router = APIRouter(tags=["job-loss payment"])
    errors: dict[int | str, dict[str, Any]] = {code: {"model": ErrorOut} for code in (401, 403, 404, 413, 422, 503)}

    @router.get(f"{PATH}/prefill", response_model=PrefillOut, responses=errors)
    def prefill(citizen: CurrentCitizen) -> PrefillOut:
        """SP-4: the applicant as the portal knows them, and the documents it can fill in."""
        person = facts.person(citizen.iin)
        if person is None:
            raise HTTPException(404, f"the portal knows no person with IIN {citizen.iin}")
        try:
            applicant = applicant_of(person)
        except FormRejectedError as exc:
            raise HTTPException(422, str(exc)) from exc
        certificate = facts.cabinet_certificate(citizen.iin, now().astimezone(almaty()).date())
        return PrefillOut(
            iin=applicant.iin,
            surname=applicant.surname,
            name=applicant.name,
            patronymic=applicant.patronymic,
            birthDate=applicant.birth_date.isoformat(),
            sex=applicant.sex.value,
            identityDocument=_document_out(jl.DocumentKind.IDENTITY_DOCUMENT.value, identity_document_of(person)),
            unemployedCertificate=(
                _document_out(jl.DocumentKind.UNEMPLOYED_CERTIFICATE.value, certificate) if certificate else None
            ),
        )

    @router.post(PATH, status_code=202, response_model=SubmissionAccepted, responses=errors)
    def apply(citizen: CurrentCitizen, form: JobLossApplicationRequest) -> SubmissionAccepted | JSONResponse:
        """SP-4..SP-6: check the form and the chosen certificate (SP-5), sign, store and send to the fund."""
        try:
            accepted = applications.apply(citizen.iin, form)
        except SigningCertificateRefused as exc:
            return _refused(422, str(exc), exc.check.value)
        except NcaUnavailableError as exc:
            return _refused(
                503, f"SP-5: the certificate cannot be checked now, so nothing was sent: {exc}", "revocation"
            )
        except FormTooLargeError as exc:
            return _refused(413, str(exc))
        except FormRejectedError as exc:
            return _refused(422, str(exc))
        except (NoSigningKeyError, NotOwnApplicationError) as exc:
            return _refused(403, str(exc))
        return accepted_out(accepted)

    @router.get(f"{PATH}/{{application_id}}", response_model=JobLossApplicationOut, responses=errors)
    def application(citizen: CurrentCitizen, application_id: str) -> JobLossApplicationOut:
        """The application, the fund's receipt (registration number, deadline), the decision and the notices."""
        try:
            row = applications.application(citizen.iin, application_id)
            return view.of(row, cabinet_entry(citizen.iin, application_id))
        except ApplicationNotFoundError as exc:
            raise HTTPException(404, str(exc)) from exc
        except (XmlRejected, PayloadError) as exc:
            raise HTTPException(500, f"application {application_id} cannot be shown: {exc}") from exc

    @router.get("/admin/job-loss-payment/refusals", response_model=list[RefusalOut])
    def refusals(
        iin: Annotated[str | None, Query(pattern=IIN_PATTERN, description="the logged-in citizen")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[RefusalOut]:
        """SP-5: the requests refused before sending (nothing of them stored or sent), newest first."""
        return [
            RefusalOut(
                seq=row.seq,
                at=row.at.isoformat(),
                citizenIin=row.citizen_iin,
                applicantIin=row.applicant_iin,
                rule=row.rule,
                check=row.check,
                outcome=row.outcome,  # type: ignore[arg-type]
                certificate=row.certificate,
                detail=row.detail,
            )
            for row in applications.refusals(iin, limit)
        ]

    return router
