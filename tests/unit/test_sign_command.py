"""``egov-sim sign``: what it prints verifies as the official's (or citizen's) signature, as the centre's API
checks it; mistakes are one line and exit 2."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lxml import etree
from typer.testing import CliRunner

from adapters.pki import PkiLayout
from adapters.signatures import verify_document
from adapters.signatures.jws import verify_request
from adapters.xml import parse_xml
from ecosystem.catalogue import official
from ecosystem.settings import Settings
from egov_sim.cli import app

FORM = b'<x:receipt xmlns:x="urn:test"><id>RA-1</id></x:receipt>'


def test_a_document_signed_by_an_official(pki_settings: Settings, tmp_path: Path) -> None:
    source = tmp_path / "receipt.xml"
    source.write_bytes(FORM)
    result = CliRunner().invoke(
        app, ["sign", "document", str(source), "--as", "employment-worker", "--data-dir", str(pki_settings.data_dir)]
    )
    assert result.exit_code == 0, result.output
    trust = PkiLayout(pki_settings.data_dir).trust_store()
    signed = verify_document(parse_xml(result.stdout_bytes), trust, dt.datetime.now(dt.UTC))
    assert signed.signer.iin == official("employment-worker").iin
    assert etree.tostring(signed.document) == etree.tostring(parse_xml(FORM))


def test_a_read_signed_by_a_citizen_binds_its_path(pki_settings: Settings) -> None:
    path = "/api/assistant/pre-registrations/RA-1"
    result = CliRunner().invoke(
        app, ["sign", "request", path + "?x=1", "--person", "920314403019", "--data-dir", str(pki_settings.data_dir)]
    )
    assert result.exit_code == 0, result.output
    verified = verify_request(
        result.stdout.strip(),
        b"",
        method="GET",
        path=path,
        headers={},
        required=(),
        trust=PkiLayout(pki_settings.data_dir).trust_store(),
        at=dt.datetime.now(dt.UTC),
    )
    assert verified.signer.iin == "920314403019"
    assert abs(verified.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_mistakes_are_one_line(pki_settings: Settings, tmp_path: Path) -> None:
    data = ["--data-dir", str(pki_settings.data_dir)]
    source = tmp_path / "form.xml"
    source.write_bytes(b"<not-closed")
    for args, words in (
        (["sign", "request", "/x", *data], "say who signs"),
        (["sign", "request", "/x", "--as", "janitor", *data], "no official 'janitor'"),
        (["sign", "document", str(source), "--as", "employment-worker", *data], "not a document to sign"),
        (["sign", "request", "/x", "--person", "900101300007", *data], "no credential"),
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2 and words in result.output, (args, result.output)
