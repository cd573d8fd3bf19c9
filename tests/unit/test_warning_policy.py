"""The suite's warning policy (pyproject's filterwarnings): every warning is an error except known ones from
third-party modules, so a DeprecationWarning raised from our own code fails the suite."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUR_PACKAGES = ("kernel", "wsdl", "adapters", "ecosystem", "gateway", "employment", "mocks", "scenarios", "egov_sim")


def _filters() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return list(config["tool"]["pytest"]["ini_options"]["filterwarnings"])


@pytest.mark.parametrize("module", ["egov_sim.cli", "ecosystem.clock", "gateway.app", "employment.domain.rules"])
def test_a_deprecation_raised_from_our_code_fails_the_test(module: str) -> None:
    with pytest.raises(DeprecationWarning, match="old way"):
        warnings.warn_explicit("old way", DeprecationWarning, f"{module.replace('.', '/')}.py", 1, module=module)


def test_the_known_third_party_deprecation_is_let_through() -> None:
    with warnings.catch_warnings(record=True) as seen:
        warnings.resetwarnings()
        for line in _filters():
            _apply(line)
        warnings.warn_explicit("'cgi' is deprecated", DeprecationWarning, "soap11.py", 41, module="spyne.protocol.soap")
    assert seen == []


def test_our_packages_import_without_a_warning_under_the_suites_policy() -> None:
    """In a fresh interpreter (nothing imported yet), with exactly the suite's filters."""
    script = "\n".join(
        [
            "import importlib, pkgutil, warnings",
            "from _pytest.warnings import parse_warning_filter",
            f"for line in {_filters()!r}:  # later lines win, as in pytest",
            "    warnings.filterwarnings(*parse_warning_filter(line, escape=False))",
            f"for name in {OUR_PACKAGES!r}:",
            "    package = importlib.import_module(name)",
            "    for info in pkgutil.walk_packages(package.__path__, name + '.'):",
            "        importlib.import_module(info.name)",
        ]
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]


def _apply(line: str) -> None:
    from _pytest.warnings import parse_warning_filter

    warnings.filterwarnings(*parse_warning_filter(line, escape=False))
