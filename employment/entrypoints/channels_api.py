"""The centre's own API for the registration channels that do not pass the gateway (docs/channels.md).

- ``POST /api/office/registrations``: a person came to the centre's office; the specialist who accepted the
  documents sends the form (channel ``OFFICE``) signed with their EDS; the answer is the director-signed result
  (``000 §5 action 1``; Rules No. 259 §7-14).
- ``POST /api/assistant/pre-registrations``: the centre's assistant at a rural akimat sends the card (channel
  ``RURAL_ASSISTANT``), at once or later from paper (``intake/paperCard``), signed with their EDS (JS-13, §15-20).
- ``GET /api/assistant/pre-registrations/{id}``: the pre-registration, and once the centre decided, the date of
  registration and the signed result the assistant gives the person (§21).
- ``GET /api/office/pre-registrations``: the office's worklist, the pre-registrations whose documents have not
  arrived, earliest due first.
- ``POST /api/office/pre-registrations/{id}/receipt``: the centre's worker states when the documents reached
  the centre (``documentsReceipt``, signed); the centre registers the person (§21).
- ``GET /admin/channel-requests``: the journal of these requests, refusals included.

Reads are signed too (``X-Signature``, :mod:`employment.entrypoints.signed_requests`). No rule is applied here:
each route verifies and reads its request, calls its handler, and maps the outcome to HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from adapters.shep.faults import ErrorCode
from adapters.signatures import BusinessSignature
from contracts.job_seeker_form import SCHEMA as FORM_SCHEMA
from contracts.registration_channels import SCHEMA as CHANNELS_SCHEMA
from contracts.registration_channels import ChannelActError, read_documents_receipt
from employment.adapters.channel_journal import ChannelJournal, ChannelRequest
from employment.adapters.form_mapping import FormError, RegistrationForm, registration_form
from employment.domain.errors import PreRegistrationError, PreRegistrationNotFound, SignerNotAllowed
from employment.domain.rules.channels import Channel, Signer, is_authorised
from employment.domain.rules.rural_pre_registration import PreRegistration
from employment.entrypoints.signed_requests import Refusal, SignedRequests, load_schema
from employment.service_layer.commands import RegisterJobSeeker
from employment.service_layer.handlers import EmploymentServices, register_job_seeker
from employment.service_layer.ports import ExternalSystemUnavailable
from employment.service_layer.rural_channel import (
    PreRegisterJobSeeker,
    PreRegistrations,
    ReceiveDocuments,
    pre_register,
    receive_documents,
)

XML = "application/xml"


@dataclass(frozen=True)
class ChannelsContext:
    services: EmploymentServices
    pre_registrations: PreRegistrations
    journal: ChannelJournal
    requests: SignedRequests


@dataclass(frozen=True)
class _Answer:
    response: Response
    subject: str | None
    signer: str | None


def _signer(verified: BusinessSignature) -> Signer:
    return Signer(verified.signer.iin, verified.signer.bin)


def _read_form(verified: BusinessSignature, channel: Channel) -> RegistrationForm:
    try:
        read = registration_form(verified.document)
    except FormError as exc:
        raise Refusal(400, ErrorCode.MALFORMED.value, str(exc)) from exc
    if read.channel is not channel:
        raise Refusal(
            403,
            ErrorCode.ACCESS_DENIED.value,
            f"this route takes forms taken through channel {channel.value} (intake/channel), not {read.channel.value}",
        )
    if read.paper_card is not None and channel is not Channel.RURAL_ASSISTANT:
        raise Refusal(
            400, ErrorCode.MALFORMED.value, "only the rural assistant enters a paper card later (Rules No. 259 §17)"
        )
    return read


def pre_registration_view(pre: PreRegistration) -> dict[str, Any]:
    """The pre-registration as the assistant and the office read it (JSON, instants with their offsets)."""
    card = pre.paper_card
    return {
        "preRegistrationId": pre.pre_registration_id,
        "iin": pre.applicant.iin,
        "fullName": pre.applicant.full_name,
        "channel": Channel.RURAL_ASSISTANT.value,
        "state": pre.state.value,
        "cardDay": pre.card_day.isoformat(),
        "laterEntry": pre.later_entry,
        "paperCard": None if card is None else {"filledOn": card.filled_on.isoformat(), "number": card.number},
        "enteredAt": pre.entered_at.isoformat(),
        "assistant": pre.assistant,
        "documentsDueBy": pre.documents_due.isoformat(),
        "documentsReceivedAt": pre.documents_received_at.isoformat() if pre.documents_received_at else None,
        "receivedBy": pre.received_by,
        "registrationDeadline": pre.registration_deadline.isoformat() if pre.registration_deadline else None,
        "registeredOn": pre.registered_on.isoformat() if pre.registered_on else None,
        "notice": pre.notice,
        "resultDocument": pre.result_document,
    }


def channels_router(context: ChannelsContext) -> APIRouter:
    services = context.services
    store = context.pre_registrations
    signed = context.requests
    form_schema = load_schema(FORM_SCHEMA)
    acts_schema = load_schema(CHANNELS_SCHEMA)
    router = APIRouter(tags=["registration channels"])

    def answered(route: str, channel: Channel, subject: str | None, work: Callable[[], _Answer]) -> Response:
        """Run ``work``; journal its outcome, or the refusal, and answer it."""
        try:
            answer = work()
        except Refusal as refusal:
            context.journal.record(
                ChannelRequest(route, channel.value, subject, None, refusal.status, refusal.code, refusal.message)
            )
            return JSONResponse(refusal.body(), status_code=refusal.status)
        context.journal.record(
            ChannelRequest(route, channel.value, answer.subject, answer.signer, answer.response.status_code, None, None)
        )
        return answer.response

    def refusing(work: Callable[[], _Answer]) -> Callable[[], _Answer]:
        """Translate the service layer's errors into refusals."""

        def run() -> _Answer:
            try:
                return work()
            except SignerNotAllowed as exc:
                raise Refusal(403, ErrorCode.BUSINESS_SIGNATURE_INVALID.value, str(exc), exc.rule_id) from exc
            except PreRegistrationNotFound as exc:
                raise Refusal(404, "NOT_FOUND", str(exc), exc.rule_id) from exc
            except PreRegistrationError as exc:
                raise Refusal(422, ErrorCode.MALFORMED.value, str(exc), exc.rule_id) from exc
            except ExternalSystemUnavailable as exc:
                raise Refusal(
                    503,
                    ErrorCode.PROVIDER_UNAVAILABLE.value,
                    f"a state system needed for the decision ({exc.system}) did not answer; nothing was decided, "
                    "send the request again later",
                ) from exc

        return run

    async def signed_post(request: Request, route: str, channel: Channel, work: Callable[[bytes], _Answer]) -> Response:
        try:
            body = await signed.body(request)
        except Refusal as refusal:
            return await run_in_threadpool(answered, route, channel, None, _raise(refusal))
        return await run_in_threadpool(answered, route, channel, None, refusing(lambda: work(body)))

    @router.post(
        "/api/office/registrations",
        response_class=Response,
        responses={200: {"content": {XML: {}}, "description": "the director-signed result document"}},
    )
    async def office_registration(request: Request) -> Response:
        """A person came to the centre's office: the form (channel ``OFFICE``) signed by the office specialist."""

        def work(body: bytes) -> _Answer:
            verified = signed.document(body, form_schema)
            read = _read_form(verified, Channel.OFFICE)
            stored = register_job_seeker(
                RegisterJobSeeker(
                    application_id=read.application_id,
                    applicant=read.applicant,
                    signer_iin=verified.signer.iin,
                    signer_description=f"employment centre verified the office specialist's signature: "
                    f"{verified.signer.describe()}",
                    received_at=signed.now(),
                    correlation_id=read.application_id,
                    submitted_at=read.submitted_at,
                    channel=Channel.OFFICE,
                    signer_bin=verified.signer.bin,
                ),
                services,
            )
            if stored.iin != read.applicant.iin or stored.channel != Channel.OFFICE.value:
                raise Refusal(
                    409,
                    ErrorCode.MALFORMED.value,
                    f"application id {read.application_id} is taken by another application; give the form a new id",
                )
            headers = {"X-Application-Id": stored.application_id, "X-Channel": stored.channel}
            response = Response(stored.document, media_type=XML, headers=headers)
            return _Answer(response, read.application_id, verified.signer.describe())

        return await signed_post(request, "POST /api/office/registrations", Channel.OFFICE, work)

    @router.post("/api/assistant/pre-registrations", status_code=201)
    async def assistant_pre_registration(request: Request) -> Response:
        """The assistant's card (channel ``RURAL_ASSISTANT``), at once or later from paper, signed by them."""

        def work(body: bytes) -> _Answer:
            verified = signed.document(body, form_schema)
            read = _read_form(verified, Channel.RURAL_ASSISTANT)
            existed = store.get(read.application_id) is not None
            pre = pre_register(
                PreRegisterJobSeeker(
                    application_id=read.application_id,
                    applicant=read.applicant,
                    signer=_signer(verified),
                    signer_description=f"the assistant's signature verified: {verified.signer.describe()}",
                    paper_card=read.paper_card,
                    entered_at=signed.now(),
                ),
                services,
                store,
            )
            response = JSONResponse(pre_registration_view(pre), status_code=200 if existed else 201)
            return _Answer(response, pre.pre_registration_id, verified.signer.describe())

        return await signed_post(request, "POST /api/assistant/pre-registrations", Channel.RURAL_ASSISTANT, work)

    @router.get("/api/assistant/pre-registrations/{pre_registration_id}")
    def assistant_pre_registration_view(pre_registration_id: str, request: Request) -> Response:
        """The pre-registration, for the assistant who entered it or a worker of the centre's office."""

        def work() -> _Answer:
            reader = signed.reader(request)
            who = Signer(reader.signer.iin, reader.signer.bin)
            pre = store.get(pre_registration_id)
            office = is_authorised(Channel.OFFICE, who, services.signers)
            own = (
                pre is not None
                and who.iin == pre.assistant_iin
                and is_authorised(Channel.RURAL_ASSISTANT, who, services.signers)
            )
            if not (office or own):
                raise Refusal(
                    403,
                    ErrorCode.ACCESS_DENIED.value,
                    "a pre-registration is read by the assistant who entered it or by the centre's office",
                    "JS-13",
                )
            if pre is None:
                raise Refusal(404, "NOT_FOUND", f"no pre-registration {pre_registration_id}", "JS-13")
            return _Answer(JSONResponse(pre_registration_view(pre)), pre_registration_id, reader.signer.describe())

        route = "GET /api/assistant/pre-registrations/{id}"
        return answered(route, Channel.RURAL_ASSISTANT, pre_registration_id, work)

    @router.get("/api/office/pre-registrations")
    def office_worklist(request: Request) -> Response:
        """The pre-registrations whose documents have not reached the centre, earliest due first (§20)."""

        def work() -> _Answer:
            reader = signed.reader(request)
            if not is_authorised(Channel.OFFICE, Signer(reader.signer.iin, reader.signer.bin), services.signers):
                raise Refusal(
                    403, ErrorCode.ACCESS_DENIED.value, "the worklist is read by the centre's office", "JS-13"
                )
            items = [pre_registration_view(pre) for pre in store.awaiting_documents()]
            return _Answer(JSONResponse({"awaitingDocuments": items}), None, reader.signer.describe())

        return answered("GET /api/office/pre-registrations", Channel.RURAL_ASSISTANT, None, work)

    @router.post("/api/office/pre-registrations/{pre_registration_id}/receipt")
    async def office_receipt(pre_registration_id: str, request: Request) -> Response:
        """§21: the documents of a pre-registration reached the centre; the centre registers the person."""

        def work(body: bytes) -> _Answer:
            verified = signed.document(body, acts_schema)
            try:
                receipt = read_documents_receipt(verified.document)
            except ChannelActError as exc:
                raise Refusal(400, ErrorCode.MALFORMED.value, str(exc)) from exc
            if receipt.pre_registration_id != pre_registration_id:
                raise Refusal(
                    400,
                    ErrorCode.MALFORMED.value,
                    f"the signed receipt is of pre-registration {receipt.pre_registration_id}, "
                    f"not of {pre_registration_id}",
                )
            pre = receive_documents(
                ReceiveDocuments(
                    pre_registration_id=pre_registration_id,
                    signer=_signer(verified),
                    signer_description=f"the centre's worker: {verified.signer.describe()}",
                    received_at=receipt.received_at,
                ),
                services,
                store,
            )
            return _Answer(JSONResponse(pre_registration_view(pre)), pre_registration_id, verified.signer.describe())

        route = "POST /api/office/pre-registrations/{id}/receipt"
        return await signed_post(request, route, Channel.RURAL_ASSISTANT, work)

    @router.get("/admin/channel-requests")
    def channel_requests(
        subject: str | None = Query(default=None, description="an application or pre-registration id"),
        limit: int = Query(default=100, ge=1, le=1000),
    ) -> list[dict[str, Any]]:
        """The journal of the requests above, newest first, refusals included."""
        return context.journal.entries(subject, limit)

    return router


def _raise(refusal: Refusal) -> Callable[[], _Answer]:
    def run() -> _Answer:
        raise refusal

    return run
