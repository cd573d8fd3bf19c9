"""The messages this project builds follow wsdl/SyncChannel.wsdl: checked with xmlschema and read by zeep,
an independent SOAP client that knows only the contract."""

from __future__ import annotations

import datetime as dt

import pytest
import xmlschema
import zeep
from lxml import etree

from adapters.shep import ErrorInfo, Payload, RequestInfo, ResponseInfo, build_fault, build_request, build_response
from adapters.shep.envelope import INTERFACES_NS, SOAP_NS, TYPES_NS
from wsdl import contract_path

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
PAYLOAD = '<m:request xmlns:m="http://message.persistence.interactive.nat"><iin>920314403019</iin></m:request>'


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(contract_path("xsd/SyncChannel-types.xsd")))


@pytest.fixture(scope="module")
def client() -> zeep.Client:
    return zeep.Client(str(contract_path("SyncChannel.wsdl")))


def _body_child(envelope: etree._Element) -> etree._Element:
    body = envelope.find(f"{{{SOAP_NS}}}Body")
    assert body is not None
    return body[0]


def test_request_matches_the_schema_and_zeep_builds_the_same_shape(
    schema: xmlschema.XMLSchema, client: zeep.Client
) -> None:
    info = RequestInfo("m-1", "GBDFL_UniversalServiceSync", "EGOV_PORTAL", NOW, correlation_id="c-1")
    ours = _body_child(build_request(info, Payload(element=etree.fromstring(PAYLOAD))))
    schema.validate(ours)
    theirs = client.create_message(
        client.service,
        "SendMessage",
        request={
            "requestInfo": {
                "messageId": "m-1",
                "serviceId": "GBDFL_UniversalServiceSync",
                "messageDate": NOW,
                "sender": {"senderId": "EGOV_PORTAL"},
            },
            "requestData": {"data": "x"},
        },
    )
    zeep_child = _body_child(theirs)
    assert zeep_child.tag == ours.tag == f"{{{TYPES_NS}}}SendMessage"
    assert etree.QName(zeep_child).namespace == "http://bip.bee.kz/SyncChannel/v10/Types"
    assert [child.tag for child in zeep_child.find("request")] == [child.tag for child in ours.find("request")]
    assert zeep_child.find("request/requestInfo/messageId") is not None  # unqualified, as in the contract


def test_zeep_reads_our_response(schema: xmlschema.XMLSchema, client: zeep.Client) -> None:
    envelope = build_response(
        ResponseInfo("r-1", NOW, "c-1", session_id="{0f8fad5b-d9cb-469f-a165-70867728950e}"), Payload(text="<doc/>")
    )
    schema.validate(_body_child(envelope))
    assert _body_child(envelope).tag == "{http://bip.bee.kz/SyncChannel/v10/Types}SendMessageResponse"
    operation = client.service._binding._operations["SendMessage"]
    assert operation.output.body.qname.namespace == "http://bip.bee.kz/SyncChannel/v10/Types"
    reply = operation.process_reply(envelope)
    assert reply.responseInfo.status.code == "SCSS001"
    assert reply.responseInfo.sessionId == "{0f8fad5b-d9cb-469f-a165-70867728950e}"
    assert reply.responseData.data == "<doc/>"


def test_fault_detail_is_send_message_fault(schema: xmlschema.XMLSchema, client: zeep.Client) -> None:
    inner = ErrorInfo("SCE016", "document signature does not verify", NOW)
    envelope = build_fault(ErrorInfo("SCE016", "relayed", NOW, sub_error=inner), client_error=True)
    detail = envelope.find(f"{{{SOAP_NS}}}Body/{{{SOAP_NS}}}Fault/detail")
    assert detail is not None and len(detail) == 1
    assert detail[0].tag == "{http://bip.bee.kz/SyncChannel/v10/Types}SendMessageFault1_SendMessageFault"
    assert detail[0].find("errorCode") is not None  # ErrorInfo's children are unqualified
    schema.validate(detail[0])
    assert detail[0].findtext("subError/errorCode") == "SCE016"
    fault_part = client.wsdl.messages[f"{{{INTERFACES_NS}}}sendMessageFault"].parts["fault"]
    assert fault_part.element.qname == detail[0].tag  # the element the WSDL names as the fault
    read = client.get_element(detail[0].tag).parse(detail[0], client.wsdl.types)
    assert (read.errorCode, read.subError.errorCode) == ("SCE016", "SCE016")


@pytest.mark.parametrize(
    ("session_id", "valid"),
    [(None, True), ("{0f8fad5b-d9cb-469f-a165-70867728950e}", True), ("0f8fad5b-d9cb-469f-a165-70867728950e", False)],
)
def test_session_id_is_empty_or_a_guid_in_braces(
    schema: xmlschema.XMLSchema, session_id: str | None, valid: bool
) -> None:
    info = RequestInfo("m-1", "GBDFL_UniversalServiceSync", "EGOV_PORTAL", NOW, session_id=session_id)
    wrapper = _body_child(build_request(info, Payload(text="<doc/>")))
    assert schema.is_valid(wrapper) is valid
