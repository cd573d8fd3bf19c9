"""Domain errors of the employment centre.

EmploymentError
├── SignerIsNotApplicant        the form is signed by someone other than the applicant (SP-5, JS-10, CE-1)
├── IllegalTransition           a register entry cannot go from its state to the one asked (employment.domain.register)
├── NotInRegister               the person has no register entry, or not the one the command needs
├── MissingPersonFact           a rule needs a fact the state systems did not give (e.g. the person's sex)
├── InvalidGroundFacts          the facts reported with a DR-1 ground cannot be read (wrong, missing or hostile values)
└── ConflictingDecision         a second, different decision of the local authority on a case already decided
"""

from __future__ import annotations


class EmploymentError(Exception):
    """A command cannot be carried out as given."""


class SignerIsNotApplicant(EmploymentError):
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
