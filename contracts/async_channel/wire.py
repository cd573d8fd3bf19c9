"""Small readers and writers shared by the AsyncChannel's messages."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from contracts.async_channel.model import (
    _E,
    CLIENT_TYPES_NS,
    TYPES_NS,
    XS_NS,
    XSI_NS,
    AsyncContractError,
    MessageData,
    qname,
)
from contracts.xml_text import add_text, child_text

# --- small writers and readers ------------------------------------------------------------------------


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _wrapper(operation: str, client: bool, suffix: str = "") -> etree._Element:
    return etree.Element(
        qname(operation, client=client, suffix=suffix), nsmap={"ns2": CLIENT_TYPES_NS if client else TYPES_NS}
    )


def _sender(parent: etree._Element, sender_id: str, password: str | None) -> None:
    sender = etree.SubElement(parent, "sender")
    add_text(sender, "senderId", sender_id)
    add_text(sender, "password", password)


def _data(parent: etree._Element, data: MessageData) -> None:
    holder = etree.SubElement(parent, "messageData")
    if data.element is not None:
        etree.SubElement(holder, "data").append(data.element)
    elif data.text is not None:
        node = etree.SubElement(holder, "data", nsmap={"xs": XS_NS, "xsi": XSI_NS})
        node.set(f"{{{XSI_NS}}}type", "xs:string")
        node.text = data.text


def _text(parent: etree._Element, path: str) -> str:
    value = child_text(parent, path)
    if not value:
        raise AsyncContractError(f"required element {path} is missing or empty")
    return value


def _date(parent: etree._Element, path: str) -> dt.datetime:
    value = _text(parent, path)
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise AsyncContractError(f"{path} is not an ISO 8601 dateTime: {value[:40]!r}") from exc


def _enum(kind: type[_E], parent: etree._Element, path: str) -> _E:
    value = _text(parent, path)
    try:
        return kind(value)
    except ValueError as exc:
        allowed = " | ".join(member.value for member in kind)
        raise AsyncContractError(f"{path} must be one of {allowed}, not {value[:40]!r}") from exc


def _child(wrapper: etree._Element, tag: str, name: str) -> etree._Element:
    if wrapper.tag != tag:
        raise AsyncContractError(
            f"expected {etree.QName(tag).localname} in {etree.QName(tag).namespace}, found {wrapper.tag}"
        )
    node = wrapper.find(name)
    if node is None:
        raise AsyncContractError(f"{etree.QName(tag).localname}/{name} is missing")
    return node


def _read_data(holder: etree._Element | None) -> MessageData:
    data = holder.find("data") if holder is not None else None
    if data is None:
        return MessageData()
    children = [child for child in data if isinstance(child.tag, str)]
    if len(children) > 1:
        raise AsyncContractError("messageData/data must hold exactly one element")
    if children:
        return MessageData(element=children[0])
    return MessageData(text=data.text) if (data.text or "").strip() else MessageData()


def _properties(parent: etree._Element, properties: dict[str, str]) -> None:
    for key, value in properties.items():
        prop = etree.SubElement(parent, "properties")
        add_text(prop, "key", key)
        add_text(prop, "value", value)


def _read_properties(parent: etree._Element) -> dict[str, str]:
    return {_text(prop, "key"): child_text(prop, "value") or "" for prop in parent.findall("properties")}
