"""The gateway's channels: SyncChannel (SOAP) and the REST channel."""
