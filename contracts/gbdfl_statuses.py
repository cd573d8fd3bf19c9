"""The statuses of a person in the person registry's answer (GBD FL ``Person``, ``wsdl/xsd/gbdfl-person.xsd``):
imprisonment, the death certificate, legal capacity, missing and hiding, and the simulation's ``education``
extension; their values, writers and readers. Shaped as on the real registry: a status dictionary with its
dates, the number of the decision and who made it. :mod:`contracts.gbdfl_person` puts them in their place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml import etree

from contracts.gbdfl_dictionaries import (
    Dictionary,
    RegistryResponseError,
    add_dictionary,
    iso,
    read_boolean,
    read_date,
    required,
    required_date,
    required_dictionary,
    text,
)
from contracts.xml_text import add_text

__all__ = [
    "CapableStatus",
    "Certificate",
    "Education",
    "ImprisonedStatus",
    "MissingStatus",
    "read_capable",
    "read_certificate",
    "read_education",
    "read_imprisoned",
    "read_missing",
    "write_capable",
    "write_certificate",
    "write_education",
    "write_imprisoned",
    "write_missing",
]


@dataclass(frozen=True)
class Certificate:
    """``birthCertificate`` / ``deathCertificate`` (type ``p:Certificate``)."""

    number: str
    begin_date: dt.date | None = None
    issue_organisation: str | None = None


@dataclass(frozen=True)
class ImprisonedStatus:
    """``imprisonedStatus``: serving a sentence (code 1) or released (2), with the sentence's dates."""

    status: Dictionary
    begin_date: dt.date | None = None
    end_date: dt.date | None = None


@dataclass(frozen=True)
class CapableStatus:
    """``personCapableStatus``: a court's declaration of incapacity (code 2) or limited capacity (3)."""

    status: Dictionary
    date: dt.date
    number: str
    court: Dictionary
    end_date: dt.date | None = None


@dataclass(frozen=True)
class MissingStatus:
    """``missingStatus`` (declared missing) or ``disappearStatus`` (hiding from the investigation or the court):
    in force while ``active``, from ``date``, by decision ``number`` of the prosecutor's office."""

    active: bool
    date: dt.date
    number: str
    prosecutor: Dictionary
    end_date: dt.date | None = None


@dataclass(frozen=True)
class Education:
    """``education`` (the simulation's extension): what and where the person studies now."""

    status: Dictionary
    organization: str
    begin_date: dt.date
    end_date: dt.date
    grade: int | None = None
    full_time: bool = True


# ---- writing ------------------------------------------------------------------------------------


def write_imprisoned(parent: etree._Element, status: ImprisonedStatus | None) -> None:
    if status is None:
        return
    holder = etree.SubElement(parent, "imprisonedStatus")
    add_dictionary(holder, "imprisonedStatus", status.status)
    add_text(holder, "imprisonedBeginDate", iso(status.begin_date))
    add_text(holder, "imprisonedEndDate", iso(status.end_date))


def write_certificate(parent: etree._Element, tag: str, certificate: Certificate | None) -> None:
    if certificate is None:
        return
    holder = etree.SubElement(parent, tag)
    add_text(holder, "number", certificate.number)
    add_text(holder, "beginDate", iso(certificate.begin_date))
    add_text(holder, "issueOrganisation", certificate.issue_organisation)


def write_capable(parent: etree._Element, capable: CapableStatus | None) -> None:
    if capable is None:
        return
    holder = etree.SubElement(parent, "personCapableStatus")
    add_dictionary(holder, "capableStatus", capable.status)
    add_text(holder, "capableDate", capable.date.isoformat())
    add_text(holder, "capableEndDate", iso(capable.end_date))
    add_text(holder, "capableNumber", capable.number)
    add_dictionary(holder, "court", capable.court)


def write_missing(parent: etree._Element, tag: str, prefix: str, status: MissingStatus | None) -> None:
    """``missingStatus`` (``prefix`` "missing") or ``disappearStatus`` (``prefix`` "disappear")."""
    if status is None:
        return
    holder = etree.SubElement(parent, tag)
    add_text(holder, prefix, "true" if status.active else "false")
    add_text(holder, f"{prefix}Date", status.date.isoformat())
    add_text(holder, f"{prefix}EndDate", iso(status.end_date))
    add_text(holder, f"{prefix}Number", status.number)
    add_dictionary(holder, "gpTerritorial", status.prosecutor)


def write_education(parent: etree._Element, education: Education | None) -> None:
    if education is None:
        return
    holder = etree.SubElement(parent, "education")
    add_dictionary(holder, "status", education.status)
    add_text(holder, "organization", education.organization)
    add_text(holder, "beginDate", education.begin_date.isoformat())
    add_text(holder, "endDate", education.end_date.isoformat())
    add_text(holder, "grade", str(education.grade) if education.grade is not None else None)
    add_text(holder, "fullTime", "true" if education.full_time else "false")


# ---- reading ------------------------------------------------------------------------------------


def read_imprisoned(element: etree._Element | None) -> ImprisonedStatus | None:
    if element is None:
        return None
    return ImprisonedStatus(
        status=required_dictionary(element, "imprisonedStatus"),
        begin_date=read_date(text(element, "imprisonedBeginDate"), "imprisonedStatus/imprisonedBeginDate"),
        end_date=read_date(text(element, "imprisonedEndDate"), "imprisonedStatus/imprisonedEndDate"),
    )


def read_certificate(element: etree._Element | None) -> Certificate | None:
    if element is None:
        return None
    return Certificate(
        number=required(element, "number"),
        begin_date=read_date(text(element, "beginDate"), f"{element.tag}/beginDate"),
        issue_organisation=text(element, "issueOrganisation"),
    )


def read_capable(element: etree._Element | None) -> CapableStatus | None:
    if element is None:
        return None
    return CapableStatus(
        status=required_dictionary(element, "capableStatus"),
        date=required_date(element, "capableDate"),
        number=required(element, "capableNumber"),
        court=required_dictionary(element, "court"),
        end_date=read_date(text(element, "capableEndDate"), "personCapableStatus/capableEndDate"),
    )


def read_missing(element: etree._Element | None, prefix: str) -> MissingStatus | None:
    if element is None:
        return None
    return MissingStatus(
        active=bool(read_boolean(required(element, prefix))),
        date=required_date(element, f"{prefix}Date"),
        number=required(element, f"{prefix}Number"),
        prosecutor=required_dictionary(element, "gpTerritorial"),
        end_date=read_date(text(element, f"{prefix}EndDate"), f"{element.tag}/{prefix}EndDate"),
    )


def read_education(element: etree._Element | None) -> Education | None:
    if element is None:
        return None
    grade = text(element, "grade")
    if grade is not None and not grade.isdigit():
        raise RegistryResponseError(f"education/grade is not a number: {grade!r}")
    return Education(
        status=required_dictionary(element, "status"),
        organization=required(element, "organization"),
        begin_date=required_date(element, "beginDate"),
        end_date=required_date(element, "endDate"),
        grade=int(grade) if grade is not None else None,
        full_time=read_boolean(text(element, "fullTime")) is not False,
    )
