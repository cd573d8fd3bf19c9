"""Hostile payloads through the gateway's SyncChannel pipeline, in-process (providers replaced by respx), and
through the AsyncChannel's ``sendMessage`` (``/bip-async/``) to a service with the same payload schema.

Each case, from each kind of sender, gets its code; the cost is bounded by where the pipeline stops, which
is asserted deterministically: the parser's limits refuse it before any schema check, a sender that may
not call the service is refused with no schema check at all, and a schema check stops at the first
violation (it reads at most one element past the one that broke the schema).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import respx
from lxml import etree

from adapters.pki import PkiLayout
from adapters.shep import Payload, RequestInfo, build_request, parse_fault
from adapters.shep.async_envelope import data_of, parse_async_fault, wrap
from adapters.signatures import sign_envelope, verify_envelope
from adapters.storage import Outbox
from adapters.xml import CompiledSchema, SchemaCheck, parse_xml, to_bytes
from adapters.xml.parser import DEFAULT_MAX_BYTES
from contracts import gbdfl
from contracts.async_channel import AsyncMessage, AsyncMessageInfo, MessageType, write_send_message
from ecosystem.settings import Settings
from gateway.async_delivery import AsyncDeliveries
from gateway.async_store import AsyncStore
from gateway.channels.async_channel import AsyncChannel
from gateway.channels.context import ChannelContext
from gateway.channels.sync import SyncChannel
from gateway.delivery import ProviderLink
from gateway.journal import Journal
from gateway.registry import ServiceRegistry
from scenarios.hostile_inputs import CASES, HostileCase

PROVIDER = "http://registry.test/bip-sync/"
ASYNC_SERVICE = "TEST_GbdflLookupAsync"
# The lookup as an AsyncChannel service (test register): the same payload schema, the same allowed sender.
ASYNC_REGISTER = f"""  {ASYNC_SERVICE}:
    description: person registry lookup over the AsyncChannel (test register)
    channel: async
    provider: GBDFL
    path: /bip-async-client/
    payload_schema: xsd/gbdfl-message.xsd
    allowed: [ENBEK_LABOUR_MARKET]
"""

# sender id -> (the system whose certificate signs, the code when the payload is not the problem)
SENDERS = {
    "NOBODY": ("employment", "SCE002"),  # not registered
    "GFSS": ("social_fund", "SCE003"),  # registered, but not allowed to call the registry
    "ENBEK_LABOUR_MARKET": ("employment", None),  # allowed: the payload decides
}


@pytest.fixture(scope="module")
def layout(pki_settings: Settings) -> PkiLayout:
    return PkiLayout(pki_settings.data_dir)


@pytest.fixture
def channel(layout: PkiLayout, tmp_path: Path) -> Iterator[tuple[SyncChannel, Journal]]:
    journal = Journal.at(f"sqlite:///{tmp_path / 'journal.sqlite'}")
    context = ChannelContext(
        registry=ServiceRegistry.from_file(ServiceRegistry.default_file()),
        journal=journal,
        credential=layout.load_credential(layout.system("gateway")),
        trust=layout.trust_store(),
        now=lambda: dt.datetime.now(dt.UTC),
        provider_url=lambda service: PROVIDER,
        link=ProviderLink(timeout=2.0),
        max_bytes=DEFAULT_MAX_BYTES,
    )
    yield SyncChannel(context), journal
    journal.dispose()


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, SchemaCheck]]:
    """Every schema check the gateway makes: (schema, elements in the checked element, outcome)."""
    made: list[tuple[str, int, SchemaCheck]] = []
    original = CompiledSchema.check

    def recording(self: CompiledSchema, element: etree._Element) -> SchemaCheck:
        outcome = original(self, element)
        made.append((self.name, sum(1 for _ in element.iter(tag=etree.Element)), outcome))
        return outcome

    monkeypatch.setattr(CompiledSchema, "check", recording)
    return made


@pytest.fixture(scope="module")
def payloads() -> dict[str, etree._Element]:
    return {case.name: case.build() for case in CASES}


def _message(layout: PkiLayout, sender: str, payload: etree._Element) -> bytes:
    info = RequestInfo(f"hostile-{sender}", gbdfl.SERVICE_ID, sender, dt.datetime.now(dt.UTC), correlation_id="h-1")
    signer = layout.load_credential(layout.system(SENDERS[sender][0]))
    return to_bytes(sign_envelope(build_request(info, Payload(element=payload)), signer))


def _fault(answer_body: bytes, layout: PkiLayout) -> tuple[str, str]:
    verified = verify_envelope(parse_xml(answer_body), layout.trust_store(), dt.datetime.now(dt.UTC))
    fault = parse_fault(verified.signed_body)
    assert fault is not None
    return fault.code, fault.message


@pytest.mark.parametrize("sender", list(SENDERS))
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
@respx.mock
def test_hostile_payload_is_refused_within_a_bound(  # type: ignore[no-untyped-def]
    channel, layout, checks, payloads, case: HostileCase, sender: str
) -> None:
    sync, journal = channel
    route = respx.post(PROVIDER)
    message = _message(layout, sender, payloads[case.name])
    assert len(message) <= DEFAULT_MAX_BYTES  # each case fits the size limit: another limit must stop it

    code, detail = _fault(sync.handle(message).body, layout)

    unauthorised_code = SENDERS[sender][1]
    if case.stopped_by == "parser":
        assert code == "SCE001"
        assert checks == []  # refused by the parser's limits: no signature, no schema looked at
        assert any(word in detail for word in ("attributes", "elements", "nested"))
    elif unauthorised_code is not None:
        assert code == unauthorised_code
        assert checks == []  # a sender that may not call the service: nothing validated
    else:
        assert code == "SCE001" and "does not match xsd/gbdfl-message.xsd" in detail
        assert [name for name, _, _ in checks] == ["xsd/SyncChannel-types.xsd", "xsd/gbdfl-message.xsd"]
        _, elements, payload_check = checks[-1]
        assert not payload_check.valid
        assert elements > 70  # the payload is large ...
        # ... and its check stopped at the first violation: by the lookup's own 5 elements (the unexpected
        # attributes are on them) or at the first unexpected element just after them
        assert payload_check.elements_read <= 6
    assert not route.called
    entry = journal.entries()[0]
    assert (entry["event"], entry["code"]) == ("rejected", code)


def test_every_case_is_within_the_size_limit_and_the_1mib_one_nearly_fills_it(layout: PkiLayout, payloads) -> None:  # type: ignore[no-untyped-def]
    sizes = {case.name: len(_message(layout, "ENBEK_LABOUR_MARKET", payloads[case.name])) for case in CASES}
    assert all(size <= DEFAULT_MAX_BYTES for size in sizes.values())
    assert sizes["nested-1mib"] > 0.98 * DEFAULT_MAX_BYTES


# --- the same table through /bip-async/ sendMessage ----------------------------------------------------


@pytest.fixture
def async_channel(layout: PkiLayout, tmp_path: Path) -> Iterator[tuple[AsyncChannel, Journal, AsyncStore]]:
    register = tmp_path / "services.yaml"
    register.write_text(ServiceRegistry.default_file().read_text(encoding="utf-8") + ASYNC_REGISTER, encoding="utf-8")
    registry = ServiceRegistry.from_file(register)
    journal = Journal.at(f"sqlite:///{tmp_path / 'journal.sqlite'}")
    engine = journal.engine  # the async store lives in the journal's database (one transaction for both)
    now = lambda: dt.datetime.now(dt.UTC)  # noqa: E731
    credential = layout.load_credential(layout.system("gateway"))
    context = ChannelContext(
        registry=registry,
        journal=journal,
        credential=credential,
        trust=layout.trust_store(),
        now=now,
        provider_url=lambda service: PROVIDER,
        link=ProviderLink(timeout=2.0),
        max_bytes=DEFAULT_MAX_BYTES,
    )
    store = AsyncStore(engine)
    deliveries = AsyncDeliveries(
        store=store,
        outbox=Outbox(engine, now),
        registry=registry,
        journal=journal,
        credential=credential,
        trust=layout.trust_store(),
        now=now,
        participant_url=lambda participant: "http://unused.test/",
        max_age=dt.timedelta(days=3),
        timeout=2.0,
        max_bytes=DEFAULT_MAX_BYTES,
    )
    yield AsyncChannel(context, deliveries), journal, store
    deliveries.close()
    journal.dispose()
    engine.dispose()


def _async_message(layout: PkiLayout, sender: str, payload: etree._Element) -> bytes:
    info = AsyncMessageInfo(ASYNC_SERVICE, MessageType.REQUEST, dt.datetime.now(dt.UTC), sender)
    wrapper = write_send_message(AsyncMessage(info, data_of(Payload(element=payload))))
    return to_bytes(sign_envelope(wrap(wrapper), layout.load_credential(layout.system(SENDERS[sender][0]))))


@pytest.mark.parametrize("sender", list(SENDERS))
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_payload_sent_to_the_async_channel_is_refused_within_a_bound(  # type: ignore[no-untyped-def]
    async_channel, layout, checks, payloads, case: HostileCase, sender: str
) -> None:
    channel, journal, store = async_channel
    message = _async_message(layout, sender, payloads[case.name])
    assert len(message) <= DEFAULT_MAX_BYTES

    answer = channel.handle(message)
    verified = verify_envelope(parse_xml(answer.body), layout.trust_store(), dt.datetime.now(dt.UTC))
    fault = parse_async_fault(verified.signed_body)
    assert fault is not None and b"sendMessageFault1_sendMessageFault" in answer.body
    code, detail = fault.code, fault.message

    unauthorised_code = SENDERS[sender][1]
    if case.stopped_by == "parser":
        assert code == "SCE001"
        assert checks == []
        assert any(word in detail for word in ("attributes", "elements", "nested"))
    elif unauthorised_code is not None:
        assert code == unauthorised_code
        assert checks == []  # authorised before any schema check
    else:
        assert code == "SCE001" and "does not match xsd/gbdfl-message.xsd" in detail
        assert [name for name, _, _ in checks] == ["xsd/AsyncChannel-types.xsd", "xsd/gbdfl-message.xsd"]
        _, elements, payload_check = checks[-1]
        assert not payload_check.valid and elements > 70
        assert payload_check.elements_read <= 6
    assert sum(store.counts().values()) == 0  # nothing stored, nothing queued
    entry = journal.entries()[0]
    assert (entry["event"], entry["code"], entry["channel"]) == ("rejected", code, "async")
