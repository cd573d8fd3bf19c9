"""docs/rules.md is the map of every rule id: each id the project uses is there, with the law it comes from."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES_DOC = ROOT / "docs" / "rules.md"

# A rule id: a prefix of docs/rules.md and a number, not part of a longer token ("EGOV-JS-2026-1", "UTF-8").
RULE_ID = re.compile(r"(?<![\w-])(?:T|JS|UN|CE|DR|LM|AP|SP|PE)-\d+(?![\w-])")
# A paragraph used as an id: "000 §5 action 3" (regulation 000, paragraph 5, action 3).
PARAGRAPH_ID = re.compile(r"(?<![\w§])\d{3} §\d+ action \d+(?!\d)")
# Where ids are used: the project's code, its contracts, its rule cases and its docs.
SCANNED_SUFFIXES = {".py", ".xsd", ".wsdl", ".yaml", ".yml", ".md"}
SKIPPED_DIRS = {".venv", "var", "build", "dist", "node_modules", "__pycache__"}
# The legal source must name a text of the law, never the project's notes.
LAW_NAMES = (
    "Rules No. 259",
    "regulation 000",
    "regulation 004",
    "standard item",
    "Annex",
    "Social Code",
    "Labour Code",
    "Administrative Procedural Code",
    "Law ",
    "portal user guide",
)
NOT_A_LAW = re.compile(r"SPEC|PAYMENT-RULES|GATEWAY-PROTOCOL|ARCHITECTURE|digest|seeds?/", re.IGNORECASE)
STATUSES = ("applied", "partly", "not implemented yet")


@dataclass(frozen=True)
class Entry:
    rule_id: str
    status: str
    statement: str
    source: str


def scanned_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and path.suffix in SCANNED_SUFFIXES and path != RULES_DOC:
            files.append(path)
    return sorted(files)


def ids_in(text: str) -> set[str]:
    return set(RULE_ID.findall(text)) | set(PARAGRAPH_ID.findall(text))


def used_ids() -> dict[str, list[str]]:
    """Every rule id used outside docs/rules.md -> the files (relative paths) that use it."""
    used: dict[str, list[str]] = {}
    for path in scanned_files():
        for rule_id in ids_in(path.read_text(encoding="utf-8", errors="replace")):
            used.setdefault(rule_id, []).append(str(path.relative_to(ROOT)))
    return used


def documented() -> dict[str, Entry]:
    """The rows of docs/rules.md whose first cell is a rule id: | id | status | rule | legal source |."""
    entries: dict[str, Entry] = {}
    for line in RULES_DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        first = cells[0].strip("`")
        if not (RULE_ID.fullmatch(first) or PARAGRAPH_ID.fullmatch(first)):
            continue
        assert len(cells) == 4, f"docs/rules.md row of {first} must have 4 cells (id, status, rule, source): {line}"
        assert first not in entries, f"docs/rules.md documents {first} twice"
        entries[first] = Entry(first, cells[1], cells[2], cells[3])
    return entries


def test_the_id_pattern_finds_ids_and_skips_lookalikes() -> None:
    text = "JS-1..JS-6, T-2, DR-1 (1), 000 §5 action 3; EGOV-JS-2026-1, UTF-8, SHA-256, X-JS-3, JS-10a"
    assert ids_in(text) == {"JS-1", "JS-6", "T-2", "DR-1", "000 §5 action 3"}


def test_the_scan_sees_the_ids_the_decision_uses() -> None:
    used = used_ids()
    for rule_id in ("JS-1", "JS-2", "JS-3", "T-2"):
        assert any(path.startswith("employment/") for path in used.get(rule_id, [])), rule_id


def test_every_used_id_is_documented() -> None:
    entries = documented()
    missing = {rule_id: paths for rule_id, paths in used_ids().items() if rule_id not in entries}
    assert not missing, "rule ids used but not in docs/rules.md: " + "; ".join(
        f"{rule_id} (in {', '.join(paths[:3])})" for rule_id, paths in sorted(missing.items())
    )


def test_every_entry_names_its_law_a_status_and_a_statement() -> None:
    entries = documented()
    assert len(entries) > 40  # the whole map, implemented or not
    for entry in entries.values():
        assert entry.statement, f"{entry.rule_id} has no statement"
        assert entry.status.startswith(STATUSES), f"{entry.rule_id}: status {entry.status!r} is not one of {STATUSES}"
        assert entry.source, f"{entry.rule_id} has no legal source"
        assert any(name in entry.source for name in LAW_NAMES), f"{entry.rule_id}: {entry.source!r} names no law"
        assert not NOT_A_LAW.search(entry.source), f"{entry.rule_id}: the source cites a project note: {entry.source!r}"


# A sub-item of a rule: "UN-4 (2)" is ground (2) of UN-4, documented in UN-4's row.
SUB_ITEM = re.compile(r" \(\d+\)$")


def test_ids_a_refusal_carries_are_marked_applied() -> None:
    """A rule that refuses today cannot be documented as 'not implemented yet': it is applied, or partly
    applied (a domain rule not yet wired to a service says so in its status)."""
    entries = documented()
    refusing: set[str] = set()
    for module in sorted((ROOT / "employment" / "domain").rglob("*.py")):
        refusing |= set(re.findall(r'Reason\(\s*"([^"]+)"', module.read_text(encoding="utf-8")))
    expected = {"JS-1", "JS-2", "JS-3", "UN-4 (1)"}
    assert expected <= refusing, f"the scan of Reason(...) in employment/domain found {refusing}"
    for found in refusing:
        rule_id = SUB_ITEM.sub("", found)
        assert rule_id in entries, f"{found} refuses in employment/domain but {rule_id} is not in docs/rules.md"
        status = entries[rule_id].status
        assert status.startswith(("applied", "partly")), f"{found} refuses but {rule_id} is documented {status!r}"
        if status.startswith("partly"):
            assert "not yet wired" in status or "`employment/" in status, (
                f"{rule_id} is documented {status!r}: say what is applied and where"
            )
    # the rules a service applies today are applied, not partly
    for wired in ("JS-1", "JS-2", "JS-3"):
        assert entries[wired].status.startswith("applied"), f"{wired} is documented {entries[wired].status!r}"


# The notes the project was designed from, which its users do not have.
DESIGN_NOTES = re.compile(
    r"SPEC\.md|SPEC [A-Z§]|GATEWAY-PROTOCOL|ARCHITECTURE|PAYMENT-RULES|\.\./shared|/work/|seeds?/\d|seed 00\d"
)


def _design_note_citations(paths: list[Path]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in paths
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if DESIGN_NOTES.search(line)
    ]


def test_docs_and_schemas_cite_the_law_not_the_design_notes() -> None:
    """Users of the project have the docs and the schemas, not the notes the project was designed from."""
    readable = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "wsdl").rglob("*.xsd"))]
    cited = _design_note_citations([*readable, ROOT / "wsdl" / "SyncChannel.wsdl"])
    assert not cited, "cite the law or docs/rules.md, docs/protocol.md, docs/contracts.md instead:\n" + "\n".join(cited)


def test_code_and_test_fixtures_cite_the_law_not_the_design_notes() -> None:
    """Comments and docstrings of the Python sources (and the test payloads' comments) cite the law or the docs."""
    this_test = Path(__file__).resolve()
    sources = [path for path in scanned_files() if path.suffix == ".py" and path.resolve() != this_test]
    fixtures = sorted((ROOT / "tests" / "fixtures").rglob("*.xml"))
    assert any(str(path.relative_to(ROOT)) == "employment/domain/calendar.py" for path in sources)
    cited = _design_note_citations([*sources, *fixtures])
    assert not cited, "cite the law or docs/rules.md, docs/protocol.md, docs/contracts.md instead:\n" + "\n".join(cited)


def test_every_dated_parameter_is_listed_with_its_source() -> None:
    """docs/rules.md lists every parameter of kernel/parameter_values.py (a new one fails until it is added)."""
    from kernel.parameter_values import PARAMETERS

    text = RULES_DOC.read_text(encoding="utf-8")
    table = text[text.index("## Dated parameters") :]
    missing = [parameter.name for parameter in PARAMETERS if f"`{parameter.name}`" not in table]
    assert not missing, f"docs/rules.md, 'Dated parameters', does not list {missing}"
