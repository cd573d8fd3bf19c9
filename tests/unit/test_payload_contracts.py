"""Business-payload contracts (wsdl/xsd/*.xsd) against the example instances in tests/fixtures/payloads.

Every fixture must validate against its schema; mutated copies that break the contract must not.
"""

from __future__ import annotations

import gc
import warnings
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

REPO_ROOT = Path(__file__).resolve().parents[2]
XSD_DIR = REPO_ROOT / "wsdl" / "xsd"
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "payloads"

DS_NS = "http://www.w3.org/2000/09/xmldsig#"
MSG_NS = "http://message.persistence.interactive.nat"
JS_NS = "urn:kz:egov-sim:labour-market:job-seeker:v1"
LMD_NS = "urn:kz:egov-sim:labour-market:documents:v1"
GFSS_NS = "urn:kz:egov-sim:gfss:contributions:v1"
LMR_NS = "urn:kz:egov-sim:labour-market:register:v1"
LA_NS = "urn:kz:egov-sim:local-authority:v1"

PAYLOAD_SCHEMAS = [
    "gbdfl-dictionaries.xsd",
    "gbdfl-documents.xsd",
    "gbdfl-person.xsd",
    "gbdfl-message.xsd",
    "job-seeker-registration.xsd",
    "labour-market-documents.xsd",
    "gfss-contributions.xsd",
    "register-documents.xsd",
    "local-authority.xsd",
]

# fixture file -> (schema file, expected root {namespace}localName)
FIXTURE_SCHEMA = {
    "gbdfl-request.xml": ("gbdfl-message.xsd", f"{{{MSG_NS}}}request"),
    "gbdfl-response.xml": ("gbdfl-message.xsd", f"{{{MSG_NS}}}response"),
    "gbdfl-response-statuses.xml": ("gbdfl-message.xsd", f"{{{MSG_NS}}}response"),
    "job-seeker-form.xml": ("job-seeker-registration.xsd", f"{{{JS_NS}}}jobSeekerRegistrationForm"),
    "registration-notice.xml": ("labour-market-documents.xsd", f"{{{LMD_NS}}}jobSeekerRegistrationNotice"),
    "registration-refusal.xml": ("labour-market-documents.xsd", f"{{{LMD_NS}}}jobSeekerRegistrationRefusal"),
    "application-not-accepted.xml": ("labour-market-documents.xsd", f"{{{LMD_NS}}}jobSeekerApplicationNotAccepted"),
    "contributions-request.xml": ("gfss-contributions.xsd", f"{{{GFSS_NS}}}contributionsRequest"),
    "contributions-response.xml": ("gfss-contributions.xsd", f"{{{GFSS_NS}}}contributionsResponse"),
    "unemployed-registration-notice.xml": ("register-documents.xsd", f"{{{LMR_NS}}}unemployedRegistrationNotice"),
    "unemployed-registration-refusal.xml": ("register-documents.xsd", f"{{{LMR_NS}}}unemployedRegistrationRefusal"),
    "certificate-application.xml": ("register-documents.xsd", f"{{{LMR_NS}}}unemployedCertificateApplication"),
    "unemployed-certificate.xml": ("register-documents.xsd", f"{{{LMR_NS}}}unemployedCertificate"),
    "certificate-refusal.xml": ("register-documents.xsd", f"{{{LMR_NS}}}unemployedCertificateRefusal"),
    "deregistration-notice.xml": ("register-documents.xsd", f"{{{LMR_NS}}}unemployedDeregistrationNotice"),
    "local-authority-package.xml": ("local-authority.xsd", f"{{{LA_NS}}}unemployedRegistrationPackage"),
    "local-authority-decision.xml": ("local-authority.xsd", f"{{{LA_NS}}}authorityDecision"),
}

_SCHEMA_CACHE: dict[str, xmlschema.XMLSchema] = {}


def load_schema(name: str) -> xmlschema.XMLSchema:
    if name not in _SCHEMA_CACHE:
        _SCHEMA_CACHE[name] = xmlschema.XMLSchema(str(XSD_DIR / name))
    return _SCHEMA_CACHE[name]


def parse_fixture(name: str) -> etree._ElementTree:
    return etree.parse(str(FIXTURES / name))


def child(parent: etree._Element, local: str) -> etree._Element:
    found = parent.find(local)
    assert found is not None, f"fixture has no <{local}> under <{parent.tag}>"
    return found


def assert_invalid(schema: xmlschema.XMLSchema, tree: etree._ElementTree) -> None:
    assert not schema.is_valid(tree)
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        schema.validate(tree)


def add_signature(root: etree._Element) -> None:
    """Append a structurally complete (not cryptographically valid) enveloped ds:Signature
    as the last child. xmlschema knows the XML-DSig schema, so the lax wildcard checks its shape."""

    def ds(parent: etree._Element, local: str, text: str | None = None, **attrs: str) -> etree._Element:
        el = etree.SubElement(parent, f"{{{DS_NS}}}{local}", attrs)
        el.text = text
        return el

    sig = ds(root, "Signature")
    signed_info = ds(sig, "SignedInfo")
    ds(signed_info, "CanonicalizationMethod", Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315")
    ds(signed_info, "SignatureMethod", Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")
    ref = ds(signed_info, "Reference", URI="")
    transforms = ds(ref, "Transforms")
    ds(transforms, "Transform", Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature")
    ds(ref, "DigestMethod", Algorithm="http://www.w3.org/2001/04/xmlenc#sha256")
    ds(ref, "DigestValue", "AAAA")
    ds(sig, "SignatureValue", "AAAA")
    ds(ds(ds(sig, "KeyInfo"), "X509Data"), "X509Certificate", "AAAA")


# ---------------------------------------------------------------- schemas


@pytest.mark.parametrize("xsd", PAYLOAD_SCHEMAS)
def test_schema_loads_without_warnings(xsd: str) -> None:
    gc.collect()  # an earlier test's unclosed socket must not be collected, and reported, inside the block
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        schema = xmlschema.XMLSchema(str(XSD_DIR / xsd))
    assert schema.built
    # xmlschema's own warnings (XMLSchemaWarning and friends) about the schema; a ResourceWarning is about
    # some object of another test that the garbage collector happened to reach here.
    assert [str(w.message) for w in caught if not issubclass(w.category, ResourceWarning)] == []
    assert schema.validity == "valid"


@pytest.mark.parametrize("xsd", PAYLOAD_SCHEMAS)
def test_schema_conventions(xsd: str) -> None:
    doc = etree.parse(str(XSD_DIR / xsd)).getroot()
    assert doc.get("elementFormDefault") == "unqualified"
    assert doc.get("attributeFormDefault") == "unqualified"
    xs = "{http://www.w3.org/2001/XMLSchema}"
    documentation = doc.find(f"{xs}annotation/{xs}documentation")
    assert documentation is not None and documentation.text and documentation.text.strip()
    # zeep's schema visitor rejects XML comments among xs:schema's children
    assert not [c for c in doc if not isinstance(c.tag, str)], "no comments at schema level (zeep)"


def test_schema_root_elements() -> None:
    assert set(load_schema("gbdfl-message.xsd").elements) == {"request", "response"}
    assert set(load_schema("job-seeker-registration.xsd").elements) == {"jobSeekerRegistrationForm"}
    assert set(load_schema("labour-market-documents.xsd").elements) == {
        "jobSeekerRegistrationNotice",
        "jobSeekerRegistrationRefusal",
        "jobSeekerApplicationNotAccepted",
    }
    assert set(load_schema("gfss-contributions.xsd").elements) == {
        "contributionsRequest",
        "contributionsResponse",
    }
    assert set(load_schema("register-documents.xsd").elements) == {
        "unemployedRegistrationNotice",
        "unemployedRegistrationRefusal",
        "unemployedCertificateApplication",
        "unemployedCertificate",
        "unemployedCertificateRefusal",
        "unemployedDeregistrationNotice",
        "cabinetDocumentDelivery",
        "cabinetDocumentReceipt",
    }
    assert set(load_schema("local-authority.xsd").elements) == {
        "unemployedRegistrationPackage",
        "deregistrationRequest",
        "complaint",
        "receipt",
        "authorityDecision",
        "decisionAcknowledgement",
    }


# ---------------------------------------------------------------- fixtures


def test_every_fixture_is_covered() -> None:
    assert {p.name for p in FIXTURES.glob("*.xml")} == set(FIXTURE_SCHEMA)


@pytest.mark.parametrize("fixture", sorted(FIXTURE_SCHEMA))
def test_fixture_validates(fixture: str) -> None:
    xsd, root_tag = FIXTURE_SCHEMA[fixture]
    schema = load_schema(xsd)
    tree = parse_fixture(fixture)
    assert tree.getroot().tag == root_tag
    schema.validate(tree)  # raises with the reason if invalid


@pytest.mark.parametrize("fixture", sorted(FIXTURE_SCHEMA))
def test_children_are_unqualified(fixture: str) -> None:
    root = parse_fixture(fixture).getroot()
    for el in root.iterdescendants(tag=etree.Element):
        assert etree.QName(el).namespace is None, f"{el.tag} should be unqualified"


@pytest.mark.parametrize("fixture", sorted(FIXTURE_SCHEMA))
def test_fixture_accepts_enveloped_signature_as_last_child(fixture: str) -> None:
    xsd, _ = FIXTURE_SCHEMA[fixture]
    tree = parse_fixture(fixture)
    add_signature(tree.getroot())
    load_schema(xsd).validate(tree)


def test_signature_must_be_last_child() -> None:
    schema = load_schema("labour-market-documents.xsd")
    tree = parse_fixture("registration-notice.xml")
    root = tree.getroot()
    add_signature(root)
    sig = root[-1]
    root.remove(sig)
    root.insert(0, sig)
    assert_invalid(schema, tree)


def test_gbdfl_response_person_is_decoded() -> None:
    data = load_schema("gbdfl-message.xsd").to_dict(str(FIXTURES / "gbdfl-response.xml"))
    assert data["messageResult"]["code"] == "00000"
    person = data["persons"]["person"][0]
    assert person["iin"] == "900515400123"
    assert person["gender"]["code"] == "2"
    assert person["citizenship"]["code"] == "398"
    assert person["lifeStatus"]["code"] == "0"
    assert person["regAddress"]["city"] == "Астана"
    doc_types = {d["type"]["code"] for d in person["documents"]["document"]}
    assert "002" in doc_types
    assert {d["issueOrganization"]["code"] for d in person["documents"]["document"]} == {"002"}


def test_form_with_legal_representative_is_valid() -> None:
    schema = load_schema("job-seeker-registration.xsd")
    tree = parse_fixture("job-seeker-form.xml")
    root = tree.getroot()
    consent = child(root, "consentToPersonalData")
    rep = etree.Element("legalRepresentative")
    etree.SubElement(rep, "iin").text = "031231500126"
    etree.SubElement(rep, "fullName").text = "Сейткали Аслан Болатович"
    etree.SubElement(rep, "statement").text = "I ask to register my son as a person seeking work."
    consent.addprevious(rep)
    schema.validate(tree)


# ---------------------------------------------------------------- negative cases


def test_form_without_applicant_iin_is_invalid() -> None:
    schema = load_schema("job-seeker-registration.xsd")
    tree = parse_fixture("job-seeker-form.xml")
    applicant = child(tree.getroot(), "applicant")
    applicant.remove(child(applicant, "iin"))
    assert_invalid(schema, tree)


def test_form_without_applicant_is_invalid() -> None:
    schema = load_schema("job-seeker-registration.xsd")
    tree = parse_fixture("job-seeker-form.xml")
    root = tree.getroot()
    root.remove(child(root, "applicant"))
    assert_invalid(schema, tree)


@pytest.mark.parametrize("bad_iin", ["90051540012", "9005154001234", "90051540012A", ""])
def test_form_with_malformed_iin_is_invalid(bad_iin: str) -> None:
    schema = load_schema("job-seeker-registration.xsd")
    tree = parse_fixture("job-seeker-form.xml")
    child(child(tree.getroot(), "applicant"), "iin").text = bad_iin
    assert_invalid(schema, tree)


@pytest.mark.parametrize(
    ("fixture", "path"),
    [
        ("gbdfl-request.xml", "iin"),
        ("gbdfl-response.xml", "persons/person/iin"),
        ("registration-notice.xml", "person/iin"),
        ("registration-refusal.xml", "person/iin"),
        ("contributions-request.xml", "iin"),
        ("contributions-response.xml", "iin"),
        ("unemployed-registration-notice.xml", "person/iin"),
        ("certificate-application.xml", "applicant/iin"),
        ("unemployed-certificate.xml", "person/iin"),
        ("deregistration-notice.xml", "person/iin"),
        ("local-authority-package.xml", "person/iin"),
        ("local-authority-decision.xml", "person/iin"),
    ],
)
def test_eleven_digit_iin_is_invalid_everywhere(fixture: str, path: str) -> None:
    xsd, _ = FIXTURE_SCHEMA[fixture]
    tree = parse_fixture(fixture)
    el = tree.getroot().find(path)
    assert el is not None
    el.text = "03123150012"
    assert_invalid(load_schema(xsd), tree)


def test_contributions_response_with_non_numeric_amount_is_invalid() -> None:
    schema = load_schema("gfss-contributions.xsd")
    tree = parse_fixture("contributions-response.xml")
    amount = tree.getroot().find("contributions/contribution/amount")
    assert amount is not None
    amount.text = "twelve thousand"
    assert_invalid(schema, tree)


def test_contributions_response_with_malformed_bin_is_invalid() -> None:
    schema = load_schema("gfss-contributions.xsd")
    tree = parse_fixture("contributions-response.xml")
    bin_el = tree.getroot().find("contributions/contribution/employerBin")
    assert bin_el is not None
    bin_el.text = "04054000123"
    assert_invalid(schema, tree)


def test_contributions_request_with_date_instead_of_month_is_invalid() -> None:
    schema = load_schema("gfss-contributions.xsd")
    tree = parse_fixture("contributions-request.xml")
    child(tree.getroot(), "periodFrom").text = "2024-11-01"
    assert_invalid(schema, tree)


def test_refusal_without_reasons_is_invalid() -> None:
    schema = load_schema("labour-market-documents.xsd")
    tree = parse_fixture("registration-refusal.xml")
    reasons = child(tree.getroot(), "reasons")
    for reason in list(reasons):
        reasons.remove(reason)
    assert_invalid(schema, tree)


def test_qualified_child_is_invalid() -> None:
    """Children must be unqualified: a namespace-qualified iin is not the same element."""
    schema = load_schema("gbdfl-message.xsd")
    tree = parse_fixture("gbdfl-request.xml")
    root = tree.getroot()
    iin = child(root, "iin")
    iin.tag = f"{{{MSG_NS}}}iin"
    assert_invalid(schema, tree)


def test_gbdfl_response_without_message_result_is_invalid() -> None:
    schema = load_schema("gbdfl-message.xsd")
    tree = parse_fixture("gbdfl-response.xml")
    root = tree.getroot()
    root.remove(child(root, "messageResult"))
    assert_invalid(schema, tree)


def test_form_without_consent_is_invalid() -> None:
    schema = load_schema("job-seeker-registration.xsd")
    tree = parse_fixture("job-seeker-form.xml")
    root = tree.getroot()
    root.remove(child(root, "consentToPersonalData"))
    assert_invalid(schema, tree)
