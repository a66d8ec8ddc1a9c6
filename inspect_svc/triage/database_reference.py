"""The reference data behind triage, read from the current snapshots in the database.

Reference data changes only when an operator loads a new snapshot, so
answers are remembered for the current combination of snapshots: each
request asks once which snapshots are current (one small query) and reuses
what earlier requests looked up under the same ones. The memo belongs to the
app (`ReferenceMemos`, built by the app factory), not to the module, so two
apps in one process (tests, a CLI job) never share answers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_core.datasets import (
    IMPORT_ALERTS,
    NDC_DATASETS,
    RECALLS,
    REFUSALS,
    REGISTRATIONS,
)
from inspect_svc.models.reference import ReferenceDataset
from inspect_svc.reference.freshness import DatasetStatus as FreshnessStatus
from inspect_svc.reference.freshness import dataset_status
from inspect_svc.reference.import_alerts import import_alert_matches
from inspect_svc.reference.ndc_lookup import NdcMatch, find_packages, make_ndc_resolver
from inspect_svc.reference.ndc_query import parse_ndc_query
from inspect_svc.reference.recall_lookup import recalled_lots, recalls_for_ndc
from inspect_svc.reference.registry_lookup import (
    establishments_by_id,
    refusal_context,
    refusals_of,
)
from inspect_svc.settings import ReferenceSettings, ReferenceSourceSettings
from rules.context import (
    DatasetStatus,
    EstablishmentFacts,
    ImportAlertHit,
    ProductFacts,
    RecallHit,
    RefusalContext,
    RefusalFacts,
)

# Confidence the rules see for each way a recall can cover a scanned lot.
LOT_MATCH_CONFIDENCE = {"lot": 1.0, "lot-range": 0.8, "all-lots": 0.6}


REFUSAL_ROLES = ("manufacturer", "shipper")
"""Parties whose import-refusal history counts (the firms that make and send the goods)."""

MEMO_LIMIT = 100_000
"""Entries per look-up kind before a memo starts afresh (bounds a worker's memory)."""


@dataclass
class ReferenceMemo:
    """Look-up answers valid for one database and one combination of its current snapshots."""

    version: tuple[str, tuple[tuple[str, int | None], ...]]
    products: dict[str, tuple[ProductFacts, ...]] = field(default_factory=dict)
    resolved: dict[str, str | None] = field(default_factory=dict)
    recalls: dict[tuple[str, str | None], tuple[RecallHit, ...]] = field(default_factory=dict)
    alerts: dict[tuple[str, Any, Any, Any], tuple[ImportAlertHit, ...]] = field(
        default_factory=dict
    )
    statuses: list[FreshnessStatus] | None = None
    establishments: dict[str, tuple[EstablishmentFacts, ...]] = field(default_factory=dict)
    refusals: dict[tuple[Any, ...], tuple[RefusalFacts, ...]] = field(default_factory=dict)
    refusal_contexts: dict[tuple[Any, ...], RefusalContext] = field(default_factory=dict)

    def remember(self, table: dict[Any, Any], key: Any, value: Any) -> Any:
        if len(table) >= MEMO_LIMIT:
            table.clear()
        table[key] = value
        return value


_CURRENT_SNAPSHOTS = select(ReferenceDataset.name, ReferenceDataset.current_snapshot_id).order_by(
    ReferenceDataset.name
)


class ReferenceMemos:
    """An app's memo of reference look-ups, replaced when the current snapshots change."""

    def __init__(self) -> None:
        self._current: ReferenceMemo | None = None
        self._lock = threading.Lock()

    def for_session(self, session: Session) -> ReferenceMemo:
        """The memo for the snapshots current in `session`'s transaction.

        Snapshot ids are only unique within one database, so the database's
        URL is part of the key: an app pointed at another database starts afresh.
        """
        snapshots = tuple(
            (name, snapshot) for name, snapshot in session.execute(_CURRENT_SNAPSHOTS).all()
        )
        version = (session.get_bind().engine.url.render_as_string(hide_password=True), snapshots)
        with self._lock:
            if self._current is None or self._current.version != version:
                self._current = ReferenceMemo(version)
            return self._current


class DatabaseReference:
    def __init__(
        self,
        session: Session,
        today: date,
        limits: ReferenceSettings,
        memos: ReferenceMemos,
        sources: ReferenceSourceSettings | None = None,
    ) -> None:
        self._session = session
        self._today = today
        self._limits = limits
        self._sources = sources or ReferenceSourceSettings()
        self._memo = memos.for_session(session)
        self._resolver: Callable[[str], str | None] | None = None
        self._datasets: dict[str, DatasetStatus] | None = None

    def products_for(self, ndc10: str) -> tuple[ProductFacts, ...]:
        known = self._memo.products.get(ndc10)
        if known is None:
            matches = find_packages(self._session, parse_ndc_query(ndc10))
            known = tuple(_product_facts(m) for m in matches)
            self._memo.remember(self._memo.products, ndc10, known)
        return known

    def resolve_ndc(self, ndc10: str) -> str | None:
        if ndc10 not in self._memo.resolved:
            if self._resolver is None:
                self._resolver = make_ndc_resolver(self._session)
            self._memo.remember(self._memo.resolved, ndc10, self._resolver(ndc10))
        return self._memo.resolved[ndc10]

    def recalls_for(self, ndc10: str, lot: str | None) -> tuple[RecallHit, ...]:
        key = (ndc10, lot)
        known = self._memo.recalls.get(key)
        if known is None:
            known = self._memo.remember(self._memo.recalls, key, self._find_recalls(ndc10, lot))
        return known

    def _find_recalls(self, ndc10: str, lot: str | None) -> tuple[RecallHit, ...]:
        if lot:
            hits = recalled_lots(self._session, ndc10, lot)
        else:
            hits = [h for h in recalls_for_ndc(self._session, ndc10) if h.all_lots]
        return tuple(
            RecallHit(
                recall_number=hit.recall_number,
                classification=hit.classification or "unclassified",
                status=hit.status or "unknown",
                firm=hit.recalling_firm,
                reason=hit.reason,
                lot_matched=lot if hit.lot_match in ("lot", "lot-range") else None,
                all_lots=hit.all_lots,
                confidence=LOT_MATCH_CONFIDENCE.get(hit.lot_match or "all-lots", 0.6),
                ndc_source=hit.ndc_source,
                initiation_date=hit.initiation_date or hit.report_date,
                within_expiry=hit.within_expiry,
                distributed_from=hit.distributed_from,
                distributed_until=hit.distributed_until,
                expiry_from=hit.expiry_from,
                expiry_until=hit.expiry_until,
                distribution_scope=hit.distribution_scope,
                distribution_countries=hit.distribution_countries,
                distribution_pattern=hit.distribution_pattern,
            )
            for hit in hits
        )

    def import_alert_hits(
        self, parties: Mapping[str, Mapping[str, Any]], default_country: str | None
    ) -> tuple[ImportAlertHit, ...]:
        hits: list[ImportAlertHit] = []
        for role, party in parties.items():
            if not party:
                continue
            key = (
                role,
                party.get("fei"),
                party.get("name"),
                party.get("country") or default_country,
            )
            known = self._memo.alerts.get(key)
            if known is None:
                known = self._memo.remember(self._memo.alerts, key, self._party_hits(*key))
            hits.extend(known)
        return tuple(hits)

    def _party_hits(
        self, role: str, fei: str | None, name: str | None, country: str | None
    ) -> tuple[ImportAlertHit, ...]:
        return tuple(
            ImportAlertHit(
                alert_number=match.alert_number,
                list_color=match.list_color,
                party_role=role,
                firm_name=match.firm_name,
                matched_on="fei" if match.basis == "fei" else "name",
                fei=match.fei,
                product_scope=match.product_scope,
            )
            for match in import_alert_matches(
                self._session, fei=fei, firm_name=name, country=country
            )
        )

    def establishments(self, key: str) -> tuple[EstablishmentFacts, ...]:
        known = self._memo.establishments.get(key)
        if known is None:
            kind, _, value = key.partition(":")
            known = self._memo.remember(
                self._memo.establishments,
                key,
                establishments_by_id(self._session, kind, value),
            )
        return known

    def refusal_history(
        self, parties: Mapping[str, Mapping[str, Any]], default_country: str | None, since: date
    ) -> tuple[RefusalFacts, ...]:
        found: list[RefusalFacts] = []
        for role, party in parties.items():
            if not party or role not in REFUSAL_ROLES:
                continue
            key = (
                role,
                party.get("fei"),
                party.get("name"),
                party.get("country") or default_country,
                since,
            )
            known = self._memo.refusals.get(key)
            if known is None:
                known = self._memo.remember(
                    self._memo.refusals,
                    key,
                    refusals_of(
                        self._session,
                        role,
                        fei=key[1],
                        firm_name=key[2],
                        country=key[3],
                        since=since,
                    ),
                )
            found.extend(known)
        return tuple(found)

    def refusal_context(
        self, country: str | None, product_codes: tuple[str, ...], since: date
    ) -> RefusalContext:
        key = (country, product_codes, since)
        known = self._memo.refusal_contexts.get(key)
        if known is None:
            known = self._memo.remember(
                self._memo.refusal_contexts,
                key,
                refusal_context(self._session, country, product_codes, since),
            )
        return known

    def datasets(self) -> Mapping[str, DatasetStatus]:
        if self._datasets is None:
            if self._memo.statuses is None:
                self._memo.statuses = dataset_status(self._session)
            loaded = {status.name: status for status in self._memo.statuses}
            limits = {
                **{name: self._limits.ndc_max_age_days for name in NDC_DATASETS.values()},
                RECALLS: self._limits.recalls_max_age_days,
                IMPORT_ALERTS: self._limits.import_alerts_max_age_days,
                REGISTRATIONS: self._sources.registrations_max_age_days,
                REFUSALS: self._sources.refusals_max_age_days,
            }
            self._datasets = {}
            for name, max_age in limits.items():
                status = loaded.get(name)
                self._datasets[name] = DatasetStatus(
                    name=name,
                    loaded=status is not None,
                    as_of=status.as_of if status else None,
                    age_days=(self._today - status.as_of).days if status else None,
                    max_age_days=max_age,
                )
        return self._datasets


def _product_facts(match: NdcMatch) -> ProductFacts:
    product = match.product
    return ProductFacts(
        ndc=match.ndc,
        ndc10=match.ndc10,
        variant=match.variant,
        product_type=product.get("product_type"),
        proprietary_name=_join(
            product.get("proprietary_name"), product.get("proprietary_name_suffix")
        ),
        nonproprietary_name=product.get("nonproprietary_name"),
        labeler_name=product.get("labeler_name"),
        dosage_form=product.get("dosage_form"),
        marketing_category=product.get("marketing_category"),
        marketing_start=match.marketing_start or product.get("marketing_start"),
        marketing_end=match.marketing_end or product.get("marketing_end"),
        dea_schedule=product.get("dea_schedule"),
        sample_package=bool(match.sample),
        exclude_flag=match.exclude_flag or product.get("exclude_flag"),
        pharm_classes=product.get("pharm_classes"),
        substances=product.get("substance_name"),
        package_description=match.description,
        route=product.get("route"),
        application_number=product.get("application_number"),
    )


def _join(name: str | None, suffix: str | None) -> str | None:
    if name and suffix:
        return f"{name} {suffix}"
    return name
