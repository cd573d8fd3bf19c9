"""The kinds of signed document the personal cabinet keeps, and how one is verified before it is kept.

Every kind has its root element and schema in ``contracts/``, its title in the language of its form (Kazakh
and Russian, as the Rules' annexes name them; English for the API), the template that renders it
(:mod:`mocks.portal.renderings`), and who signs it: an official of the issuing organisation (the employment
centre's director: JS-10, Rules No. 259 §29, §33, §43, §45) or, for the applicant's own application (Annex 7,
CE-1), the applicant.

:class:`DocumentVerifier` is the one check every signed document passes before the cabinet keeps it, whether
it answers an application (JS-10, CE-4) or is delivered by ``EGOV_CabinetDocument``: bounded parse, the
enveloped signature verified on the ecosystem's clock (chain, validity, revocation), the signer's certificate
carrying the expected organisation's BIN (or person's IIN), a kind the cabinet knows, its schema, and its
contents read (number, addressee, application, issue date). Refusals are
:class:`adapters.signed_documents.DocumentRejected` with the gateway error code they amount to.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime

from lxml import etree

from adapters.pki import CertificateSubject, TrustStore
from adapters.shep import ErrorCode
from adapters.signed_documents import DocumentRejected, compiled_schema, verify_signed_text
from adapters.xml import XmlLimits
from contracts import job_loss_payment as jl
from contracts import register_documents as register
from contracts import result_documents as results
from contracts.errors import PayloadError


@dataclass(frozen=True)
class CabinetKind:
    """One kind of document: its cabinet name, root element, schema, titles, template and signer."""

    name: str
    tag: str
    schema: str
    title_kk: str
    title_ru: str
    title_en: str
    template: str
    signed_by_applicant: bool = False


def _result(kind: results.ResultKind, kk: str, ru: str, en: str, template: str) -> CabinetKind:
    return CabinetKind(kind.value, kind.tag, results.SCHEMA, kk, ru, en, template)


def _register(kind: register.RegisterKind, kk: str, ru: str, en: str, template: str) -> CabinetKind:
    return CabinetKind(
        kind.value,
        kind.tag,
        register.SCHEMA,
        kk,
        ru,
        en,
        template,
        signed_by_applicant=kind is register.RegisterKind.CERTIFICATE_APPLICATION,
    )


KINDS: dict[str, CabinetKind] = {
    kind.name: kind
    for kind in (
        _result(
            results.ResultKind.REGISTERED,
            "Жұмыс іздеп жүрген адам ретінде тіркеу туралы хабарлама",
            "Уведомление о регистрации в качестве лица, ищущего работу",
            "Notification of registration as a job seeker (Rules Annex 3)",
            "annex3_notice.html",
        ),
        _result(
            results.ResultKind.REFUSED,
            "Жұмыс іздеп жүрген адам ретінде тіркеуден бас тарту туралы хабарлама",
            "Уведомление об отказе в регистрации в качестве лица, ищущего работу",
            "Notification of refusal to register as a job seeker (Rules Annex 2)",
            "annex2_refusal.html",
        ),
        _result(
            results.ResultKind.NOT_ACCEPTED,
            "Өтінішті қабылдаудан дәлелді бас тарту",
            "Мотивированный отказ в приёме заявления",
            "Reasoned refusal to accept the application (standard item 9)",
            "annex2_refusal.html",
        ),
        _register(
            register.RegisterKind.UNEMPLOYED_REGISTERED,
            "Жұмыссыз ретінде тіркеу туралы хабарлама",
            "Уведомление о регистрации в качестве безработного",
            "Notification of registration as unemployed (Rules Annex 4)",
            "annex4_notice.html",
        ),
        _register(
            register.RegisterKind.UNEMPLOYED_REFUSED,
            "Жұмыссыз ретінде, жұмыс іздеп жүрген адам ретінде тіркеуден бас тарту туралы хабарлама",
            "Уведомление об отказе в регистрации в качестве безработного, лица, ищущего работу",
            "Notification of refusal to register as unemployed (Rules Annex 5)",
            "annex5_refusal.html",
        ),
        _register(
            register.RegisterKind.CERTIFICATE_APPLICATION,
            "Жұмыссыз ретінде тіркелгендігі туралы анықтама беру туралы өтініш",
            "Заявление о выдаче справки о регистрации в качестве безработного",
            "Application for the certificate of registration as unemployed (Rules Annex 7)",
            "annex7_application.html",
        ),
        _register(
            register.RegisterKind.CERTIFICATE,
            "Жұмыссыз ретінде тіркеу туралы анықтама",
            "Справка о регистрации в качестве безработного",
            "Certificate of registration as unemployed (Rules Annex 8)",
            "annex8_certificate.html",
        ),
        _register(
            register.RegisterKind.CERTIFICATE_REFUSED,
            "Анықтама беруден дәлелді бас тарту",
            "Мотивированный отказ в выдаче справки",
            "Reasoned refusal to issue the certificate (CE-3)",
            "certificate_refusal.html",
        ),
        _register(
            register.RegisterKind.DEREGISTERED,
            "Жұмыссызды есептен шығару туралы хабарлама",
            "Уведомление о снятии безработного с учёта",
            "Notification of removal from the register of the unemployed (DR-2)",
            "deregistration_notice.html",
        ),
        # SP-6 (regulation 004 §3, §9 (10)-(11)): the fund department's notifications, signed by its authorised person
        CabinetKind(
            jl.DECISION_DOCUMENT_KIND,
            jl.DECISION_TAG,
            jl.SCHEMA,
            "Жұмысынан айырылған жағдайда әлеуметтік төлемді тағайындау (тағайындаудан бас тарту) туралы хабарлама",
            "Уведомление о назначении (об отказе в назначении) социальной выплаты на случай потери работы",
            "Notification of assignment (or refusal) of the social payment for loss of job (Art. 115-118)",
            "job_loss_decision.html",
        ),
        CabinetKind(
            jl.NOTICE_DOCUMENT_KIND,
            jl.NOTICE_TAG,
            jl.SCHEMA,
            "Жұмысынан айырылған жағдайда әлеуметтік төлемді тоқтата тұру (тоқтату) туралы хабарлама",
            "Уведомление о приостановлении (прекращении) социальной выплаты на случай потери работы",
            "Notice of suspension or termination of the social payment for loss of job (Art. 119)",
            "job_loss_notice.html",
        ),
    )
}
_BY_TAG = {kind.tag: kind for kind in KINDS.values()}
# What the employment centre answers: to a job-seeker application, and to a certificate application (CE-4).
JOB_SEEKER_RESULTS = frozenset(kind.value for kind in results.ResultKind)
CERTIFICATE_RESULTS = frozenset(
    {register.RegisterKind.CERTIFICATE.value, register.RegisterKind.CERTIFICATE_REFUSED.value}
)
# What the social insurance fund delivers (SP-6, Art. 119), and only the fund.
JOB_LOSS_RESULTS = frozenset({jl.DECISION_DOCUMENT_KIND, jl.NOTICE_DOCUMENT_KIND})


def kind_named(name: str) -> CabinetKind:
    return KINDS[name]


@dataclass(frozen=True)
class DocumentFacts:
    """What the cabinet records of a document: its number, addressee, application (if it answers one)."""

    document_number: str
    person_iin: str
    application_id: str | None
    issued_on: date | None


def _facts_of_result(element: etree._Element) -> DocumentFacts:
    document = results.read_result_document(element)
    return DocumentFacts(document.document_number, document.person_iin, document.application_id, document.issued_on)


def _facts_of_register(element: etree._Element) -> DocumentFacts:
    document = register.read_register_document(element)
    application_id = getattr(document, "application_id", None)
    issued_on = getattr(document, "issued_on", None)
    if isinstance(document, register.CertificateApplication):
        issued_on = document.submitted_at.date()
    return DocumentFacts(document.document_number, document.person.iin, application_id, issued_on)


def _facts_of_job_loss(element: etree._Element) -> DocumentFacts:
    if element.tag == jl.DECISION_TAG:
        decision = jl.read_decision(element)
        return DocumentFacts(decision.decision_id, decision.applicant_iin, decision.application_id, decision.decided_on)
    notice = jl.read_notice(element)
    return DocumentFacts(notice.notice_id, notice.applicant_iin, None, notice.issued_on)


_READERS: dict[str, Callable[[etree._Element], DocumentFacts]] = {
    results.SCHEMA: _facts_of_result,
    register.SCHEMA: _facts_of_register,
    jl.SCHEMA: _facts_of_job_loss,
}


@dataclass(frozen=True)
class VerifiedDocument:
    """A document that passed :meth:`DocumentVerifier.verify`."""

    text: str
    kind: CabinetKind
    signer: CertificateSubject
    facts: DocumentFacts
    signed: etree._Element  # what the signature covers

    def issuer_id(self) -> str:
        """The BIN of the signer's organisation, or the applicant's IIN for their own application."""
        return (self.signer.iin if self.kind.signed_by_applicant else self.signer.bin) or ""


class DocumentVerifier:
    """Verifies signed documents for the cabinet on the ecosystem's clock (see the module docstring)."""

    def __init__(
        self, trust: TrustStore, now: Callable[[], datetime], *, max_bytes: int, limits: XmlLimits | None = None
    ) -> None:
        self._trust = trust
        self._now = now
        self._max_bytes = max_bytes
        self._limits = limits

    def verify(
        self,
        text: str,
        *,
        issuer_bin: str | None = None,
        applicant_iin: str | None = None,
        kinds: Collection[str] | None = None,
    ) -> VerifiedDocument:
        """Verify ``text``: signed by an official of ``issuer_bin`` (or by the person ``applicant_iin``), of
        one of ``kinds`` (any kind the cabinet knows when None), valid against its schema, readable."""
        verified = verify_signed_text(
            text,
            self._trust,
            self._now(),
            signer_bin=issuer_bin,
            signer_iin=applicant_iin,
            max_bytes=self._max_bytes,
            limits=self._limits,
        )
        kind = _BY_TAG.get(str(verified.signed.tag))
        if kind is None or (kinds is not None and kind.name not in kinds):
            expected = ", ".join(sorted(kinds if kinds is not None else KINDS))
            found = etree.QName(verified.signed).localname
            raise DocumentRejected(ErrorCode.MALFORMED, f"{found} is not a document expected here ({expected})")
        check = compiled_schema(kind.schema).check(verified.signed)
        if check.error is not None:
            raise DocumentRejected(
                ErrorCode.MALFORMED, f"the {kind.name} document does not match {kind.schema}: {check.error}"
            )
        try:
            facts = _READERS[kind.schema](verified.signed)
        except PayloadError as exc:
            raise DocumentRejected(ErrorCode.MALFORMED, str(exc)) from exc
        return VerifiedDocument(text=text, kind=kind, signer=verified.signer, facts=facts, signed=verified.signed)

    def status_now(self, text: str) -> tuple[bool, str, CertificateSubject | None]:
        """Whether the signature of a kept document verifies now: (verified, what to tell, the signer)."""
        try:
            verified = verify_signed_text(
                text, self._trust, self._now(), max_bytes=self._max_bytes, limits=self._limits
            )
        except DocumentRejected as exc:
            return False, f"{exc.code.value}: {exc}", None
        return True, "the signature verifies: the document is as its signer signed it", verified.signer
