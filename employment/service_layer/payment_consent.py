"""UN-5 (Rules No. 259 §35; regulation 004 §1 (2)): with the person's consent the centre sends the application for
the social payment for loss of job to the State Social Insurance Fund itself, so the fund receives it without a
second visit.

- :func:`give_payment_consent` — the person (or the specialist for them) gives the consent with the account of the
  payment, before or after the local authority's decision. The applicant's data and identity document are asked of
  the person registry (JS-4); the consent is kept on the current registration case. Given when the person is
  registered already, the application is queued at once; given before, it is queued with the decision
  (:func:`queue_payment_application`, called by :func:`employment.service_layer.unemployed.record_decision`).
- The dispatch step (:mod:`employment.service_layer.dispatch`) sends it, at least once, under an id derived from
  the case (the fund registers it once), and keeps the fund's receipt (registration number, deadline) on the case.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from employment.domain.errors import ConflictingDecision, InvalidPaymentConsent, NotInRegister
from employment.domain.register import RegisterState
from employment.domain.rules.payment_consent import (
    check_bank_account,
    check_consent_allowed,
    payment_application_id,
)
from employment.service_layer.register_filing import RegisterServices, in_transaction
from employment.service_layer.register_records import (
    CaseStatus,
    Dispatch,
    DispatchKind,
    PaymentConsent,
    RegistrationCase,
)
from employment.service_layer.unit_of_work import UnitOfWork

__all__ = ["GivePaymentConsent", "give_payment_consent", "queue_payment_application"]


@dataclass(frozen=True)
class GivePaymentConsent:
    iin: str
    consent: bool
    iban: str
    bank_agreement_number: str
    bank_account_opened_on: date
    given_at: datetime
    given_by: str


def give_payment_consent(command: GivePaymentConsent, services: RegisterServices) -> RegistrationCase:
    """UN-5: keep the consent on the person's current registration case; queue the application when the person
    is registered as unemployed already. The same consent again changes nothing; a different one replaces it
    until the application is queued, then raises :class:`ConflictingDecision`. Raises
    :class:`InvalidPaymentConsent` (no consent, an unusable account, no identity data) or :class:`NotInRegister`
    (no registration under way or made); nothing is stored then."""
    if not command.consent:
        raise InvalidPaymentConsent(
            "without the person's consent the centre does not send the application (Rules No. 259 §35; the fund "
            "refuses an application without it: PE-4 (5), Social Code Art. 115 p.1 sub.5)"
        )
    today = services.calendar.effective_receipt(command.given_at).date()
    check_bank_account(command.iban, command.bank_agreement_number, command.bank_account_opened_on, today)
    with services.uow() as uow:
        check_consent_allowed(uow.register.entry_for_update(command.iin), command.iin)
    record = services.registry.find(command.iin, None)
    if record is None or record.sex is None or not record.document_number or record.document_issued_on is None:
        raise InvalidPaymentConsent(
            f"the person registry gives no identity document or sex of IIN {command.iin}: the application "
            "cannot state them (004 §7)"
        )

    def work(uow: UnitOfWork) -> RegistrationCase:
        entry = check_consent_allowed(uow.register.entry_for_update(command.iin), command.iin)
        case = uow.cases.get(entry.case_id)
        if case is None or case.status in (CaseStatus.REFUSED, CaseStatus.CLOSED):
            raise NotInRegister(f"IIN {command.iin} has no registration as unemployed under way (case {entry.case_id})")
        assert record is not None and record.sex is not None  # checked above
        assert record.document_number is not None and record.document_issued_on is not None
        consent = PaymentConsent(
            application_id=payment_application_id(case.case_id),
            given_at=command.given_at,
            given_by=command.given_by,
            iban=command.iban,
            bank_agreement_number=command.bank_agreement_number,
            bank_account_opened_on=command.bank_account_opened_on,
            surname=record.surname,
            name=record.name,
            patronymic=record.patronymic,
            birth_date=record.birth_date,
            sex=record.sex,
            identity_document_number=record.document_number,
            identity_document_issued_on=record.document_issued_on,
            identity_document_valid_until=record.document_valid_until,
        )
        if case.payment is not None and _same(case.payment, consent):
            return case
        if uow.dispatches.get(_dispatch_id(case)) is not None:
            raise ConflictingDecision(
                f"the job-loss payment application {case.payment.application_id if case.payment else ''} of case "
                f"{case.case_id} is sent with the consent given at {case.payment.given_at if case.payment else ''}; "
                "it is not changed"
            )
        changed = replace(case, payment=consent)
        uow.cases.save(changed)
        if case.status is CaseStatus.REGISTERED and entry.state is RegisterState.UNEMPLOYED:
            queue_payment_application(uow, changed, command.given_at, command.given_at)
        return changed

    return in_transaction(services.uow, work)


def _same(kept: PaymentConsent, given: PaymentConsent) -> bool:
    return (kept.iban, kept.bank_agreement_number, kept.bank_account_opened_on) == (
        given.iban,
        given.bank_agreement_number,
        given.bank_account_opened_on,
    )


def _dispatch_id(case: RegistrationCase) -> str:
    return f"{case.case_id}/{DispatchKind.PAYMENT_APPLICATION.value}"


def queue_payment_application(uow: UnitOfWork, case: RegistrationCase, due: datetime, now: datetime) -> bool:
    """UN-5: queue the application of a registered person who consented (in the caller's transaction)."""
    if case.payment is None:
        return False
    return uow.dispatches.add(
        Dispatch(_dispatch_id(case), DispatchKind.PAYMENT_APPLICATION, case.iin, case.case_id, due, now)
    )
