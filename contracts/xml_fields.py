"""Typed reading and writing of the unqualified child elements of a payload, with the contract's own error.

``Fields(error)`` reads text, optional text, dates, instants (an offset required), enums, decimals and integers,
raising ``error`` (a :class:`contracts.errors.PayloadError`) with the element's path when one is missing or
malformed; :func:`instant` writes an instant, refusing one without an offset.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from lxml import etree

from contracts.errors import PayloadError
from contracts.xml_text import child_text

E = TypeVar("E", bound=enum.StrEnum)


def instant(moment: dt.datetime) -> str:
    """ISO 8601 with the offset; a naive time is refused (the contracts carry instants with their offset)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no offset; the contract carries instants with their offset")
    return moment.isoformat()


@dataclass(frozen=True)
class Fields:
    """Readers of child elements that raise ``error`` naming the path."""

    error: type[PayloadError]

    def expect(self, element: etree._Element, tag: str) -> None:
        if element.tag != tag:
            raise self.error(f"expected {tag}, found {element.tag}")

    def child(self, parent: etree._Element, path: str) -> etree._Element:
        found = parent.find(path)
        if found is None:
            raise self.error(f"{etree.QName(parent).localname}/{path} is missing")
        return found

    def text(self, parent: etree._Element, path: str) -> str:
        value = child_text(parent, path)
        if not value:
            raise self.error(f"{etree.QName(parent).localname}/{path} is missing or empty")
        return value

    def optional(self, parent: etree._Element, path: str) -> str | None:
        return child_text(parent, path) or None

    def date(self, parent: etree._Element, path: str) -> dt.date:
        text = self.text(parent, path)
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            raise self.error(f"{path} is not a date (YYYY-MM-DD): {text!r}") from exc

    def optional_date(self, parent: etree._Element, path: str) -> dt.date | None:
        return self.date(parent, path) if self.optional(parent, path) else None

    def moment(self, parent: etree._Element, path: str) -> dt.datetime:
        text = self.text(parent, path)
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError as exc:
            raise self.error(f"{path} is not an ISO 8601 instant: {text!r}") from exc
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise self.error(f"{path} {text!r} has no offset: an instant needs one")
        return moment

    def optional_moment(self, parent: etree._Element, path: str) -> dt.datetime | None:
        return self.moment(parent, path) if self.optional(parent, path) else None

    def choice(self, enum_type: type[E], parent: etree._Element, path: str) -> E:
        text = self.text(parent, path)
        try:
            return enum_type(text)
        except ValueError as exc:
            allowed = ", ".join(member.value for member in enum_type)
            raise self.error(f"{path} is {text!r}, not one of {allowed}") from exc

    def decimal(self, parent: etree._Element, path: str) -> Decimal:
        text = self.text(parent, path)
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise self.error(f"{path} is not a decimal number: {text!r}") from exc
        if not value.is_finite():
            raise self.error(f"{path} is not a finite number: {text!r}")
        return value

    def integer(self, parent: etree._Element, path: str) -> int:
        text = self.text(parent, path)
        try:
            return int(text)
        except ValueError as exc:
            raise self.error(f"{path} is not a whole number: {text!r}") from exc

    def boolean(self, parent: etree._Element, path: str) -> bool:
        text = self.text(parent, path)
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise self.error(f"{path} is not a boolean: {text!r}")
