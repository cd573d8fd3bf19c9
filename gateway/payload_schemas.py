"""Schema validation of SyncChannel and AsyncChannel envelopes and business payloads, with libxml2 at a
bounded cost.

:meth:`GatewaySchemas.build` compiles both envelope schemas and every payload schema the register names,
once, when the gateway starts (a schema built on first use raced between the first concurrent messages).
A service added to the live register later names a schema the admin API compiled when it was registered
(:meth:`GatewaySchemas.ensure`); another gateway on the same database compiles it on its first message, under
a lock. Each check stops at the first violation (see :class:`adapters.xml.CompiledSchema`).
"""

from __future__ import annotations

import threading

from lxml import etree

from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode
from adapters.xml import CompiledSchema, XmlLimits, XmlRejected
from gateway.errors import GatewayError
from gateway.registry import Register
from wsdl import contract_path, contracts_dir

ENVELOPE_SCHEMA = "xsd/SyncChannel-types.xsd"
ASYNC_ENVELOPE_SCHEMA = "xsd/AsyncChannel-types.xsd"
SIGNATURE_SCHEMA = "xsd/xmldsig-core-schema.xsd"


class GatewaySchemas:
    """The compiled envelope schema and payload schemas, by their name in the register."""

    def __init__(self, schemas: dict[str, CompiledSchema]) -> None:
        if ENVELOPE_SCHEMA not in schemas:
            raise ValueError(f"the gateway's schemas must include the envelope schema {ENVELOPE_SCHEMA}")
        self._schemas = schemas
        self._compiling = threading.Lock()

    @classmethod
    def build(cls, registry: Register) -> GatewaySchemas:
        payloads = {s.payload_schema for s in registry.services() if s.payload_schema}
        names = {ENVELOPE_SCHEMA, ASYNC_ENVELOPE_SCHEMA} | payloads
        return cls({name: _compile(name) for name in names})

    def ensure(self, name: str) -> None:
        """Compile the contract schema ``name`` (``xsd/<file>.xsd``) unless it is; raises ValueError for a
        name that is no schema of the contracts, or one that does not compile."""
        if name in self._schemas:
            return
        if not published_schema(name):
            raise ValueError(f"{name!r} is not a schema of the contracts (wsdl/xsd/*.xsd)")
        with self._compiling:
            if name not in self._schemas:
                try:
                    self._schemas = self._schemas | {name: _compile(name)}
                except Exception as exc:
                    raise ValueError(f"the schema {name} does not compile: {exc}") from exc

    def names(self) -> set[str]:
        return set(self._schemas)

    def validate_envelope_body(self, body: etree._Element) -> None:
        """The ``SendMessage`` in a verified Body must match ``SyncChannel-types.xsd`` (its namespace included)."""
        wrapper = next((child for child in body if isinstance(child.tag, str)), None)
        if wrapper is None:
            raise GatewayError(ErrorCode.MALFORMED, "the Body is empty")
        check = self._schemas[ENVELOPE_SCHEMA].check(wrapper)
        if check.error is not None:
            raise GatewayError(
                ErrorCode.MALFORMED, f"SendMessage does not match the SyncChannel contract: {check.error}"
            )

    def validate_async_wrapper(self, wrapper: etree._Element) -> None:
        """An IAsyncChannel request wrapper (``sendMessage``, ``getMessages``, ...) must match
        ``AsyncChannel-types.xsd``; stops at the first violation."""
        schema = self._schemas.get(ASYNC_ENVELOPE_SCHEMA)
        if schema is None:
            raise GatewayError(
                ErrorCode.INTERNAL,
                f"the envelope schema {ASYNC_ENVELOPE_SCHEMA} was not compiled when the gateway started",
            )
        check = schema.check(wrapper)
        if check.error is not None:
            name = etree.QName(wrapper).localname
            raise GatewayError(ErrorCode.MALFORMED, f"{name} does not match the AsyncChannel contract: {check.error}")

    def validate_payload(
        self, payload: Payload, schema_name: str, max_bytes: int, limits: XmlLimits | None = None
    ) -> None:
        """The business payload (an element, or a document carried as text) must match its schema."""
        schema = self._schemas.get(schema_name)
        if schema is None:
            try:
                self.ensure(schema_name)  # a service registered after the start, through another gateway
            except ValueError as exc:
                raise GatewayError(ErrorCode.INTERNAL, f"the payload schema of the service: {exc}") from exc
            schema = self._schemas[schema_name]
        if payload.is_empty:
            raise GatewayError(ErrorCode.MALFORMED, "requestData/data is empty")
        try:
            element = payload.document(max_bytes, limits)
        except XmlRejected as exc:
            raise GatewayError(ErrorCode.MALFORMED, f"the payload string is not acceptable XML: {exc}") from exc
        check = schema.check(element)
        if check.error is not None:
            raise GatewayError(ErrorCode.MALFORMED, f"payload does not match {schema_name}: {check.error}")


def published_schema(name: str) -> bool:
    """``name`` is ``xsd/<file>.xsd`` of a schema the contracts hold (a name, never a path elsewhere)."""
    folder, _, file = name.partition("/")
    if folder != "xsd" or not file.endswith(".xsd") or "/" in file or "\\" in file or file.startswith("."):
        return False
    return (contracts_dir() / name).is_file()


def _compile(name: str) -> CompiledSchema:
    return CompiledSchema.load(contract_path(name), companions=[contract_path(SIGNATURE_SCHEMA)], name=name)
