"""Every rule of the register's sections (time, job seekers, the unemployed, the certificate, deregistration,
appeals) has at least one legal case in tests/rules/*.yaml.

The ids come from docs/rules.md (the project's map of the law) and must include the fixed list below, so a
row dropped from the map fails too. ``EGOV_SIM_RULE_DIGEST`` may name a further digest of the rules (a
Markdown file whose table rows or list items start with the id); its ids of these sections are then required as well.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = ROOT / "tests" / "rules"
SECTIONS = ("T", "JS", "UN", "CE", "DR", "AP")
REQUIRED = (
    [f"T-{n}" for n in range(1, 6)]
    + [f"JS-{n}" for n in range(1, 14)]
    + [f"UN-{n}" for n in range(1, 8)]
    + [f"CE-{n}" for n in range(1, 5)]
    + ["DR-1", "DR-2", "AP-1"]
)
# a table row "| JS-5 | ..." or a list item "- T-1: ..."
ROW_ID = re.compile(r"^(?:\|\s*`?|- )((?:" + "|".join(SECTIONS) + r")-\d+)(?:`?\s*\||:)")
SUB_ITEM = re.compile(r" \(\d+\)$")


def ids_in_table(text: str) -> set[str]:
    return {match.group(1) for line in text.splitlines() if (match := ROW_ID.match(line))}


def rules_of_cases() -> dict[str, list[str]]:
    """Rule id (without its sub-item) -> the YAML files with a case of it."""
    found: dict[str, list[str]] = {}
    for path in sorted(CASES_DIR.glob("*.yaml")):
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases = data["cases"] if isinstance(data, dict) else data
        for case in cases:
            rule = SUB_ITEM.sub("", str(case["rule"]))
            found.setdefault(rule, []).append(path.name)
    return found


def required_ids() -> set[str]:
    ids = set(REQUIRED) | ids_in_table((ROOT / "docs" / "rules.md").read_text(encoding="utf-8"))
    digest = os.environ.get("EGOV_SIM_RULE_DIGEST")
    if digest and Path(digest).is_file():
        ids |= ids_in_table(Path(digest).read_text(encoding="utf-8"))
    return ids


def test_the_map_lists_every_required_rule() -> None:
    documented = ids_in_table((ROOT / "docs" / "rules.md").read_text(encoding="utf-8"))
    assert set(REQUIRED) <= documented, f"docs/rules.md lacks {sorted(set(REQUIRED) - documented)}"


def test_every_rule_of_the_register_has_a_case() -> None:
    cased = rules_of_cases()
    missing = sorted(required_ids() - set(cased), key=lambda i: (i.split("-")[0], int(i.split("-")[1])))
    assert not missing, f"rules with no case in tests/rules/*.yaml: {', '.join(missing)}"


def test_the_table_reader_finds_ids_and_skips_other_rows() -> None:
    text = "| JS-5 | a |\n| `000 §5 action 3` | b |\n| LM-1 | c |\n| id | status |\n|UN-7|x|\n- T-2: hours\n- JS-9 x"
    assert ids_in_table(text) == {"JS-5", "UN-7", "T-2"}
