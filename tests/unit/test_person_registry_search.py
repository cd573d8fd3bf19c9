"""The person registry's GBD FL searches (docs/contracts.md): by IIN, by name and birth date, by document
number; the messageResult codes; the statuses in the answer as the registry knows them on the clock's day;
and the client's reading of it all (adapters/person_registry.py), without sockets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest
import xmlschema
from lxml import etree

from adapters.person_registry import (
    PersonRegistryClient,
    RegistryPerson,
    RegistrySearch,
    TooManyPersons,
    build_search_request,
    parse_response,
)
from adapters.shep.envelope import Payload
from adapters.shep.sync_client import SyncReply
from contracts.gbdfl import RESULT_NOT_FOUND, RESULT_PROCESSED, RESULT_TOO_MANY, RegistryRequestError
from mocks.edge_case_people import (
    PERSONA_DECEASED,
    PERSONA_IMPRISONED,
    PERSONA_INCAPABLE,
    PERSONA_MISSING,
    PERSONA_NO_ADDRESS,
    PERSONA_SENIOR_PUPIL,
    PERSONA_SENTENCED_LATER,
    REFERENCE_DATE,
)
from mocks.person_registry.gbdfl_payload import MAX_PERSONS
from mocks.person_registry.service import PersonRegistryService
from mocks.population import PERSONA_EMPLOYED, PERSONA_JOB_SEEKER, PERSONA_STUDENT, SyntheticPerson, unknown_iin
from mocks.population_store import PopulationStore

SCHEMA = Path(__file__).resolve().parents[2] / "wsdl" / "xsd" / "gbdfl-message.xsd"
ALMATY = dt.timezone(dt.timedelta(hours=5))
SIZE = 3000


class Clock:
    def __init__(self, day: dt.date) -> None:
        self.day = day

    def __call__(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time(10), tzinfo=ALMATY)


class InProcessRegistry:
    """A SyncSender that hands the request to the registry's service, as the gateway would."""

    def __init__(self, service: PersonRegistryService) -> None:
        self.service = service

    def send(self, service_id: str, payload: Payload, *, correlation_id: str | None = None) -> SyncReply:
        wire = etree.fromstring(etree.tostring(payload.document()))
        answer = self.service.handle(Payload(element=wire))
        return cast(
            SyncReply, SimpleNamespace(payload=Payload(element=etree.fromstring(etree.tostring(answer.document()))))
        )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> PopulationStore:
    return PopulationStore.open(tmp_path_factory.mktemp("registry"), size=SIZE)


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA))


@pytest.fixture
def clock() -> Clock:
    return Clock(REFERENCE_DATE)


@pytest.fixture
def client(store: PopulationStore, clock: Clock) -> PersonRegistryClient:
    service = PersonRegistryService(store, sender_code="GBDFL", now=clock, max_bytes=1_000_000)
    return PersonRegistryClient(InProcessRegistry(service), "ENBEK_LABOUR_MARKET", clock)


def ask(store: PopulationStore, search: RegistrySearch, day: dt.date = REFERENCE_DATE) -> etree._Element:
    service = PersonRegistryService(store, sender_code="GBDFL", now=Clock(day), max_bytes=1_000_000)
    request = build_search_request(search, "ENBEK_LABOUR_MARKET", Clock(day)())
    return service.handle(Payload(element=etree.fromstring(etree.tostring(request)))).document()


def person_of(store: PopulationStore, iin: str) -> SyntheticPerson:
    found = store.find(iin)
    assert found is not None
    return found


# ---- by IIN --------------------------------------------------------------------------------------


def test_by_iin(client: PersonRegistryClient) -> None:
    found = client.find_by_iin(PERSONA_EMPLOYED)
    assert found is not None and (found.surname, found.name, found.gender_code) == ("Кузнецов", "Дмитрий", "1")
    assert client.find_by_iin(unknown_iin([])) is None


def test_every_criterion_given_must_match(store: PopulationStore) -> None:
    matching = ask(store, RegistrySearch(iin=PERSONA_JOB_SEEKER, birth_date=dt.date(1992, 3, 14)))
    assert matching.findtext("messageResult/code") == RESULT_PROCESSED
    other_birth = ask(store, RegistrySearch(iin=PERSONA_JOB_SEEKER, birth_date=dt.date(1992, 3, 15)))
    assert other_birth.findtext("messageResult/code") == RESULT_NOT_FOUND
    assert other_birth.find("persons") is None


# ---- by name and birth date ----------------------------------------------------------------------


def test_by_name_and_birth_date_ignores_case(client: PersonRegistryClient) -> None:
    (found,) = client.find_by_name_and_birth_date("сулейменова", "ЖАНАР", dt.date(1992, 3, 14))
    assert found.iin == PERSONA_JOB_SEEKER
    with_patronymic = client.find_by_name_and_birth_date(
        "Сулейменова", "Жанар", dt.date(1992, 3, 14), patronymic="Ерлановна"
    )
    assert [person.iin for person in with_patronymic] == [PERSONA_JOB_SEEKER]
    assert client.find_by_name_and_birth_date("Сулейменова", "Жанар", dt.date(1992, 3, 15)) == ()
    assert client.find_by_name_and_birth_date("Сулейменова", "Жанар", dt.date(1992, 3, 14), patronymic="Х") == ()


def test_every_namesake_born_that_day_is_found(store: PopulationStore, client: PersonRegistryClient) -> None:
    people = store.all()
    for sample in (people[SIZE // 2], people[SIZE - 1]):
        expected = {
            p.iin
            for p in people
            if (p.surname, p.name, p.birth_date) == (sample.surname, sample.name, sample.birth_date)
        }
        found = client.find_by_name_and_birth_date(sample.surname, sample.name, sample.birth_date)
        assert {person.iin for person in found} == expected


def test_by_surname_and_a_birth_date_range(store: PopulationStore) -> None:
    sample = store.all()[100]
    since, until = sample.birth_date - dt.timedelta(days=400), sample.birth_date + dt.timedelta(days=400)
    answer = ask(store, RegistrySearch(surname=sample.surname, birth_date_from=since, birth_date_to=until))
    expected = sorted(p.iin for p in store.all() if p.surname == sample.surname and since <= p.birth_date <= until)
    assert 0 < len(expected) <= MAX_PERSONS
    assert answer.findtext("messageResult/code") == RESULT_PROCESSED
    assert sorted(answer.xpath("persons/person/iin/text()")) == expected


def test_more_than_one_answer_carries_is_00003(store: PopulationStore, client: PersonRegistryClient) -> None:
    surname = store.all()[200].surname
    search = RegistrySearch(surname=surname, birth_date_from=dt.date(1930, 1, 1))
    assert sum(p.surname == surname for p in store.all()) > MAX_PERSONS
    answer = ask(store, search)
    assert answer.findtext("messageResult/code") == RESULT_TOO_MANY
    assert answer.find("persons") is None
    with pytest.raises(TooManyPersons):
        client.find(search)


# ---- by document number --------------------------------------------------------------------------


def test_by_document_number(store: PopulationStore, client: PersonRegistryClient) -> None:
    employed = person_of(store, PERSONA_EMPLOYED)
    found = client.find_by_document(employed.document.number)
    assert found is not None and found.iin == PERSONA_EMPLOYED
    with_passport = next(p for p in store.all() if p.other_documents)
    by_passport = client.find_by_document(with_passport.other_documents[0].number)
    assert by_passport is not None and by_passport.iin == with_passport.iin
    assert set(by_passport.document_numbers) == {document.number for document in with_passport.documents}
    assert client.find_by_document("000000001") is None


# ---- refused requests ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("search", "message"),
    [
        (RegistrySearch(), "no search criterion"),
        (RegistrySearch(name="Жанар", birth_date=dt.date(1992, 3, 14)), "no search criterion"),
        (RegistrySearch(surname="Сулейменова"), "one more criterion"),
        (RegistrySearch(iin="920314403018"), "not a valid IIN"),
        (
            RegistrySearch(
                surname="Сулейменова", birth_date_from=dt.date(1993, 1, 1), birth_date_to=dt.date(1992, 1, 1)
            ),
            "after",
        ),
    ],
)
def test_a_request_it_cannot_search_with_is_refused(
    store: PopulationStore, search: RegistrySearch, message: str
) -> None:
    with pytest.raises(RegistryRequestError, match=message):
        ask(store, search)


def test_a_date_that_is_not_a_date_is_refused(store: PopulationStore) -> None:
    request = build_search_request(RegistrySearch(surname="Иванов", name="Иван"), "ENBEK", Clock(REFERENCE_DATE)())
    etree.SubElement(request, "birthDate").text = "14.03.1992"
    service = PersonRegistryService(store, sender_code="GBDFL", now=Clock(REFERENCE_DATE), max_bytes=1_000_000)
    with pytest.raises(RegistryRequestError, match="birthDate is not an ISO 8601 date"):
        service.handle(Payload(element=request))


# ---- statuses in the answer ----------------------------------------------------------------------


def read(store: PopulationStore, iin: str, day: dt.date = REFERENCE_DATE) -> RegistryPerson:
    (person,) = parse_response(ask(store, RegistrySearch(iin=iin), day)).persons
    return person


@pytest.mark.parametrize(
    "iin",
    [PERSONA_DECEASED, PERSONA_IMPRISONED, PERSONA_MISSING, PERSONA_INCAPABLE, PERSONA_SENIOR_PUPIL, PERSONA_STUDENT,
     PERSONA_NO_ADDRESS],
)  # fmt: skip
def test_answers_with_statuses_match_the_contract(
    store: PopulationStore, schema: xmlschema.XMLSchema, iin: str
) -> None:
    schema.validate(ask(store, RegistrySearch(iin=iin)))


def test_every_status_of_a_sample_matches_the_contract(store: PopulationStore, schema: xmlschema.XMLSchema) -> None:
    with_status = [p for p in store.all() if p.death or p.imprisonment or p.incapacity or p.missing or p.education]
    assert len(with_status) > 300
    for person in with_status[::5][:60]:
        schema.validate(ask(store, RegistrySearch(iin=person.iin)))


def test_deceased(store: PopulationStore) -> None:
    answer = ask(store, RegistrySearch(iin=PERSONA_DECEASED))
    person = answer.find("persons/person")
    assert person is not None
    assert (person.findtext("lifeStatus/code"), person.findtext("deathDate")) == ("1", "2026-10-14")
    assert person.findtext("deathCertificate/number") == "2610140071"
    assert person.findtext("deathCertificate/issueOrganisation") == "Отдел ЗАГС г. Атырау"
    read_back = read(store, PERSONA_DECEASED)
    assert read_back.deceased and read_back.death_date == dt.date(2026, 10, 14)
    before = read(store, PERSONA_DECEASED, dt.date(2026, 10, 13))
    assert not before.deceased and before.life_status_code == "0"


def test_imprisoned_and_sentenced_later(store: PopulationStore) -> None:
    imprisoned = read(store, PERSONA_IMPRISONED)
    assert imprisoned.imprisoned and (imprisoned.imprisoned_from, imprisoned.imprisoned_until) == (
        dt.date(2026, 10, 5),
        dt.date(2029, 10, 4),
    )
    released = read(store, PERSONA_IMPRISONED, dt.date(2029, 10, 5))
    assert not released.imprisoned and released.imprisoned_status_code == "2"
    later = person_of(store, PERSONA_SENTENCED_LATER)
    assert later.imprisonment is not None
    assert read(store, PERSONA_SENTENCED_LATER).imprisoned_status_code is None
    assert read(store, PERSONA_SENTENCED_LATER, later.imprisonment.begin).imprisoned


def test_incapable_missing_and_no_address(store: PopulationStore) -> None:
    incapable = read(store, PERSONA_INCAPABLE)
    assert incapable.incapable and incapable.capable_since == dt.date(2021, 9, 14)
    answer = ask(store, RegistrySearch(iin=PERSONA_INCAPABLE))
    assert (
        answer.findtext("persons/person/personCapableStatus/court/nameRu") == "Казыбекбийский районный суд г. Караганды"
    )
    missing = read(store, PERSONA_MISSING)
    assert missing.missing and missing.missing_since == dt.date(2025, 3, 11)
    nowhere = read(store, PERSONA_NO_ADDRESS)
    assert not nowhere.has_registered_address and nowhere.address == ""
    assert ask(store, RegistrySearch(iin=PERSONA_NO_ADDRESS)).find("persons/person/regAddress") is None
    ordinary = read(store, PERSONA_JOB_SEEKER)
    assert ordinary.has_registered_address and not (ordinary.incapable or ordinary.missing or ordinary.imprisoned)


def test_education(store: PopulationStore) -> None:
    pupil = read(store, PERSONA_SENIOR_PUPIL)
    assert pupil.senior_pupil and not pupil.student and pupil.education_grade == 11
    student = read(store, PERSONA_STUDENT)
    assert student.student and student.education_status_code == "3"
    assert student.education_organization == "Казахский национальный университет имени аль-Фараби"
    after_the_school_year = read(store, PERSONA_SENIOR_PUPIL, dt.date(2027, 6, 1))
    assert after_the_school_year.education_status_code is None


def test_the_answer_follows_the_clock(store: PopulationStore, client: PersonRegistryClient, clock: Clock) -> None:
    later = person_of(store, PERSONA_SENTENCED_LATER)
    assert later.imprisonment is not None
    first = client.find_by_iin(PERSONA_SENTENCED_LATER)
    clock.day = later.imprisonment.begin
    second = client.find_by_iin(PERSONA_SENTENCED_LATER)
    assert first is not None and second is not None
    assert (first.imprisoned, second.imprisoned) == (False, True)
