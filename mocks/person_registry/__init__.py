"""The person registry mock (GBD FL, state database of individuals): ``GBDFL_UniversalServiceSync``
over the gateway's SyncChannel (docs/contracts.md), with its admin API (docs/admin-apis.md)."""
