"""Result documents of job-seeker registration, signed with the EDS of the centre's director (JS-10).

Rules Annex 3 (notification of registration), Annex 2 (notification of refusal to register) and the
reasoned refusal to accept the application (standard item 9), in the shape of
``wsdl/xsd/labour-market-documents.xsd``.
"""

from __future__ import annotations

from datetime import date

from lxml import etree

from adapters.pki import Credential
from adapters.signatures import sign_document
from ecosystem.catalogue import OfficialIdentity
from employment.domain.models import AcceptanceDecision, Applicant, Reason, RegistrationDecision

DOCUMENTS_NS = "urn:kz:egov-sim:labour-market:documents:v1"


class SignedResultDocuments:
    def __init__(self, director: OfficialIdentity, credential: Credential) -> None:
        self._director = director
        self._credential = credential

    def issue(self, application_id: str, applicant: Applicant, decision: RegistrationDecision) -> str:
        if decision.registered:
            root = self._start("jobSeekerRegistrationNotice", f"JS-N-{application_id}", application_id, applicant)
            etree.SubElement(root, "registeredOn").text = decision.decided_on.isoformat()
        else:
            root = self._start("jobSeekerRegistrationRefusal", f"JS-R-{application_id}", application_id, applicant)
            _reasons(root, decision.reasons)
        return self._finish(root, decision.decided_on)

    def issue_not_accepted(self, application_id: str, applicant: Applicant, refusal: AcceptanceDecision) -> str:
        """The reasoned refusal to accept the application (standard item 9; regulation 000 §5 condition 1)."""
        root = self._start("jobSeekerApplicationNotAccepted", f"JS-NA-{application_id}", application_id, applicant)
        _reasons(root, refusal.reasons)
        return self._finish(root, refusal.checked_on)

    @staticmethod
    def _start(kind: str, number: str, application_id: str, applicant: Applicant) -> etree._Element:
        root = etree.Element(f"{{{DOCUMENTS_NS}}}{kind}", nsmap={"lmd": DOCUMENTS_NS})
        etree.SubElement(root, "documentNumber").text = number
        etree.SubElement(root, "applicationId").text = application_id
        person = etree.SubElement(root, "person")
        etree.SubElement(person, "iin").text = applicant.iin
        etree.SubElement(person, "fullName").text = applicant.full_name
        return root

    def _finish(self, root: etree._Element, issued_on: date) -> str:
        etree.SubElement(root, "centreName").text = self._director.organisation
        etree.SubElement(root, "issuedOn").text = issued_on.isoformat()
        director = " ".join((self._director.surname, self._director.given_name, self._director.patronymic))
        etree.SubElement(root, "directorName").text = director
        return etree.tostring(sign_document(root, self._credential), encoding="unicode")


def _reasons(root: etree._Element, reasons: tuple[Reason, ...]) -> None:
    holder = etree.SubElement(root, "reasons")
    for reason in reasons:
        item = etree.SubElement(holder, "reason")
        etree.SubElement(item, "ruleId").text = reason.rule_id
        etree.SubElement(item, "text").text = reason.text
