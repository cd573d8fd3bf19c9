"""Fakes around the portal, for tests without sockets: the person registry as JS-11 asks it, the employment
centre as the provider of ENBEK_UnemployedCertificate (a test double that really verifies the applicant's
signature and really signs its answer with the director's key), and an in-process HTTP client of an app."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from adapters.person_registry import PersonRegistryUnavailable
from adapters.pki import CertificateSubject, PkiLayout, TrustStore
from adapters.shep import ErrorCode, GatewayFault, Payload, RequestInfo, build_request
from adapters.shep.envelope import ErrorInfo, ResponseInfo
from adapters.shep.sync_client import SyncReply
from adapters.signatures import sign_envelope
from adapters.signed_documents import DocumentRejected, read_signed_register_document
from adapters.xml import to_bytes
from contracts import register_documents as rd
from contracts.cabinet_delivery import CabinetDelivery, write_cabinet_delivery
from employment.adapters.register_documents import RegisterDocumentSigner
from kernel.clock import almaty


@dataclass(frozen=True)
class RegistryEntry:
    address: str


@dataclass
class FakeAddressRegistry:
    """The person registry as the portal asks it for a registered address (``find_by_iin``)."""

    addresses: dict[str, str] = field(default_factory=dict)
    down: bool = False
    asked: list[tuple[str, str | None]] = field(default_factory=list)

    def find_by_iin(self, iin: str, correlation_id: str | None = None) -> RegistryEntry | None:
        self.asked.append((iin, correlation_id))
        if self.down:
            raise PersonRegistryUnavailable("the gateway did not answer (fake)", code="SCE010")
        address = self.addresses.get(iin)
        return None if address is None else RegistryEntry(address)


AUTHORITY = rd.AuthorityDecision("ГУ «Управление занятости и социальных программ города Астаны»", date(2026, 11, 25))


@dataclass
class FakeCertificateCentre:
    """The employment centre answering ENBEK_UnemployedCertificate (CE-1..CE-3) as a test double: it verifies
    the applicant's signature on the Annex 7 application (SCE016 otherwise), then answers the certificate
    (Annex 8, valid 30 calendar days counting the day of issue) to the IINs in ``unemployed`` and the reasoned
    refusal (CE-3) to anyone else, signed by ``signer``. ``faults`` are raised first, one per call."""

    signer: RegisterDocumentSigner
    trust: TrustStore
    now: Any
    gateway: CertificateSubject  # who signed the SOAP answer (the gateway, on the real wire)
    unemployed: dict[str, date] = field(default_factory=dict)  # IIN -> registered as unemployed on
    faults: list[Exception] = field(default_factory=list)
    received: list[rd.CertificateApplication] = field(default_factory=list)
    answer_for: str | None = None  # answer as if to another applicant (a wrong answer)

    def send(self, service_id: str, payload: Payload, *, correlation_id: str | None = None) -> SyncReply:
        assert service_id == rd.CERTIFICATE_SERVICE_ID
        if self.faults:
            raise self.faults.pop(0)
        today: datetime = self.now()
        try:
            verified = read_signed_register_document(payload.text or "", self.trust, today)
        except DocumentRejected as exc:
            raise GatewayFault(ErrorInfo(exc.code.value, str(exc), today)) from exc
        application = verified.document
        assert isinstance(application, rd.CertificateApplication)
        if verified.signer.iin != application.applicant.iin:
            raise GatewayFault(ErrorInfo(ErrorCode.BUSINESS_SIGNATURE_INVALID.value, "not the applicant", today))
        self.received.append(application)
        person = application.applicant if self.answer_for is None else rd.Person(self.answer_for, "Someone Else")
        issued_on = today.astimezone(almaty()).date()
        number = f"CE-{len(self.received):06d}"
        registered_on = self.unemployed.get(application.applicant.iin)
        document: rd.RegisterDocument
        if registered_on is not None:
            document = rd.UnemployedCertificate(
                document_number=number,
                application_id=application.application_id,
                person=person,
                registered_on=registered_on,
                decision=AUTHORITY,
                centre_name="",
                issued_on=issued_on,
                valid_until=issued_on + timedelta(days=29),
                director_name="",
            )
        else:
            document = rd.CertificateRefusal(
                document_number=f"{number}-R",
                application_id=application.application_id,
                person=person,
                reasons=(rd.Reason("CE-3", "жұмыссыз ретінде тіркеуде жоқ / не состоит на учёте как безработный"),),
                centre_name="",
                issued_on=issued_on,
                director_name="",
            )
        text = self.signer.sign(document)
        info = ResponseInfo(message_id=f"reply-{number}", response_date=today, correlation_id=correlation_id)
        return SyncReply(info=info, payload=Payload(text=text), signed_by=self.gateway, message_id=info.message_id)


class AppClient:
    """Calls a FastAPI app in process (httpx over ASGI, no lifespan: background workers do not run)."""

    def __init__(self, app: FastAPI) -> None:
        self._app = app
        self.headers: dict[str, str] = {}

    def request(self, method: str, url: str, **options: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self._app)
            async with httpx.AsyncClient(transport=transport, base_url="http://portal") as http:
                headers = self.headers | options.pop("headers", {})
                return await http.request(method, url, headers=headers, **options)

        return asyncio.run(call())

    def get(self, url: str, **options: Any) -> httpx.Response:
        return self.request("GET", url, **options)

    def post(self, url: str, **options: Any) -> httpx.Response:
        return self.request("POST", url, **options)


def cabinet_envelope(delivery: CabinetDelivery) -> Payload:
    """The request data of EGOV_CabinetDocument."""
    return Payload(element=write_cabinet_delivery(delivery))


def gateway_signed(layout: PkiLayout, sender: str, payload: Payload, service_id: str = rd.CABINET_SERVICE_ID) -> bytes:
    """A SendMessage of ``sender`` as the gateway forwards it to a provider: signed with the gateway's key."""
    info = RequestInfo(str(uuid.uuid4()), service_id, sender, datetime.now(UTC), "case-1")
    return to_bytes(sign_envelope(build_request(info, payload), layout.load_credential(layout.system("gateway"))))


def post_soap(client: AppClient, body: bytes) -> httpx.Response:
    return client.post("/bip-sync/", content=body, headers={"Content-Type": "text/xml; charset=utf-8"})
