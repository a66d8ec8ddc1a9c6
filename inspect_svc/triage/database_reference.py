"""The reference data behind triage, read from the current snapshots in the database.

Answers are remembered for the object's lifetime (one request or one
replay), so a batch of scans of one product asks the database once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from inspect_svc.reference.datasets import IMPORT_ALERTS, NDC_DATASETS, RECALLS
from inspect_svc.reference.freshness import dataset_status
from inspect_svc.reference.import_alerts import import_alert_matches
from inspect_svc.reference.ndc_lookup import NdcMatch, find_packages, make_ndc_resolver
from inspect_svc.reference.ndc_query import parse_ndc_query
from inspect_svc.reference.recall_lookup import recalled_lots, recalls_for_ndc
from inspect_svc.settings import ReferenceSettings
from rules.context import DatasetStatus, ImportAlertHit, ProductFacts, RecallHit

# Confidence the rules see for each way a recall can cover a scanned lot.
LOT_MATCH_CONFIDENCE = {"lot": 1.0, "lot-range": 0.8, "all-lots": 0.6}


class DatabaseReference:
    def __init__(self, session: Session, today: date, limits: ReferenceSettings) -> None:
        self._session = session
        self._today = today
        self._limits = limits
        self._products: dict[str, tuple[ProductFacts, ...]] = {}
        self._resolver: Callable[[str], str | None] = make_ndc_resolver(session)
        self._datasets: dict[str, DatasetStatus] | None = None

    def products_for(self, ndc10: str) -> tuple[ProductFacts, ...]:
        if ndc10 not in self._products:
            matches = find_packages(self._session, parse_ndc_query(ndc10))
            self._products[ndc10] = tuple(_product_facts(m) for m in matches)
        return self._products[ndc10]

    def resolve_ndc(self, ndc10: str) -> str | None:
        return self._resolver(ndc10)

    def recalls_for(self, ndc10: str, lot: str | None) -> tuple[RecallHit, ...]:
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
            )
            for hit in hits
        )

    def import_alert_hits(
        self, parties: Mapping[str, Mapping[str, Any]], default_country: str | None
    ) -> tuple[ImportAlertHit, ...]:
        hits = []
        for role, party in parties.items():
            if not party:
                continue
            for match in import_alert_matches(
                self._session,
                fei=party.get("fei"),
                firm_name=party.get("name"),
                country=party.get("country") or default_country,
            ):
                hits.append(
                    ImportAlertHit(
                        alert_number=match.alert_number,
                        list_color=match.list_color,
                        party_role=role,
                        firm_name=match.firm_name,
                        matched_on="fei" if match.basis == "fei" else "name",
                        fei=match.fei,
                        product_scope=match.product_scope,
                    )
                )
        return tuple(hits)

    def datasets(self) -> Mapping[str, DatasetStatus]:
        if self._datasets is None:
            loaded = {status.name: status for status in dataset_status(self._session)}
            limits = {
                **{name: self._limits.ndc_max_age_days for name in NDC_DATASETS.values()},
                RECALLS: self._limits.recalls_max_age_days,
                IMPORT_ALERTS: self._limits.import_alerts_max_age_days,
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
    )


def _join(name: str | None, suffix: str | None) -> str | None:
    if name and suffix:
        return f"{name} {suffix}"
    return name
