"""Metaservices of the gateway, in the spirit of X-Road's service metadata protocol (PR-META): what a caller
may call, the contracts of a service, and the gateway's health — answered by the gateway itself, never
forwarded to a provider.

Over the SyncChannel, a signed ``SendMessage`` whose ``serviceId`` is one of :data:`META_SERVICES` (X-Road's
service codes, reserved: no service of the register may take them) goes through the same checks as any
message (parse, transport signature, the sender registered and signing with its own certificate, envelope
schema, date window, journal, each (sender, messageId) once) and is answered in ``responseData/data`` with an
element of the namespace :data:`META_NS`:

- ``listClients``: ``<listClientsResponse><client><senderId/><system/></client>…`` every participant;
- ``listMethods``: ``<listMethodsResponse><service>…`` every service of the register;
- ``allowedMethods``: the services the caller (the signed sender id) may call;
- ``getWsdl`` with ``<getWsdl><serviceCode>ID</serviceCode></getWsdl>``: the channel's WSDL and the payload
  schema of service ID with every schema it includes or imports, each file as text
  (``<getWsdlResponse><serviceCode/><wsdl name=""/><xsd name=""/>…``); X-Road sends the WSDL as a MIME
  attachment, the ShEP's SyncChannel has none, so the files travel as escaped text like signed documents;
- ``healthCheck``: ``<healthCheckResponse><status>ready|not ready</status><check name="" result=""/>…``.

A ``<service>`` is ``<serviceId/><provider/><channel/><description/>`` and, for a SOAP or AsyncChannel
service, ``<wsdl/>`` (the channel's WSDL file) and ``<xsd/>`` (its payload schema). The same answers are
served as JSON over plain HTTP by :func:`meta_router`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from adapters.shep.faults import ErrorCode
from ecosystem.health import Readiness
from gateway.errors import GatewayError
from gateway.registry import Register, Service
from wsdl import contract_path, contracts_dir

__all__ = ["META_NS", "META_SERVICES", "Metaservices"]

META_NS = "urn:egov-sim:gateway:meta"
META_SERVICES = frozenset({"listClients", "listMethods", "allowedMethods", "getWsdl", "healthCheck"})
CHANNEL_WSDL = {"soap": "SyncChannel.wsdl", "async": "AsyncChannel.wsdl"}
XSD_NS = "http://www.w3.org/2001/XMLSchema"


def _q(tag: str) -> str:
    return f"{{{META_NS}}}{tag}"


@dataclass
class Metaservices:
    registry: Register
    gateway_id: str
    health: Callable[[], Readiness] | None = None
    _schema_closure: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        reserved = sorted(META_SERVICES & {s.service_id for s in self.registry.services()})
        if reserved:
            raise ValueError(f"the register names services {reserved} whose ids are reserved for metaservices")

    # --- what the register says ---------------------------------------------------------------------------

    def allowed(self, sender_id: str) -> list[Service]:
        """The services ``sender_id`` may call (none for an unknown sender)."""
        return [s for s in self.registry.services() if sender_id in s.allowed]

    def service(self, service_id: str) -> Service:
        found = next((s for s in self.registry.services() if s.service_id == service_id), None)
        if found is None:
            raise GatewayError(ErrorCode.UNKNOWN_SERVICE, f"service {service_id[:80]!r} does not exist")
        return found

    def describe(self, service: Service) -> dict[str, object]:
        return {
            "serviceId": service.service_id,
            "provider": service.provider,
            "channel": service.channel,
            "description": service.description,
            "wsdl": CHANNEL_WSDL.get(service.channel),
            "xsd": self.schemas_of(service),
        }

    def wsdl_name(self, service: Service) -> str:
        name = CHANNEL_WSDL.get(service.channel)
        if name is None:
            raise GatewayError(
                ErrorCode.UNKNOWN_SERVICE, f"{service.service_id} is a REST service: it has no WSDL (JSON bodies)"
            )
        return name

    def schemas_of(self, service: Service) -> list[str]:
        """The payload schema of ``service`` (a path under ``wsdl/``) and every schema it includes or imports."""
        if not service.payload_schema:
            return []
        start = service.payload_schema
        if start not in self._schema_closure:
            self._schema_closure[start] = _closure(start)
        return list(self._schema_closure[start])

    # --- the SOAP metaservices ----------------------------------------------------------------------------

    def answer(self, service_id: str, sender_id: str, request: etree._Element | None) -> etree._Element:
        """The payload answering metaservice ``service_id`` for the (verified) ``sender_id``."""
        if service_id == "listClients":
            root = etree.Element(_q("listClientsResponse"), nsmap={"meta": META_NS})
            for participant in self.registry.participants():
                client = etree.SubElement(root, _q("client"))
                etree.SubElement(client, _q("senderId")).text = participant.sender_id
                etree.SubElement(client, _q("system")).text = participant.system
            return root
        if service_id in ("listMethods", "allowedMethods"):
            services = self.registry.services() if service_id == "listMethods" else self.allowed(sender_id)
            root = etree.Element(_q(f"{service_id}Response"), nsmap={"meta": META_NS})
            for service in services:
                root.append(self._service_element(service))
            return root
        if service_id == "getWsdl":
            return self._get_wsdl(request)
        if service_id == "healthCheck":
            return self._health()
        raise GatewayError(ErrorCode.UNKNOWN_SERVICE, f"{service_id[:80]!r} is not a metaservice")

    def _service_element(self, service: Service) -> etree._Element:
        element = etree.Element(_q("service"))
        for tag, value in self.describe(service).items():
            values = value if isinstance(value, list) else [value]
            for item in values:
                if item is not None:
                    etree.SubElement(element, _q(tag)).text = str(item)
        return element

    def _get_wsdl(self, request: etree._Element | None) -> etree._Element:
        code = request.findtext(_q("serviceCode")) if request is not None and request.tag == _q("getWsdl") else None
        if not code or not code.strip():
            raise GatewayError(
                ErrorCode.MALFORMED, f"getWsdl needs <getWsdl xmlns='{META_NS}'><serviceCode>serviceId</serviceCode>"
            )
        service = self.service(code.strip())
        root = etree.Element(_q("getWsdlResponse"), nsmap={"meta": META_NS})
        etree.SubElement(root, _q("serviceCode")).text = service.service_id
        wsdl = self.wsdl_name(service)
        etree.SubElement(root, _q("wsdl"), name=wsdl).text = contract_path(wsdl).read_text(encoding="utf-8")
        for name in self.schemas_of(service):
            etree.SubElement(root, _q("xsd"), name=name).text = contract_path(name).read_text(encoding="utf-8")
        return root

    def _health(self) -> etree._Element:
        if self.health is None:
            raise GatewayError(ErrorCode.INTERNAL, "the gateway's health is not known yet")
        verdict = self.health()
        root = etree.Element(_q("healthCheckResponse"), nsmap={"meta": META_NS})
        etree.SubElement(root, _q("status")).text = "ready" if verdict.ready else "not ready"
        for name in verdict.checked:
            etree.SubElement(root, _q("check"), name=name, result=verdict.problems.get(name, "ok"))
        return root


def _closure(start: str) -> list[str]:
    """``start`` and the schemas it includes or imports, transitively (paths under ``wsdl/``, in order)."""
    seen: list[str] = []
    pending = [start]
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        seen.append(name)
        tree = etree.parse(str(contract_path(name)))
        folder = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
        for node in [*tree.iterfind(f"{{{XSD_NS}}}include"), *tree.iterfind(f"{{{XSD_NS}}}import")]:
            location = node.get("schemaLocation")
            if location and (contracts_dir() / folder / location).is_file():
                pending.append(folder + location)
    return seen
