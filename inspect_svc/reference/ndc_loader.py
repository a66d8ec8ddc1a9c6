"""Load FDA NDC Directory downloads (finished, unfinished, excluded) as snapshots.

Files are recognised by name: `product.txt`/`package.txt` (finished),
`unfinished_product.txt`/`unfinished_package.txt` and
`Products_excluded.txt`/`Packages_excluded.txt`, plain, gzipped or inside
FDA's zips. Columns are taken by header name, so files of every year load
(2014 files lack the exclude flag, certification date and package-level
dates; unfinished files lack names, routes and pharm classes).

Every row is validated before anything is written; a bad row is reported
and skipped, and a package whose product was skipped is skipped too.
Each variant present replaces that variant's snapshot in one transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine

from inspect_core.datasets import NDC_DATASETS, NdcVariant
from inspect_core.ndc import parse_hyphenated
from inspect_svc.models.reference import NdcPackage, NdcProduct
from inspect_svc.reference.report import LoadReport
from inspect_svc.reference.rows import ProgressHook, insert_batches, table_of, too_long
from inspect_svc.reference.snapshots import replacing_snapshot
from inspect_svc.reference.sources import (
    SourceFile,
    newest_past_date,
    parse_yyyymmdd,
    required_tab_rows,
    snapshot_date,
)

FILE_ROLES: dict[str, tuple[NdcVariant, str]] = {
    "product.txt": ("finished", "product"),
    "package.txt": ("finished", "package"),
    "unfinished_product.txt": ("unfinished", "product"),
    "unfinished_package.txt": ("unfinished", "package"),
    "products_excluded.txt": ("excluded", "product"),
    "packages_excluded.txt": ("excluded", "package"),
}

PRODUCT_TEXT = {
    "PRODUCTTYPENAME": "product_type",
    "PROPRIETARYNAME": "proprietary_name",
    "PROPRIETARYNAMESUFFIX": "proprietary_name_suffix",
    "NONPROPRIETARYNAME": "nonproprietary_name",
    "DOSAGEFORMNAME": "dosage_form",
    "ROUTENAME": "route",
    "MARKETINGCATEGORYNAME": "marketing_category",
    "APPLICATIONNUMBER": "application_number",
    "LABELERNAME": "labeler_name",
    "SUBSTANCENAME": "substance_name",
    "ACTIVE_NUMERATOR_STRENGTH": "active_strength",
    "ACTIVE_INGRED_UNIT": "active_unit",
    "PHARM_CLASSES": "pharm_classes",
    "DEASCHEDULE": "dea_schedule",
    "NDC_EXCLUDE_FLAG": "exclude_flag",
}
PRODUCT_DATES = {
    "STARTMARKETINGDATE": "marketing_start",
    "ENDMARKETINGDATE": "marketing_end",
    "LISTING_RECORD_CERTIFIED_THROUGH": "listing_certified_through",
}
PACKAGE_DATES = {"STARTMARKETINGDATE": "marketing_start", "ENDMARKETINGDATE": "marketing_end"}
PRODUCTS = table_of(NdcProduct)
PACKAGES = table_of(NdcPackage)
PRODUCT_NDC = re.compile(r"^(\d{4}-\d{4}|\d{5}-\d{3,4})$")


class NdcLoadError(ValueError):
    """The input as a whole cannot be loaded (missing file or column)."""


@dataclass
class VariantFiles:
    product: SourceFile | None = None
    package: SourceFile | None = None


def classify(sources: list[SourceFile]) -> tuple[dict[NdcVariant, VariantFiles], list[str]]:
    """Group input files by variant; also return the names that are not NDC files."""
    variants: dict[NdcVariant, VariantFiles] = {}
    ignored: list[str] = []
    for source in sources:
        role = FILE_ROLES.get(source.base_name)
        if role is None:
            ignored.append(source.name)
            continue
        variant, kind = role
        files = variants.setdefault(variant, VariantFiles())
        if getattr(files, kind) is not None:
            raise NdcLoadError(f"two {source.base_name} files given: {source.name}")
        setattr(files, kind, source)
    for variant, files in variants.items():
        if files.product is None or files.package is None:
            raise NdcLoadError(f"{variant} NDC files need both the product and the package file")
    if not variants:
        raise NdcLoadError("no NDC Directory files (product.txt, package.txt, ...) found")
    return variants, ignored


def load_ndc(
    engine: Engine,
    sources: list[SourceFile],
    as_of: date | None = None,
    progress: ProgressHook | None = None,
) -> list[LoadReport]:
    """Replace the snapshot of every NDC variant present in `sources`, in one transaction."""
    variants, _ignored = classify(sources)
    prepared = []
    for variant, files in variants.items():
        assert files.product is not None and files.package is not None
        report = LoadReport(NDC_DATASETS[variant])
        products = _products(files.product, variant, report)
        packages = _packages(files.package, variant, products, report)
        newest = newest_past_date(
            row.get("marketing_start") for row in (*products.values(), *packages)
        )
        report.as_of = snapshot_date([files.product, files.package], as_of, newest).isoformat()
        prepared.append((variant, files, report, list(products.values()), packages))
    total = sum(len(p[3]) + len(p[4]) for p in prepared)
    done = 0
    with engine.begin() as connection:
        for variant, files, report, products_rows, package_rows in prepared:
            described = [
                {**source.describe(), "variant": variant}
                for source in (files.product, files.package)
                if source is not None
            ]
            as_of_day = date.fromisoformat(report.as_of or "")
            with replacing_snapshot(
                connection, report, as_of_day, described, (PACKAGES, PRODUCTS)
            ) as snapshot_id:
                for row in (*products_rows, *package_rows):
                    row["snapshot_id"] = snapshot_id
                done = insert_batches(
                    connection,
                    PRODUCTS,
                    products_rows,
                    done=done,
                    total=total,
                    progress=progress,
                )
                done = insert_batches(
                    connection,
                    PACKAGES,
                    package_rows,
                    done=done,
                    total=total,
                    progress=progress,
                )
                report.rows_loaded = len(products_rows) + len(package_rows)
    return [p[2] for p in prepared]


def _products(
    source: SourceFile, variant: NdcVariant, report: LoadReport
) -> dict[str, dict[str, Any]]:
    products: dict[str, dict[str, Any]] = {}
    for line, fields in required_tab_rows(
        source, ("PRODUCTID", "PRODUCTNDC"), report, NdcLoadError
    ):
        product_id = fields["PRODUCTID"]
        if not product_id:
            report.reject(source.name, line, "empty PRODUCTID")
            continue
        if product_id in products:
            report.reject(source.name, line, "duplicate PRODUCTID")
            continue
        if not PRODUCT_NDC.match(fields["PRODUCTNDC"]):
            report.reject(source.name, line, "PRODUCTNDC is not 4-4, 5-3 or 5-4 digits")
            continue
        row: dict[str, Any] = {
            "variant": variant,
            "product_id": product_id,
            "product_ndc": fields["PRODUCTNDC"],
        }
        row.update({attr: fields.get(column) or None for column, attr in PRODUCT_TEXT.items()})
        try:
            row.update(_dates(fields, PRODUCT_DATES))
        except ValueError:
            report.reject(source.name, line, "malformed date")
            continue
        long_column = too_long(PRODUCTS, row)
        if long_column:
            report.reject(source.name, line, f"value too long for {long_column}")
            continue
        products[product_id] = row
    return products


def _packages(
    source: SourceFile, variant: NdcVariant, products: dict[str, dict[str, Any]], report: LoadReport
) -> list[dict[str, Any]]:
    packages: list[dict[str, Any]] = []
    seen: set[str] = set()
    for line, fields in required_tab_rows(
        source, ("PRODUCTID", "NDCPACKAGECODE"), report, NdcLoadError
    ):
        code = fields["NDCPACKAGECODE"]
        ndc = parse_hyphenated(code)
        if ndc is None or ndc.hyphenated != code:
            report.reject(source.name, line, "NDCPACKAGECODE is not a 4-4-2, 5-3-2 or 5-4-1 NDC")
            continue
        product = products.get(fields["PRODUCTID"])
        if product is None:
            report.reject(source.name, line, "PRODUCTID not among the loaded products")
            continue
        if not code.startswith(product["product_ndc"] + "-"):
            report.reject(source.name, line, "NDCPACKAGECODE does not start with its PRODUCTNDC")
            continue
        if ndc.ndc10 in seen:
            report.reject(source.name, line, "duplicate NDC")
            continue
        try:
            dates = _dates(fields, PACKAGE_DATES)
        except ValueError:
            report.reject(source.name, line, "malformed date")
            continue
        sample = fields.get("SAMPLE_PACKAGE", "")
        seen.add(ndc.ndc10)
        packages.append(
            {
                "variant": variant,
                "product_id": fields["PRODUCTID"],
                "ndc": ndc.hyphenated,
                "labeler": ndc.labeler,
                "product_code": ndc.product,
                "package_code": ndc.package,
                "layout": ndc.layout,
                "ndc10": ndc.ndc10,
                "ndc11": ndc.ndc11,
                "gtin14": ndc.gtin14(),
                "description": fields.get("PACKAGEDESCRIPTION") or None,
                "sample": {"Y": True, "N": False}.get(sample.upper()),
                "exclude_flag": fields.get("NDC_EXCLUDE_FLAG") or None,
                **dates,
            }
        )
    return packages


def _dates(fields: dict[str, str], columns: dict[str, str]) -> dict[str, date | None]:
    return {attr: parse_yyyymmdd(fields.get(column, "")) for column, attr in columns.items()}
