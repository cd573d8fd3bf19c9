"""Complaints through the portal (AP-1; Rules No. 259 §46-47).

A citizen complains about a state service to the local employment authority, or to the authorised body that
assesses the quality of state services. ``POST /api/complaints`` writes the ``complaint`` of
:mod:`contracts.local_authority` from the login session (the complainant's IIN and name), signs it with the
citizen's key (the stand-in for their signing tool, as for their applications) and sends it through the
gateway as ``MIO_Complaint``, in the call. The answer is the receipt: the complaint's id, when it was
registered and the deadline of its consideration (5 working days at the local authority, 15 at the quality
body), which the authority reports to the monitoring IS as well.

The send is synchronous: when the gateway or the authority does not answer, the citizen is told so (503) and
nothing is registered; the complaint id is the client's idempotency key (``complaintId`` in the body, a new
one when absent), so sending the same complaint again registers it once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Literal

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from adapters.pki import Credential
from adapters.shep import GatewayFault, Payload
from adapters.shep.service_call import SyncSender
from adapters.shep.sync_client import GatewayUnreachable
from adapters.signed_documents import sign_to_text
from adapters.xml import XmlRejected
from contracts import local_authority as la
from mocks.portal.schemas import ErrorOut
from mocks.portal.sessions import CurrentCitizen

CLIENT_CODES = frozenset({"SCE001", "SCE003", "SCE015", "SCE016", "SCE017"})


class ComplaintRequest(BaseModel):
    addressee: Literal["local-authority", "quality-assessment"]
    subject: str = Field(min_length=1, max_length=255)
    text: str = Field(min_length=1, max_length=4000)
    contestedApplicationId: str | None = Field(default=None, max_length=64)
    complaintId: str | None = Field(default=None, pattern=r"^[A-Za-z0-9._:-]{1,64}$")


class ComplaintReceiptOut(BaseModel):
    complaintId: str
    addressee: str
    registeredAt: str
    deadline: str
    ruleId: str


def complaints_router(
    sync_client: Callable[[], SyncSender],
    citizen_key: Callable[[str], Credential],
    now: Callable[[], datetime],
) -> APIRouter:
    router = APIRouter(tags=["complaints"])

    @router.post(
        "/api/complaints",
        status_code=201,
        response_model=ComplaintReceiptOut,
        responses={
            401: {"model": ErrorOut},
            403: {"model": ErrorOut},
            422: {"model": ErrorOut},
            503: {"model": ErrorOut},
        },
    )
    def complain(citizen: CurrentCitizen, request: ComplaintRequest) -> ComplaintReceiptOut:
        """AP-1: the complaint, signed with the citizen's key, registered by the local authority."""
        complaint = la.Complaint(
            complaint_id=request.complaintId or f"EGOV-AP-{uuid.uuid4().hex[:20]}",
            submitted_at=now(),
            complainant_iin=citizen.iin,
            complainant_name=citizen.full_name,
            addressee=la.Addressee(request.addressee),
            subject=request.subject,
            text=request.text,
            contested_application_id=request.contestedApplicationId,
        )
        try:
            credential = citizen_key(citizen.iin)
        except FileNotFoundError as exc:
            raise HTTPException(403, "no signing key is available for this citizen") from exc
        signed = sign_to_text(la.write_complaint(complaint), credential)
        try:
            reply = sync_client().send(
                la.COMPLAINT_SERVICE, Payload(text=signed), correlation_id=complaint.complaint_id
            )
        except GatewayFault as exc:
            if exc.code in CLIENT_CODES:
                raise HTTPException(422, f"the complaint was refused ({exc.code}): {exc.error.message}") from exc
            raise HTTPException(503, f"the complaint could not be registered now; try again later ({exc})") from exc
        except GatewayUnreachable as exc:
            raise HTTPException(503, "the complaint could not be registered now; try again later") from exc
        try:
            receipt = la.read_receipt(reply.payload.document())
        except (XmlRejected, la.LocalAuthorityPayloadError) as exc:
            raise HTTPException(503, f"the local authority's answer could not be read: {exc}") from exc
        return ComplaintReceiptOut(
            complaintId=receipt.case_id,
            addressee=complaint.addressee.value,
            registeredAt=receipt.received_at.isoformat(),
            deadline=receipt.deadline.isoformat(),
            ruleId=receipt.rule_id,
        )

    return router
