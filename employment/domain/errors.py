"""Domain errors of the employment centre.

EmploymentError
├── SignerNotAllowed          the form is signed by someone who may not sign it (``rule_id`` says which rule)
│   ├── SignerIsNotApplicant  a portal form signed by someone other than the applicant (SP-5, JS-10)
│   └── SignerNotAuthorised   a form of another channel signed by someone the centre has not authorised for it
│                             (JS-12, JS-13, ``000 §5 action 1``)
├── PreRegistrationError      a rural pre-registration or its documents' receipt cannot be entered as given (JS-13)
│   └── PreRegistrationNotFound
├── IllegalTransition         a register entry cannot go from its state to the one asked (employment.domain.register)
├── NotInRegister             the person has no register entry, or not the one the command needs
├── MissingPersonFact         a rule needs a fact the state systems did not give (e.g. the person's sex)
├── InvalidGroundFacts        the facts reported with a DR-1 ground cannot be read (wrong, missing or hostile values)
├── ConflictingDecision       a second, different decision of the local authority on a case already decided
└── InvalidPaymentConsent     the consent to send the job-loss payment application cannot be taken as given (UN-5)
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


class IllegalTransition(EmploymentError):
    """The register does not allow this change of state (the message names the states and the rule)."""


class NotInRegister(EmploymentError):
    """The person is not in the register, or not in a state the command applies to."""


class MissingPersonFact(EmploymentError):
    """A rule cannot be applied without a fact the state systems did not give; nothing was decided."""


class InvalidGroundFacts(EmploymentError):
    """The facts of a reported deregistration ground are missing or cannot be read."""


class ConflictingDecision(EmploymentError):
    """The local authority sent a decision that contradicts the one already recorded for the case."""


class InvalidPaymentConsent(EmploymentError):
    """The person's consent that the centre send the job-loss payment application (UN-5) is missing, or its bank
    account or identity data cannot be used; nothing was stored."""
