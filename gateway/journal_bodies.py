"""How the journal stores a message body and headers: readable whatever their bytes, secrets masked.

- A body that is valid UTF-8 is stored as text (``body_encoding: "utf-8"``); any other bytes (a message in
  windows-1251, UTF-16, or garbage) as base64 (``body_encoding: "base64"``), so the journal shows exactly
  what arrived instead of replacement characters. ``body_size`` is the size in bytes as received.
- Secrets never reach the journal: the value of every ``<password>`` element (the sender's gateway
  password in ``requestInfo/sender``, in any namespace prefix), every JSON string under a key such as
  ``password``, ``token`` or ``secret``, and every header that carries credentials (``Authorization``,
  ``Cookie``, ``X-Admin-Token``, any ``*token*``, ``*password*``, ``*secret*``) become ``***``. Masking runs
  on the bytes before they are encoded, so a base64 body is masked too (for ASCII-compatible encodings).

``body_sha256`` keeps the digest of the body as received, so a copy of the message still proves which
message the entry is about.
"""

from __future__ import annotations

import base64
import re

MASK = "***"
_MASK_BYTES = MASK.encode()

# <password>secret</password>, <ns:password attr="x">secret</ns:password>, the text in CDATA sections or
# around comments too. Every pattern here runs in time linear in the body (up to the gateway's size limit).
_XML_SECRET = re.compile(
    rb"(<(?P<prefix>[A-Za-z_][\w.-]{0,64}:)?(?P<name>password|token|secret)\b[^<>]*(?<!/)>)"
    rb"(?P<value>(?:[^<]|<!\[CDATA\[(?:[^\]]|\](?!\]>))*\]\]>|<!--(?:[^-]|-(?!->))*-->)*)(</)",
    re.IGNORECASE,
)
# "key": "value" in a JSON body (escaped quotes inside the value included); keys up to 64 characters.
_JSON_STRING_MEMBER = re.compile(rb'("(?P<key>[^"\\]{1,64})"\s*:\s*)"(?:[^"\\]|\\.)*"')
_SECRET_NAME = re.compile(r"password|passwd|token|secret|api-?key", re.IGNORECASE)
_SECRET_HEADER = re.compile(r"authorization|cookie|token|password|passwd|secret|api-?key", re.IGNORECASE)


def mask_body(raw: bytes) -> bytes:
    """``raw`` with the values of password/token/secret elements and JSON keys replaced by ``***``."""
    masked = _XML_SECRET.sub(lambda m: m.group(1) + _MASK_BYTES + m.group(5), raw)
    return _JSON_STRING_MEMBER.sub(_mask_json_member, masked)


def _mask_json_member(match: re.Match[bytes]) -> bytes:
    if not _SECRET_NAME.search(match["key"].decode("utf-8", "replace")):
        return match.group(0)
    return match.group(1) + b'"' + _MASK_BYTES + b'"'


def mask_headers(headers: dict[str, str]) -> dict[str, str]:
    """Headers with the value of every credential-bearing one replaced by ``***``."""
    return {name: MASK if _SECRET_HEADER.search(name) else value for name, value in headers.items()}


def stored_body(raw: bytes | str) -> dict[str, str | int]:
    """The journal's form of a body: ``body`` (masked), ``body_encoding`` and ``body_size``."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    masked = mask_body(data)
    try:
        return {"body": masked.decode("utf-8"), "body_encoding": "utf-8", "body_size": len(data)}
    except UnicodeDecodeError:
        return {"body": base64.b64encode(masked).decode("ascii"), "body_encoding": "base64", "body_size": len(data)}


def readable_body(entry: dict[str, object]) -> bytes | None:
    """The stored (masked) body of a journal entry as bytes, whatever its encoding."""
    body = entry.get("body")
    if not isinstance(body, str):
        return None
    if entry.get("body_encoding") == "base64":
        return base64.b64decode(body)
    return body.encode("utf-8")
