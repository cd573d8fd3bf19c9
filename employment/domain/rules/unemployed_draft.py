"""UN-1: the draft decision on registration as unemployed that the centre's director approves and sends to
the local authority (Rules No. 259 §31), and UN-5: what the person is told with the decision (§35).

The draft applies on the day it is made what the local authority will check (UN-2, §32): the grounds of
UN-4 (:func:`employment.domain.rules.unemployed_registration.decide_unemployed`, Rules No. 259 §34, with the
Social Code's sixth ground from 01.07.2023) and, from 01.07.2023, the bar on registering again within 30
calendar days of a removal on DR-1 grounds (2)-(4) (Social Code Art. 100 p.2). The facts come from the
person registry (birth date, sex, statuses), the social insurance fund (labour contracts in force) and the
card (the purpose of the application).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from employment.domain.errors import MissingPersonFact
from employment.domain.models import CardProfile, EmploymentPeriod, PersonStatus, Reason, RegistryRecord
from employment.domain.register import RegisterEntry
from employment.domain.rules.deregistration import reregistration_bar
from employment.domain.rules.unemployed_registration import UnemployedApplicant, decide_unemployed

__all__ = [
    "JOB_LOSS_PAYMENT_DOCUMENTS",
    "UNEMPLOYED_REGISTRATION_SERVICE",
    "DraftDecision",
    "draft_decision",
    "unemployed_applicant",
]

UNEMPLOYED_REGISTRATION_SERVICE = "UNEMPLOYED_REGISTRATION"

# UN-5 (Rules No. 259 §35 sub.2): the documents for the social payment for loss of job from the State Social
# Insurance Fund, as regulation 004 names them: the application (in the form of the channel used, §4), the
# identity document (§7: the operator identifies the applicant against the person registry), and, at the
# State Corporation, the certificate of registration as unemployed (§1 sub.1); at the district employment
# and social programmes department when obtaining unemployed status the certificate is not asked (§1 sub.2).
JOB_LOSS_PAYMENT_DOCUMENTS: tuple[str, ...] = (
    "the application for the social payment for loss of job (at the State Corporation, at the district "
    "employment and social programmes department, or on the egov portal signed with your EDS; regulation 004 §4)",
    "your identity document (regulation 004 §7)",
    "the certificate of registration as unemployed, when you apply through the State Corporation "
    "(regulation 004 §1 sub.1; ask for it on the egov portal); not needed at the district department when you "
    "obtain unemployed status (regulation 004 §1 sub.2)",
    "or, with your consent, the employment centre sends the application to the fund for you once you are "
    "registered (Rules No. 259 §35): give the centre your consent with the IBAN of your bank account and the "
    "number and date of the agreement that opened it",
)


@dataclass(frozen=True)
class DraftDecision:
    """The centre's draft of the local authority's decision (UN-1): register, or refuse with the reasons."""

    case_id: str
    iin: str
    full_name: str
    drafted_on: date
    reasons: tuple[Reason, ...]

    @property
    def proposes_registration(self) -> bool:
        return not self.reasons


def unemployed_applicant(
    record: RegistryRecord, employment: tuple[EmploymentPeriod, ...], profile: CardProfile
) -> UnemployedApplicant:
    """What UN-4 reads, from the person registry's record, the fund's periods and the card."""
    if record.sex is None:
        raise MissingPersonFact(
            f"the person registry did not give the sex of IIN {record.iin}: the pension age (UN-4 (3)) cannot be "
            "decided; the draft is made when the registry answers it"
        )
    return UnemployedApplicant(
        birth_date=record.birth_date,
        sex=record.sex,
        employment=employment,
        student_seeking_active_measures=PersonStatus.STUDENT in record.statuses and profile.applies_for_active_measures,
        sentenced_to_works_or_imprisonment=PersonStatus.IMPRISONED in record.statuses,
    )


def draft_decision(
    case_id: str, full_name: str, applicant: UnemployedApplicant, entry: RegisterEntry, on: date
) -> DraftDecision:
    """UN-1 (§31) with UN-4 (§34) and the Social Code's bar (Art. 100 p.2), applied on ``on``."""
    reasons = decide_unemployed(applicant, on).reasons
    bar = reregistration_bar(entry.reregistration_barred_until, entry.deregistration_ground, on)
    return DraftDecision(case_id, entry.iin, full_name, on, reasons + ((bar,) if bar else ()))
