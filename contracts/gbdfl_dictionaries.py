"""The person registry's dictionaries (GBD FL, ``wsdl/xsd/gbdfl-dictionaries.xsd``): every coded value is a
:class:`Dictionary` (``code``, ``nameRu``, ``nameKz``), written and read here with the small text and date
helpers every GBD FL reader shares.

Codes as on the real registry (docs/contracts.md): gender 1/2, lifeStatus 0, citizenship ISO 3166 numeric
(398), document type 001/002, issuing body 002, ``messageResult`` 00000. The others are the simulation's own
and are listed in docs/contracts.md: ``messageResult`` 00002 (no one found) and 00003 (more found than one
answer carries), lifeStatus 1 (deceased), the imprisonment, legal-capacity and education statuses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml import etree

from contracts.errors import PayloadError
from contracts.xml_text import add_text, child_text


class RegistryResponseError(PayloadError):
    """The payload is not a readable GBD FL ``response``."""


@dataclass(frozen=True)
class Dictionary:
    """A value of one of the registry's dictionaries."""

    code: str
    name_ru: str
    name_kz: str


def coded(table: dict[str, Dictionary], code: str) -> Dictionary:
    """The dictionary value of ``code``; a code the table does not know is named by itself."""
    return table.get(code, Dictionary(code, code, code))


def _table(*values: Dictionary) -> dict[str, Dictionary]:
    return {value.code: value for value in values}


RESULT_PROCESSED = "00000"
RESULT_NOT_FOUND = "00002"
RESULT_TOO_MANY = "00003"
MESSAGE_RESULTS = _table(
    Dictionary(RESULT_PROCESSED, "Сообщение обработано", "Хабарлама өңделді"),
    Dictionary(RESULT_NOT_FOUND, "Данные не найдены", "Деректер табылмады"),
    Dictionary(
        RESULT_TOO_MANY,
        "Найдено больше записей, чем выдается в одном ответе: уточните параметры поиска",
        "Бір жауапта берілетіннен көп жазба табылды: іздеу параметрлерін нақтылаңыз",
    ),
)

GENDERS = _table(Dictionary("1", "Мужской", "Ер"), Dictionary("2", "Женский", "Әйел"))
COUNTRIES = _table(Dictionary("398", "Казахстан", "Қазақстан"))

LIFE_STATUS_NORMAL = Dictionary("0", "Нормальный", "Қалыпты")
LIFE_STATUS_DECEASED = Dictionary("1", "Умерший", "Қайтыс болған")
LIFE_STATUSES = _table(LIFE_STATUS_NORMAL, LIFE_STATUS_DECEASED)

NOT_IMPRISONED = "0"
SERVING_SENTENCE = "1"
RELEASED = "2"
IMPRISONED_STATUSES = _table(
    Dictionary(NOT_IMPRISONED, "Не находится в местах лишения свободы", "Бас бостандығынан айыру орындарында емес"),
    Dictionary(
        SERVING_SENTENCE,
        "Отбывает наказание в местах лишения свободы",
        "Бас бостандығынан айыру орындарында жазасын өтеуде",
    ),
    Dictionary(RELEASED, "Освобожден из мест лишения свободы", "Бас бостандығынан айыру орындарынан босатылған"),
)

CAPABLE = "1"
INCAPABLE = "2"
LIMITED_CAPACITY = "3"
CAPABLE_STATUSES = _table(
    Dictionary(CAPABLE, "Дееспособный", "Әрекетке қабілетті"),
    Dictionary(INCAPABLE, "Недееспособный", "Әрекетке қабілетсіз"),
    Dictionary(LIMITED_CAPACITY, "Ограниченно дееспособный", "Әрекет қабілеттілігі шектеулі"),
)

# The education extension (docs/contracts.md): where a person studies now.
PUPIL_OF_GENERAL_SCHOOL = "1"
STUDENT_OF_TECHNICAL_VOCATIONAL = "2"
STUDENT_OF_HIGHER_EDUCATION = "3"
EDUCATION_STATUSES = _table(
    Dictionary(PUPIL_OF_GENERAL_SCHOOL, "Учащийся общеобразовательной школы", "Жалпы білім беретін мектептің оқушысы"),
    Dictionary(
        STUDENT_OF_TECHNICAL_VOCATIONAL,
        "Студент организации технического и профессионального образования",
        "Техникалық және кәсіптік білім беру ұйымының студенті",
    ),
    Dictionary(
        STUDENT_OF_HIGHER_EDUCATION, "Студент организации высшего образования", "Жоғары білім беру ұйымының студенті"
    ),
)

PASSPORT = "001"
IDENTITY_CARD = "002"
DOCUMENT_TYPES = _table(
    Dictionary(PASSPORT, "Паспорт гражданина РК", "ҚР азаматының паспорты"),
    Dictionary(IDENTITY_CARD, "Удостоверение личности гражданина РК", "ҚР азаматының жеке куәлігі"),
)
ISSUERS = _table(Dictionary("002", "МВД РК", "ҚР ІІМ"))
PERMANENT_REGISTRATION = Dictionary("1", "Постоянная регистрация", "Тұрақты тіркеу")


# ---- writing and reading values -------------------------------------------------------------------


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def add_dictionary(parent: etree._Element, tag: str, value: Dictionary | None) -> None:
    """Append ``<tag><code/><nameRu/><nameKz/></tag>``; nothing when ``value`` is None."""
    if value is None:
        return
    holder = etree.SubElement(parent, tag)
    add_text(holder, "code", value.code)
    add_text(holder, "nameRu", value.name_ru)
    add_text(holder, "nameKz", value.name_kz)


def text(parent: etree._Element, path: str) -> str | None:
    """The stripped text at ``path``; None when absent or empty."""
    return child_text(parent, path) or None


def required(parent: etree._Element, path: str) -> str:
    value = text(parent, path)
    if value is None:
        raise RegistryResponseError(f"the registry answer has no {path} in {parent.tag}")
    return value


def read_date(value: str | None, what: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError as exc:
        raise RegistryResponseError(f"{what} is not a date: {value!r}") from exc


def required_date(parent: etree._Element, path: str) -> dt.date:
    day = read_date(required(parent, path), f"{parent.tag}/{path}")
    assert day is not None  # a required value is never None
    return day


def read_dictionary(parent: etree._Element, tag: str) -> Dictionary | None:
    holder = parent.find(tag)
    if holder is None:
        return None
    return Dictionary(required(holder, "code"), text(holder, "nameRu") or "", text(holder, "nameKz") or "")


def required_dictionary(parent: etree._Element, tag: str) -> Dictionary:
    value = read_dictionary(parent, tag)
    if value is None:
        raise RegistryResponseError(f"the registry answer has no {tag}/code in {parent.tag}")
    return value


def read_boolean(value: str | None) -> bool | None:
    return None if value is None else value in ("true", "1")
