"""XSD validation with libxml2 (through lxml), at a bounded cost.

A :class:`CompiledSchema` is built once, when a system starts, from local files only: imports resolve to
files in the schema's own folder, never to the network. The XML Signature schema can be compiled in
beside it, so that an enveloped ``ds:Signature`` met by a lax wildcard has its shape checked.

:meth:`CompiledSchema.check` validates while it streams the element through a parser and stops at the
first violation: it never collects every error of a hostile message. A compiled schema is read-only, each
check has its own parser and validation context, so threads may check against one schema at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from lxml import etree

from adapters.xml.parser import XmlError

XS_NS = "http://www.w3.org/2001/XMLSchema"


class SchemaLoadError(XmlError):
    """A schema file could not be compiled (missing, invalid, or importing something not local)."""


@dataclass(frozen=True)
class SchemaCheck:
    """The outcome of one check: the first violation (``None`` when valid), and how many elements the
    validator had read when it stopped (at most one past the element that broke the schema)."""

    error: str | None
    elements_read: int

    @property
    def valid(self) -> bool:
        return self.error is None


class _FirstViolation(XmlError):
    """Raised inside the parse to stop it at the first violation."""


class _LocalFilesOnly(etree.Resolver):
    """Resolves schema imports and includes to files inside one folder; refuses anything else."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self._folder = folder.resolve()

    def resolve(self, system_url: str | None, public_id: str | None, context: Any) -> Any:  # type: ignore[override]
        url = urlparse(system_url or "")
        if url.scheme not in ("", "file"):
            raise SchemaLoadError(f"schema import {system_url!r} is not a local file; keep a copy in {self._folder}")
        path = Path(unquote(url.path)).resolve()
        if not path.is_relative_to(self._folder) or not path.is_file():
            raise SchemaLoadError(f"schema import {system_url!r} is not a file in {self._folder}")
        return self.resolve_string(path.read_bytes(), context, base_url=path.as_uri())


class _Watcher:
    """Parser target that stops the parse as soon as the validator has logged an error."""

    def __init__(self) -> None:
        self.parser: etree.XMLParser | None = None
        self.elements = 0

    def _stop_on_error(self) -> None:
        assert self.parser is not None
        if self.parser.error_log.filter_from_errors():
            raise _FirstViolation()

    def start(self, tag: str | bytes, attrib: dict[str | bytes, str | bytes]) -> None:
        self._stop_on_error()
        self.elements += 1

    def end(self, tag: str | bytes) -> None:
        self._stop_on_error()

    def data(self, data: str | bytes) -> None:
        pass

    def comment(self, text: str | bytes) -> None:
        pass

    def pi(self, target: str | bytes, data: str | bytes) -> None:
        pass

    def close(self) -> int:
        return self.elements


class CompiledSchema:
    """One XSD (with its imports, and any companion schemas) compiled by libxml2."""

    def __init__(self, name: str, schema: etree.XMLSchema) -> None:
        self.name = name
        self._schema = schema

    @classmethod
    def load(cls, path: Path, *, companions: Sequence[Path] = (), name: str | None = None) -> CompiledSchema:
        """Compile ``path`` together with ``companions`` (schemas of other namespaces, e.g. XML Signature).

        Every file must be in ``path``'s folder; imports that point elsewhere (or to the network) fail.
        """
        folder = path.resolve().parent
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        parser.resolvers.add(_LocalFilesOnly(folder))
        wrapper = etree.Element(f"{{{XS_NS}}}schema", nsmap={"xs": XS_NS})
        for member in (path, *companions):
            if not member.is_file():
                raise SchemaLoadError(f"no schema file {member}")
            namespace = etree.parse(str(member), parser).getroot().get("targetNamespace")
            if namespace is None:
                raise SchemaLoadError(f"{member.name} has no targetNamespace; it cannot be imported")
            etree.SubElement(
                wrapper, f"{{{XS_NS}}}import", namespace=namespace, schemaLocation=member.resolve().as_uri()
            )
        try:
            document = etree.fromstring(etree.tostring(wrapper), parser, base_url=(folder / "_wrapper.xsd").as_uri())
            schema = etree.XMLSchema(document)
        except (etree.XMLSchemaParseError, etree.XMLSyntaxError, SchemaLoadError) as exc:
            raise SchemaLoadError(f"cannot compile {path.name}: {exc}") from exc
        return cls(name or path.name, schema)

    def check(self, element: etree._Element) -> SchemaCheck:
        """Validate ``element`` as the root of a document; stop at the first violation."""
        watcher = _Watcher()
        parser = etree.XMLParser(
            schema=self._schema,
            target=watcher,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        )
        watcher.parser = parser
        try:
            etree.fromstring(etree.tostring(element), parser)
        except _FirstViolation:
            pass
        except etree.XMLSyntaxError as exc:  # not expected: the element was parsed before
            return SchemaCheck(f"not well-formed: {exc}", watcher.elements)
        errors = parser.error_log.filter_from_errors()
        if not errors:
            return SchemaCheck(None, watcher.elements)
        return SchemaCheck(_describe(errors[0]), watcher.elements)


def _describe(entry: Any) -> str:
    return f"{entry.message} (line {entry.line})" if entry.line else str(entry.message)
