"""The person registry's payloads (GBD FL): the ``request`` a client sends and the ``response`` it gets back.

Service ``GBDFL_UniversalServiceSync``; schema ``wsdl/xsd/gbdfl-message.xsd`` (with ``gbdfl-person.xsd``,
``gbdfl-documents.xsd``, ``gbdfl-dictionaries.xsd``); element names as on the real registry (docs/contracts.md).
The root elements ``request`` and ``response`` are in ``http://message.persistence.interactive.nat``; every
child is unqualified. Every coded value is a dictionary value with ``code``, ``nameRu`` and ``nameKz``.
``messageResult`` is ``00000`` when the registry processed the search (the persons follow) and ``00002``
("data not found") when it found no one; both are successful answers.

The values modelled are those the simulation writes and reads (of the statuses: ``deathDate``, ``lifeStatus``
and ``imprisonedStatus``, which the local employment authority verifies); the reader skips the other optional
elements of ``Person`` (``birthPlace``, the other statuses, ``addresses``), which a real answer may carry.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml import etree

from contracts.errors import PayloadError
from contracts.xml_text import add_text, child_text

SERVICE_ID = "GBDFL_UniversalServiceSync"
SCHEMA = "xsd/gbdfl-message.xsd"
MSG_NS = "http://message.persistence.interactive.nat"
REQUEST_TAG = f"{{{MSG_NS}}}request"
RESPONSE_TAG = f"{{{MSG_NS}}}response"

RESULT_PROCESSED = "00000"
RESULT_NOT_FOUND = "00002"
PASSPORT = "001"
IDENTITY_CARD = "002"


class RegistryRequestError(PayloadError):
    """The payload is not a GBD FL ``request`` a registry can answer (the registry answers SCE001)."""


class RegistryResponseError(PayloadError):
    """The payload is not a readable GBD FL ``response``."""


@dataclass(frozen=True)
class Dictionary:
    """A value of one of the registry's dictionaries."""

    code: str
    name_ru: str
    name_kz: str


# The registry's dictionaries, as far as the simulation uses them (``wsdl/xsd/gbdfl-dictionaries.xsd``).
MESSAGE_RESULTS: dict[str, Dictionary] = {
    RESULT_PROCESSED: Dictionary(RESULT_PROCESSED, "Сообщение обработано", "Хабарлама өңделді"),
    RESULT_NOT_FOUND: Dictionary(RESULT_NOT_FOUND, "Данные не найдены", "Деректер табылмады"),
}
GENDERS: dict[str, Dictionary] = {"1": Dictionary("1", "Мужской", "Ер"), "2": Dictionary("2", "Женский", "Әйел")}
COUNTRIES: dict[str, Dictionary] = {"398": Dictionary("398", "Казахстан", "Қазақстан")}
LIFE_STATUS_NORMAL = Dictionary("0", "Нормальный", "Қалыпты")
DOCUMENT_TYPES: dict[str, Dictionary] = {
    PASSPORT: Dictionary(PASSPORT, "Паспорт гражданина РК", "ҚР азаматының паспорты"),
    IDENTITY_CARD: Dictionary(IDENTITY_CARD, "Удостоверение личности гражданина РК", "ҚР азаматының жеке куәлігі"),
}
ISSUERS: dict[str, Dictionary] = {"002": Dictionary("002", "МВД РК", "ҚР ІІМ")}
PERMANENT_REGISTRATION = Dictionary("1", "Постоянная регистрация", "Тұрақты тіркеу")


def coded(table: dict[str, Dictionary], code: str) -> Dictionary:
    """The dictionary value of ``code``; a code the table does not know is named by itself."""
    return table.get(code, Dictionary(code, code, code))


@dataclass(frozen=True)
class Address:
    """``regAddress`` (type ``p:Address``)."""

    country: Dictionary
    district: Dictionary | None = None
    region: Dictionary | None = None
    city: str | None = None
    street: str | None = None
    building: str | None = None
    corpus: str | None = None
    flat: str | None = None
    status: Dictionary | None = None


@dataclass(frozen=True)
class Document:
    """One ``documents/document`` (type ``doc:Document``)."""

    type: Dictionary | None
    number: str | None
    begin_date: dt.date | None = None
    end_date: dt.date | None = None
    issue_organization: Dictionary | None = None
    surname: str | None = None
    name: str | None = None
    patronymic: str | None = None
    birth_date: dt.date | None = None


@dataclass(frozen=True)
class Person:
    """One ``person`` (type ``p:Person``)."""

    iin: str
    surname: str
    name: str
    birth_date: dt.date
    gender: Dictionary
    patronymic: str | None = None
    eng_first_name: str | None = None
    eng_surname: str | None = None
    nationality: Dictionary | None = None
    citizenship: Dictionary | None = None
    life_status: Dictionary | None = None
    reg_address: Address | None = None
    documents: tuple[Document, ...] = ()
    removed: bool | None = None
    death_date: dt.date | None = None
    imprisoned_status: Dictionary | None = None


@dataclass(frozen=True)
class RegistryRequest:
    """A search by IIN (the only search the simulation's registry answers)."""

    message_id: str
    message_date: dt.datetime
    sender_code: str
    iin: str | None


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
    """``msg:request``, children in the order of ``gbdfl-message.xsd``."""
    element = etree.Element(REQUEST_TAG, nsmap={"msg": MSG_NS})
    add_text(element, "messageId", request.message_id)
    add_text(element, "messageDate", request.message_date.isoformat(timespec="seconds"))
    add_text(element, "senderCode", request.sender_code)
    add_text(element, "iin", request.iin)
    return element


def _request_text(element: etree._Element, tag: str) -> str:
    value = child_text(element, tag)
    if not value:
        raise RegistryRequestError(f"request/{tag} is missing or empty")
    return value


def read_request(element: etree._Element) -> RegistryRequest:
    """Read ``msg:request``; raise :class:`RegistryRequestError` for anything else."""
    if element.tag != REQUEST_TAG:
        raise RegistryRequestError(f"expected {REQUEST_TAG}, found {element.tag}")
    message_date = _request_text(element, "messageDate")
    try:
        moment = dt.datetime.fromisoformat(message_date)
    except ValueError as exc:
        raise RegistryRequestError(f"request/messageDate is not an ISO 8601 dateTime: {message_date!r}") from exc
    iin_node = element.find("iin")
    iin = (iin_node.text or "").strip() if iin_node is not None else None
    return RegistryRequest(
        message_id=_request_text(element, "messageId"),
        message_date=moment,
        sender_code=_request_text(element, "senderCode"),
        iin=iin or None,
    )


# ---- the response: writing ----------------------------------------------------------------------


def _add_dictionary(parent: etree._Element, tag: str, value: Dictionary | None) -> None:
    if value is None:
        return
    holder = etree.SubElement(parent, tag)
    add_text(holder, "code", value.code)
    add_text(holder, "nameRu", value.name_ru)
    add_text(holder, "nameKz", value.name_kz)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _add_address(parent: etree._Element, address: Address) -> None:
    holder = etree.SubElement(parent, "regAddress")
    _add_dictionary(holder, "country", address.country)
    _add_dictionary(holder, "district", address.district)
    _add_dictionary(holder, "region", address.region)
    for tag, value in (
        ("city", address.city),
        ("street", address.street),
        ("building", address.building),
        ("corpus", address.corpus),
        ("flat", address.flat),
    ):
        add_text(holder, tag, value)
    _add_dictionary(holder, "status", address.status)


def _add_document(parent: etree._Element, document: Document) -> None:
    holder = etree.SubElement(parent, "document")
    _add_dictionary(holder, "type", document.type)
    add_text(holder, "number", document.number)
    add_text(holder, "beginDate", _iso(document.begin_date))
    add_text(holder, "endDate", _iso(document.end_date))
    _add_dictionary(holder, "issueOrganization", document.issue_organization)
    add_text(holder, "surname", document.surname)
    add_text(holder, "name", document.name)
    add_text(holder, "patronymic", document.patronymic)
    add_text(holder, "birthDate", _iso(document.birth_date))


def write_person(person: Person) -> etree._Element:
    """One ``person``, children in the order of ``gbdfl-person.xsd``."""
    element = etree.Element("person")
    add_text(element, "iin", person.iin)
    add_text(element, "surname", person.surname)
    add_text(element, "name", person.name)
    add_text(element, "patronymic", person.patronymic)
    add_text(element, "engFirstName", person.eng_first_name)
    add_text(element, "engSurname", person.eng_surname)
    add_text(element, "birthDate", person.birth_date.isoformat())
    add_text(element, "deathDate", _iso(person.death_date))
    _add_dictionary(element, "gender", person.gender)
    _add_dictionary(element, "nationality", person.nationality)
    _add_dictionary(element, "citizenship", person.citizenship)
    _add_dictionary(element, "lifeStatus", person.life_status)
    _add_dictionary(element, "imprisonedStatus", person.imprisoned_status)
    if person.reg_address is not None:
        _add_address(element, person.reg_address)
    if person.documents:
        holder = etree.SubElement(element, "documents")
        for document in person.documents:
            _add_document(holder, document)
    if person.removed is not None:
        add_text(element, "removed", "true" if person.removed else "false")
    return element


def build_response(response: RegistryResponse) -> etree._Element:
    """``msg:response``, children in the order of ``gbdfl-message.xsd``; ``persons`` only when there are some."""
    element = etree.Element(RESPONSE_TAG, nsmap={"msg": MSG_NS})
    add_text(element, "messageId", response.message_id)
    if response.message_date is not None:
        add_text(element, "messageDate", response.message_date.isoformat(timespec="seconds"))
    add_text(element, "requestId", response.request_id)
    add_text(element, "sender", response.sender)
    add_text(element, "receiver", response.receiver)
    _add_dictionary(element, "messageResult", response.message_result)
    if response.persons:
        holder = etree.SubElement(element, "persons")
        for person in response.persons:
            holder.append(write_person(person))
    return element


# ---- the response: reading ----------------------------------------------------------------------


def _text(parent: etree._Element, path: str) -> str | None:
    return child_text(parent, path) or None


def _required(parent: etree._Element, path: str) -> str:
    value = _text(parent, path)
    if value is None:
        raise RegistryResponseError(f"the registry answer has no {path} in {parent.tag}")
    return value


def _date(value: str | None, what: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError as exc:
        raise RegistryResponseError(f"{what} is not a date: {value!r}") from exc


def _dictionary(parent: etree._Element, tag: str) -> Dictionary | None:
    holder = parent.find(tag)
    if holder is None:
        return None
    return Dictionary(_required(holder, "code"), _text(holder, "nameRu") or "", _text(holder, "nameKz") or "")


def _address(element: etree._Element | None) -> Address | None:
    if element is None:
        return None
    country = _dictionary(element, "country")
    return Address(
        country=country if country is not None else Dictionary("", "", ""),
        district=_dictionary(element, "district"),
        region=_dictionary(element, "region"),
        city=_text(element, "city"),
        street=_text(element, "street"),
        building=_text(element, "building"),
        corpus=_text(element, "corpus"),
        flat=_text(element, "flat"),
        status=_dictionary(element, "status"),
    )


def _document(element: etree._Element) -> Document:
    return Document(
        type=_dictionary(element, "type"),
        number=_text(element, "number"),
        begin_date=_date(_text(element, "beginDate"), "document/beginDate"),
        end_date=_date(_text(element, "endDate"), "document/endDate"),
        issue_organization=_dictionary(element, "issueOrganization"),
        surname=_text(element, "surname"),
        name=_text(element, "name"),
        patronymic=_text(element, "patronymic"),
        birth_date=_date(_text(element, "birthDate"), "document/birthDate"),
    )


def read_person(element: etree._Element) -> Person:
    """One ``person`` element (type ``p:Person``)."""
    birth_date = _date(_required(element, "birthDate"), "person/birthDate")
    assert birth_date is not None  # a required value is never None
    gender = _dictionary(element, "gender")
    if gender is None:
        raise RegistryResponseError(f"the registry answer has no gender/code in {element.tag}")
    removed = _text(element, "removed")
    return Person(
        iin=_required(element, "iin"),
        surname=_required(element, "surname"),
        name=_required(element, "name"),
        birth_date=birth_date,
        gender=gender,
        patronymic=_text(element, "patronymic"),
        eng_first_name=_text(element, "engFirstName"),
        eng_surname=_text(element, "engSurname"),
        nationality=_dictionary(element, "nationality"),
        citizenship=_dictionary(element, "citizenship"),
        life_status=_dictionary(element, "lifeStatus"),
        reg_address=_address(element.find("regAddress")),
        documents=tuple(_document(item) for item in element.findall("documents/document")),
        removed=None if removed is None else removed in ("true", "1"),
        death_date=_date(_text(element, "deathDate"), "person/deathDate"),
        imprisoned_status=_dictionary(element, "imprisonedStatus"),
    )


def read_response(element: etree._Element) -> RegistryResponse:
    """Read ``msg:response``; raise :class:`RegistryResponseError` if it is not one."""
    if element.tag != RESPONSE_TAG:
        raise RegistryResponseError(f"expected {RESPONSE_TAG}, found {element.tag}")
    message_date = _text(element, "messageDate")
    try:
        moment = dt.datetime.fromisoformat(message_date) if message_date else None
    except ValueError as exc:
        raise RegistryResponseError(f"response/messageDate is not an ISO 8601 dateTime: {message_date!r}") from exc
    result = _dictionary(element, "messageResult")
    if result is None:
        raise RegistryResponseError(f"the registry answer has no messageResult/code in {element.tag}")
    return RegistryResponse(
        message_id=_text(element, "messageId") or "",
        message_date=moment,
        request_id=_text(element, "requestId") or "",
        sender=_text(element, "sender") or "",
        receiver=_text(element, "receiver") or "",
        message_result=result,
        persons=tuple(read_person(item) for item in element.findall("persons/person")),
    )
