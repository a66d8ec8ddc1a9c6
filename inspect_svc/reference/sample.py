"""Load the bundled real sample (2014 NDC Directory sample, openFDA recalls) on `init`.

A dataset that already has a current snapshot is left alone: running init
twice loads nothing twice, and init never replaces data an operator loaded.
The import-alert example is fictitious and is never loaded here.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from inspect_core.datasets import NDC_DATASETS, RECALLS
from inspect_svc.reference.freshness import dataset_as_of
from inspect_svc.reference.ndc_loader import load_ndc
from inspect_svc.reference.recall_loader import load_recalls
from inspect_svc.reference.sources import read_sources

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
NDC_FILES = ("product.txt", "package.txt")
NDC_AS_OF = date(2014, 1, 27)
"""Commit date of the sample's source; the FDA download was made in January 2014."""
RECALL_FILE = "drug-enforcement-sample.json.gz"


def _current_as_of(engine: Engine, dataset: str) -> date | None:
    with Session(engine) as session:
        return dataset_as_of(session, dataset)


def load_bundled_sample(engine: Engine) -> Iterator[str]:
    """Load each sample dataset that has never been loaded; yield one line per dataset."""
    ndc = NDC_DATASETS["finished"]
    as_of = _current_as_of(engine, ndc)
    if as_of is None:
        sources = read_sources([SAMPLE_DIR / name for name in NDC_FILES])
        for report in load_ndc(engine, sources, NDC_AS_OF):
            yield f"sample {report.summary_lines()[0]}"
    else:
        yield f"{ndc}: already loaded (as of {as_of}), sample not loaded"
    as_of = _current_as_of(engine, RECALLS)
    if as_of is None:
        report = load_recalls(engine, read_sources([SAMPLE_DIR / RECALL_FILE]))
        yield f"sample {report.summary_lines()[0]}"
    else:
        yield f"{RECALLS}: already loaded (as of {as_of}), sample not loaded"
