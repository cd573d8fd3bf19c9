"""The person registry's GBD FL answer (docs/contracts.md): it matches wsdl/xsd/gbdfl-message.xsd and
the client in adapters/person_registry.py reads back what the registry wrote."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from adapters.person_registry import (
    RESULT_NOT_FOUND,
    RESULT_PROCESSED,
    PersonRegistryAnswerError,
    build_request,
    parse_response,
)
from contracts.gbdfl import RegistryRequest, RegistryRequestError, read_request
from mocks.person_registry.gbdfl_payload import build_response
from mocks.population import (
    PERSONA_EMPLOYED,
    PERSONA_EXPIRED_DOCUMENT,
    PERSONA_JOB_SEEKER,
    PERSONA_MINOR,
    PERSONA_PENSIONER,
    PERSONA_STUDENT,
    SyntheticPerson,
    build_population,
    find_by_persona,
    find_person,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA = REPO_ROOT / "wsdl" / "xsd" / "gbdfl-message.xsd"
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "payloads"
ALMATY = dt.timezone(dt.timedelta(hours=5))
AT = dt.datetime(2026, 11, 21, 10, 0, tzinfo=ALMATY)
REQUEST = RegistryRequest(message_id="req-1", message_date=AT, sender_code="ENBEK_LABOUR_MARKET", iin=PERSONA_EMPLOYED)


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA))


def persona(iin: str) -> SyntheticPerson:
    found = find_person(build_population(), iin)
    assert found is not None
    return found


def answer_for(people: list[SyntheticPerson]) -> etree._Element:
    # Serialise and re-parse, so the test sees exactly what would travel on the wire.
    built = build_response(
        people, request=REQUEST, message_id="resp-1", message_date=AT, sender="GBDFL", today=AT.date()
    )
    return etree.fromstring(etree.tostring(built))


@pytest.mark.parametrize(
    "iin", [PERSONA_EMPLOYED, PERSONA_JOB_SEEKER, PERSONA_MINOR, PERSONA_PENSIONER, PERSONA_STUDENT]
)
def test_answer_for_a_persona_matches_the_contract(schema: xmlschema.XMLSchema, iin: str) -> None:
    answer = answer_for([persona(iin)])
    schema.validate(answer)
    assert answer.findtext("messageResult/code") == RESULT_PROCESSED
    assert answer.findtext("requestId") == "req-1"
    assert answer.findtext("receiver") == "ENBEK_LABOUR_MARKET"
    assert answer.find("persons/person/iin") is not None and answer.nsmap.get(None) is None


def test_every_person_of_the_population_matches_the_contract(schema: xmlschema.XMLSchema) -> None:
    answer = answer_for(list(build_population()))
    schema.validate(answer)
    assert len(answer.findall("persons/person")) == len(build_population())


def test_answer_round_trips_through_the_client_parser() -> None:
    person = persona(PERSONA_EMPLOYED)
    parsed = parse_response(answer_for([person]))
    assert parsed.result_code == RESULT_PROCESSED
    (read,) = parsed.persons
    assert (read.iin, read.surname, read.name, read.patronymic) == (
        PERSONA_EMPLOYED,
        "Кузнецов",
        "Дмитрий",
        "Сергеевич",
    )
    assert read.birth_date == dt.date(1985, 9, 2)
    assert read.gender_code == "1"
    assert read.citizenship_code == "398"
    assert read.document_type == "002"
    assert read.document_number == person.document.number
    assert read.document_valid_until == person.document.valid_until
    assert read.address == "г. Алматы, Бостандыкский район, проспект Аль-Фараби, д. 77/2, кв. 31"


def test_address_without_flat_and_female_gender() -> None:
    pensioner = parse_response(answer_for([persona(PERSONA_PENSIONER)])).persons[0]
    assert pensioner.address == "г. Шымкент, Абайский район, проспект Тауке хана, д. 14"
    job_seeker = parse_response(answer_for([persona(PERSONA_JOB_SEEKER)])).persons[0]
    assert job_seeker.gender_code == "2"


def test_expired_document_is_reported_with_its_end_date() -> None:
    expired = find_by_persona(build_population(), PERSONA_EXPIRED_DOCUMENT)
    assert expired is not None
    read = parse_response(answer_for([expired])).persons[0]
    assert read.document_valid_until is not None and read.document_valid_until < dt.date(2026, 11, 1)


def test_unknown_person_is_code_00002_without_persons(schema: xmlschema.XMLSchema) -> None:
    answer = answer_for([])
    schema.validate(answer)
    assert answer.findtext("messageResult/nameRu") == "Данные не найдены"
    assert answer.findtext("messageResult/nameKz") == "Деректер табылмады"
    parsed = parse_response(answer)
    assert (parsed.result_code, parsed.persons) == (RESULT_NOT_FOUND, ())


def test_client_request_matches_the_contract_and_the_registry_reads_it(schema: xmlschema.XMLSchema) -> None:
    request = etree.fromstring(etree.tostring(build_request(PERSONA_STUDENT, "GK_IIS", AT, message_id="m-7")))
    schema.validate(request)
    read = read_request(request)
    assert (read.message_id, read.sender_code, read.iin) == ("m-7", "GK_IIS", PERSONA_STUDENT)
    assert read.message_date == AT


def test_registry_reads_the_fixture_request() -> None:
    read = read_request(etree.parse(str(FIXTURES / "gbdfl-request.xml")).getroot())
    assert (read.iin, read.sender_code) == ("900515400123", "ENBEK")


def test_client_reads_the_fixture_response() -> None:
    parsed = parse_response(etree.parse(str(FIXTURES / "gbdfl-response.xml")).getroot())
    (person,) = parsed.persons
    assert person.surname == "АХМЕТОВА"
    assert person.document_type == "002" and person.document_number == "045678912"
    assert person.address == "Астана, Есильский район, проспект Мәңгілік Ел, д. 8, корп. 2, кв. 45"


def test_registry_refuses_a_payload_that_is_not_a_request() -> None:
    with pytest.raises(RegistryRequestError, match="expected"):
        read_request(etree.fromstring("<request><messageId>x</messageId></request>"))


def test_client_refuses_an_answer_that_is_not_a_response() -> None:
    with pytest.raises(PersonRegistryAnswerError):
        parse_response(etree.fromstring('<msg:request xmlns:msg="http://message.persistence.interactive.nat"/>'))


def test_the_statuses_fixture_is_what_the_registry_answers() -> None:
    """tests/fixtures/payloads/gbdfl-response-statuses.xml (quoted by docs/contracts.md) is the registry's own
    answer for four people of the edge-case catalogue on 2026-11-23."""
    fixture = etree.parse(str(FIXTURES / "gbdfl-response-statuses.xml")).getroot()
    iins = fixture.xpath("persons/person/iin/text()")
    people = [persona(iin) for iin in iins]
    request = RegistryRequest(message_id=fixture.findtext("requestId") or "", message_date=AT, sender_code="ENBEK")
    built = build_response(
        people, request=request, message_id=fixture.findtext("messageId") or "", message_date=fixture_time(fixture),
        sender="GBDFL", today=dt.date(2026, 11, 23),
    )  # fmt: skip
    assert etree.tostring(built, method="c14n") == etree.tostring(strip_whitespace(fixture), method="c14n")
    read = parse_response(fixture).persons
    assert [(p.deceased, p.imprisoned, p.incapable, p.senior_pupil) for p in read] == [
        (True, False, False, False),
        (False, True, False, False),
        (False, False, True, False),
        (False, False, False, True),
    ]


def fixture_time(fixture: etree._Element) -> dt.datetime:
    return dt.datetime.fromisoformat(fixture.findtext("messageDate") or "")


def strip_whitespace(element: etree._Element) -> etree._Element:
    for node in element.iter():
        if node.text is not None and not node.text.strip():
            node.text = None
        if node.tail is not None and not node.tail.strip():
            node.tail = None
    return element
