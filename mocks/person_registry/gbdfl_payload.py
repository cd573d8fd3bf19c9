"""The person registry's answer, from the synthetic population: each person as the contract's ``Person``.

The payloads themselves (namespace, element names, dictionaries, reading and writing) are
:mod:`contracts.gbdfl`; this module maps a :class:`mocks.population.SyntheticPerson` to it. The codes are
the registry's (gender 1/2, citizenship 398, lifeStatus 0, document type 001/002, issuing body 002).
Region codes are in the registry's four-digit style and district codes follow their region; like the
population's nationality codes they are synthetic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lxml import etree

from contracts import gbdfl
from contracts.gbdfl import (
    COUNTRIES,
    DOCUMENT_TYPES,
    GENDERS,
    ISSUERS,
    LIFE_STATUS_NORMAL,
    MESSAGE_RESULTS,
    PERMANENT_REGISTRATION,
    RESULT_NOT_FOUND,
    RESULT_PROCESSED,
    Dictionary,
    RegistryRequest,
    coded,
)
from mocks.population import IdentityDocument, RegisteredAddress, SyntheticPerson

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


def _place(table: dict[str, tuple[str, str]], name_ru: str) -> Dictionary:
    code, name_kz = table.get(name_ru, (UNKNOWN_CODE, name_ru))
    return Dictionary(code, name_ru, name_kz)


def _address(person: SyntheticPerson, address: RegisteredAddress) -> gbdfl.Address:
    return gbdfl.Address(
        country=coded(COUNTRIES, person.citizenship_code),
        district=_place(DISTRICTS, address.district),
        region=_place(REGIONS, address.region),
        city=address.city,
        street=address.street,
        building=address.building,
        flat=address.flat,
        status=PERMANENT_REGISTRATION,
    )


def _document(person: SyntheticPerson, document: IdentityDocument) -> gbdfl.Document:
    return gbdfl.Document(
        type=coded(DOCUMENT_TYPES, document.type_code),
        number=document.number,
        begin_date=document.issued_on,
        end_date=document.valid_until,
        issue_organization=coded(ISSUERS, document.issuer_code),
        surname=person.surname,
        name=person.name,
        patronymic=person.patronymic,
        birth_date=person.birth_date,
    )


def registry_person(person: SyntheticPerson) -> gbdfl.Person:
    """The registry's record of one person of the population."""
    return gbdfl.Person(
        iin=person.iin,
        surname=person.surname,
        name=person.name,
        patronymic=person.patronymic,
        eng_first_name=person.eng_first_name,
        eng_surname=person.eng_surname,
        birth_date=person.birth_date,
        gender=coded(GENDERS, person.gender),
        nationality=Dictionary(person.nationality_code, person.nationality_name_ru, person.nationality_name_kz),
        citizenship=coded(COUNTRIES, person.citizenship_code),
        life_status=LIFE_STATUS_NORMAL,
        reg_address=_address(person, person.address),
        documents=(_document(person, person.document),),
        removed=False,
    )


def person_element(person: SyntheticPerson) -> etree._Element:
    """One ``person`` (type ``p:Person``), children in the order of ``gbdfl-person.xsd``."""
    return gbdfl.write_person(registry_person(person))


def build_response(
    persons: Sequence[SyntheticPerson],
    *,
    request: RegistryRequest,
    message_id: str,
    message_date: dt.datetime,
    sender: str,
) -> etree._Element:
    """``msg:response`` answering ``request``: ``00000`` with the persons, or ``00002`` without any."""
    return gbdfl.build_response(
        gbdfl.RegistryResponse(
            message_id=message_id,
            message_date=message_date,
            request_id=request.message_id,
            sender=sender,
            receiver=request.sender_code,
            message_result=MESSAGE_RESULTS[RESULT_PROCESSED if persons else RESULT_NOT_FOUND],
            persons=tuple(registry_person(person) for person in persons),
        )
    )
