"""Result documents of job-seeker registration, signed with the EDS of the centre's director (JS-10).

Rules Annex 3 (notification of registration) and Annex 2 (notification of refusal), in the shape of
``wsdl/xsd/labour-market-documents.xsd``.
"""

from __future__ import annotations

from lxml import etree

from adapters.pki import Credential
from adapters.signatures import sign_document
from ecosystem.catalogue import OfficialIdentity
from employment.domain.models import Applicant, RegistrationDecision

DOCUMENTS_NS = "urn:kz:egov-sim:labour-market:documents:v1"


class SignedResultDocuments:
    def __init__(self, director: OfficialIdentity, credential: Credential) -> None:
        self._director = director
        self._credential = credential

    def issue(self, application_id: str, applicant: Applicant, decision: RegistrationDecision) -> str:
        kind = "jobSeekerRegistrationNotice" if decision.registered else "jobSeekerRegistrationRefusal"
        root = etree.Element(f"{{{DOCUMENTS_NS}}}{kind}", nsmap={"lmd": DOCUMENTS_NS})
        prefix = "JS-N" if decision.registered else "JS-R"
        etree.SubElement(root, "documentNumber").text = f"{prefix}-{application_id}"
        etree.SubElement(root, "applicationId").text = application_id
        person = etree.SubElement(root, "person")
        etree.SubElement(person, "iin").text = applicant.iin
        etree.SubElement(person, "fullName").text = applicant.full_name
        if decision.registered:
            etree.SubElement(root, "registeredOn").text = decision.decided_on.isoformat()
        else:
            reasons = etree.SubElement(root, "reasons")
            for reason in decision.reasons:
                item = etree.SubElement(reasons, "reason")
                etree.SubElement(item, "ruleId").text = reason.rule_id
                etree.SubElement(item, "text").text = reason.text
        etree.SubElement(root, "centreName").text = self._director.organisation
        etree.SubElement(root, "issuedOn").text = decision.decided_on.isoformat()
        director = " ".join((self._director.surname, self._director.given_name, self._director.patronymic))
        etree.SubElement(root, "directorName").text = director
        return etree.tostring(sign_document(root, self._credential), encoding="unicode")
