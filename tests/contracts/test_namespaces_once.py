"""The payload namespaces are written once: in contracts/ (and the schemas of wsdl/). Any other module that
spells one out is a second copy of a contract; it must import the constant from contracts/ instead."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from contracts import (
    gbdfl,
    gfss,
    job_loss_payment,
    job_seeker_form,
    local_authority,
    register_documents,
    registration_channels,
    result_documents,
)

REPO = Path(__file__).resolve().parents[2]
# Where a namespace may be written: the contracts, the schemas, the tests (examples), the docs.
ALLOWED = ("contracts", "wsdl", "tests", "docs")
SKIPPED = {".venv", ".git", "var", "node_modules", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
SUFFIXES = {".py", ".yaml", ".yml", ".toml", ".json", ".cfg", ".ini", ".md", ".xml", ".xsd", ".wsdl", ".html"}
PAYLOAD_SCHEMAS = (
    "gbdfl-dictionaries.xsd",
    "gbdfl-documents.xsd",
    "gbdfl-person.xsd",
    "gbdfl-message.xsd",
    "gfss-contributions.xsd",
    "job-seeker-registration.xsd",
    "labour-market-documents.xsd",
    "register-documents.xsd",
    "registration-channels.xsd",
    "local-authority.xsd",
    "job-loss-payment.xsd",
)


def payload_namespaces() -> set[str]:
    """Every target namespace of a payload schema, and the namespaces the contract modules write."""
    schemas = {
        str(etree.parse(str(REPO / "wsdl" / "xsd" / name)).getroot().get("targetNamespace")) for name in PAYLOAD_SCHEMAS
    }
    return schemas | {
        gbdfl.MSG_NS,
        gfss.GFSS_NS,
        job_seeker_form.FORM_NS,
        result_documents.DOCUMENTS_NS,
        register_documents.REGISTER_NS,
        registration_channels.CHANNELS_NS,
        local_authority.LOCAL_AUTHORITY_NS,
        job_loss_payment.JOB_LOSS_NS,
    }


def spelled_outside_contracts(root: Path, namespaces: set[str]) -> list[str]:
    """``path: namespace`` for each file under ``root`` outside the allowed folders that spells one out."""
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or path.suffix not in SUFFIXES or SKIPPED & set(relative.parts):
            continue
        if relative.parts[0] in ALLOWED:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{relative}: {namespace}" for namespace in sorted(namespaces) if namespace in text]
    return found


def test_the_namespaces_are_those_of_the_schemas() -> None:
    namespaces = payload_namespaces()
    assert "http://message.persistence.interactive.nat" in namespaces
    assert len(namespaces) == len(PAYLOAD_SCHEMAS)  # each module's namespace is its schema's


def test_no_module_outside_contracts_spells_a_payload_namespace() -> None:
    assert spelled_outside_contracts(REPO, payload_namespaces()) == []


def test_the_check_finds_a_second_copy(tmp_path: Path) -> None:
    (tmp_path / "mocks").mkdir()
    (tmp_path / "mocks" / "copy.py").write_text(f'NS = "{gfss.GFSS_NS}"\n', encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "contracts.md").write_text(gfss.GFSS_NS, encoding="utf-8")
    assert spelled_outside_contracts(tmp_path, payload_namespaces()) == [f"mocks/copy.py: {gfss.GFSS_NS}"]
