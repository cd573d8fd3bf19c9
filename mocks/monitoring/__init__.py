"""Monitoring IS mock: receives the stage of every state-service request (SPEC JS-8, UN-6; §23, §36).

Entry point: :func:`mocks.monitoring.app.create_app`.
"""
