"""The person registry's payloads (GBD FL): the ``request`` a client sends and the ``response`` it gets back.

Service ``GBDFL_UniversalServiceSync``; schema ``wsdl/xsd/gbdfl-message.xsd`` (with ``gbdfl-person.xsd``,
``gbdfl-documents.xsd``, ``gbdfl-dictionaries.xsd``); element names as on the real registry (docs/contracts.md).
The root elements ``request`` and ``response`` are in ``http://message.persistence.interactive.nat``; every
child is unqualified. Every coded value is a dictionary value with ``code``, ``nameRu`` and ``nameKz``
(:mod:`contracts.gbdfl_dictionaries`); a person is :mod:`contracts.gbdfl_person`.

A request searches by ``iin``, or by ``documentNumber``, or by the person's data (``surname`` with ``name``,
``patronymic``, ``birthDate`` or the range ``birthDateFrom``..``birthDateTo``); every criterion given must
match. ``messageResult`` is ``00000`` when the registry found people (the persons follow), ``00002`` ("data
not found") when it found no one and ``00003`` when it found more than one answer carries (none follow:
narrow the search); all three are successful answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml import etree

from contracts.errors import PayloadError
from contracts.gbdfl_dictionaries import (
    CAPABLE_STATUSES,
    COUNTRIES,
    DOCUMENT_TYPES,
    EDUCATION_STATUSES,
    GENDERS,
    IDENTITY_CARD,
    IMPRISONED_STATUSES,
    ISSUERS,
    LIFE_STATUS_DECEASED,
    LIFE_STATUS_NORMAL,
    LIFE_STATUSES,
    MESSAGE_RESULTS,
    PASSPORT,
    PERMANENT_REGISTRATION,
    RESULT_NOT_FOUND,
    RESULT_PROCESSED,
    RESULT_TOO_MANY,
    Dictionary,
    RegistryResponseError,
    add_dictionary,
    coded,
    read_dictionary,
    text,
)
from contracts.gbdfl_person import (
    Address,
    Document,
    Person,
    read_person,
    write_person,
)
from contracts.gbdfl_statuses import CapableStatus, Certificate, Education, ImprisonedStatus, MissingStatus
from contracts.xml_text import add_text, child_text

__all__ = [
    "CAPABLE_STATUSES",
    "COUNTRIES",
    "DOCUMENT_TYPES",
    "EDUCATION_STATUSES",
    "GENDERS",
    "IDENTITY_CARD",
    "IMPRISONED_STATUSES",
    "ISSUERS",
    "LIFE_STATUSES",
    "LIFE_STATUS_DECEASED",
    "LIFE_STATUS_NORMAL",
    "MESSAGE_RESULTS",
    "MSG_NS",
    "PASSPORT",
    "PERMANENT_REGISTRATION",
    "REQUEST_TAG",
    "RESPONSE_TAG",
    "RESULT_NOT_FOUND",
    "RESULT_PROCESSED",
    "RESULT_TOO_MANY",
    "SCHEMA",
    "SERVICE_ID",
    "Address",
    "CapableStatus",
    "Certificate",
    "Dictionary",
    "Document",
    "Education",
    "ImprisonedStatus",
    "MissingStatus",
    "Person",
    "RegistryRequest",
    "RegistryRequestError",
    "RegistryResponse",
    "RegistryResponseError",
    "build_request",
    "build_response",
    "coded",
    "read_person",
    "read_request",
    "read_response",
    "write_person",
]

SERVICE_ID = "GBDFL_UniversalServiceSync"
SCHEMA = "xsd/gbdfl-message.xsd"
MSG_NS = "http://message.persistence.interactive.nat"
REQUEST_TAG = f"{{{MSG_NS}}}request"
RESPONSE_TAG = f"{{{MSG_NS}}}response"


class RegistryRequestError(PayloadError):
    """The payload is not a GBD FL ``request`` a registry can answer (the registry answers SCE001)."""


@dataclass(frozen=True)
class RegistryRequest:
    """A search: by ``iin``, by ``document_number``, or by the person's data; every criterion given must match."""

    message_id: str
    message_date: dt.datetime
    sender_code: str
    iin: str | None = None
    surname: str | None = None
    name: str | None = None
    patronymic: str | None = None
    birth_date: dt.date | None = None
    birth_date_from: dt.date | None = None
    birth_date_to: dt.date | None = None
    document_number: str | None = None


@dataclass(frozen=True)
class RegistryResponse:
    message_id: str
    message_date: dt.datetime | None
    request_id: str
    sender: str
    receiver: str
    message_result: Dictionary
    persons: tuple[Person, ...] = ()

    @property
    def result_code(self) -> str:
        return self.message_result.code


# ---- the request --------------------------------------------------------------------------------


def build_request(request: RegistryRequest) -> etree._Element:
    """``msg:request``, children in the order of ``gbdfl-message.xsd``; only the criteria given."""
    element = etree.Element(REQUEST_TAG, nsmap={"msg": MSG_NS})
    add_text(element, "messageId", request.message_id)
    add_text(element, "messageDate", request.message_date.isoformat(timespec="seconds"))
    add_text(element, "senderCode", request.sender_code)
    for tag, value in (
        ("iin", request.iin),
        ("surname", request.surname),
        ("name", request.name),
        ("patronymic", request.patronymic),
        ("birthDate", _iso(request.birth_date)),
        ("birthDateFrom", _iso(request.birth_date_from)),
        ("birthDateTo", _iso(request.birth_date_to)),
        ("documentNumber", request.document_number),
    ):
        add_text(element, tag, value)
    return element


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _request_text(element: etree._Element, tag: str) -> str:
    value = child_text(element, tag)
    if not value:
        raise RegistryRequestError(f"request/{tag} is missing or empty")
    return value


def _criterion(element: etree._Element, tag: str) -> str | None:
    return child_text(element, tag) or None


def _date_criterion(element: etree._Element, tag: str) -> dt.date | None:
    value = _criterion(element, tag)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise RegistryRequestError(f"request/{tag} is not an ISO 8601 date: {value!r}") from exc


def read_request(element: etree._Element) -> RegistryRequest:
    """Read ``msg:request``; raise :class:`RegistryRequestError` for anything else."""
    if element.tag != REQUEST_TAG:
        raise RegistryRequestError(f"expected {REQUEST_TAG}, found {element.tag}")
    message_date = _request_text(element, "messageDate")
    try:
        moment = dt.datetime.fromisoformat(message_date)
    except ValueError as exc:
        raise RegistryRequestError(f"request/messageDate is not an ISO 8601 dateTime: {message_date!r}") from exc
    return RegistryRequest(
        message_id=_request_text(element, "messageId"),
        message_date=moment,
        sender_code=_request_text(element, "senderCode"),
        iin=_criterion(element, "iin"),
        surname=_criterion(element, "surname"),
        name=_criterion(element, "name"),
        patronymic=_criterion(element, "patronymic"),
        birth_date=_date_criterion(element, "birthDate"),
        birth_date_from=_date_criterion(element, "birthDateFrom"),
        birth_date_to=_date_criterion(element, "birthDateTo"),
        document_number=_criterion(element, "documentNumber"),
    )


# ---- the response -------------------------------------------------------------------------------


def build_response(response: RegistryResponse) -> etree._Element:
    """``msg:response``, children in the order of ``gbdfl-message.xsd``; ``persons`` only when there are some."""
    element = etree.Element(RESPONSE_TAG, nsmap={"msg": MSG_NS})
    add_text(element, "messageId", response.message_id)
    if response.message_date is not None:
        add_text(element, "messageDate", response.message_date.isoformat(timespec="seconds"))
    add_text(element, "requestId", response.request_id)
    add_text(element, "sender", response.sender)
    add_text(element, "receiver", response.receiver)
    add_dictionary(element, "messageResult", response.message_result)
    if response.persons:
        holder = etree.SubElement(element, "persons")
        for person in response.persons:
            holder.append(write_person(person))
    return element


def read_response(element: etree._Element) -> RegistryResponse:
    """Read ``msg:response``; raise :class:`RegistryResponseError` if it is not one."""
    if element.tag != RESPONSE_TAG:
        raise RegistryResponseError(f"expected {RESPONSE_TAG}, found {element.tag}")
    message_date = text(element, "messageDate")
    try:
        moment = dt.datetime.fromisoformat(message_date) if message_date else None
    except ValueError as exc:
        raise RegistryResponseError(f"response/messageDate is not an ISO 8601 dateTime: {message_date!r}") from exc
    result = read_dictionary(element, "messageResult")
    if result is None:
        raise RegistryResponseError(f"the registry answer has no messageResult/code in {element.tag}")
    return RegistryResponse(
        message_id=text(element, "messageId") or "",
        message_date=moment,
        request_id=text(element, "requestId") or "",
        sender=text(element, "sender") or "",
        receiver=text(element, "receiver") or "",
        message_result=result,
        persons=tuple(read_person(item) for item in element.findall("persons/person")),
    )
