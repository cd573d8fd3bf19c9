"""JS-5: the job seeker's category by the expected length of unemployment (Rules No. 259 §11, §14, §18).

The Rules say the category follows from the data entered into the individual employment card and is
determined automatically by the Labour Market system; they give no formula. The card's form (the
registration data form, standard Annex 2, section 8 "additional facts") lists the facts the category is
drawn from. The project's reading (docs/rules.md, JS-5) counts a point for each fact that makes finding
work take longer, and reads the sum as the expected length:

==========================================================  ======
fact on the card                                             points
==========================================================  ======
age under 25 on the day of registration                      1
age 50 or more                                               2
unemployed (``unemployedSince``) 3 to 6 months               1
... 6 to 12 months                                           2
... 12 months or more                                        3
no work experience (``totalExperience`` 0 or not given)      2
less than 1 year of work experience                          1
profession not in demand (``professionInDemand`` false)      1
a criminal record (``hasConviction`` true)                   1
education no higher than general secondary                   1
no job-search skills (``hasJobSearchSkills`` false)          1
no computer skills (``hasComputerSkills`` false)             1
low motivation (``motivationLevel`` "low")                   1
an earlier period of unemployment given                      1
==========================================================  ======

0-2 points: expected under 3 months (``short-term``); 3-5: 3 to 6 months (``medium-term``); 6 or more:
over 6 months (``long-term``). A fact the form leaves out counts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum

from employment.domain.models import CardProfile
from employment.domain.rules.eligibility import age_on
from employment.domain.terms import add_months

__all__ = ["CategoryAssessment", "JobSeekerCategory", "categorise"]

# Education levels no higher than general secondary (compared case-insensitively with educationLevel).
LOW_EDUCATION = frozenset({"none", "primary", "basic secondary", "general secondary", "secondary"})


class JobSeekerCategory(str, Enum):
    SHORT_TERM = "short-term"  # expected under 3 months
    MEDIUM_TERM = "medium-term"  # expected 3 to 6 months
    LONG_TERM = "long-term"  # expected over 6 months


@dataclass(frozen=True)
class CategoryAssessment:
    category: JobSeekerCategory
    points: int
    factors: tuple[str, ...]  # each fact that counted, with its points


def _months_unemployed(since: date, on: date) -> int:
    months = (on.year - since.year) * 12 + on.month - since.month
    return months - 1 if add_months(since, months) > on else months


def categorise(profile: CardProfile, birth_date: date, on: date) -> CategoryAssessment:
    """JS-5 (Rules No. 259 §11): the category of a job seeker registered on ``on``, from the card."""
    factors: list[tuple[str, int]] = []
    age = age_on(birth_date, on)
    if age < 25:
        factors.append((f"age {age}, under 25", 1))
    elif age >= 50:
        factors.append((f"age {age}, 50 or more", 2))
    if profile.unemployed_since is not None and profile.unemployed_since <= on:
        months = _months_unemployed(profile.unemployed_since, on)
        points = 3 if months >= 12 else 2 if months >= 6 else 1 if months >= 3 else 0
        if points:
            factors.append((f"unemployed for {months} months", points))
    experience = profile.total_experience_years
    if experience is None or experience == 0:
        factors.append(("no work experience", 2))
    elif experience < Decimal(1):
        factors.append((f"{experience} years of work experience, under 1", 1))
    if profile.profession_in_demand is False:
        factors.append(("profession not in demand", 1))
    if profile.has_conviction:
        factors.append(("a criminal record", 1))
    if profile.education_level is not None and profile.education_level.strip().casefold() in LOW_EDUCATION:
        factors.append((f"education: {profile.education_level}", 1))
    if profile.has_job_search_skills is False:
        factors.append(("no job-search skills", 1))
    if profile.has_computer_skills is False:
        factors.append(("no computer skills", 1))
    if profile.motivation_level is not None and profile.motivation_level.strip().casefold() == "low":
        factors.append(("low motivation", 1))
    if profile.had_previous_unemployment:
        factors.append(("an earlier period of unemployment", 1))
    points = sum(p for _, p in factors)
    category = (
        JobSeekerCategory.SHORT_TERM
        if points <= 2
        else JobSeekerCategory.MEDIUM_TERM
        if points <= 5
        else JobSeekerCategory.LONG_TERM
    )
    return CategoryAssessment(category, points, tuple(f"{name} (+{p})" for name, p in factors))
