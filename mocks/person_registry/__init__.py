"""The person registry mock (GBD FL, state database of individuals): ``GBDFL_UniversalServiceSync``
over the gateway's SyncChannel (GATEWAY-PROTOCOL §4), with its admin API (ARCHITECTURE §1)."""
