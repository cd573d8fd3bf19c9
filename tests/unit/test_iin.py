"""IIN/BIN check digit and construction."""

from __future__ import annotations

from datetime import date
from typing import Literal

import pytest

from kernel.iin import InvalidIin, iin_check_digit, is_valid_iin, make_bin, make_iin, parse_iin

KNOWN_VALID = "031231500126"  # a valid IIN of a man born on 31 December 2003


def test_known_example_is_valid() -> None:
    assert is_valid_iin(KNOWN_VALID)
    assert iin_check_digit(KNOWN_VALID[:11]) == 6


@pytest.mark.parametrize("wrong", [d for d in "0123456789" if d != "6"])
def test_every_other_check_digit_is_rejected(wrong: str) -> None:
    assert not is_valid_iin(KNOWN_VALID[:11] + wrong)


@pytest.mark.parametrize("position", range(10))
def test_changing_one_of_the_first_ten_digits_is_detected(position: int) -> None:
    digit = int(KNOWN_VALID[position])
    changed = KNOWN_VALID[:position] + str((digit + 1) % 10) + KNOWN_VALID[position + 1 :]
    assert not is_valid_iin(changed)


def test_the_eleventh_digit_has_weight_eleven_and_escapes_the_first_check() -> None:
    # A property of the algorithm, not a bug of ours: weight 11 is 0 mod 11.
    assert is_valid_iin("031231500136")


@pytest.mark.parametrize(
    "value",
    ["", "03123150012", "0312315001260", "03123150012a", " 031231500126", "03123150-126", "٠٣١٢٣١٥٠٠١٢٦"],
)
def test_wrong_shape_is_invalid(value: str) -> None:
    assert not is_valid_iin(value)


def test_second_weights_used_when_first_sum_gives_ten() -> None:
    # first weights: 1 x 10 (position 10) = 10 -> second weights: 1 x 1 = 1
    first11 = "00000000010"
    assert sum(int(d) * w for d, w in zip(first11, range(1, 12), strict=True)) % 11 == 10
    assert iin_check_digit(first11) == 1
    assert is_valid_iin("000000000101")
    assert not is_valid_iin("000000000100")


def test_never_issued_when_both_weightings_give_ten() -> None:
    # first: 9x1 + 2x6 = 21 = 10 mod 11; second: 9x3 + 2x8 = 43 = 10 mod 11
    assert iin_check_digit("90000200000") is None
    assert not any(is_valid_iin(f"90000200000{d}") for d in range(10))
    with pytest.raises(InvalidIin, match="never be issued"):
        parse_iin("900002000000")


@pytest.mark.parametrize("bad", ["", "1234567890", "123456789012", "1234567890a"])
def test_check_digit_needs_eleven_digits(bad: str) -> None:
    with pytest.raises(ValueError, match="first 11 digits"):
        iin_check_digit(bad)


@pytest.mark.parametrize(
    ("birth", "sex", "century_sex"),
    [
        (date(1850, 6, 1), "M", "1"),
        (date(1899, 12, 31), "F", "2"),
        (date(1950, 1, 1), "M", "3"),
        (date(1992, 3, 14), "F", "4"),
        (date(2001, 7, 9), "M", "5"),
        (date(2012, 2, 29), "F", "6"),
    ],
)
def test_make_iin_encodes_birth_date_century_and_sex(birth: date, sex: Literal["M", "F"], century_sex: str) -> None:
    iin = make_iin(birth, sex, 42)
    assert is_valid_iin(iin)
    assert iin[:6] == birth.strftime("%y%m%d")
    assert iin[6] == century_sex
    assert iin[7:11] in ("0042", "0043")


def test_make_iin_is_valid_for_many_serials() -> None:
    iins = {make_iin(date(1988, 10, 5), "F", serial) for serial in range(0, 10000, 7)}
    assert all(is_valid_iin(iin) for iin in iins)
    assert len(iins) > 1400  # at most a few serials collapse onto their successor


def test_make_iin_skips_a_never_issued_serial() -> None:
    birth = date(1975, 4, 20)
    prefix = "7504203"
    serial = next(s for s in range(10000) if iin_check_digit(f"{prefix}{s:04d}") is None)
    iin = make_iin(birth, "M", serial)
    assert iin[:11] == f"{prefix}{serial + 1:04d}"
    assert is_valid_iin(iin)


@pytest.mark.parametrize("serial", [-1, 10000])
def test_make_iin_rejects_serial_out_of_range(serial: int) -> None:
    with pytest.raises(ValueError, match="serial"):
        make_iin(date(1990, 1, 1), "M", serial)


def test_make_iin_rejects_year_outside_encoded_centuries() -> None:
    with pytest.raises(ValueError, match="1800-2099"):
        make_iin(date(2100, 1, 1), "M", 1)


def test_make_bin_layout() -> None:
    bin_ = make_bin(date(2012, 4, 1), 1234)
    assert is_valid_iin(bin_)
    assert bin_[:4] == "1204"
    assert bin_[4:6] == "40"
    assert bin_[6:11] in ("01234", "01235")


def test_parse_iin_returns_stripped_value() -> None:
    assert parse_iin("  031231500126\n") == KNOWN_VALID


def test_parse_iin_explains_shape_error() -> None:
    with pytest.raises(InvalidIin, match="exactly 12 digits"):
        parse_iin("03123150012")


def test_parse_iin_explains_check_digit_error() -> None:
    with pytest.raises(InvalidIin, match="expected 6"):
        parse_iin("031231500127")


def test_invalid_iin_is_a_value_error() -> None:
    assert issubclass(InvalidIin, ValueError)
