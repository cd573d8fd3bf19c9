"""Sending what the register owes other systems (the local authority, the portal's cabinet, the fund).

With the person's consent this includes the job-loss payment application to the fund (UN-5), whose receipt
is kept on the registration case. A :class:`Dispatch` is stored in the transaction that makes it due;
:func:`dispatch_pending` sends each one after that transaction, outside any transaction, at least once: it
claims the dispatch for a lease, builds the message from the stored case, calls the port, then records it
done together with what follows from it (the authority's receipt; the fund's receipt; the notification
delivered — UN-3, DR-2 — and the application's final stage reported to the monitoring IS). A system that
does not answer leaves the dispatch for the next step; one that refuses it for good sets it aside with the
error (``PortRefused``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from employment.domain.rules.deregistration import DEREGISTRATION_SERVICE
from employment.domain.rules.unemployed_draft import JOB_LOSS_PAYMENT_DOCUMENTS, UNEMPLOYED_REGISTRATION_SERVICE
from employment.service_layer.ports import (
    AttachedPaper,
    AuthorityReceipt,
    CabinetDelivery,
    DeregistrationRequest,
    ExternalSystemUnavailable,
    JobLossPaymentApplication,
    PaymentApplicationReceipt,
    PortRefused,
    UnemployedDocumentsPackage,
    UnemployedStatusChange,
)
from employment.service_layer.register_filing import RegisterServices, report_result
from employment.service_layer.register_records import (
    CaseStatus,
    DeregistrationCase,
    Dispatch,
    DispatchKind,
    RegistrationCase,
)
from employment.service_layer.status_query import registration_certificate
from employment.service_layer.unit_of_work import UnitOfWork

__all__ = ["LEASE", "dispatch_pending"]

LEASE = timedelta(minutes=2)
Message = (
    UnemployedDocumentsPackage
    | DeregistrationRequest
    | CabinetDelivery
    | UnemployedStatusChange
    | JobLossPaymentApplication
)
Receipt = AuthorityReceipt | PaymentApplicationReceipt


def dispatch_pending(services: RegisterServices, now: datetime | None = None) -> tuple[int, int]:
    """Send every pending dispatch once. Returns (sent, failed)."""
    moment = now if now is not None else services.now()
    with services.uow() as uow:
        pending = uow.dispatches.pending()
    sent = failed = 0
    for item in pending:
        with services.uow() as uow:
            if not uow.dispatches.claim(item.dispatch_id, moment, moment + LEASE):
                continue
            message = _message(uow, item)
        try:
            receipt = _send(services, message)
        except ExternalSystemUnavailable as exc:
            _failed(services, item, f"{exc.system}: {exc.detail}", set_aside=False)
            failed += 1
            continue
        except PortRefused as exc:
            _failed(services, item, str(exc), set_aside=True)
            failed += 1
            continue
        with services.uow() as uow:
            _done(uow, item, receipt, moment)
        sent += 1
    return sent, failed


def _failed(services: RegisterServices, item: Dispatch, error: str, *, set_aside: bool) -> None:
    with services.uow() as uow:
        uow.dispatches.failed(item.dispatch_id, error[:1000], set_aside=set_aside)


def _case(uow: UnitOfWork, item: Dispatch) -> RegistrationCase:
    case = uow.cases.get(item.reference)
    assert case is not None, f"dispatch {item.dispatch_id} names no case {item.reference}"
    return case


def _request(uow: UnitOfWork, item: Dispatch) -> DeregistrationCase:
    case = uow.deregistrations.get(item.reference)
    assert case is not None, f"dispatch {item.dispatch_id} names no request {item.reference}"
    return case


def _message(uow: UnitOfWork, item: Dispatch) -> Message:
    """The message of ``item``, built from the case as stored."""
    if item.kind is DispatchKind.UNEMPLOYED_DOCUMENTS:
        case = _case(uow, item)
        assert case.draft_document is not None and case.drafted_on is not None and case.trigger is not None
        return UnemployedDocumentsPackage(
            case_id=case.case_id,
            iin=case.iin,
            full_name=case.full_name,
            birth_date=case.birth_date,
            registered_as_job_seeker_on=case.registered_at.date(),
            trigger=case.trigger,
            proposes_registration=not case.proposal,
            proposal_reasons=tuple((r.rule_id, r.text) for r in case.proposal),
            draft_document=case.draft_document,
            drafted_on=case.drafted_on,
            correlation_id=case.correlation_id,
        )
    if item.kind is DispatchKind.UNEMPLOYED_NOTICE:
        case = _case(uow, item)
        assert case.notification_document is not None and case.notice_issued_on is not None
        registered = case.status is CaseStatus.REGISTERED
        return CabinetDelivery(
            delivery_id=item.dispatch_id,
            iin=case.iin,
            application_id=case.case_id,
            kind="unemployed-registration-notice" if registered else "unemployed-refusal-notice",
            document=case.notification_document,
            issued_on=case.notice_issued_on,
            information=JOB_LOSS_PAYMENT_DOCUMENTS,
        )
    if item.kind is DispatchKind.PAYMENT_APPLICATION:
        return _payment_application(uow, _case(uow, item), item)
    if item.kind is DispatchKind.FUND_REGISTERED:
        case = _case(uow, item)
        assert case.registered_on is not None and case.decision_id is not None
        return UnemployedStatusChange(
            item.dispatch_id, case.iin, "registered", case.registered_on, case.registered_on, case.decision_id, None
        )
    request = _request(uow, item)
    if item.kind is DispatchKind.DEREGISTRATION_REQUEST:
        assert request.registered_on is not None  # a request is queued only for an unemployed person
        return DeregistrationRequest(
            request_id=request.request_id,
            iin=request.iin,
            full_name=request.full_name,
            ground=request.ground,
            rule_id=request.rule_id,
            finding=request.reasons[0].text,
            facts=request.facts,
            information_received_at=request.information_received_at,
            source=request.source,
            correlation_id=request.correlation_id,
            unemployed_since=request.registered_on,
        )
    assert request.decided_on is not None and request.decision_id is not None
    if item.kind is DispatchKind.DEREGISTRATION_NOTICE:
        assert request.notice_document is not None and request.notice_issued_on is not None
        return CabinetDelivery(
            delivery_id=item.dispatch_id,
            iin=request.iin,
            application_id=request.request_id,
            kind="deregistration-notice",
            document=request.notice_document,
            issued_on=request.notice_issued_on,
        )
    assert request.registered_on is not None
    return UnemployedStatusChange(
        item.dispatch_id,
        request.iin,
        "deregistered",
        request.decided_on,
        request.registered_on,
        request.decision_id,
        request.rule_id,
    )


def _payment_application(uow: UnitOfWork, case: RegistrationCase, item: Dispatch) -> JobLossPaymentApplication:
    """UN-5: the application as the consent and the registration stand; submitted when it was queued (the same
    at every sending), with the certificate of this registration when one was issued by then."""
    consent = case.payment
    assert consent is not None, f"dispatch {item.dispatch_id}: case {case.case_id} has no consent"
    certificate = registration_certificate(uow, case.iin, case.registered_on)
    return JobLossPaymentApplication(
        application_id=consent.application_id,
        submitted_at=item.created_at,
        iin=case.iin,
        surname=consent.surname,
        name=consent.name,
        patronymic=consent.patronymic,
        birth_date=consent.birth_date,
        sex=consent.sex,
        identity_document=AttachedPaper(
            consent.identity_document_number, consent.identity_document_issued_on, consent.identity_document_valid_until
        ),
        unemployed_certificate=(
            AttachedPaper(certificate.number, certificate.issued_on, certificate.valid_until)
            if certificate is not None
            else None
        ),
        bank_agreement=AttachedPaper(consent.bank_agreement_number, consent.bank_account_opened_on, None),
        iban=consent.iban,
        correlation_id=case.correlation_id,
    )


def _send(services: RegisterServices, message: Message) -> Receipt | None:
    if isinstance(message, JobLossPaymentApplication):
        return services.payments.apply(message)
    if isinstance(message, UnemployedDocumentsPackage):
        return services.authority.send_unemployed_documents(message)
    if isinstance(message, DeregistrationRequest):
        return services.authority.send_deregistration(message)
    if isinstance(message, CabinetDelivery):
        services.cabinet.deliver(message)
        return None
    services.fund.notify(message)
    return None


def _done(uow: UnitOfWork, item: Dispatch, receipt: Receipt | None, at: datetime) -> None:
    # every write of a person's cases happens under the lock of their entry: a decision recorded meanwhile
    # is read here, not overwritten
    uow.register.entry_for_update(item.iin)
    uow.dispatches.done(item.dispatch_id, at)
    if isinstance(receipt, PaymentApplicationReceipt):
        case = _case(uow, item)
        assert case.payment is not None
        payment = replace(
            case.payment,
            registration_number=receipt.registration_number,
            registered_at=receipt.registered_at,
            deadline=receipt.deadline,
        )
        uow.cases.save(replace(case, payment=payment))
    elif item.kind is DispatchKind.UNEMPLOYED_DOCUMENTS and isinstance(receipt, AuthorityReceipt):
        case = _case(uow, item)
        uow.cases.save(replace(case, authority_case_id=receipt.authority_case_id, decision_due=receipt.decision_due))
    elif item.kind is DispatchKind.DEREGISTRATION_REQUEST and isinstance(receipt, AuthorityReceipt):
        request = _request(uow, item)
        uow.deregistrations.save(replace(request, authority_case_id=receipt.authority_case_id))
    elif item.kind is DispatchKind.UNEMPLOYED_NOTICE:
        case = _case(uow, item)
        uow.cases.save(replace(case, notified_at=at))
        registered = case.status is CaseStatus.REGISTERED
        reason = "; ".join(f"{r.rule_id}: {r.text}" for r in case.decision_reasons)
        report_result(
            uow,
            case.case_id,
            UNEMPLOYED_REGISTRATION_SERVICE,
            at,
            case.notification_due or at,
            case.correlation_id,
            positive=registered,
            reason=reason,
            rule_id="UN-3",
        )
    elif item.kind is DispatchKind.DEREGISTRATION_NOTICE:
        request = _request(uow, item)
        uow.deregistrations.save(replace(request, notified_at=at))
        report_result(
            uow,
            request.request_id,
            DEREGISTRATION_SERVICE,
            at,
            request.notice_due or at,
            request.correlation_id,
            positive=True,
            reason="",
            rule_id="DR-2",
        )
