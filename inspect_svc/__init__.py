"""Import inspection triage service: DSCSA scans in, explained risk and audited decisions out."""

__version__ = "0.1.0"
