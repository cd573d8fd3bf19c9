"""Individual and business identification numbers (IIN and BIN).

As the national registers issue them. An IIN has 12 digits. The first six used to be
the birth date (YYMMDD) and the seventh the century and sex (odd male, even
female: 1/2 = 1800s, 3/4 = 1900s, 5/6 = 2000s), but since 2013 that encoding is
no longer guaranteed, so **only the check digit is a safe test**: nothing here
rejects a number because its first seven digits do not read as a date.

Check digit: the sum of the first 11 digits times weights 1..11, mod 11; if that
is 10, the sum with weights 3,4,5,6,7,8,9,10,11,1,2, mod 11; if that is 10
again, the number is never issued. A BIN uses the same check.

This module is pure: it imports nothing from the project.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

__all__ = [
    "InvalidIin",
    "iin_check_digit",
    "is_valid_iin",
    "make_bin",
    "make_iin",
    "parse_iin",
]

IIN_LENGTH = 12
FIRST_WEIGHTS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
SECOND_WEIGHTS: tuple[int, ...] = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

# 7th digit of an IIN by century of birth: (male, female).
_CENTURY_SEX_DIGITS: dict[int, tuple[int, int]] = {1800: (1, 2), 1900: (3, 4), 2000: (5, 6)}
# 5th digit of a BIN: the type of the registered entity; 4 = resident legal entity.
BIN_LEGAL_ENTITY = "4"
# 6th digit of a BIN: the attribute digit; 0 = head organisation.
BIN_HEAD_ORGANISATION = "0"

_MAX_IIN_SERIAL = 9999
_MAX_BIN_SERIAL = 99999


class InvalidIin(ValueError):
    """A value is not a valid IIN/BIN (wrong shape or wrong check digit)."""


def _weighted_mod11(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11


def iin_check_digit(first11: str) -> int | None:
    """Return the check digit for the first 11 digits, or None if never issued (§6).

    Raises ValueError if ``first11`` is not exactly 11 ASCII digits.
    """
    if len(first11) != IIN_LENGTH - 1 or not (first11.isascii() and first11.isdigit()):
        raise ValueError(f"expected the first 11 digits of an IIN/BIN, got {first11!r}")
    check = _weighted_mod11(first11, FIRST_WEIGHTS)
    if check != 10:
        return check
    check = _weighted_mod11(first11, SECOND_WEIGHTS)
    return None if check == 10 else check


def _problem(value: str) -> str | None:
    """Describe what is wrong with ``value`` as an IIN/BIN, or None if it is valid."""
    if len(value) != IIN_LENGTH or not (value.isascii() and value.isdigit()):
        return f"an IIN/BIN is exactly 12 digits, got {value!r}"
    expected = iin_check_digit(value[:11])
    if expected is None:
        return f"{value!r} can never be issued: its check digit is undefined (both weightings give 10)"
    if int(value[11]) != expected:
        return f"{value!r} has check digit {value[11]}, expected {expected}; the number is mistyped"
    return None


def is_valid_iin(value: str) -> bool:
    """True if ``value`` is 12 digits with a valid check digit (§6; also a BIN)."""
    return _problem(value) is None


def parse_iin(value: str) -> str:
    """Return ``value`` stripped of surrounding whitespace if it is a valid IIN/BIN (§6).

    Raises InvalidIin saying what is wrong otherwise.
    """
    candidate = value.strip()
    problem = _problem(candidate)
    if problem is not None:
        raise InvalidIin(problem)
    return candidate


def _with_check_digit(prefix: str, serial: int, width: int, max_serial: int) -> str:
    """Append serial and check digit; on a never-issued number try the next serial.

    If the check digit would be 10 under both weightings (§6: never issued), the
    serial is increased by one (wrapping from the maximum to 0) until a number
    that can be issued is found. In practice the next serial always succeeds:
    without a carry, +1 on the last digit leaves the first sum unchanged (weight
    11) and moves the second sum by 2, so it cannot stay at 10.
    """
    if not 0 <= serial <= max_serial:
        raise ValueError(f"serial must be between 0 and {max_serial}, got {serial}")
    for _ in range(max_serial + 1):
        first11 = f"{prefix}{serial:0{width}d}"
        check = iin_check_digit(first11)
        if check is not None:
            return f"{first11}{check}"
        serial = 0 if serial == max_serial else serial + 1
    raise AssertionError("unreachable: some serial always yields a check digit")  # pragma: no cover


def make_iin(birth: date, sex: Literal["M", "F"], serial: int) -> str:
    """Build an IIN in the classic layout (§6): YYMMDD, century/sex digit, 4-digit serial, check.

    The 7th digit is 1/2 for the 1800s, 3/4 for the 1900s, 5/6 for the 2000s,
    odd for a man and even for a woman. If the number with ``serial`` would never
    be issued (check digit 10 under both weightings), ``serial + 1`` is used
    instead, so the serial in the result may differ from the one asked for.
    """
    century = birth.year // 100 * 100
    if century not in _CENTURY_SEX_DIGITS:
        raise ValueError(f"an IIN encodes births in 1800-2099, got {birth.isoformat()}")
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', got {sex!r}")
    male, female = _CENTURY_SEX_DIGITS[century]
    century_sex = male if sex == "M" else female
    prefix = f"{birth:%y%m%d}{century_sex}"
    return _with_check_digit(prefix, serial, 4, _MAX_IIN_SERIAL)


def make_bin(registered: date, serial: int) -> str:
    """Build a BIN of a legal entity (§6): YYMM of registration, '4', '0', 5-digit serial, check.

    As for an IIN, a serial giving a never-issued number is replaced by ``serial + 1``.
    """
    prefix = f"{registered:%y%m}{BIN_LEGAL_ENTITY}{BIN_HEAD_ORGANISATION}"
    return _with_check_digit(prefix, serial, 5, _MAX_BIN_SERIAL)
