"""State Corporation system mock: the operator workstation (SP-2, JS-12 of docs/rules.md; regulation 004 §7).

Entry point: :func:`mocks.state_corp.app.create_app`.
"""
