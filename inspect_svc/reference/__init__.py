"""Reference data: FDA NDC Directory, openFDA recalls, import alerts, country tiers.

Loaders turn FDA's download files into snapshots (see
`inspect_svc.models.reference`); look-ups read only the current snapshot
of each dataset and return its `as_of` with every answer.
"""
