"""Exports of cases (CSV, JSON Lines, EPCIS 2.0) paged by an incremental cursor."""
