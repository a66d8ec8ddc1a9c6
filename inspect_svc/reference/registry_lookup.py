"""Look-ups in the current registration and refusal snapshots.

Registration is checked by identifier only (FEI or DUNS): one firm name
covers many plants, so a name cannot prove that the plant on the entry is
registered. Refusal history is matched by FEI first and, for a firm without
FEI matches, by normalised name within the same country, like import alerts.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from inspect_core.datasets import REFUSALS, REGISTRATIONS
from inspect_core.names import name_key
from inspect_svc.models.reference import (
    Establishment,
    ImportRefusal,
    ReferenceDataset,
)
from inspect_svc.reference.import_alerts import country_code
from rules.context import EstablishmentFacts, RefusalContext, RefusalFacts

DRUG_INDUSTRIES = ("56", "57", "58", "60", "61", "62", "63", "64", "65", "66")
"""FDA product-code industries of drugs and biologics (antibiotics 56, biologics 57/58,
human and animal drugs 60-66)."""

MAX_REFUSALS = 200
"""Most refusals read per firm; the newest come first."""


def _current(model: type[Establishment] | type[ImportRefusal], dataset: str) -> Select[Any]:
    return (
        select(model)
        .join(ReferenceDataset, ReferenceDataset.current_snapshot_id == model.snapshot_id)
        .where(ReferenceDataset.name == dataset)
    )


def establishments_by_id(session: Session, kind: str, value: str) -> tuple[EstablishmentFacts, ...]:
    """Registered establishments whose FEI (`kind` "fei") or DUNS ("duns") is `value`."""
    column = Establishment.fei if kind == "fei" else Establishment.duns
    rows = session.scalars(_current(Establishment, REGISTRATIONS).where(column == value)).all()
    return tuple(
        EstablishmentFacts(
            fei=row.fei,
            duns=row.duns,
            firm_name=row.firm_name,
            country=row.country,
            expiration_date=row.expiration_date,
            operations=tuple(
                op.strip().upper() for op in (row.operations or "").split(";") if op.strip()
            ),
            excluded=row.excluded,
            registrant_name=row.registrant_name,
        )
        for row in rows
    )


def refusals_of(
    session: Session,
    role: str,
    *,
    fei: str | None,
    firm_name: str | None,
    country: str | None,
    since: date,
) -> tuple[RefusalFacts, ...]:
    """A party's refusals since `since`, newest first: by FEI, else by name key and country."""
    base = (
        _current(ImportRefusal, REFUSALS)
        .where(ImportRefusal.refusal_date >= since)
        .order_by(ImportRefusal.refusal_date.desc(), ImportRefusal.id)
        .limit(MAX_REFUSALS)
    )
    if fei and fei.strip():
        rows = session.scalars(base.where(ImportRefusal.fei == fei.strip())).all()
        if rows:
            return tuple(_refusal(role, "fei", row) for row in rows)
    code = country_code(country) if country else None
    if not firm_name or code is None:
        return ()
    rows = session.scalars(
        base.where(ImportRefusal.name_key == name_key(firm_name), ImportRefusal.country == code)
    ).all()
    return tuple(_refusal(role, "name+country", row) for row in rows)


def _refusal(role: str, basis: str, row: ImportRefusal) -> RefusalFacts:
    return RefusalFacts(
        party_role=role,
        matched_on=basis,
        firm_name=row.firm_name,
        fei=row.fei,
        country=row.country,
        refusal_date=row.refusal_date,
        charges=tuple(row.charges),
        product_code=row.product_code,
        entry_number=row.entry_number,
    )


def refusal_context(
    session: Session, country: str | None, product_codes: Iterable[str], since: date
) -> RefusalContext:
    """Drug refusals since `since`: all, from `country`, and per product code."""
    drugs = or_(*(ImportRefusal.product_code.startswith(code) for code in DRUG_INDUSTRIES))

    def count(*conditions: ColumnElement[bool]) -> int:
        query = (
            select(func.count())
            .select_from(ImportRefusal)
            .join(
                ReferenceDataset, ReferenceDataset.current_snapshot_id == ImportRefusal.snapshot_id
            )
            .where(ReferenceDataset.name == REFUSALS, ImportRefusal.refusal_date >= since)
            .where(*conditions)
        )
        return int(session.scalar(query) or 0)

    code = country_code(country) if country else None
    return RefusalContext(
        since=since,
        drug_refusals=count(drugs),
        country=code,
        country_refusals=count(drugs, ImportRefusal.country == code) if code else 0,
        product_codes=tuple(
            (product_code, count(ImportRefusal.product_code == product_code))
            for product_code in sorted(set(product_codes))
        ),
    )
