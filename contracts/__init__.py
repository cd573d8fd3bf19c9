"""The payload contracts, written once and used by both ends of every exchange.

``wsdl/`` holds the schemas; this package holds one reader/writer module per payload, with its namespace
and element names, a typed value of the payload, ``build_*``/``write_*`` and ``read_*`` functions, and the
schema it is checked against (docs/contracts.md says which module carries which payload):

- :mod:`contracts.gbdfl` — the person registry's ``request`` and ``response`` (``GBDFL_UniversalServiceSync``);
- :mod:`contracts.gfss` — the fund's ``contributionsRequest`` and ``contributionsResponse``
  (``GFSS_ContributionsQuery``);
- :mod:`contracts.job_seeker_form` — the registration form of standard Annex 2 (``ENBEK_JobSeekerRegistration``);
- :mod:`contracts.result_documents` — the centre's result documents (Rules Annex 3, Annex 2, refusal to accept);
- :mod:`contracts.register_documents` — the register of the unemployed (Rules Annexes 4, 5, 7, 8, the
  certificate's refusal, the deregistration notice; values in :mod:`contracts.register_model`);
- :mod:`contracts.cabinet_delivery` — a signed document for a citizen's personal cabinet (``EGOV_CabinetDocument``);
- :mod:`contracts.stage_report` — the stage report sent to the monitoring IS over the REST channel;
- :mod:`contracts.local_authority` — the local employment authority's payloads: the centre's documents (UN-1,
  DR-1), complaints (AP-1), receipts, the head-signed decision and its acknowledgement;
- :mod:`contracts.unemployment_status` — what the centre and the fund tell each other about unemployed status.

Contracts know nothing of the systems: they import only the kernel, ``wsdl`` and XML/JSON libraries. Each
system maps between these values and its own model. Errors::

    PayloadError (ValueError)          a payload does not follow its contract
    ├── gbdfl.RegistryRequestError / gbdfl.RegistryResponseError
    ├── gfss.ContributionsRequestError / gfss.ContributionsResponseError
    ├── job_seeker_form.FormContractError
    ├── result_documents.ResultDocumentError
    ├── register_documents.RegisterDocumentError
    ├── stage_report.StageReportError
    └── local_authority.LocalAuthorityPayloadError
"""

from contracts.errors import PayloadError

__all__ = ["PayloadError"]
