"""The pure domain both the service and the rules stand on.

GS1 and NDC identifiers, scan interpretation, the names of the reference
datasets, firm-name keys, import-alert product scopes and country tiers: no
I/O beyond reading a given file, and nothing of Flask, SQLAlchemy or the
service's settings. `rules` and `inspect_svc` import from here; nothing here
imports either of them.
"""
