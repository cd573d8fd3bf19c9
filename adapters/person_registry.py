"""Client of the person registry (GBD FL) through the gateway: ``GBDFL_UniversalServiceSync``.

Builds the GBD FL ``request`` (:mod:`contracts.gbdfl`: ``messageId``, ``messageDate``, ``senderCode``,
``iin``), sends it over the SyncChannel (docs/gateway.md) and reads the ``response`` into
:class:`RegistryPerson`, a person flattened for its callers. ``messageResult`` 00000 is "processed" (the
persons follow); 00002 is "data not found" (no person).

Errors::

    PersonRegistryError
    └── PersonRegistryUnavailable  a fault from the gateway or the registry (``code``), or no connection
        └── PersonRegistryAnswerError  the registry answered something this client cannot read

A malformed IIN is refused before anything is sent (``kernel.iin.InvalidIin``, a ``ValueError``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree

from adapters.shep.service_call import ServiceAnswerError, ServiceCallError, SyncSender, call_service
from contracts import gbdfl
from contracts.gbdfl import IDENTITY_CARD, PASSPORT, RESULT_NOT_FOUND, RESULT_PROCESSED, SERVICE_ID
from kernel.iin import parse_iin

__all__ = [
    "RESULT_NOT_FOUND",
    "RESULT_PROCESSED",
    "SERVICE_ID",
    "PersonRegistryAnswerError",
    "PersonRegistryClient",
    "PersonRegistryError",
    "PersonRegistryUnavailable",
    "RegistryAnswer",
    "RegistryPerson",
    "build_request",
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


@dataclass(frozen=True)
class RegistryPerson:
    """A person as the registry knows them (``Person`` of ``wsdl/xsd/gbdfl-person.xsd``), flattened."""

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


@dataclass(frozen=True)
class RegistryAnswer:
    """A GBD FL ``response``: its ``messageResult`` and the persons it carries."""

    result_code: str
    result_message: str
    persons: tuple[RegistryPerson, ...]


def build_request(iin: str, sender_code: str, message_date: datetime, message_id: str | None = None) -> etree._Element:
    """The GBD FL ``request`` for a search by IIN."""
    return gbdfl.build_request(
        gbdfl.RegistryRequest(
            message_id=message_id or str(uuid.uuid4()),
            message_date=message_date,
            sender_code=sender_code,
            iin=iin,
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
        request = build_request(parse_iin(iin), self._sender_code, self._now())
        try:
            answer = call_service(self._sync, SERVICE_ID, request, correlation_id)
        except ServiceAnswerError as exc:
            raise PersonRegistryAnswerError(str(exc), exc.code) from exc
        except ServiceCallError as exc:
            raise PersonRegistryUnavailable(str(exc), exc.code) from exc
        return parse_response(answer)

    def find_by_iin(self, iin: str, correlation_id: str | None = None) -> RegistryPerson | None:
        """The person with this IIN, or None when the registry has no such person (code 00002)."""
        answer = self.query(iin, correlation_id)
        if answer.result_code == RESULT_NOT_FOUND:
            return None
        if answer.result_code != RESULT_PROCESSED:
            raise PersonRegistryUnavailable(
                f"the registry did not process the request: {answer.result_code} {answer.result_message}",
                code=answer.result_code,
            )
        return next((person for person in answer.persons if person.iin == iin.strip()), None)
