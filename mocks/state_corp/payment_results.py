"""What the fund answers the State Corporation about a job-loss payment application, checked before the operator
shows it (SP-3; regulation 004 §8 process 8: the result reaches the applicant through the operator).

- The receipt (``applicationReceipt``, SP-3 process 6): the registration number at the regional workstation and
  the deadline of the service, for this case's application id.
- The status (``applicationStatus``, service ``GFSS_JobLossPaymentResult``): the stage, when it was reached, the
  deadline, and once issued the notification of assignment or refusal and any notices (Social Code Art. 119) as
  the exact signed text. Each signed text is verified on its bytes (:func:`adapters.signed_documents.
  verify_signed_text`, the State Corporation's trust store, ``job-loss-payment.xsd``) and must be signed by an
  official of the fund (the certificate carries the fund's BIN: the department's authorised person, 004 §3),
  name this application and this applicant; only then is it read and kept.

The decision is kept read as JSON for the operator's screen: the outcome, the grounds with their rule ids and
articles for a refusal (PE-4, Art. 115 p.1; PE-5, Art. 115 p.2), or for an assignment the gross and net monthly
amounts in tenge to the tiyn, the pension contribution withheld (10 %, Art. 118) and the monthly schedule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from lxml import etree

from adapters.pki import CertificateSubject, TrustStore
from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode
from adapters.signed_documents import DocumentRejected, compiled_schema, verify_signed_text
from adapters.xml import XmlRejected, parse_xml
from contracts import job_loss_payment as jl

_MALFORMED = ErrorCode.MALFORMED.value
OUTCOME_TEXT = {
    jl.Outcome.ASSIGNED: "the job-loss payment is assigned (Social Code Arts. 117, 118)",
    jl.Outcome.REFUSED_TO_ACCEPT: "the application is refused to be accepted (PE-4, Social Code Art. 115 p.1)",
    jl.Outcome.REFUSED_TO_ASSIGN: "the payment is refused to be assigned (PE-5, Social Code Art. 115 p.2)",
}


class UntrustedAnswer(ValueError):
    """The fund's answer cannot be shown: not its contract, not for this case, or a signature that does not hold;
    ``code`` is the gateway error code it amounts to."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def payload_text(payload: Payload) -> str:
    """The reply's document as text, whichever way it travelled (as a string or as XML)."""
    if payload.text:
        return payload.text
    if payload.element is not None:
        return etree.tostring(payload.element, encoding="unicode")
    raise UntrustedAnswer(_MALFORMED, "the fund's reply carries no document")


def _element(payload: Payload) -> etree._Element:
    try:
        return parse_xml(payload_text(payload))
    except XmlRejected as exc:
        raise UntrustedAnswer(_MALFORMED, f"the fund's reply is not acceptable XML: {exc}") from exc


class _ForApplication(Protocol):
    @property
    def application_id(self) -> str: ...


_Answer = TypeVar("_Answer", bound=_ForApplication)
_Signed = TypeVar("_Signed")


def _read_for_case(payload: Payload, case_id: str, read: Callable[[etree._Element], _Answer], what: str) -> _Answer:
    """The fund's ``application{what}`` read from the reply (after ``job-loss-payment.xsd``): it must name
    application ``case_id``."""
    try:
        element = _element(payload)
        jl.check_against_schema(element)
        answer = read(element)
    except jl.JobLossPaymentPayloadError as exc:
        raise UntrustedAnswer(_MALFORMED, f"the fund's reply is not an application {what}: {exc}") from exc
    if answer.application_id != case_id:
        raise UntrustedAnswer(_MALFORMED, f"the {what} names application {answer.application_id}, not {case_id}")
    return answer


def read_receipt(payload: Payload, case_id: str) -> jl.ApplicationReceipt:
    """The fund's receipt for application ``case_id`` (SP-3 process 6)."""
    return _read_for_case(payload, case_id, jl.read_receipt, "receipt")


def read_status(payload: Payload, case_id: str) -> jl.ApplicationStatus:
    """The fund's answer to ``applicationStatusQuery`` for ``case_id`` (its signed texts not yet verified)."""
    return _read_for_case(payload, case_id, jl.read_status, "status")


def tenge(amount: Decimal) -> str:
    """``121500.00`` as ``121 500.00 ₸``: tenge to the tiyn, thousands apart."""
    whole, _, tiyn = f"{amount:.2f}".partition(".")
    return f"{int(whole):,}".replace(",", " ") + f".{tiyn} ₸"


def _money(amount: Decimal) -> dict[str, str]:
    return {"amount": f"{amount:.2f}", "display": tenge(amount)}


def _signer(subject: CertificateSubject) -> dict[str, Any]:
    return {"commonName": subject.common_name, "iin": subject.iin, "bin": subject.bin}


def _ground(ground: jl.Ground) -> dict[str, str]:
    return {"ruleId": ground.rule_id, "article": ground.article, "text": ground.text}


def _schedule(months: tuple[jl.ScheduledMonth, ...]) -> list[dict[str, Any]]:
    return [
        {"start": m.start.isoformat(), "end": m.end.isoformat(), "gross": _money(m.gross), "net": _money(m.net)}
        for m in months
    ]


def _issuer(issuer: jl.Issuer) -> dict[str, str]:
    return {
        "bin": issuer.bin,
        "name": issuer.name,
        "signerName": issuer.signer_name,
        "signerPosition": issuer.signer_position,
    }


@dataclass(frozen=True)
class FundVerifier:
    """Verifies what the fund signed: an official of the fund (``fund_bin``) on the exact bytes, at ``now``."""

    trust: TrustStore
    fund_bin: str

    def _read(
        self, text: str, at: datetime, what: str, read: Callable[[etree._Element], _Signed]
    ) -> tuple[_Signed, CertificateSubject]:
        """The ``what`` verified on its bytes and read with ``read``; its signer."""
        try:
            verified = verify_signed_text(
                text, self.trust, at, signer_bin=self.fund_bin, schema=compiled_schema(jl.SCHEMA)
            )
        except DocumentRejected as exc:
            raise UntrustedAnswer(exc.code.value, f"the {what} cannot be trusted as the fund's: {exc}") from exc
        try:
            return read(verified.signed), verified.signer
        except jl.JobLossPaymentPayloadError as exc:
            raise UntrustedAnswer(_MALFORMED, f"the {what} cannot be read: {exc}") from exc

    def decision(self, text: str, at: datetime, case_id: str, applicant_iin: str) -> dict[str, Any]:
        """The signed notification of assignment or refusal, verified and read for the operator's screen."""
        decision, signer = self._read(text, at, "decision", jl.read_decision)
        if decision.application_id != case_id or decision.applicant_iin != applicant_iin:
            raise UntrustedAnswer(
                _MALFORMED,
                f"the decision is for application {decision.application_id} of IIN {decision.applicant_iin}, "
                f"not for {case_id} of IIN {applicant_iin}",
            )
        shown: dict[str, Any] = {
            "decisionId": decision.decision_id,
            "registrationNumber": decision.registration_number,
            "decidedOn": decision.decided_on.isoformat(),
            "outcome": decision.outcome.value,
            "outcomeText": OUTCOME_TEXT[decision.outcome],
            "applicantName": decision.applicant_name,
            "issuer": _issuer(decision.issuer),
            "signedBy": _signer(signer),
            "grounds": [_ground(ground) for ground in decision.grounds],
            "payment": None,
        }
        payment = decision.payment
        if payment is not None:
            shown["payment"] = {
                "rightArose": payment.right_arose.isoformat(),
                "participationMonths": payment.participation_months,
                "countedParticipationMonths": payment.counted_participation_months,
                "averageMonthlyIncome": _money(payment.average_monthly_income),
                "replacementCoefficient": str(payment.replacement_coefficient),
                "participationCoefficient": str(payment.participation_coefficient),
                "grossMonthly": _money(payment.gross),
                "pensionContribution": _money(payment.pension_contribution),
                "netMonthly": _money(payment.net),
                "months": len(payment.schedule),
                "schedule": _schedule(payment.schedule),
                "pensionAgeDay": payment.pension_age_day.isoformat() if payment.pension_age_day else None,
            }
        return shown

    def notice(self, text: str, at: datetime, decision_id: str, applicant_iin: str) -> dict[str, Any]:
        """A signed notice of suspension or termination (Social Code Art. 119), verified and read."""
        notice, signer = self._read(text, at, "notice", jl.read_notice)
        if notice.decision_id != decision_id or notice.applicant_iin != applicant_iin:
            raise UntrustedAnswer(
                _MALFORMED, f"the notice {notice.notice_id} is for decision {notice.decision_id}, not {decision_id}"
            )
        return {
            "noticeId": notice.notice_id,
            "kind": notice.kind.value,
            "ground": _ground(notice.ground),
            "effectiveFrom": notice.effective_from.isoformat(),
            "issuedOn": notice.issued_on.isoformat(),
            "schedule": _schedule(notice.schedule),
            "signedBy": _signer(signer),
            "document": text,
        }
