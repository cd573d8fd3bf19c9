"""Client of the person registry (GBD FL) through the gateway: ``GBDFL_UniversalServiceSync``.

Builds the GBD FL ``request`` (GATEWAY-PROTOCOL §4: ``messageId``, ``messageDate``, ``senderCode``,
``iin``; namespace ``http://message.persistence.interactive.nat``, children unqualified), sends it over
the SyncChannel (§1) and reads the ``response`` into :class:`RegistryPerson`. ``messageResult`` 00000
is "processed" (the persons follow); 00002 is "data not found" (no person).

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
from adapters.xml import child_text
from kernel.iin import parse_iin

SERVICE_ID = "GBDFL_UniversalServiceSync"
MSG_NS = "http://message.persistence.interactive.nat"
REQUEST_TAG = f"{{{MSG_NS}}}request"
RESPONSE_TAG = f"{{{MSG_NS}}}response"
RESULT_PROCESSED = "00000"
RESULT_NOT_FOUND = "00002"
IDENTITY_CARD = "002"
PASSPORT = "001"


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
    """A person as the registry knows them (GATEWAY-PROTOCOL §4 ``Person``), flattened."""

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
    request = etree.Element(REQUEST_TAG, nsmap={"msg": MSG_NS})
    etree.SubElement(request, "messageId").text = message_id or str(uuid.uuid4())
    etree.SubElement(request, "messageDate").text = message_date.isoformat(timespec="seconds")
    etree.SubElement(request, "senderCode").text = sender_code
    etree.SubElement(request, "iin").text = iin
    return request


def _text(parent: etree._Element, path: str) -> str | None:
    return child_text(parent, path) or None


def _required(parent: etree._Element, path: str) -> str:
    value = _text(parent, path)
    if value is None:
        raise PersonRegistryAnswerError(f"the registry answer has no {path} in {parent.tag}")
    return value


def _date(value: str, what: str) -> date:
    try:
        return date.fromisoformat(value[:10])
    except ValueError as exc:
        raise PersonRegistryAnswerError(f"{what} is not a date: {value!r}") from exc


def one_line_address(address: etree._Element | None) -> str:
    """``regAddress`` as one line: region, district, city, street and building, flat."""
    if address is None:
        return ""
    region = _text(address, "region/nameRu")
    district = _text(address, "district/nameRu")
    city = _text(address, "city")
    parts = [region, district]
    if city and not {city, f"г. {city}"} & {region, district}:
        parts.append(city)
    street, building, corpus, flat = (_text(address, tag) for tag in ("street", "building", "corpus", "flat"))
    house = ", ".join(
        part for part in (street, f"д. {building}" if building else None, f"корп. {corpus}" if corpus else None) if part
    )
    parts += [house or None, f"кв. {flat}" if flat else None]
    return ", ".join(part for part in parts if part)


def _identity_document(person: etree._Element) -> etree._Element | None:
    """The identity card if there is one, else the passport, else the first document."""
    documents = person.findall("documents/document")
    for wanted in (IDENTITY_CARD, PASSPORT):
        for document in documents:
            if _text(document, "type/code") == wanted:
                return document
    return documents[0] if documents else None


def read_person(person: etree._Element) -> RegistryPerson:
    """One ``person`` element (type ``p:Person``)."""
    document = _identity_document(person)
    valid_until = _text(document, "endDate") if document is not None else None
    return RegistryPerson(
        iin=_required(person, "iin"),
        surname=_required(person, "surname"),
        name=_required(person, "name"),
        patronymic=_text(person, "patronymic"),
        birth_date=_date(_required(person, "birthDate"), "person/birthDate"),
        gender_code=_required(person, "gender/code"),
        citizenship_code=_text(person, "citizenship/code"),
        address=one_line_address(person.find("regAddress")),
        document_type=_text(document, "type/code") if document is not None else None,
        document_number=_text(document, "number") if document is not None else None,
        document_valid_until=_date(valid_until, "document/endDate") if valid_until else None,
    )


def parse_response(response: etree._Element) -> RegistryAnswer:
    """Read a GBD FL ``response``; raise :class:`PersonRegistryAnswerError` if it is not one."""
    if response.tag != RESPONSE_TAG:
        raise PersonRegistryAnswerError(f"expected {RESPONSE_TAG}, found {response.tag}")
    return RegistryAnswer(
        result_code=_required(response, "messageResult/code"),
        result_message=_text(response, "messageResult/nameRu") or "",
        persons=tuple(read_person(person) for person in response.findall("persons/person")),
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
