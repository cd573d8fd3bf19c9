"""The person registry's answer, from the synthetic population: each person as the contract's ``Person``.

The payloads themselves (namespace, element names, dictionaries, reading and writing) are
:mod:`contracts.gbdfl`; this module maps a :class:`mocks.population.SyntheticPerson` to it, as the registry
knows the person on ``today`` (the shared clock's date): a death, a sentence, a court's or prosecutor's
decision or a place of study that begins later is not in the answer yet. The codes are the registry's
(gender 1/2, citizenship 398, lifeStatus 0/1, document type 001/002, issuing body 002) and the simulation's
own for the statuses (docs/contracts.md). Region codes are in the registry's four-digit style and district
codes follow their region; courts and prosecutors' offices take their region's code with a suffix; like the
population's nationality codes they are synthetic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from lxml import etree

from contracts import gbdfl
from contracts.gbdfl import (
    CAPABLE_STATUSES,
    COUNTRIES,
    DOCUMENT_TYPES,
    EDUCATION_STATUSES,
    GENDERS,
    IMPRISONED_STATUSES,
    ISSUERS,
    LIFE_STATUS_DECEASED,
    LIFE_STATUS_NORMAL,
    MESSAGE_RESULTS,
    PERMANENT_REGISTRATION,
    RESULT_NOT_FOUND,
    RESULT_PROCESSED,
    RESULT_TOO_MANY,
    Dictionary,
    RegistryRequest,
    coded,
)
from contracts.gbdfl_dictionaries import (
    CAPABLE,
    INCAPABLE,
    PUPIL_OF_GENERAL_SCHOOL,
    RELEASED,
    SERVING_SENTENCE,
    STUDENT_OF_HIGHER_EDUCATION,
    STUDENT_OF_TECHNICAL_VOCATIONAL,
)
from mocks.population import IdentityDocument, RegisteredAddress, SyntheticPerson
from mocks.population_model import CourtStatus, Education

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
# Courts and prosecutors' offices of the population's statuses: nameRu -> (code, nameKz).
AUTHORITIES: dict[str, tuple[str, str]] = {
    "Есильский районный суд г. Астаны": ("1100-01", "Астана қаласының Есіл аудандық соты"),
    "Бостандыкский районный суд г. Алматы": ("7500-01", "Алматы қаласының Бостандық аудандық соты"),
    "Абайский районный суд г. Шымкента": ("7900-01", "Шымкент қаласының Абай аудандық соты"),
    "Казыбекбийский районный суд г. Караганды": ("3500-01", "Қарағанды қаласының Қазыбек би аудандық соты"),
    "Актюбинский городской суд": ("1500-01", "Ақтөбе қалалық соты"),
    "Павлодарский городской суд": ("5500-01", "Павлодар қалалық соты"),
    "Усть-Каменогорский городской суд": ("6300-01", "Өскемен қалалық соты"),
    "Атырауский городской суд": ("2300-01", "Атырау қалалық соты"),
    "Костанайский городской суд": ("3900-01", "Қостанай қалалық соты"),
    "Прокуратура г. Астаны": ("1100-02", "Астана қаласының прокуратурасы"),
    "Прокуратура г. Алматы": ("7500-02", "Алматы қаласының прокуратурасы"),
    "Прокуратура г. Шымкента": ("7900-02", "Шымкент қаласының прокуратурасы"),
    "Прокуратура Карагандинской области": ("3500-02", "Қарағанды облысының прокуратурасы"),
    "Прокуратура Актюбинской области": ("1500-02", "Ақтөбе облысының прокуратурасы"),
    "Прокуратура Павлодарской области": ("5500-02", "Павлодар облысының прокуратурасы"),
    "Прокуратура Восточно-Казахстанской области": ("6300-02", "Шығыс Қазақстан облысының прокуратурасы"),
    "Прокуратура Атырауской области": ("2300-02", "Атырау облысының прокуратурасы"),
    "Прокуратура Костанайской области": ("3900-02", "Қостанай облысының прокуратурасы"),
}
EDUCATION_LEVELS = {
    "general-school": PUPIL_OF_GENERAL_SCHOOL,
    "technical-vocational": STUDENT_OF_TECHNICAL_VOCATIONAL,
    "higher": STUDENT_OF_HIGHER_EDUCATION,
}
UNKNOWN_CODE = "0000"
MAX_PERSONS = 50  # more found than this: messageResult 00003 and no persons (narrow the search)


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


def _imprisoned(status: CourtStatus | None, today: dt.date) -> gbdfl.ImprisonedStatus | None:
    if status is None:
        return None
    code = SERVING_SENTENCE if status.in_force_on(today) else RELEASED
    return gbdfl.ImprisonedStatus(IMPRISONED_STATUSES[code], status.begin, status.end)


def _capable(status: CourtStatus | None, today: dt.date) -> gbdfl.CapableStatus | None:
    if status is None:
        return None
    code = INCAPABLE if status.in_force_on(today) else CAPABLE
    court = _place(AUTHORITIES, status.authority)
    return gbdfl.CapableStatus(CAPABLE_STATUSES[code], status.begin, status.number, court, status.end)


def _missing(status: CourtStatus | None, today: dt.date) -> gbdfl.MissingStatus | None:
    if status is None:
        return None
    prosecutor = _place(AUTHORITIES, status.authority)
    return gbdfl.MissingStatus(status.in_force_on(today), status.begin, status.number, prosecutor, status.end)


def _education(education: Education | None, today: dt.date) -> gbdfl.Education | None:
    if education is None or not education.in_force_on(today):
        return None
    status = EDUCATION_STATUSES[EDUCATION_LEVELS[education.level]]
    return gbdfl.Education(
        status, education.institution, education.begin, education.expected_end, education.grade, education.full_time
    )


def registry_person(person: SyntheticPerson, today: dt.date) -> gbdfl.Person:
    """The registry's record of one person of the population, as it stands on ``today``."""
    death, imprisonment, incapacity, missing = person.known_on(today)
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
        life_status=LIFE_STATUS_DECEASED if death is not None else LIFE_STATUS_NORMAL,
        reg_address=_address(person, person.address) if person.address is not None else None,
        documents=tuple(_document(person, document) for document in person.documents),
        removed=False,
        death_date=death.day if death is not None else None,
        imprisoned_status=_imprisoned(imprisonment, today),
        death_certificate=gbdfl.Certificate(death.certificate_number, death.day, death.registered_by)
        if death is not None
        else None,
        capable_status=_capable(incapacity, today),
        missing_status=_missing(missing, today),
        education=_education(person.education, today) if death is None else None,
    )


def person_element(person: SyntheticPerson, today: dt.date) -> etree._Element:
    """One ``person`` (type ``p:Person``), children in the order of ``gbdfl-person.xsd``."""
    return gbdfl.write_person(registry_person(person, today))


def build_response(
    persons: Sequence[SyntheticPerson],
    *,
    request: RegistryRequest,
    message_id: str,
    message_date: dt.datetime,
    sender: str,
    today: dt.date,
) -> etree._Element:
    """``msg:response`` answering ``request``: ``00000`` with the persons, ``00002`` without any, or ``00003``
    without any when more than :data:`MAX_PERSONS` were found."""
    found: tuple[SyntheticPerson, ...] = ()
    if len(persons) > MAX_PERSONS:
        code = RESULT_TOO_MANY
    else:
        code, found = (RESULT_PROCESSED if persons else RESULT_NOT_FOUND), tuple(persons)
    return gbdfl.build_response(
        gbdfl.RegistryResponse(
            message_id=message_id,
            message_date=message_date,
            request_id=request.message_id,
            sender=sender,
            receiver=request.sender_code,
            message_result=MESSAGE_RESULTS[code],
            persons=tuple(registry_person(person, today) for person in found),
        )
    )
