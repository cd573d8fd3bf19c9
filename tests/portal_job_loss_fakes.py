"""Fakes for the portal's job-loss payment path (SP-4..SP-6): the NCA serving its CRL over HTTP (in process,
through ``httpx.MockTransport``, without touching the shared test PKI), the fund's regional workstation
answering ``GFSS_JobLossPayment`` with a receipt after really verifying the applicant's signature, and the
fund department's head signing decisions and notices."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import httpx
from cryptography.hazmat.primitives import serialization

from adapters.pki import CertificateSubject, Credential, PkiLayout, TrustStore
from adapters.shep import ErrorCode, GatewayFault, Payload
from adapters.shep.envelope import ErrorInfo, ResponseInfo
from adapters.shep.sync_client import SyncReply
from adapters.signed_documents import DocumentRejected, sign_to_text, verify_signed_text
from contracts import job_loss_payment as jl
from contracts.cabinet_delivery import CabinetDelivery, Issuer
from ecosystem.catalogue import system
from mocks.nca.authority import CertificateAuthority
from tests.social_fund import examples

FUND = system("social_fund")


@dataclass
class FakeNca:
    """``GET /crl/issuing.crl``: the issuing CA's CRL listing ``revoked`` serials, or ``down`` / ``status``."""

    layout: PkiLayout
    revoked: list[int] = field(default_factory=list)
    down: bool = False
    status: int = 200
    body: bytes | None = None  # answer these bytes instead of a CRL
    asked: int = 0

    def _crl(self) -> bytes:
        issuing = CertificateAuthority(self.layout.load_credential(self.layout.issuing_ca))
        at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        crl = issuing.crl([(serial, at) for serial in self.revoked], at, dt.timedelta(days=7))
        return crl.public_bytes(serialization.Encoding.PEM)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.asked += 1
        if self.down:
            raise httpx.ConnectError("connection refused (fake NCA down)", request=request)
        assert request.url.path == "/crl/issuing.crl"
        return httpx.Response(self.status, content=self.body if self.body is not None else self._crl())

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handle), base_url="http://nca")


@dataclass
class FakeFundWorkstation:
    """The fund's regional workstation answering GFSS_JobLossPayment: verifies the applicant's signature (SCE016
    otherwise) and answers a receipt (the same one to a repeated id). ``faults`` are raised first."""

    trust: TrustStore
    now: Any
    gateway: CertificateSubject  # who signed the SOAP answer (the gateway, on the real wire)
    faults: list[Exception] = field(default_factory=list)
    received: list[jl.PaymentApplication] = field(default_factory=list)
    answer_for: str | None = None  # answer a receipt for another application id (a wrong answer)

    def send(self, service_id: str, payload: Payload, *, correlation_id: str | None = None) -> SyncReply:
        assert service_id == jl.APPLICATION_SERVICE
        if self.faults:
            raise self.faults.pop(0)
        at = self.now()
        try:
            verified = verify_signed_text(payload.text or "", self.trust, at)
        except DocumentRejected as exc:
            raise GatewayFault(ErrorInfo(exc.code.value, str(exc), at)) from exc
        application = jl.read_application(verified.signed)
        if verified.signer.iin != application.applicant.iin:
            raise GatewayFault(ErrorInfo(ErrorCode.BUSINESS_SIGNATURE_INVALID.value, "not the applicant", at))
        self.received.append(application)
        receipt = jl.ApplicationReceipt(
            application_id=self.answer_for or application.application_id,
            registration_number=f"GFSS-2026-{len(self.received):06d}",
            registered_at=at,
            deadline=at + dt.timedelta(days=12),
        )
        info = ResponseInfo(message_id=f"reply-{len(self.received)}", response_date=at, correlation_id=correlation_id)
        return SyncReply(info, Payload(element=jl.write_receipt(receipt)), self.gateway, info.message_id)


def decision_for(application_id: str, iin: str, outcome: jl.Outcome = jl.Outcome.ASSIGNED) -> jl.PaymentDecision:
    base = examples.assigned() if outcome is jl.Outcome.ASSIGNED else examples.refused(outcome)
    return dataclasses.replace(
        base, application_id=application_id, applicant_iin=iin, decision_id=f"D-{application_id}"
    )


def notice_for(decision: jl.PaymentDecision) -> jl.PaymentNotice:
    return dataclasses.replace(
        examples.notice(), decision_id=decision.decision_id, applicant_iin=decision.applicant_iin,
        notice_id=f"N-{decision.decision_id}",
    )  # fmt: skip


def fund_delivery(document: jl.PaymentDecision | jl.PaymentNotice, signer: Credential) -> CabinetDelivery:
    """The EGOV_CabinetDocument request the fund sends: the document signed by ``signer``."""
    if isinstance(document, jl.PaymentDecision):
        text, kind, number = (
            sign_to_text(jl.write_decision(document), signer),
            jl.DECISION_DOCUMENT_KIND,
            document.decision_id,
        )
    else:
        text, kind, number = (
            sign_to_text(jl.write_notice(document), signer),
            jl.NOTICE_DOCUMENT_KIND,
            document.notice_id,
        )
    return CabinetDelivery(
        recipient_iin=document.applicant_iin,
        document_kind=kind,
        document_number=number,
        issuer=Issuer(FUND.bin, FUND.organisation),
        signed_document=text,
    )
