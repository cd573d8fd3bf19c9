"""The register's documents signed by the centre's director: Rules Annex 4 and 5 (§33), the certificate of
Annex 8 and its reasoned refusal (§43, CE-3), and the deregistration notification (§45, DR-2).

Who signs (Rules No. 259): the local authority's head signs the *decisions* (to register as unemployed, §32;
to remove from the register, §45) — those are the authority's own documents (``contracts.local_authority``);
the *notifications* to the person are the centre's: Annex 4 and Annex 5 "signed by the director of the
employment centre or the person replacing them" (§33), the certificate's Annex 8 by the centre's director,
and the removal is told to the person by the centre (§45 third paragraph), so the centre's director signs
that notification too, naming the authority's decision in it. :class:`RegisterDocumentSigner` therefore
signs with the director's credential and fills in the centre's and the director's names, so that a document
can never name one official and carry another's signature.
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from adapters.pki import Credential, subject_of
from adapters.signed_documents import sign_register_document, sign_to_text
from contracts.cabinet_delivery import CabinetDelivery, Issuer, delivery_of
from contracts.register_documents import CertificateApplication, RegisterDocument
from ecosystem.catalogue import OfficialIdentity


class RegisterDocumentSigner:
    """Signs register documents with the EDS of the centre's director (or the person replacing them)."""

    def __init__(self, director: OfficialIdentity, credential: Credential) -> None:
        signer = subject_of(credential.certificate)
        if signer.bin != director.bin or signer.iin != director.iin:
            raise ValueError(
                f"the credential belongs to {signer.describe()}, not to {director.title} "
                f"(IIN {director.iin}, BIN {director.bin})"
            )
        self._director = director
        self._credential = credential

    @property
    def centre_name(self) -> str:
        return self._director.organisation

    @property
    def director_name(self) -> str:
        director = self._director
        return " ".join(part for part in (director.surname, director.given_name, director.patronymic) if part)

    @property
    def issuer(self) -> Issuer:
        """The centre as the issuer of a delivery to the personal cabinet (``EGOV_CabinetDocument``)."""
        return Issuer(self._director.bin, self._director.organisation)

    def sign(self, document: RegisterDocument) -> str:
        """``document`` with the centre's and the director's names put in, written, signed and serialised."""
        if isinstance(document, CertificateApplication):
            raise ValueError("the certificate application (Annex 7) is signed by the applicant, not the centre")
        named = replace(document, centre_name=self.centre_name, director_name=self.director_name)
        return sign_register_document(named, self._credential)

    def sign_element(self, document: etree._Element) -> str:
        """Any other document the director approves (the UN-1 draft decision), signed and serialised."""
        return sign_to_text(document, self._credential)

    def signed_delivery(self, document: RegisterDocument) -> CabinetDelivery:
        """The signed document in the envelope that puts it into its addressee's personal cabinet."""
        return delivery_of(document, self.sign(document), self.issuer)
