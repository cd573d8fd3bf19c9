"""CE-1..CE-4: the certificate of registration as unemployed (Rules No. 259 §38-43, Annexes 6-8).

- CE-1 (§38, §40-42; Annex 6 items 2, 3, 6, 8): only through the egov portal, on an application (Annex 7)
  signed with the applicant's EDS; free; term 1 day (``register_terms.certificate_due``).
- CE-2 (§38; Annex 8): valid 30 calendar days from the day of issue, that day counted; the certificate states
  its last day, inclusive (T-4, ``terms.certificate_valid_until``).
- CE-3 (Annex 6 item 9): refused when the person is not registered as unemployed on the day of issue:
  never registered, only a job seeker, awaiting the authority's decision, refused, or removed (from the day
  of removal on: a certificate asked the day after the removal is refused).
- CE-4 (§43): the certificate or the reasoned refusal goes to the personal cabinet and is kept there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from employment.domain.calendar import WorkingCalendar
from employment.domain.errors import SignerIsNotApplicant
from employment.domain.models import Reason
from employment.domain.register import RegisterEntry, RegisterState
from employment.domain.terms import certificate_valid_until

__all__ = [
    "CERTIFICATE_SERVICE",
    "CertificateDecision",
    "decide_certificate",
    "not_registered_as_unemployed",
    "require_signed_by_applicant",
]

CERTIFICATE_SERVICE = "UNEMPLOYED_CERTIFICATE"


@dataclass(frozen=True)
class CertificateDecision:
    issued_on: date
    registered_on: date | None  # the day registered as unemployed (stated on the certificate, Annex 8)
    valid_until: date | None  # inclusive (Annex 8); None for a refusal
    reasons: tuple[Reason, ...]

    @property
    def issued(self) -> bool:
        return not self.reasons


def require_signed_by_applicant(signer_iin: str | None, iin: str) -> None:
    """CE-1 (Rules No. 259 §41; Annex 7): the application is certified with the applicant's own EDS."""
    if signer_iin != iin:
        raise SignerIsNotApplicant(
            f"the certificate application names IIN {iin} but is signed with the certificate of IIN {signer_iin} "
            "(Rules No. 259 §41: the applicant signs it with their own EDS)"
        )


def not_registered_as_unemployed(entry: RegisterEntry | None, on: date) -> Reason | None:
    """CE-3 (Annex 6 item 9): the certificate is refused when the person is not registered as unemployed."""
    if entry is None:
        return Reason("CE-3", "The person is not in the register of the employment centre (Annex 6 item 9).")
    if entry.state.registered_as_unemployed and entry.unemployed_since is not None and entry.unemployed_since <= on:
        return None
    if entry.state is RegisterState.DEREGISTERED and entry.deregistered_on is not None:
        return Reason(
            "CE-3",
            f"The person was removed from the register of the unemployed on {entry.deregistered_on.isoformat()} "
            f"({entry.deregistration_ground}); not registered as unemployed (Annex 6 item 9).",
        )
    described = {
        RegisterState.JOB_SEEKER: "registered as a job seeker, not as unemployed",
        RegisterState.OFFERED: "registered as a job seeker with an offer of suitable work, not as unemployed",
        RegisterState.AWAITING_AUTHORITY: "awaiting the local authority's decision on registration as unemployed",
        RegisterState.REFUSED_UNEMPLOYED: "refused registration as unemployed",
    }.get(entry.state, "not registered as unemployed on that day")
    return Reason("CE-3", f"The person is {described} (Annex 6 item 9).")


def decide_certificate(entry: RegisterEntry | None, on: date, calendar: WorkingCalendar) -> CertificateDecision:
    """CE-2, CE-3: issue on ``on`` with its last day of validity, or refuse with the reason."""
    refusal = not_registered_as_unemployed(entry, on)
    if refusal is not None:
        return CertificateDecision(on, None, None, (refusal,))
    assert entry is not None
    return CertificateDecision(on, entry.unemployed_since, certificate_valid_until(on, calendar), ())
