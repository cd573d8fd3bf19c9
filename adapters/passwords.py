"""Passwords and session tokens as the systems with a login keep them (the portal's citizens, the State
Corporation's operators): salted scrypt hashes that carry their own cost, and tokens stored only as hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

__all__ = ["ScryptCost", "hash_password", "password_matches", "token_hash"]


@dataclass(frozen=True)
class ScryptCost:
    """scrypt parameters; stored with every hash so that they can change without breaking old ones."""

    n: int = 2**14
    r: int = 8
    p: int = 1


def hash_password(password: str, cost: ScryptCost = ScryptCost()) -> str:
    """``scrypt$n$r$p$salt$hash`` with a fresh 16-byte salt (hex)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=cost.n, r=cost.r, p=cost.p, dklen=32)
    return f"scrypt${cost.n}${cost.r}${cost.p}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(digest) // 2
        )
    except ValueError:
        return False
    return hmac.compare_digest(candidate.hex(), digest)


def token_hash(token: str) -> str:
    """What the store keeps of a bearer token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()
