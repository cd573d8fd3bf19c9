"""The XSD of each payload, loaded once per process, and validation against it."""

from __future__ import annotations

import threading
from functools import cache

import xmlschema
from lxml import etree

from wsdl import contract_path

_LOCK = threading.Lock()


@cache
def _load(name: str) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(contract_path(name)))


def schema(name: str) -> xmlschema.XMLSchema:
    """The schema ``name`` of ``wsdl/`` (e.g. ``xsd/gbdfl-message.xsd``), built on first use."""
    with _LOCK:
        return _load(name)


def schema_errors(element: etree._Element, name: str) -> list[str]:
    """Why ``element`` does not match schema ``name`` (empty when it does)."""
    return [str(error.reason or error.message) for error in schema(name).iter_errors(element)]
