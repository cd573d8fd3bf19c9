"""UN-5 (Rules No. 259 §35; regulation 004 §1 (2)): when the centre registers a person as unemployed it tells them
the documents of the social payment for loss of job and, with their consent, sends the application to the State
Social Insurance Fund itself. What the consent must carry to be used:

- the consent itself (the application states the consent to the collection and processing of personal data,
  without which the fund refuses to accept it: PE-4 (5), Social Code Art. 115 p.1 sub.5);
- the account the payment goes to: a Kazakh IBAN (``KZ``, 2 check digits, 16 letters or digits; ISO 13616
  check digits, mod 97) and the number and date of the agreement that opened it (the standard of the service,
  004 §4 item 9);
- a register entry whose registration as unemployed is under way or made (job seeker, offered work, awaiting
  the local authority, unemployed): a person refused or removed has nothing to apply with.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date

from employment.domain.errors import InvalidPaymentConsent, NotInRegister
from employment.domain.register import RegisterEntry, RegisterState

__all__ = ["CONSENT_STATES", "check_bank_account", "check_consent_allowed", "payment_application_id"]

_IBAN = re.compile(r"^KZ\d{2}[0-9A-Z]{16}$")
_AGREEMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}$")
_APPLICATION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:\-]{0,63}$")
CONSENT_STATES = (
    RegisterState.JOB_SEEKER,
    RegisterState.OFFERED,
    RegisterState.AWAITING_AUTHORITY,
    RegisterState.UNEMPLOYED,
)


def iban_checks(iban: str) -> bool:
    """ISO 13616: the IBAN with its first four characters moved to the end, letters as 10..35, is 1 mod 97."""
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in moved)) % 97 == 1


def check_bank_account(iban: str, agreement_number: str, opened_on: date, today: date) -> None:
    """The account of the payment (004 §4 item 9): raise :class:`InvalidPaymentConsent` for one not usable."""
    if not _IBAN.match(iban):
        raise InvalidPaymentConsent(f"{iban!r} is not a Kazakh IBAN (KZ, 2 check digits, 16 letters or digits)")
    if not iban_checks(iban):
        raise InvalidPaymentConsent(f"the check digits of IBAN {iban} are wrong (ISO 13616, mod 97)")
    if not _AGREEMENT.match(agreement_number):
        raise InvalidPaymentConsent(
            "the number of the bank account agreement is 1-64 letters, digits and . _ : - (starting with one of the "
            f"first two): {agreement_number!r}"
        )
    if opened_on > today:
        raise InvalidPaymentConsent(f"the bank account cannot be opened on {opened_on.isoformat()}, after today")


def check_consent_allowed(entry: RegisterEntry | None, iin: str) -> RegisterEntry:
    """UN-5: a consent is taken for a registration as unemployed under way or made."""
    if entry is None:
        raise NotInRegister(f"IIN {iin} is not in the register of the employment centre")
    if entry.state not in CONSENT_STATES:
        raise NotInRegister(
            f"IIN {iin} is {entry.state.value}: the centre sends the job-loss payment application only for a "
            "registration as unemployed under way or made (Rules No. 259 §35)"
        )
    return entry


def payment_application_id(case_id: str) -> str:
    """The application's id, the same at every sending (the fund registers it once): ``JLP-<case id>`` when that
    fits the contract's identifier, else ``JLP-`` and the first 40 hex digits of the case id's SHA-256."""
    readable = f"JLP-{case_id}"
    if _APPLICATION_ID.match(readable):
        return readable
    return f"JLP-{hashlib.sha256(case_id.encode()).hexdigest()[:40]}"
