"""The documented reason codes an inspector or officer gives for a decision."""

from __future__ import annotations

REASON_CODES: dict[str, str] = {
    "cloned_serial": "The same serial was seen on another pack (possible clone).",
    "serial_conflict": "The serial's lot or expiry differs from an earlier sighting.",
    "recalled_lot": "The lot is subject to a recall.",
    "unknown_product": "The product is not listed in the NDC directory.",
    "incomplete_identifier": "The product identifier lacks GTIN, serial, lot or expiry.",
    "expired": "The product is past its expiry date.",
    "import_alert": "The firm or product is on an FDA import alert.",
    "manifest_mismatch": "The scanned goods do not match the declared lines.",
    "documents_ok": "The entry documents were reviewed and found in order.",
    "verified_with_manufacturer": "The manufacturer confirmed the product identifiers.",
    "other": "Another reason, explained in the notes.",
}
