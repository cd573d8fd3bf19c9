"""The employment centre service ("Labour Market" system): registration of job seekers and the unemployed.

Layers: ``domain`` (models, rules with their ids of docs/rules.md, calendar) <- ``service_layer`` (commands, handlers,
ports, the unit of work) <- ``adapters`` (gateway clients, storage and its outbox, documents) and
``entrypoints`` (the SyncChannel provider, dispatching by ``serviceId`` to one module per service).
"""
