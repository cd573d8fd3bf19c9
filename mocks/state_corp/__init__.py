"""State Corporation system mock: the operator workstation (SPEC SP-2, JS-12; flow 2 of SPEC §11).

Entry point: :func:`mocks.state_corp.app.create_app`.
"""
