"""The local employment authority (Халықты жұмыспен қамту мәселелері жөніндегі жергілікті орган): decides on
registration as unemployed and on removal from the register, its head signing each decision with EDS
(Rules No. 259 §31-32, §44-45), and registers complaints (§46-47). docs/local-authority.md describes it.

Layers: ``domain`` (models, terms, verification rules) <- ``service_layer`` (use cases, ports) <- ``adapters``
(storage, state systems through the gateway, signing, delivery, the decision worker) and ``entrypoints``
(the SyncChannel intake, the admin API) <- ``app`` (the composition root).
"""
