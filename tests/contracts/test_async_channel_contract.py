"""The AsyncChannel contract: what each writer builds is valid against the XSDs of ``wsdl/`` and reads
back to the same value; only the wrapper is qualified; the readers name what is wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import xmlschema
from lxml import etree

from contracts import async_channel as ac
from wsdl import contract_path

AT = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))
INFO = ac.AsyncMessageInfo(
    "S",
    ac.MessageType.NOTIFICATION,
    AT,
    "GK_IIS",
    message_id="m-1",
    correlation_id="c-1",
    properties={"k": "v"},
    session_id="{12345678-1234-1234-1234-123456789abc}",
)
MESSAGE = ac.AsyncMessage(INFO, ac.MessageData(text='{"a": 1}'))

CASES: list[tuple[str, Any, Callable[[Any], etree._Element], Callable[[etree._Element], Any], bool]] = [
    ("sendMessage", MESSAGE, ac.write_send_message, ac.read_send_message, False),
    (
        "sendMessage client",
        MESSAGE,
        lambda m: ac.write_send_message(m, client=True),
        lambda w: ac.read_send_message(w, client=True),
        True,
    ),
    ("receipt", ac.SendReceipt("m-1", "c-1", AT), ac.write_send_receipt, ac.read_send_receipt, False),
    ("status query", ac.StatusQuery("m-1", AT, "GK_IIS"), ac.write_status_query, ac.read_status_query, False),
    (
        "status",
        ac.MessageStatus(ac.MessageState.DELIVERY_STOPPED, "SCE010", AT, AT, "stopped"),
        ac.write_message_status,
        ac.read_message_status,
        False,
    ),
    (
        "pull",
        ac.MessagesQuery(AT, "GK_IIS", correlation_id="c-1", service_id="S", amount=5),
        ac.write_messages_query,
        ac.read_messages_query,
        False,
    ),
    ("batch", ac.MessagesBatch(AT, [MESSAGE, MESSAGE]), ac.write_messages_batch, ac.read_messages_batch, False),
    (
        "notice",
        ac.DeliveryNotice(
            "m-1",
            "S",
            AT,
            ac.ReceiveStatus.MESSAGE_NOT_ACCTEPTED,
            ac.ResendMessage.NOT_RESEND,
            AT,
            AT,
            "GK_IIS",
            error_code="SCE001",
            error_message="bad",
        ),
        ac.write_delivery_notice,
        ac.read_delivery_notice,
        False,
    ),
    ("notice receipt", ac.NoticeReceipt("n-1", AT), ac.write_notice_receipt, ac.read_notice_receipt, False),
    (
        "status change",
        ac.StatusChange("n-1", "m-1", AT, ac.MessageState.DELIVERED, "SCSS001", AT, AT, "ok"),
        ac.write_status_change,
        ac.read_status_change,
        True,
    ),
    (
        "status change receipt",
        ac.StatusChangeReceipt(AT),
        ac.write_status_change_receipt,
        ac.read_status_change_receipt,
        True,
    ),
]


@pytest.fixture(scope="module")
def schemas() -> dict[bool, xmlschema.XMLSchema]:
    return {
        False: xmlschema.XMLSchema(str(contract_path("xsd/AsyncChannel-types.xsd"))),
        True: xmlschema.XMLSchema(str(contract_path("xsd/AsyncChannelClient-types.xsd"))),
    }


@pytest.mark.parametrize(("name", "value", "write", "read", "client"), CASES, ids=[c[0] for c in CASES])
def test_written_is_valid_and_reads_back(
    schemas: dict[bool, xmlschema.XMLSchema], name: str, value: Any, write: Any, read: Any, client: bool
) -> None:
    element = write(value)
    schemas[client].validate(element)
    assert all(
        etree.QName(child).namespace is None
        for child in element.iter()
        if child is not element and isinstance(child.tag, str) and etree.QName(child).localname != "data"
    )
    reread = read(etree.fromstring(etree.tostring(element)))
    if isinstance(value, ac.MessagesBatch):
        assert [m.info for m in reread.messages] == [m.info for m in value.messages]
    elif isinstance(value, ac.AsyncMessage):
        assert reread.info == value.info and reread.data.text == value.data.text
    else:
        assert reread == value


@pytest.mark.parametrize(
    ("xml", "says"),
    [
        (
            '<t:getMessages xmlns:t="{ns}"><request><requestDate>2026-11-23T10:00:00</requestDate><sender>'
            "<senderId>X</senderId></sender></request></t:getMessages>",
            "messageId, or by correlationId",
        ),
        (
            '<t:sendMessage xmlns:t="{ns}"><request><messageInfo><serviceId>S</serviceId><messageType>QUERY'
            "</messageType></messageInfo></request></t:sendMessage>",
            "REQUEST | NOTIFICATION",
        ),
        (
            '<t:getMessageStatus xmlns:t="{ns}"><request><messageId>m</messageId><requestDate>yesterday'
            "</requestDate></request></t:getMessageStatus>",
            "not an ISO 8601",
        ),
        ('<t:sendMessage xmlns:t="urn:other"><request/></t:sendMessage>', "no AsyncChannel operation"),
    ],
)
def test_readers_name_what_is_wrong(xml: str, says: str) -> None:
    wrapper = etree.fromstring(xml.replace("{ns}", ac.TYPES_NS))
    with pytest.raises(ac.AsyncContractError, match=says):
        operation, _ = ac.operation_of(wrapper)
        {
            "getMessages": ac.read_messages_query,
            "sendMessage": ac.read_send_message,
            "getMessageStatus": ac.read_status_query,
        }[operation](wrapper)
