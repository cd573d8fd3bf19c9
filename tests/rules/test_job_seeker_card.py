"""The individual employment card (Rules §10, §14) and a repeated application (JS-7, Rules §22); the moment
the term runs from (regulation 000 §5, §10)."""

from __future__ import annotations

import datetime as dt

import pytest

from employment.domain.models import Applicant, CardChange, RegistryRecord
from employment.domain.rules.job_seeker_card import card_after_registration
from employment.domain.rules.job_seeker_registration import term_start
from kernel.clock import almaty

IIN = "920314403019"
FIRST = dt.date(2026, 11, 23)
LATER = dt.date(2027, 2, 1)


def _applicant(surname: str = "Сулейменова") -> Applicant:
    return Applicant(IIN, surname, "Жанар", "Ерлановна", dt.date(1992, 3, 14), True)


def _record(address: str = "Astana") -> RegistryRecord:
    return RegistryRecord(IIN, "Сулейменова", "Жанар", "Ерлановна", dt.date(1992, 3, 14), address, None)


def test_first_registration_opens_the_card() -> None:
    card = card_after_registration(None, _applicant(), _record(), FIRST)
    assert (card.registered_on, card.applications, card.address, card.changes) == (FIRST, 1, "Astana", ())


def test_repeated_application_keeps_the_first_date_and_records_what_changed() -> None:
    first = card_after_registration(None, _applicant(), _record(), FIRST)
    again = card_after_registration(first, _applicant("Ахметова"), _record("Almaty"), LATER)
    assert again.registered_on == FIRST and again.applications == 2
    assert again.full_name == "Ахметова Жанар Ерлановна" and again.address == "Almaty"
    assert again.changes == (
        CardChange("fullName", "Сулейменова Жанар Ерлановна", "Ахметова Жанар Ерлановна", LATER),
        CardChange("address", "Astana", "Almaty", LATER),
    )
    unchanged = card_after_registration(again, _applicant("Ахметова"), _record("Almaty"), LATER)
    assert unchanged.changes == again.changes and unchanged.applications == 3


def test_a_card_takes_only_its_own_person() -> None:
    first = card_after_registration(None, _applicant(), _record(), FIRST)
    other = Applicant("850902305172", "Кузнецов", "Дмитрий", None, dt.date(1985, 9, 2), True)
    with pytest.raises(ValueError, match="850902305172"):
        card_after_registration(first, other, None, LATER)


def test_the_term_runs_from_the_submission_on_the_portal() -> None:
    submitted = dt.datetime(2026, 11, 23, 10, 0, tzinfo=almaty())
    delivered = submitted + dt.timedelta(days=2)
    assert term_start(submitted, delivered) == submitted  # regulation 000 §10
    assert term_start(None, delivered) == delivered  # documents handed in at the centre (000 §5)
    assert term_start(delivered, submitted) == submitted  # never later than the delivery
    with pytest.raises(ValueError, match="time zone"):
        term_start(dt.datetime(2026, 11, 23, 10, 0), delivered)
