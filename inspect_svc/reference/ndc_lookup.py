"""Find NDC Directory packages by GTIN or NDC in the current snapshots.

Each query joins through `reference_dataset`, so one statement reads one
consistent snapshot per variant even while a loader replaces it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, select
from sqlalchemy.orm import Session

from inspect_core.datasets import NDC_DATASETS
from inspect_svc.models.reference import NdcPackage, NdcProduct, ReferenceDataset, ReferenceSnapshot
from inspect_svc.reference.ndc_query import NdcQuery, parse_ndc_query

PRODUCT_FIELDS = (
    "product_ndc",
    "product_type",
    "proprietary_name",
    "proprietary_name_suffix",
    "nonproprietary_name",
    "dosage_form",
    "route",
    "marketing_start",
    "marketing_end",
    "marketing_category",
    "application_number",
    "labeler_name",
    "substance_name",
    "active_strength",
    "active_unit",
    "pharm_classes",
    "dea_schedule",
    "exclude_flag",
    "listing_certified_through",
)
_VARIANT_ORDER = case(
    {variant: rank for rank, variant in enumerate(NDC_DATASETS)}, value=NdcPackage.variant
)


@dataclass(frozen=True)
class NdcMatch:
    """One directory package, with the snapshot it came from."""

    ndc: str
    ndc10: str
    ndc11: str
    gtin14: str
    layout: str
    variant: str
    directory_as_of: date
    description: str | None
    marketing_start: date | None
    marketing_end: date | None
    sample: bool | None
    exclude_flag: str | None
    product: dict[str, Any]


@dataclass(frozen=True)
class NdcLookup:
    query: NdcQuery
    matches: list[NdcMatch]


def find_packages(session: Session, query: NdcQuery) -> list[NdcMatch]:
    statement = (
        select(NdcPackage, NdcProduct, ReferenceSnapshot.as_of)
        .join(ReferenceDataset, ReferenceDataset.current_snapshot_id == NdcPackage.snapshot_id)
        .join(ReferenceSnapshot, ReferenceSnapshot.id == NdcPackage.snapshot_id)
        .join(
            NdcProduct,
            and_(
                NdcProduct.snapshot_id == NdcPackage.snapshot_id,
                NdcProduct.variant == NdcPackage.variant,
                NdcProduct.product_id == NdcPackage.product_id,
            ),
        )
        .where(NdcPackage.ndc10.in_(query.ndc10s))
    )
    if query.ndc11 is not None:
        statement = statement.where(NdcPackage.ndc11 == query.ndc11)
    if query.hyphenated is not None:
        statement = statement.where(NdcPackage.ndc == query.hyphenated)
    rows = session.execute(statement.order_by(_VARIANT_ORDER, NdcPackage.ndc)).all()
    return [_match(package, product, as_of) for package, product, as_of in rows]


def lookup_ndc(session: Session, code: str) -> NdcLookup:
    """Packages for a GTIN, UPC-A, 10-/11-digit or hyphenated NDC.

    Raises:
        NdcCodeError: `code` fits no NDC or GTIN form.
    """
    query = parse_ndc_query(code)
    return NdcLookup(query, find_packages(session, query))


def make_ndc_resolver(session: Session) -> Callable[[str], str | None]:
    """A function from 10 NDC digits to the directory's hyphenated NDC, or None.

    For the scan interpreter: the digits come out of a GTIN and carry no
    split. Finished packages win over excluded, excluded over unfinished.
    Answers are remembered for the resolver's lifetime (one request or job).
    """
    statement = (
        select(NdcPackage.ndc)
        .join(ReferenceDataset, ReferenceDataset.current_snapshot_id == NdcPackage.snapshot_id)
        .order_by(_VARIANT_ORDER)
        .limit(1)
    )
    known: dict[str, str | None] = {}

    def resolve(ndc10: str) -> str | None:
        if ndc10 not in known:
            known[ndc10] = session.scalar(statement.where(NdcPackage.ndc10 == ndc10))
        return known[ndc10]

    return resolve


def _match(package: NdcPackage, product: NdcProduct, as_of: date) -> NdcMatch:
    return NdcMatch(
        ndc=package.ndc,
        ndc10=package.ndc10,
        ndc11=package.ndc11,
        gtin14=package.gtin14,
        layout=package.layout,
        variant=package.variant,
        directory_as_of=as_of,
        description=package.description,
        marketing_start=package.marketing_start,
        marketing_end=package.marketing_end,
        sample=package.sample,
        exclude_flag=package.exclude_flag,
        product={name: getattr(product, name) for name in PRODUCT_FIELDS},
    )
