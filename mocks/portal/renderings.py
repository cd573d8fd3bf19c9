"""Human-readable HTML of the documents in the personal cabinet (Jinja2 templates in ``templates/``).

Each kind of document has its template, laid out as the form of its annex, with the annex's Kazakh labels and
their Russian counterparts (Rules No. 259 Annexes 2, 3, 4, 5, 7, 8; the reasoned refusals; the deregistration
notification; the social insurance fund's notification of assignment or refusal of the job-loss payment and its
notice of suspension or termination, SP-6, Art. 119). Under the document: who signed it (the certificate's
subject: name, IIN, BIN, organisation, serial number) and whether the signature verifies *now*, on the
ecosystem's clock (a certificate revoked after the document arrived shows here), besides when and from whom
the cabinet received it.

Every value comes from a document another system wrote, so the environment autoescapes all of it, and the
page is served with a Content-Security-Policy that allows no script at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from adapters.pki import CertificateSubject
from adapters.xml import XmlRejected, parse_xml
from contracts import job_loss_payment as jl
from contracts import register_documents as register
from contracts import result_documents as results
from contracts.errors import PayloadError
from kernel.clock import almaty
from mocks.portal.document_kinds import CabinetKind, DocumentVerifier, kind_named
from mocks.portal.storage import CabinetDocumentRow

# No script, no frame, no outside resource: the page is the document and its own styles.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

_KK_MONTHS = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)  # fmt: skip
_RU_MONTHS = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip


def kk_date(value: date | None) -> str:
    """A date as the Kazakh forms write it: 2026 жылғы «27» қараша."""
    return f"{value.year} жылғы «{value.day:02d}» {_KK_MONTHS[value.month - 1]}" if value else "—"


def ru_date(value: date | None) -> str:
    """A date as the Russian forms write it: «27» ноября 2026 года."""
    return f"«{value.day:02d}» {_RU_MONTHS[value.month - 1]} {value.year} года" if value else "—"


def tenge(value: Decimal) -> str:
    """An amount as the notifications write it: 121 500,00 ₸ (thin groups, the tiyn after a comma)."""
    whole, _, tiyn = f"{value:.2f}".partition(".")
    return f"{int(whole):,}".replace(",", "\u00a0") + f",{tiyn} ₸"


def local_time(value: datetime | None) -> str:
    return value.astimezone(almaty()).strftime("%d.%m.%Y %H:%M (UTC+05:00)") if value else "—"


@dataclass(frozen=True)
class SignatureView:
    verified: bool
    message: str
    signer: CertificateSubject | None
    # as recorded when the cabinet kept the document (the signer's certificate subject then)
    recorded_common_name: str
    recorded_iin: str | None
    recorded_bin: str | None


class UnreadableDocumentError(Exception):
    """A kept document that can no longer be read (its text was changed where it is stored)."""


def _read(kind: CabinetKind, text: str, max_bytes: int) -> Any:
    try:
        element = parse_xml(text, max_bytes=max_bytes)
    except XmlRejected as exc:
        raise UnreadableDocumentError(f"the kept document is not readable XML: {exc}") from exc
    try:
        if kind.schema == results.SCHEMA:
            return results.read_result_document(element)
        if kind.schema == jl.SCHEMA:
            return jl.read_decision(element) if element.tag == jl.DECISION_TAG else jl.read_notice(element)
        return register.read_register_document(element)
    except PayloadError as exc:
        raise UnreadableDocumentError(f"the kept document cannot be read: {exc}") from exc


class DocumentRenderer:
    """Renders a kept document; built once per portal (the templates are compiled on first use)."""

    def __init__(
        self,
        verifier: DocumentVerifier,
        *,
        max_bytes: int,
        notice_applicant: Callable[[str, str], str | None] | None = None,
    ) -> None:
        """``notice_applicant(iin, decision id)`` names the applicant of a job-loss payment notice, which carries
        only their IIN (:meth:`mocks.portal.job_loss.JobLossResults.applicant_name`)."""
        self._verifier = verifier
        self._max_bytes = max_bytes
        self._notice_applicant = notice_applicant
        self._env = Environment(
            loader=PackageLoader("mocks.portal", "templates"),
            autoescape=select_autoescape(enabled_extensions=("html",), default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters.update(kk_date=kk_date, ru_date=ru_date, local_time=local_time, tenge=tenge)

    def render(self, row: CabinetDocumentRow) -> str:
        """The page of one kept document, with its signer and the signature's state now."""
        kind = kind_named(row.kind)
        document = _read(kind, row.document, self._max_bytes)
        verified, message, signer = self._verifier.status_now(row.document)
        signature = SignatureView(
            verified=verified,
            message=message,
            signer=signer,
            recorded_common_name=row.signer_common_name,
            recorded_iin=row.signer_iin,
            recorded_bin=row.signer_bin,
        )
        applicant_name = None
        if isinstance(document, jl.PaymentNotice) and self._notice_applicant is not None:
            applicant_name = self._notice_applicant(row.iin, document.decision_id)
        template = self._env.get_template(kind.template)
        return template.render(
            kind=kind, row=row, document=document, signature=signature, applicant_name=applicant_name
        )

    def render_index(self, citizen_name: str, rows: list[CabinetDocumentRow]) -> str:
        """The list of the citizen's documents, each linked to its page."""
        entries = [(row, kind_named(row.kind)) for row in rows]
        return self._env.get_template("index.html").render(citizen_name=citizen_name, entries=entries)
