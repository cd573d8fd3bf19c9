"""egov portal mock: citizen login (SPEC SP-4), the job-seeker registration form signed with the
citizen's EDS and sent through the gateway (JS-10), and the personal cabinet (seed 003).

Entry point: :func:`mocks.portal.app.create_app`.
"""
