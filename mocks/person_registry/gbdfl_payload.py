"""The person registry's payloads: read the GBD FL ``request``, build the GBD FL ``response``.

Shapes follow GATEWAY-PROTOCOL §4 and ``wsdl/xsd/gbdfl-message.xsd`` (with ``gbdfl-person.xsd``,
``gbdfl-documents.xsd``, ``gbdfl-dictionaries.xsd``): the root elements ``request`` and ``response``
are in ``http://message.persistence.interactive.nat``; every child is unqualified. Every coded value is
a dictionary value with ``code``, ``nameRu`` and ``nameKz``; the codes are those of §4 (gender 1/2,
citizenship 398, lifeStatus 0, document type 001/002, issuing body 002). ``messageResult`` is
``00000`` when the person was found and ``00002`` ("data not found") when not; both are successful
answers. Region codes are in the registry's four-digit style and district codes follow their region;
like the population's nationality codes they are synthetic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from adapters.xml import child_text
from mocks.population import IdentityDocument, RegisteredAddress, SyntheticPerson

MSG_NS = "http://message.persistence.interactive.nat"
REQUEST_TAG = f"{{{MSG_NS}}}request"
RESPONSE_TAG = f"{{{MSG_NS}}}response"

RESULT_PROCESSED = "00000"
RESULT_NOT_FOUND = "00002"

# (code, nameRu, nameKz) of the dictionaries named in GATEWAY-PROTOCOL §4.
Entry = tuple[str, str, str]
MESSAGE_RESULTS: dict[str, Entry] = {
    RESULT_PROCESSED: (RESULT_PROCESSED, "Сообщение обработано", "Хабарлама өңделді"),
    RESULT_NOT_FOUND: (RESULT_NOT_FOUND, "Данные не найдены", "Деректер табылмады"),
}
GENDERS: dict[str, Entry] = {"1": ("1", "Мужской", "Ер"), "2": ("2", "Женский", "Әйел")}
COUNTRIES: dict[str, Entry] = {"398": ("398", "Казахстан", "Қазақстан")}
LIFE_STATUS_NORMAL: Entry = ("0", "Нормальный", "Қалыпты")
DOCUMENT_TYPES: dict[str, Entry] = {
    "001": ("001", "Паспорт гражданина РК", "ҚР азаматының паспорты"),
    "002": ("002", "Удостоверение личности гражданина РК", "ҚР азаматының жеке куәлігі"),
}
ISSUERS: dict[str, Entry] = {"002": ("002", "МВД РК", "ҚР ІІМ")}
PERMANENT_REGISTRATION: Entry = ("1", "Постоянная регистрация", "Тұрақты тіркеу")

# Regions and districts of the synthetic population's places: nameRu -> (code, nameKz).
REGIONS: dict[str, tuple[str, str]] = {
    "г. Астана": ("1100", "Астана қаласы"),
    "Актюбинская область": ("1500", "Ақтөбе облысы"),
    "Атырауская область": ("2300", "Атырау облысы"),
    "Карагандинская область": ("3500", "Қарағанды облысы"),
    "Костанайская область": ("3900", "Қостанай облысы"),
    "Павлодарская область": ("5500", "Павлодар облысы"),
    "Восточно-Казахстанская область": ("6300", "Шығыс Қазақстан облысы"),
    "г. Алматы": ("7500", "Алматы қаласы"),
    "г. Шымкент": ("7900", "Шымкент қаласы"),
}
DISTRICTS: dict[str, tuple[str, str]] = {
    "Алматинский район": ("1101", "Алматы ауданы"),
    "район Байконур": ("1102", "Байқоңыр ауданы"),
    "Сарыаркинский район": ("1104", "Сарыарқа ауданы"),
    "Есильский район": ("1105", "Есіл ауданы"),
    "район Астана": ("1501", "Астана ауданы"),
    "район Алматы": ("1502", "Алматы ауданы"),
    "г. Атырау": ("2301", "Атырау қ."),
    "район имени Казыбек би": ("3501", "Қазыбек би атындағы аудан"),
    "район Алихана Бокейханова": ("3502", "Әлихан Бөкейханов атындағы аудан"),
    "г. Костанай": ("3901", "Қостанай қ."),
    "г. Павлодар": ("5501", "Павлодар қ."),
    "г. Усть-Каменогорск": ("6301", "Өскемен қ."),
    "Алмалинский район": ("7501", "Алмалы ауданы"),
    "Ауэзовский район": ("7502", "Әуезов ауданы"),
    "Бостандыкский район": ("7503", "Бостандық ауданы"),
    "Медеуский район": ("7504", "Медеу ауданы"),
    "Абайский район": ("7901", "Абай ауданы"),
    "Аль-Фарабийский район": ("7902", "Әл-Фараби ауданы"),
    "Енбекшинский район": ("7903", "Еңбекші ауданы"),
}
UNKNOWN_CODE = "0000"


class RegistryRequestError(ValueError):
    """The payload is not a GBD FL ``request`` this registry can answer (becomes SCE001)."""


@dataclass(frozen=True)
class RegistryRequest:
    """What the registry reads from a GBD FL ``request`` (GATEWAY-PROTOCOL §4)."""

    message_id: str
    message_date: dt.datetime
    sender_code: str
    iin: str | None


def _required_text(element: etree._Element, tag: str) -> str:
    value = child_text(element, tag)
    if not value:
        raise RegistryRequestError(f"request/{tag} is missing or empty")
    return value


def read_request(element: etree._Element) -> RegistryRequest:
    """Read ``msg:request``; raise :class:`RegistryRequestError` for anything else."""
    if element.tag != REQUEST_TAG:
        raise RegistryRequestError(f"expected {REQUEST_TAG}, found {element.tag}")
    message_date = _required_text(element, "messageDate")
    try:
        moment = dt.datetime.fromisoformat(message_date)
    except ValueError as exc:
        message = f"request/messageDate is not an ISO 8601 dateTime: {message_date!r}"
        raise RegistryRequestError(message) from exc
    iin_node = element.find("iin")
    iin = (iin_node.text or "").strip() if iin_node is not None else None
    return RegistryRequest(
        message_id=_required_text(element, "messageId"),
        message_date=moment,
        sender_code=_required_text(element, "senderCode"),
        iin=iin or None,
    )


def _text(parent: etree._Element, tag: str, value: str | None) -> None:
    if value is not None:
        etree.SubElement(parent, tag).text = value


def _dictionary(parent: etree._Element, tag: str, entry: Entry) -> None:
    code, name_ru, name_kz = entry
    holder = etree.SubElement(parent, tag)
    _text(holder, "code", code)
    _text(holder, "nameRu", name_ru)
    _text(holder, "nameKz", name_kz)


def _coded(table: dict[str, Entry], code: str) -> Entry:
    """The dictionary value of ``code``; a code the table does not know is named by itself."""
    return table.get(code, (code, code, code))


def _place(table: dict[str, tuple[str, str]], name_ru: str) -> Entry:
    code, name_kz = table.get(name_ru, (UNKNOWN_CODE, name_ru))
    return code, name_ru, name_kz


def _address(parent: etree._Element, person: SyntheticPerson, address: RegisteredAddress) -> None:
    holder = etree.SubElement(parent, "regAddress")
    _dictionary(holder, "country", _coded(COUNTRIES, person.citizenship_code))
    _dictionary(holder, "district", _place(DISTRICTS, address.district))
    _dictionary(holder, "region", _place(REGIONS, address.region))
    _text(holder, "city", address.city)
    _text(holder, "street", address.street)
    _text(holder, "building", address.building)
    _text(holder, "flat", address.flat)
    _dictionary(holder, "status", PERMANENT_REGISTRATION)


def _document(parent: etree._Element, person: SyntheticPerson, document: IdentityDocument) -> None:
    holder = etree.SubElement(etree.SubElement(parent, "documents"), "document")
    _dictionary(holder, "type", _coded(DOCUMENT_TYPES, document.type_code))
    _text(holder, "number", document.number)
    _text(holder, "beginDate", document.issued_on.isoformat())
    _text(holder, "endDate", document.valid_until.isoformat())
    _dictionary(holder, "issueOrganization", _coded(ISSUERS, document.issuer_code))
    _text(holder, "surname", person.surname)
    _text(holder, "name", person.name)
    _text(holder, "patronymic", person.patronymic)
    _text(holder, "birthDate", person.birth_date.isoformat())


def person_element(person: SyntheticPerson) -> etree._Element:
    """One ``person`` (type ``p:Person``), children in the order of ``gbdfl-person.xsd``."""
    element = etree.Element("person")
    _text(element, "iin", person.iin)
    _text(element, "surname", person.surname)
    _text(element, "name", person.name)
    _text(element, "patronymic", person.patronymic)
    _text(element, "engFirstName", person.eng_first_name)
    _text(element, "engSurname", person.eng_surname)
    _text(element, "birthDate", person.birth_date.isoformat())
    _dictionary(element, "gender", _coded(GENDERS, person.gender))
    _dictionary(
        element,
        "nationality",
        (person.nationality_code, person.nationality_name_ru, person.nationality_name_kz),
    )
    _dictionary(element, "citizenship", _coded(COUNTRIES, person.citizenship_code))
    _dictionary(element, "lifeStatus", LIFE_STATUS_NORMAL)
    _address(element, person, person.address)
    _document(element, person, person.document)
    _text(element, "removed", "false")
    return element


def build_response(
    persons: Sequence[SyntheticPerson],
    *,
    request: RegistryRequest,
    message_id: str,
    message_date: dt.datetime,
    sender: str,
) -> etree._Element:
    """``msg:response`` answering ``request``: ``00000`` with the persons, or ``00002`` without any."""
    response = etree.Element(RESPONSE_TAG, nsmap={"msg": MSG_NS})
    _text(response, "messageId", message_id)
    _text(response, "messageDate", message_date.isoformat(timespec="seconds"))
    _text(response, "requestId", request.message_id)
    _text(response, "sender", sender)
    _text(response, "receiver", request.sender_code)
    _dictionary(response, "messageResult", MESSAGE_RESULTS[RESULT_PROCESSED if persons else RESULT_NOT_FOUND])
    if persons:
        holder = etree.SubElement(response, "persons")
        for person in persons:
            holder.append(person_element(person))
    return response
