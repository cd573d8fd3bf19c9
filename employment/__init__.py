"""The employment centre service ("Labour Market" system): registration of job seekers and the unemployed.

Layers: ``domain`` (models, rules with their SPEC ids, calendar) <- ``service_layer`` (commands, handlers,
ports) <- ``adapters`` (gateway clients, storage, documents) and ``entrypoints`` (the SOAP provider).
"""
