"""The ecosystem every system belongs to: settings (with peer URLs), the catalogue of systems, the one
shared clock, each system's context (identity, credential, trust store, gateway clients) and
``create_system_app`` (what every system's web application shares). Systems import this package; it
imports no system."""
