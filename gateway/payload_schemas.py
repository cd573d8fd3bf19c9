"""Schema validation of SyncChannel and AsyncChannel envelopes and business payloads, with libxml2 at a
bounded cost.

:meth:`GatewaySchemas.build` compiles both envelope schemas and every payload schema the register names,
once, when the gateway starts (a schema built on first use raced between the first concurrent messages).
Each check stops at the first violation (see :class:`adapters.xml.CompiledSchema`).
"""

from __future__ import annotations

from lxml import etree

from adapters.shep.envelope import Payload
from adapters.shep.faults import ErrorCode
from adapters.xml import CompiledSchema, XmlLimits, XmlRejected
from gateway.errors import GatewayError
from gateway.registry import ServiceRegistry
from wsdl import contract_path

ENVELOPE_SCHEMA = "xsd/SyncChannel-types.xsd"
ASYNC_ENVELOPE_SCHEMA = "xsd/AsyncChannel-types.xsd"
SIGNATURE_SCHEMA = "xsd/xmldsig-core-schema.xsd"


class GatewaySchemas:
    """The compiled envelope schema and payload schemas, by their name in the register."""

    def __init__(self, schemas: dict[str, CompiledSchema]) -> None:
        if ENVELOPE_SCHEMA not in schemas:
            raise ValueError(f"the gateway's schemas must include the envelope schema {ENVELOPE_SCHEMA}")
        self._schemas = schemas

    @classmethod
    def build(cls, registry: ServiceRegistry) -> GatewaySchemas:
        payloads = {s.payload_schema for s in registry.services() if s.payload_schema}
        names = {ENVELOPE_SCHEMA, ASYNC_ENVELOPE_SCHEMA} | payloads
        signature = contract_path(SIGNATURE_SCHEMA)
        return cls(
            {name: CompiledSchema.load(contract_path(name), companions=[signature], name=name) for name in names}
        )

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
            raise GatewayError(
                ErrorCode.INTERNAL, f"the payload schema {schema_name} was not compiled when the gateway started"
            )
        if payload.is_empty:
            raise GatewayError(ErrorCode.MALFORMED, "requestData/data is empty")
        try:
            element = payload.document(max_bytes, limits)
        except XmlRejected as exc:
            raise GatewayError(ErrorCode.MALFORMED, f"the payload string is not acceptable XML: {exc}") from exc
        check = schema.check(element)
        if check.error is not None:
            raise GatewayError(ErrorCode.MALFORMED, f"payload does not match {schema_name}: {check.error}")
