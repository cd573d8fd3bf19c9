"""Example payloads of the local authority's contract, as the employment centre, the portal and the authority
build them (contracts.local_authority), for the contract, service and integration tests."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from adapters.pki import Credential
from adapters.signatures import sign_document
from contracts import local_authority as la
from kernel.clock import almaty
from mocks.population import PERSONA_EMPLOYED, PERSONA_JOB_SEEKER

MONDAY = dt.datetime(2026, 11, 23, 10, 0, tzinfo=almaty())

JOB_SEEKER = la.Person(
    PERSONA_JOB_SEEKER,
    "Сулейменова",
    "Жанар",
    "Ерлановна",
    dt.date(1992, 3, 14),
    la.Sex.FEMALE,
    "г. Астана, Есильский район, проспект Мангилик Ел, д. 25, кв. 114",
)
EMPLOYED = la.Person(
    PERSONA_EMPLOYED,
    "Кузнецов",
    "Дмитрий",
    "Сергеевич",
    dt.date(1985, 9, 2),
    la.Sex.MALE,
    "г. Алматы, Бостандыкский район",
)


def package(
    case_id: str = "UN-2026-0001",
    person: la.Person = JOB_SEEKER,
    draft: la.DraftDecision | None = None,
    sent_at: dt.datetime = MONDAY,
) -> la.UnemployedRegistrationPackage:
    return la.UnemployedRegistrationPackage(
        case_id=case_id,
        sent_at=sent_at,
        person=person,
        job_seeker_registered_on=dt.date(2026, 11, 20),
        sending_ground=la.SendingGround.NO_SUITABLE_WORK,
        draft=draft or la.DraftDecision(la.Outcome.REGISTERED),
    )


def deregistration(
    case_id: str = "DR-2026-0001", ground: int = 7, person: la.Person = JOB_SEEKER
) -> la.DeregistrationRequest:
    return la.DeregistrationRequest(
        case_id=case_id,
        sent_at=MONDAY,
        person=person,
        unemployed_since=dt.date(2026, 8, 10),
        ground=ground,
        facts="the diploma presented on 2026-08-10 was forged (letter of the university of 2026-11-18)",
        information_received_on=dt.date(2026, 11, 20),
    )


def complaint(
    complaint_id: str = "AP-2026-0001", addressee: la.Addressee = la.Addressee.LOCAL_AUTHORITY
) -> la.Complaint:
    return la.Complaint(
        complaint_id=complaint_id,
        submitted_at=MONDAY,
        complainant_iin=PERSONA_JOB_SEEKER,
        complainant_name="Сулейменова Жанар Ерлановна",
        addressee=addressee,
        subject="refusal to register as unemployed",
        text="I have no work since August; the refusal names a contract I do not have.",
        contested_application_id="UN-2026-0001",
    )


def decision(outcome: la.Outcome = la.Outcome.REGISTERED) -> la.AuthorityDecision:
    registration = outcome is not la.Outcome.DEREGISTERED
    reasons = {
        la.Outcome.REGISTERED: (),
        la.Outcome.REFUSED: (la.Reason("UN-4 (2)", "a labour contract is in force"),),
        la.Outcome.DEREGISTERED: (la.Reason("DR-1 (1)", "contributions arrive"),),
    }[outcome]
    return la.AuthorityDecision(
        decision_id="MIO-0123456789abcdef",
        case_id="UN-2026-0001",
        kind=la.CaseKind.UNEMPLOYED_REGISTRATION if registration else la.CaseKind.DEREGISTRATION,
        outcome=outcome,
        person_iin=PERSONA_JOB_SEEKER,
        person_full_name="Сулейменова Жанар Ерлановна",
        reasons=reasons,
        decided_on=dt.date(2026, 11, 23),
        registered_on=dt.date(2026, 11, 23) if outcome is la.Outcome.REGISTERED else None,
        authority_name="ГУ «Управление занятости и социальных программ города Астаны»",
        signer_name="Абдрахманова Гульнара Бекетовна",
        signer_position="head of the local employment authority",
    )


def signed_text(element: etree._Element, credential: Credential) -> str:
    """The document signed (enveloped XML-DSig) and serialised as it travels."""
    return etree.tostring(sign_document(element, credential), encoding="unicode")
