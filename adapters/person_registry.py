"""Client of the person registry (GBD FL) through the gateway: ``GBDFL_UniversalServiceSync``.

Builds the GBD FL ``request`` (:mod:`contracts.gbdfl`: ``messageId``, ``messageDate``, ``senderCode`` and the
search criteria), sends it over the SyncChannel (docs/gateway.md) and reads the ``response`` into
:class:`RegistryPerson`, a person flattened for its callers, statuses included. Three searches
(docs/contracts.md): :meth:`PersonRegistryClient.find_by_iin`,
:meth:`~PersonRegistryClient.find_by_name_and_birth_date` and :meth:`~PersonRegistryClient.find_by_document`;
:meth:`~PersonRegistryClient.search` sends any combination. ``messageResult`` 00000 is "processed" (the
persons follow); 00002 is "data not found" (no person); 00003 is "more found than one answer carries".

Errors::

    PersonRegistryError
    ├── PersonRegistryUnavailable  a fault from the gateway or the registry (``code``), or no connection
    │   └── PersonRegistryAnswerError  the registry answered something this client cannot read
    └── TooManyPersons  the search matched more people than one answer carries (00003): narrow it

A malformed IIN is refused before anything is sent (``kernel.iin.InvalidIin``, a ``ValueError``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime

from lxml import etree

from adapters.shep.service_call import ServiceAnswerError, ServiceCallError, SyncSender, call_service
from contracts import gbdfl
from contracts.gbdfl import (
    IDENTITY_CARD,
    PASSPORT,
    RESULT_NOT_FOUND,
    RESULT_PROCESSED,
    RESULT_TOO_MANY,
    SERVICE_ID,
)
from contracts.gbdfl_dictionaries import (
    INCAPABLE,
    LIFE_STATUS_DECEASED,
    LIMITED_CAPACITY,
    PUPIL_OF_GENERAL_SCHOOL,
    SERVING_SENTENCE,
    STUDENT_OF_HIGHER_EDUCATION,
    STUDENT_OF_TECHNICAL_VOCATIONAL,
)
from kernel.iin import parse_iin

__all__ = [
    "RESULT_NOT_FOUND",
    "RESULT_PROCESSED",
    "RESULT_TOO_MANY",
    "SERVICE_ID",
    "PersonRegistryAnswerError",
    "PersonRegistryClient",
    "PersonRegistryError",
    "PersonRegistryUnavailable",
    "RegistryAnswer",
    "RegistryPerson",
    "RegistrySearch",
    "TooManyPersons",
    "build_request",
    "build_search_request",
    "parse_response",
]


class PersonRegistryError(Exception):
    """Base of the person registry client's errors."""


class PersonRegistryUnavailable(PersonRegistryError):
    """No answer from the registry: a fault from the gateway or the registry, or no connection."""

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class PersonRegistryAnswerError(PersonRegistryUnavailable):
    """The registry answered something that is not a readable GBD FL ``response``."""


class TooManyPersons(PersonRegistryError):
    """The search matched more people than one answer carries (``messageResult`` 00003): give more criteria."""


@dataclass(frozen=True)
class RegistrySearch:
    """Search criteria (docs/contracts.md): every one given must match."""

    iin: str | None = None
    surname: str | None = None
    name: str | None = None
    patronymic: str | None = None
    birth_date: date | None = None
    birth_date_from: date | None = None
    birth_date_to: date | None = None
    document_number: str | None = None


@dataclass(frozen=True)
class RegistryPerson:
    """A person as the registry knows them (``Person`` of ``wsdl/xsd/gbdfl-person.xsd``), flattened.

    The statuses are as the registry answered on the day it was asked: ``death_date`` (``deathDate``; with
    ``life_status_code`` 1 the person is deceased), ``imprisoned_*`` (``imprisonedStatus``: code 1 serving a
    sentence, 2 released, with the sentence's dates), ``capable_status_code`` (``personCapableStatus``: 2
    incapable, 3 limited capacity), ``missing_*`` (``missingStatus``), ``education_*`` (the ``education``
    extension: 1 pupil of a general school with its ``grade``, 2 student of technical and vocational
    education, 3 student of higher education). ``address`` is empty when the person has no registered one.
    """

    iin: str
    surname: str
    name: str
    patronymic: str | None
    birth_date: date
    gender_code: str  # 1 male, 2 female
    citizenship_code: str | None  # ISO 3166 numeric, 398 Kazakhstan
    address: str  # the registered address on one line
    document_type: str | None  # 002 identity card, 001 passport
    document_number: str | None
    document_valid_until: date | None
    life_status_code: str | None = None  # 0 normal, 1 deceased
    death_date: date | None = None
    imprisoned_status_code: str | None = None  # 1 serving a sentence, 2 released
    imprisoned_from: date | None = None
    imprisoned_until: date | None = None
    capable_status_code: str | None = None  # 1 capable, 2 incapable, 3 limited capacity
    capable_since: date | None = None
    missing_since: date | None = None  # declared missing, while it is in force
    education_status_code: str | None = None  # 1 general school, 2 technical and vocational, 3 higher
    education_organization: str | None = None
    education_grade: int | None = None  # the class at a general school
    document_numbers: tuple[str, ...] = ()  # every document the registry answered
    document_issued_on: date | None = None  # of the identity document above

    @property
    def has_registered_address(self) -> bool:
        return bool(self.address)

    @property
    def deceased(self) -> bool:
        return self.death_date is not None or self.life_status_code == LIFE_STATUS_DECEASED.code

    @property
    def imprisoned(self) -> bool:
        """Serving a sentence of imprisonment (``imprisonedStatus`` 1)."""
        return self.imprisoned_status_code == SERVING_SENTENCE

    @property
    def incapable(self) -> bool:
        """Declared by a court incapable or of limited capacity (``personCapableStatus`` 2 or 3)."""
        return self.capable_status_code in (INCAPABLE, LIMITED_CAPACITY)

    @property
    def missing(self) -> bool:
        return self.missing_since is not None

    @property
    def student(self) -> bool:
        """Studying in technical and vocational or higher education."""
        return self.education_status_code in (STUDENT_OF_TECHNICAL_VOCATIONAL, STUDENT_OF_HIGHER_EDUCATION)

    @property
    def senior_pupil(self) -> bool:
        """A pupil of the 10th or 11th class of a general school (UN-4 (5))."""
        return self.education_status_code == PUPIL_OF_GENERAL_SCHOOL and self.education_grade in (10, 11)


@dataclass(frozen=True)
class RegistryAnswer:
    """A GBD FL ``response``: its ``messageResult`` and the persons it carries."""

    result_code: str
    result_message: str
    persons: tuple[RegistryPerson, ...]


def build_request(iin: str, sender_code: str, message_date: datetime, message_id: str | None = None) -> etree._Element:
    """The GBD FL ``request`` for a search by IIN."""
    return build_search_request(RegistrySearch(iin=iin), sender_code, message_date, message_id)


def build_search_request(
    search: RegistrySearch, sender_code: str, message_date: datetime, message_id: str | None = None
) -> etree._Element:
    """The GBD FL ``request`` for any search."""
    return gbdfl.build_request(
        gbdfl.RegistryRequest(
            message_id=message_id or str(uuid.uuid4()),
            message_date=message_date,
            sender_code=sender_code,
            iin=search.iin,
            surname=search.surname,
            name=search.name,
            patronymic=search.patronymic,
            birth_date=search.birth_date,
            birth_date_from=search.birth_date_from,
            birth_date_to=search.birth_date_to,
            document_number=search.document_number,
        )
    )


def one_line_address(address: gbdfl.Address | None) -> str:
    """``regAddress`` as one line: region, district, city, street and building, flat."""
    if address is None:
        return ""
    region = address.region.name_ru or None if address.region is not None else None
    district = address.district.name_ru or None if address.district is not None else None
    city = address.city
    parts = [region, district]
    if city and not {city, f"г. {city}"} & {region, district}:
        parts.append(city)
    house = ", ".join(
        part
        for part in (
            address.street,
            f"д. {address.building}" if address.building else None,
            f"корп. {address.corpus}" if address.corpus else None,
        )
        if part
    )
    parts += [house or None, f"кв. {address.flat}" if address.flat else None]
    return ", ".join(part for part in parts if part)


def _identity_document(person: gbdfl.Person) -> gbdfl.Document | None:
    """The identity card if there is one, else the passport, else the first document."""
    for wanted in (IDENTITY_CARD, PASSPORT):
        for document in person.documents:
            if document.type is not None and document.type.code == wanted:
                return document
    return person.documents[0] if person.documents else None


def flatten_person(person: gbdfl.Person) -> RegistryPerson:
    """The registry's ``Person`` as this client's callers use it."""
    document = _identity_document(person)
    imprisoned, capable, missing, education = (
        person.imprisoned_status,
        person.capable_status,
        person.missing_status,
        person.education,
    )
    return RegistryPerson(
        iin=person.iin,
        surname=person.surname,
        name=person.name,
        patronymic=person.patronymic,
        birth_date=person.birth_date,
        gender_code=person.gender.code,
        citizenship_code=person.citizenship.code or None if person.citizenship is not None else None,
        address=one_line_address(person.reg_address),
        document_type=document.type.code if document is not None and document.type is not None else None,
        document_number=document.number if document is not None else None,
        document_valid_until=document.end_date if document is not None else None,
        life_status_code=person.life_status.code if person.life_status is not None else None,
        death_date=person.death_date,
        imprisoned_status_code=imprisoned.status.code if imprisoned is not None else None,
        imprisoned_from=imprisoned.begin_date if imprisoned is not None else None,
        imprisoned_until=imprisoned.end_date if imprisoned is not None else None,
        capable_status_code=capable.status.code if capable is not None else None,
        capable_since=capable.date if capable is not None else None,
        missing_since=missing.date if missing is not None and missing.active else None,
        education_status_code=education.status.code if education is not None else None,
        education_organization=education.organization if education is not None else None,
        education_grade=education.grade if education is not None else None,
        document_numbers=tuple(item.number for item in person.documents if item.number),
        document_issued_on=document.begin_date if document is not None else None,
    )


def parse_response(response: etree._Element) -> RegistryAnswer:
    """Read a GBD FL ``response``; raise :class:`PersonRegistryAnswerError` if it is not one."""
    try:
        answer = gbdfl.read_response(response)
    except gbdfl.RegistryResponseError as exc:
        raise PersonRegistryAnswerError(str(exc)) from exc
    return RegistryAnswer(
        result_code=answer.result_code,
        result_message=answer.message_result.name_ru,
        persons=tuple(flatten_person(person) for person in answer.persons),
    )


class PersonRegistryClient:
    """Ask the person registry about one person, through the gateway, as system ``sender_code``."""

    def __init__(self, sync_client: SyncSender, sender_code: str, now: Callable[[], datetime]) -> None:
        self._sync = sync_client
        self._sender_code = sender_code
        self._now = now

    def query(self, iin: str, correlation_id: str | None = None) -> RegistryAnswer:
        """Send the search by IIN and return the whole answer."""
        return self.search(RegistrySearch(iin=parse_iin(iin)), correlation_id)

    def search(self, search: RegistrySearch, correlation_id: str | None = None) -> RegistryAnswer:
        """Send any search and return the whole answer (any ``messageResult``)."""
        if search.iin is not None:
            search = replace(search, iin=parse_iin(search.iin))
        request = build_search_request(search, self._sender_code, self._now())
        try:
            answer = call_service(self._sync, SERVICE_ID, request, correlation_id)
        except ServiceAnswerError as exc:
            raise PersonRegistryAnswerError(str(exc), exc.code) from exc
        except ServiceCallError as exc:
            raise PersonRegistryUnavailable(str(exc), exc.code) from exc
        return parse_response(answer)

    def find(self, search: RegistrySearch, correlation_id: str | None = None) -> tuple[RegistryPerson, ...]:
        """Everyone the search matches: empty for 00002; :class:`TooManyPersons` for 00003."""
        answer = self.search(search, correlation_id)
        if answer.result_code == RESULT_NOT_FOUND:
            return ()
        if answer.result_code == RESULT_TOO_MANY:
            raise TooManyPersons(f"the registry found too many people: {answer.result_message}")
        if answer.result_code != RESULT_PROCESSED:
            raise PersonRegistryUnavailable(
                f"the registry did not process the request: {answer.result_code} {answer.result_message}",
                code=answer.result_code,
            )
        return answer.persons

    def find_by_iin(self, iin: str, correlation_id: str | None = None) -> RegistryPerson | None:
        """The person with this IIN, or None when the registry has no such person (code 00002)."""
        persons = self.find(RegistrySearch(iin=parse_iin(iin)), correlation_id)
        return next((person for person in persons if person.iin == iin.strip()), None)

    def find_by_name_and_birth_date(
        self,
        surname: str,
        name: str,
        birth_date: date,
        *,
        patronymic: str | None = None,
        correlation_id: str | None = None,
    ) -> tuple[RegistryPerson, ...]:
        """Everyone with this surname, name (and patronymic, if given) born on ``birth_date``; names are
        compared without regard to case. Empty when no one is found."""
        search = RegistrySearch(surname=surname, name=name, patronymic=patronymic, birth_date=birth_date)
        return self.find(search, correlation_id)

    def find_by_document(self, number: str, correlation_id: str | None = None) -> RegistryPerson | None:
        """The holder of the identity document with this number, or None when no one holds it."""
        persons = self.find(RegistrySearch(document_number=number.strip()), correlation_id)
        holders = [person for person in persons if number.strip() in person.document_numbers]
        if len(holders) > 1:
            raise PersonRegistryAnswerError(
                f"the registry answered {len(holders)} holders of document {number.strip()}: a number is one person's"
            )
        return holders[0] if holders else None
