"""A person as the person registry returns it (GBD FL ``Person``, ``wsdl/xsd/gbdfl-person.xsd``): the values,
their writer and their reader. Children are unqualified; element names and order as on the real registry
(docs/contracts.md), the status elements shaped as the real ones (a status dictionary with its dates, the
number of the decision and who made it).

``education`` is the simulation's extension, the last child of ``Person``: where the person studies now
(UN-4 (5) reads it); the real registry does not hold it. The reader skips what is not modelled
(``birthPlace``, ``excludeStatus``, ``addresses``, a document's ``series`` and ``status``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml import etree

from contracts.gbdfl_dictionaries import (
    Dictionary,
    add_dictionary,
    iso,
    read_boolean,
    read_date,
    read_dictionary,
    required,
    required_date,
    required_dictionary,
    text,
)
from contracts.gbdfl_statuses import (
    CapableStatus,
    Certificate,
    Education,
    ImprisonedStatus,
    MissingStatus,
    read_capable,
    read_certificate,
    read_education,
    read_imprisoned,
    read_missing,
    write_capable,
    write_certificate,
    write_education,
    write_imprisoned,
    write_missing,
)
from contracts.xml_text import add_text

__all__ = ["Address", "Document", "Person", "read_person", "write_person"]


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
    imprisoned_status: ImprisonedStatus | None = None
    death_certificate: Certificate | None = None
    capable_status: CapableStatus | None = None
    missing_status: MissingStatus | None = None
    disappear_status: MissingStatus | None = None
    education: Education | None = None


# ---- writing ------------------------------------------------------------------------------------


def _add_address(parent: etree._Element, address: Address) -> None:
    holder = etree.SubElement(parent, "regAddress")
    add_dictionary(holder, "country", address.country)
    add_dictionary(holder, "district", address.district)
    add_dictionary(holder, "region", address.region)
    for tag, value in (
        ("city", address.city),
        ("street", address.street),
        ("building", address.building),
        ("corpus", address.corpus),
        ("flat", address.flat),
    ):
        add_text(holder, tag, value)
    add_dictionary(holder, "status", address.status)


def _add_document(parent: etree._Element, document: Document) -> None:
    holder = etree.SubElement(parent, "document")
    add_dictionary(holder, "type", document.type)
    add_text(holder, "number", document.number)
    add_text(holder, "beginDate", iso(document.begin_date))
    add_text(holder, "endDate", iso(document.end_date))
    add_dictionary(holder, "issueOrganization", document.issue_organization)
    add_text(holder, "surname", document.surname)
    add_text(holder, "name", document.name)
    add_text(holder, "patronymic", document.patronymic)
    add_text(holder, "birthDate", iso(document.birth_date))


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
    add_text(element, "deathDate", iso(person.death_date))
    add_dictionary(element, "gender", person.gender)
    add_dictionary(element, "nationality", person.nationality)
    add_dictionary(element, "citizenship", person.citizenship)
    add_dictionary(element, "lifeStatus", person.life_status)
    write_imprisoned(element, person.imprisoned_status)
    write_certificate(element, "deathCertificate", person.death_certificate)
    if person.reg_address is not None:
        _add_address(element, person.reg_address)
    write_capable(element, person.capable_status)
    write_missing(element, "missingStatus", "missing", person.missing_status)
    write_missing(element, "disappearStatus", "disappear", person.disappear_status)
    if person.documents:
        holder = etree.SubElement(element, "documents")
        for document in person.documents:
            _add_document(holder, document)
    if person.removed is not None:
        add_text(element, "removed", "true" if person.removed else "false")
    write_education(element, person.education)
    return element


# ---- reading ------------------------------------------------------------------------------------


def _address(element: etree._Element | None) -> Address | None:
    if element is None:
        return None
    country = read_dictionary(element, "country")
    return Address(
        country=country if country is not None else Dictionary("", "", ""),
        district=read_dictionary(element, "district"),
        region=read_dictionary(element, "region"),
        city=text(element, "city"),
        street=text(element, "street"),
        building=text(element, "building"),
        corpus=text(element, "corpus"),
        flat=text(element, "flat"),
        status=read_dictionary(element, "status"),
    )


def _document(element: etree._Element) -> Document:
    return Document(
        type=read_dictionary(element, "type"),
        number=text(element, "number"),
        begin_date=read_date(text(element, "beginDate"), "document/beginDate"),
        end_date=read_date(text(element, "endDate"), "document/endDate"),
        issue_organization=read_dictionary(element, "issueOrganization"),
        surname=text(element, "surname"),
        name=text(element, "name"),
        patronymic=text(element, "patronymic"),
        birth_date=read_date(text(element, "birthDate"), "document/birthDate"),
    )


def read_person(element: etree._Element) -> Person:
    """One ``person`` element (type ``p:Person``)."""
    return Person(
        iin=required(element, "iin"),
        surname=required(element, "surname"),
        name=required(element, "name"),
        birth_date=required_date(element, "birthDate"),
        gender=required_dictionary(element, "gender"),
        patronymic=text(element, "patronymic"),
        eng_first_name=text(element, "engFirstName"),
        eng_surname=text(element, "engSurname"),
        nationality=read_dictionary(element, "nationality"),
        citizenship=read_dictionary(element, "citizenship"),
        life_status=read_dictionary(element, "lifeStatus"),
        reg_address=_address(element.find("regAddress")),
        documents=tuple(_document(item) for item in element.findall("documents/document")),
        removed=read_boolean(text(element, "removed")),
        death_date=read_date(text(element, "deathDate"), "person/deathDate"),
        imprisoned_status=read_imprisoned(element.find("imprisonedStatus")),
        death_certificate=read_certificate(element.find("deathCertificate")),
        capable_status=read_capable(element.find("personCapableStatus")),
        missing_status=read_missing(element.find("missingStatus"), "missing"),
        disappear_status=read_missing(element.find("disappearStatus"), "disappear"),
        education=read_education(element.find("education")),
    )
