"""Monitoring IS mock: receives the stage of every state-service request (JS-8, UN-6: Rules No. 259 §23, §36).

Entry point: :func:`mocks.monitoring.app.create_app`.
"""
