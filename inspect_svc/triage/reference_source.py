"""What triage asks of the reference data, as one narrow interface."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Protocol

from rules.context import (
    DatasetStatus,
    EstablishmentFacts,
    ImportAlertHit,
    ProductFacts,
    RecallHit,
    RefusalContext,
    RefusalFacts,
)


class ReferenceSource(Protocol):
    def products_for(self, ndc10: str) -> tuple[ProductFacts, ...]:
        """Directory packages whose NDC has these 10 digits (best match first)."""

    def resolve_ndc(self, ndc10: str) -> str | None:
        """The hyphenated NDC for these 10 digits, when the directory settles the split."""

    def recalls_for(self, ndc10: str, lot: str | None) -> tuple[RecallHit, ...]:
        """Open or closed recalls naming this NDC, with the lot matched when there is one."""

    def import_alert_hits(
        self, parties: Mapping[str, Mapping[str, Any]], default_country: str | None
    ) -> tuple[ImportAlertHit, ...]:
        """Import-alert list entries matching the shipment's parties.

        A party without a country is matched by name in `default_country`
        (the shipment's origin).
        """

    def establishments(self, key: str) -> tuple[EstablishmentFacts, ...]:
        """Registered establishments for "fei:<digits>" or "duns:<digits>" (empty: none)."""

    def refusal_history(
        self, parties: Mapping[str, Mapping[str, Any]], default_country: str | None, since: date
    ) -> tuple[RefusalFacts, ...]:
        """Import refusals since `since` of the manufacturer and shipper, newest first."""

    def refusal_context(
        self, country: str | None, product_codes: tuple[str, ...], since: date
    ) -> RefusalContext:
        """Drug refusals since `since`: in all, from `country`, per product code."""

    def datasets(self) -> Mapping[str, DatasetStatus]:
        """Each dataset's load state and age, keyed "ndc", "recalls", "import_alerts"."""
