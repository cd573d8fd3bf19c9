"""The authority's doors: the SyncChannel intake (through the gateway) and the admin API."""
