"""HTTP routes of the cabinet's documents (CE-4, UN-3, DR-2, JS-10): JSON for programs, HTML for people.

- ``GET /api/cabinet/documents`` and ``GET /api/cabinet/documents/{id}`` (bearer token): the citizen's signed
  documents, newest last; the detail carries the document exactly as received;
- ``GET /cabinet/documents`` and ``GET /cabinet/documents/{id}.html`` (bearer token, or the session cookie a
  browser got at login: :mod:`mocks.portal.sessions`): the list, and one document laid out as its annex with
  its signer and whether the signature verifies now (:mod:`mocks.portal.renderings`).

Another citizen's document is "not found", never "forbidden": ids do not reveal whose they are.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse

from mocks.portal.cabinet import CabinetDocumentNotFound, CabinetDocuments
from mocks.portal.document_kinds import kind_named
from mocks.portal.renderings import CONTENT_SECURITY_POLICY, DocumentRenderer, UnreadableDocumentError
from mocks.portal.schemas import CabinetDocumentDetailOut, CabinetDocumentOut, ErrorOut, IssuerOut, SignedByOut
from mocks.portal.sessions import CurrentCitizen, PageCitizen
from mocks.portal.storage import CabinetDocumentRow

_PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "private, no-store",
}


def html_url(document_id: str) -> str:
    return f"/cabinet/documents/{document_id}.html"


def document_out(row: CabinetDocumentRow) -> CabinetDocumentOut:
    kind = kind_named(row.kind)
    return CabinetDocumentOut(
        documentId=row.id,
        kind=row.kind,
        titleKk=kind.title_kk,
        titleRu=kind.title_ru,
        title=kind.title_en,
        documentNumber=row.document_number,
        issuer=IssuerOut(id=row.issuer_id, name=row.issuer_name),
        issuedOn=row.issued_on,
        receivedAt=row.received_at.isoformat(),
        applicationId=row.application_id,
        source="delivery" if row.source == "delivery" else "application",
        signedBy=SignedByOut(commonName=row.signer_common_name, iin=row.signer_iin, bin=row.signer_bin),
        signatureVerified=True,
        htmlUrl=html_url(row.id),
    )


def cabinet_router(cabinet: CabinetDocuments, renderer: DocumentRenderer) -> APIRouter:
    router = APIRouter(tags=["cabinet"])

    @router.get("/api/cabinet/documents", response_model=list[CabinetDocumentOut])
    def documents(citizen: CurrentCitizen) -> list[CabinetDocumentOut]:
        return [document_out(row) for row in cabinet.documents_of(citizen.iin)]

    @router.get(
        "/api/cabinet/documents/{document_id}",
        response_model=CabinetDocumentDetailOut,
        responses={404: {"model": ErrorOut}},
    )
    def document(citizen: CurrentCitizen, document_id: str) -> CabinetDocumentDetailOut:
        try:
            row = cabinet.document(citizen.iin, document_id)
        except CabinetDocumentNotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        return CabinetDocumentDetailOut(**document_out(row).model_dump(), documentXml=row.document)

    @router.get("/cabinet/documents", response_class=HTMLResponse, include_in_schema=True)
    def documents_page(citizen: PageCitizen) -> HTMLResponse:
        page = renderer.render_index(citizen.full_name, cabinet.documents_of(citizen.iin))
        return HTMLResponse(page, headers=_PAGE_HEADERS)

    @router.get(
        "/cabinet/documents/{document_id}.html",
        response_class=HTMLResponse,
        responses={404: {"model": ErrorOut}, 500: {"model": ErrorOut}},
    )
    def document_page(citizen: PageCitizen, document_id: str) -> HTMLResponse:
        try:
            row = cabinet.document(citizen.iin, document_id)
        except CabinetDocumentNotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        try:
            page = renderer.render(row)
        except UnreadableDocumentError as exc:
            raise HTTPException(500, f"document {document_id} cannot be shown: {exc}") from exc
        return HTMLResponse(page, headers=_PAGE_HEADERS)

    return router
