"""The card's facts (JS-5, JS-9) from the registration data form's fields (standard Annex 2).

The form's values arrive as text; a value that does not read as its kind (a date, an amount, a boolean)
counts as not given, so a careless field never refuses or changes a registration, it only counts nothing
for the category and the selection of suitable work.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from employment.domain.models import CardProfile

MAX_TEXT = 200
ACTIVE_MEASURES = "active"  # registration/purpose naming active employment measures (UN-4 (5))


def _group(fields: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = fields.get(name)
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()[:MAX_TEXT]


def _decimal(value: Any) -> Decimal | None:
    text = _text(value)
    if text is None or len(text) > 20:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def _bool(value: Any) -> bool | None:
    text = (_text(value) or "").casefold()
    return True if text in ("true", "1") else False if text in ("false", "0") else None


def _date(value: Any) -> date | None:
    text = _text(value)
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def card_profile(fields: Mapping[str, Any]) -> CardProfile:
    """The facts the card keeps for JS-5 and JS-9, from the form's fields as :func:`read_form` gives them."""
    wanted = _group(fields, "wantedWork")
    registration = _group(fields, "registration")
    extra = _group(fields, "extraFacts")
    history = fields.get("workHistory")
    jobs = history if isinstance(history, list) else []
    purpose = (_text(registration.get("purpose")) or "").casefold()
    return CardProfile(
        region=_text(_group(fields, "regAddress").get("region")),
        wanted_profession=_text(wanted.get("profession")),
        salary_min=_decimal(wanted.get("salaryMin")),
        work_schedule=_text(wanted.get("workSchedule")),
        agrees_to_relocate=_bool(wanted.get("agreesToRelocate")),
        previous_professions=tuple(
            p for p in (_text(job.get("profession")) for job in jobs[:50] if isinstance(job, Mapping)) if p
        ),
        education_level=_text(fields.get("educationLevel")),
        unemployed_since=_date(registration.get("unemployedSince")),
        total_experience_years=_decimal(extra.get("totalExperience")),
        profession_in_demand=_bool(extra.get("professionInDemand")),
        has_conviction=_bool(extra.get("hasConviction")),
        has_job_search_skills=_bool(extra.get("hasJobSearchSkills")),
        has_computer_skills=_bool(extra.get("hasComputerSkills")),
        motivation_level=_text(extra.get("motivationLevel")),
        had_previous_unemployment=True if _text(extra.get("previousUnemploymentPeriod")) else None,
        applies_for_active_measures=ACTIVE_MEASURES in purpose and "measure" in purpose,
    )
