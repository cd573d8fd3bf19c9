"""One example of each register document (contracts.register_documents), shared by the contract, signing,
cabinet and rendering tests."""

from __future__ import annotations

from datetime import date, datetime

from contracts import register_documents as rd
from kernel.clock import almaty

PERSON = rd.Person("920314403019", "Сулейменова Жанар Ерлановна")
CENTRE = "КГУ «Центр занятости населения города Астаны»"
DIRECTOR = "Серикбаев Ерлан Муратович"
DECISION = rd.AuthorityDecision(
    authority_name="ГУ «Управление занятости и социальных программ города Астаны»",
    decided_on=date(2026, 11, 25),
    decision_number="MIO-2026-000017",
    signed_by="Абдрахманов Серик Болатович",
)
PAYMENT_DOCUMENTS = (
    "өтініш / заявление",
    "жеке басын куәландыратын құжат / документ, удостоверяющий личность",
)


def samples() -> dict[rd.RegisterKind, rd.RegisterDocument]:
    """A filled document of every kind (optional fields given), addressed to :data:`PERSON`."""
    return {
        rd.RegisterKind.UNEMPLOYED_REGISTERED: rd.UnemployedRegistrationNotice(
            document_number="UN-N-2026-000017",
            person=PERSON,
            registered_on=date(2026, 11, 25),
            decision=DECISION,
            payment_documents=PAYMENT_DOCUMENTS,
            centre_name=CENTRE,
            issued_on=date(2026, 11, 26),
            certificate_valid_until=date(2026, 12, 25),
            director_name=DIRECTOR,
            case_id="UN-2026-000017",
        ),
        rd.RegisterKind.UNEMPLOYED_REFUSED: rd.UnemployedRegistrationRefusal(
            document_number="UN-R-2026-000018",
            person=PERSON,
            reasons=(rd.Reason("UN-4", "еңбек шарты бойынша жұмыс істейді / работает по трудовому договору", 2),),
            decision=DECISION,
            centre_name=CENTRE,
            issued_on=date(2026, 11, 26),
            director_name=DIRECTOR,
            case_id="UN-2026-000018",
        ),
        rd.RegisterKind.CERTIFICATE_APPLICATION: rd.CertificateApplication(
            application_id="EGOV-CE-2026-00000000AB12",
            submitted_at=datetime(2026, 11, 27, 10, 15, tzinfo=almaty()),
            centre_name=CENTRE,
            applicant=PERSON,
            consent_to_personal_data=True,
            warned_of_liability=True,
            phone="+77010000000",
            email="zhanar@example.kz",
        ),
        rd.RegisterKind.CERTIFICATE: rd.UnemployedCertificate(
            document_number="CE-2026-000019",
            application_id="EGOV-CE-2026-00000000AB12",
            person=PERSON,
            registered_on=date(2026, 11, 25),
            decision=DECISION,
            centre_name=CENTRE,
            issued_on=date(2026, 11, 27),
            valid_until=date(2026, 12, 26),
            director_name=DIRECTOR,
        ),
        rd.RegisterKind.CERTIFICATE_REFUSED: rd.CertificateRefusal(
            document_number="CE-R-2026-000020",
            application_id="EGOV-CE-2026-00000000AB13",
            person=PERSON,
            reasons=(rd.Reason("CE-3", "жұмыссыз ретінде тіркеуде жоқ / не состоит на учёте в качестве безработного"),),
            centre_name=CENTRE,
            issued_on=date(2026, 11, 27),
            director_name=DIRECTOR,
        ),
        rd.RegisterKind.DEREGISTERED: rd.DeregistrationNotice(
            document_number="DR-N-2026-000021",
            person=PERSON,
            deregistered_on=date(2026, 12, 10),
            reasons=(rd.Reason("DR-1", "әлеуметтік аударымдар түсті / поступили социальные отчисления", 1),),
            decision=rd.AuthorityDecision(DECISION.authority_name, date(2026, 12, 10)),
            centre_name=CENTRE,
            issued_on=date(2026, 12, 11),
            director_name=DIRECTOR,
            case_id="UN-2026-000017",
            re_registration_from=None,
        ),
    }
