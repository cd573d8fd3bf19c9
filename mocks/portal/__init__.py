"""egov portal mock: citizen login (SP-4, regulation 004 §9), the job-seeker registration form signed with the
citizen's EDS and sent through the gateway (JS-10), and the personal cabinet (portal user guide; docs/rules.md).

Entry point: :func:`mocks.portal.app.create_app`.
"""
