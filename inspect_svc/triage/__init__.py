"""Triage: shipments, scans, units, and the rules' verdict on them."""
