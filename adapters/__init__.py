"""Adapters: everything that crosses a process boundary.

- ``xml``: hardened XML parsing shared by every system that reads XML from the network;
- ``pki``: certificates, trust stores and the on-disk layout of the test PKI;
- ``signatures``: the two XML-DSig layers (WS-Security transport, enveloped business data);
- ``shep``: the gateway protocol as a participant speaks it (envelope, client, provider endpoint);
- one module per system connection (``person_registry``, ``social_fund``, ``monitoring``, ...).
"""
