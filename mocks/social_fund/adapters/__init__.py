"""The fund's adapters: its records of contributions, its store, the state systems through the gateway, the
head's signature, delivery of decisions, notices and stage reports, and the worker that acts in mode auto."""
