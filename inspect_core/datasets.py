"""Dataset names, as stored in `reference_dataset.name` and shown by the status endpoint."""

from __future__ import annotations

from typing import Literal

NdcVariant = Literal["finished", "unfinished", "excluded"]

NDC_DATASETS: dict[NdcVariant, str] = {
    "finished": "ndc",
    "excluded": "ndc_excluded",
    "unfinished": "ndc_unfinished",
}
"""One dataset per FDA download, each with its own snapshot date.

Look-ups try them in this order."""

RECALLS = "recalls"
IMPORT_ALERTS = "import_alerts"
REGISTRATIONS = "registrations"
"""FDA's drug establishment registration file (DECRS)."""
REFUSALS = "refusals"
"""FDA Import Refusal records with their charge table."""
