"""Domain errors of the employment centre.

EmploymentError
└── SignerIsNotApplicant   the form is signed by someone other than the applicant (SP-5, JS-10)
"""

from __future__ import annotations


class EmploymentError(Exception):
    """A command cannot be carried out as given."""


class SignerIsNotApplicant(EmploymentError):
    pass
