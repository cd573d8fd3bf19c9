"""Domain errors of the employment centre.

EmploymentError
├── SignerNotAllowed          the form is signed by someone who may not sign it (``rule_id`` says which rule)
│   ├── SignerIsNotApplicant  a portal form signed by someone other than the applicant (SP-5, JS-10)
│   └── SignerNotAuthorised   a form of another channel signed by someone the centre has not authorised for it
│                             (JS-12, JS-13, ``000 §5 action 1``)
└── PreRegistrationError      a rural pre-registration or its documents' receipt cannot be entered as given (JS-13)
    └── PreRegistrationNotFound
"""

from __future__ import annotations


class EmploymentError(Exception):
    """A command cannot be carried out as given."""


class SignerNotAllowed(EmploymentError):
    """The signature on a form is valid, but its signer may not sign that form."""

    rule_id = "JS-10"

    def __init__(self, message: str, rule_id: str | None = None) -> None:
        super().__init__(message)
        if rule_id is not None:
            self.rule_id = rule_id


class SignerIsNotApplicant(SignerNotAllowed):
    pass


class SignerNotAuthorised(SignerNotAllowed):
    pass


class PreRegistrationError(EmploymentError):
    """A pre-registration (JS-13) cannot be entered, or its documents cannot be received, as given."""

    rule_id = "JS-13"


class PreRegistrationNotFound(PreRegistrationError):
    pass
