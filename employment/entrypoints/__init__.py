"""Entrypoints of the employment centre: the SyncChannel provider and the admin API."""
