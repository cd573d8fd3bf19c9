"""The authority's adapters: its store, the state systems through the gateway, the head's signature, delivery of
decisions and stage reports, and the worker that decides automatically."""
