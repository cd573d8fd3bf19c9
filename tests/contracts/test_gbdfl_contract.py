"""contracts.gbdfl: the person registry's request and response written, valid against gbdfl-message.xsd,
and read back as the same value."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from contracts import gbdfl
from contracts.schemas import schema_errors
from tests.contracts.conftest import on_the_wire

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payloads"
AT = dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))

PERSON = gbdfl.Person(
    iin="900515400123",
    surname="АХМЕТОВА",
    name="АЙГЕРИМ",
    birth_date=dt.date(1990, 5, 15),
    gender=gbdfl.GENDERS["2"],
    patronymic="СЕРИКОВНА",
    eng_first_name="AIGERIM",
    eng_surname="AKHMETOVA",
    nationality=gbdfl.Dictionary("005", "Казах", "Қазақ"),
    citizenship=gbdfl.COUNTRIES["398"],
    life_status=gbdfl.LIFE_STATUS_NORMAL,
    reg_address=gbdfl.Address(
        country=gbdfl.COUNTRIES["398"],
        district=gbdfl.Dictionary("1105", "Есильский район", "Есіл ауданы"),
        region=gbdfl.Dictionary("1100", "г. Астана", "Астана қаласы"),
        city="Астана",
        street="проспект Мәңгілік Ел",
        building="8",
        corpus="2",
        flat="45",
        status=gbdfl.PERMANENT_REGISTRATION,
    ),
    documents=(
        gbdfl.Document(
            type=gbdfl.DOCUMENT_TYPES[gbdfl.IDENTITY_CARD],
            number="045678912",
            begin_date=dt.date(2016, 8, 20),
            end_date=dt.date(2026, 8, 19),
            issue_organization=gbdfl.ISSUERS["002"],
            surname="АХМЕТОВА",
            name="АЙГЕРИМ",
            patronymic="СЕРИКОВНА",
            birth_date=dt.date(1990, 5, 15),
        ),
        gbdfl.Document(
            type=gbdfl.DOCUMENT_TYPES[gbdfl.PASSPORT],
            number="N1234567",
            begin_date=dt.date(2020, 1, 1),
            issue_organization=gbdfl.ISSUERS["002"],
        ),
    ),
    removed=False,
)


def test_the_request_round_trips() -> None:
    request = gbdfl.RegistryRequest(message_id="m-1", message_date=AT, sender_code="ENBEK", iin="900515400123")
    element = on_the_wire(gbdfl.build_request(request))
    assert schema_errors(element, gbdfl.SCHEMA) == []
    assert element.tag == gbdfl.REQUEST_TAG and element.nsmap == {"msg": gbdfl.MSG_NS}
    assert gbdfl.read_request(element) == request


@pytest.mark.parametrize(
    "persons",
    [(PERSON,), (), (PERSON, gbdfl.Person("100101300011", "A", "B", dt.date(2010, 1, 1), gbdfl.GENDERS["1"]))],
)
def test_the_response_round_trips(persons: tuple[gbdfl.Person, ...]) -> None:
    code = gbdfl.RESULT_PROCESSED if persons else gbdfl.RESULT_NOT_FOUND
    response = gbdfl.RegistryResponse(
        message_id="r-1",
        message_date=AT,
        request_id="m-1",
        sender="GBDFL",
        receiver="ENBEK",
        message_result=gbdfl.MESSAGE_RESULTS[code],
        persons=persons,
    )
    element = on_the_wire(gbdfl.build_response(response))
    assert schema_errors(element, gbdfl.SCHEMA) == []
    assert gbdfl.read_response(element) == response
    assert (element.find("persons") is None) == (not persons)


def test_the_fixture_response_is_read_and_skips_what_is_not_modelled() -> None:
    answer = gbdfl.read_response(etree.parse(str(FIXTURES / "gbdfl-response.xml")).getroot())
    (person,) = answer.persons
    assert answer.result_code == gbdfl.RESULT_PROCESSED and answer.receiver == "ENBEK"
    assert person.reg_address is not None and person.reg_address.corpus == "2"
    assert [document.type.code for document in person.documents if document.type] == ["002", "001"]


def test_a_request_without_a_message_date_is_refused() -> None:
    element = gbdfl.build_request(gbdfl.RegistryRequest("m-1", AT, "ENBEK", "900515400123"))
    element.remove(element.find("messageDate"))
    with pytest.raises(gbdfl.RegistryRequestError, match="messageDate"):
        gbdfl.read_request(element)


def test_a_person_without_gender_is_refused_by_the_reader() -> None:
    element = gbdfl.build_response(
        gbdfl.RegistryResponse("r", AT, "m", "GBDFL", "ENBEK", gbdfl.MESSAGE_RESULTS[gbdfl.RESULT_PROCESSED], (PERSON,))
    )
    person = element.find("persons/person")
    assert person is not None
    person.remove(person.find("gender"))
    assert schema_errors(element, gbdfl.SCHEMA) != []
    with pytest.raises(gbdfl.RegistryResponseError, match="gender"):
        gbdfl.read_response(element)


def test_a_code_the_dictionary_does_not_know_is_named_by_itself() -> None:
    assert gbdfl.coded(gbdfl.GENDERS, "9") == gbdfl.Dictionary("9", "9", "9")


STATUSES = gbdfl.Person(
    iin="780409357721",
    surname="СЕЙТКАЗИН",
    name="АЗАМАТ",
    birth_date=dt.date(1978, 4, 9),
    gender=gbdfl.GENDERS["1"],
    life_status=gbdfl.LIFE_STATUS_DECEASED,
    death_date=dt.date(2026, 10, 14),
    imprisoned_status=gbdfl.ImprisonedStatus(gbdfl.IMPRISONED_STATUSES["2"], dt.date(2019, 5, 6), dt.date(2021, 5, 5)),
    death_certificate=gbdfl.Certificate("2610140071", dt.date(2026, 10, 14), "Отдел ЗАГС г. Атырау"),
    capable_status=gbdfl.CapableStatus(
        gbdfl.CAPABLE_STATUSES["2"],
        dt.date(2021, 9, 14),
        "2-4512/2021",
        gbdfl.Dictionary("3500-01", "Казыбекбийский районный суд г. Караганды", "Қазыбек би аудандық соты"),
    ),
    missing_status=gbdfl.MissingStatus(
        True, dt.date(2025, 3, 11), "2025-0311-17", gbdfl.Dictionary("7500-02", "Прокуратура г. Алматы", "")
    ),
    disappear_status=gbdfl.MissingStatus(
        False,
        dt.date(2020, 1, 1),
        "Д-1/2020",
        gbdfl.Dictionary("7500-02", "Прокуратура г. Алматы", ""),
        dt.date(2020, 6, 1),
    ),
    education=gbdfl.Education(
        gbdfl.EDUCATION_STATUSES["1"], "Шымкент, школа № 45", dt.date(2026, 9, 1), dt.date(2027, 5, 25), 11
    ),
)


def test_a_search_by_every_criterion_round_trips() -> None:
    request = gbdfl.RegistryRequest(
        message_id="m-2",
        message_date=AT,
        sender_code="GK_IIS",
        surname="АХМЕТОВА",
        name="АЙГЕРИМ",
        patronymic="СЕРИКОВНА",
        birth_date=dt.date(1990, 5, 15),
        birth_date_from=dt.date(1990, 1, 1),
        birth_date_to=dt.date(1990, 12, 31),
        document_number="045678912",
    )
    element = on_the_wire(gbdfl.build_request(request))
    assert schema_errors(element, gbdfl.SCHEMA) == []
    assert [child.tag for child in element][3:] == [
        "surname", "name", "patronymic", "birthDate", "birthDateFrom", "birthDateTo", "documentNumber"
    ]  # fmt: skip
    assert gbdfl.read_request(element) == request


def test_a_request_with_a_date_that_is_not_one_is_refused() -> None:
    element = gbdfl.build_request(gbdfl.RegistryRequest("m-3", AT, "ENBEK", surname="A"))
    etree.SubElement(element, "birthDateTo").text = "1990-13-01"
    with pytest.raises(gbdfl.RegistryRequestError, match="birthDateTo"):
        gbdfl.read_request(element)


def test_a_person_with_every_status_round_trips() -> None:
    response = gbdfl.RegistryResponse(
        "r-2", AT, "m-2", "GBDFL", "ENBEK", gbdfl.MESSAGE_RESULTS[gbdfl.RESULT_PROCESSED], (STATUSES,)
    )
    element = on_the_wire(gbdfl.build_response(response))
    assert schema_errors(element, gbdfl.SCHEMA) == []
    assert gbdfl.read_response(element) == response
    person = element.find("persons/person")
    assert person is not None
    assert [child.tag for child in person] == [
        "iin", "surname", "name", "birthDate", "deathDate", "gender", "lifeStatus", "imprisonedStatus",
        "deathCertificate", "personCapableStatus", "missingStatus", "disappearStatus", "education",
    ]  # fmt: skip
    assert person.findtext("imprisonedStatus/imprisonedStatus/code") == "2"
    assert person.findtext("missingStatus/missing") == "true"
    assert person.findtext("disappearStatus/disappearEndDate") == "2020-06-01"


def test_too_many_found_is_an_answer_without_persons() -> None:
    response = gbdfl.RegistryResponse("r-3", AT, "m-3", "GBDFL", "ENBEK", gbdfl.MESSAGE_RESULTS[gbdfl.RESULT_TOO_MANY])
    element = on_the_wire(gbdfl.build_response(response))
    assert schema_errors(element, gbdfl.SCHEMA) == []
    assert gbdfl.read_response(element).result_code == "00003" and element.find("persons") is None


def test_a_status_of_the_wrong_shape_is_refused() -> None:
    def wire() -> etree._Element:
        response = gbdfl.RegistryResponse(
            "r-4", AT, "m-4", "GBDFL", "ENBEK", gbdfl.MESSAGE_RESULTS[gbdfl.RESULT_PROCESSED], (STATUSES,)
        )
        return on_the_wire(gbdfl.build_response(response))

    without_court = wire()
    capable = without_court.find("persons/person/personCapableStatus")
    court = capable.find("court") if capable is not None else None
    assert capable is not None and court is not None
    capable.remove(court)
    assert schema_errors(without_court, gbdfl.SCHEMA) != []
    with pytest.raises(gbdfl.RegistryResponseError, match="court"):
        gbdfl.read_response(without_court)
    worded_grade = wire()
    grade = worded_grade.find("persons/person/education/grade")
    assert grade is not None
    grade.text = "eleventh"
    assert schema_errors(worded_grade, gbdfl.SCHEMA) != []
    with pytest.raises(gbdfl.RegistryResponseError, match="grade"):
        gbdfl.read_response(worded_grade)
