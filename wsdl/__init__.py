"""The contracts: WSDL and XSD files of every SOAP interface and business payload.

These files are the source of truth; code locates them through :func:`contract_path`.
"""

from __future__ import annotations

from pathlib import Path


def contracts_dir() -> Path:
    """The folder holding the WSDL files (XSD files are in its ``xsd/`` subfolder)."""
    return Path(__file__).resolve().parent


def contract_path(name: str) -> Path:
    """Path of one contract file, e.g. ``SyncChannel.wsdl`` or ``xsd/gbdfl-message.xsd``."""
    path = contracts_dir() / name
    if not path.is_file():
        raise FileNotFoundError(f"no contract file {name!r} in {contracts_dir()}")
    return path
