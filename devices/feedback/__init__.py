"""Scanner feedback (beep/LED) per vendor protocol."""

from __future__ import annotations

from devices.feedback import bel, datalogic, honeywell, zebra_ssi
from devices.feedback.base import PatternTable

PATTERNS: dict[str, PatternTable] = {
    "bel": bel.PATTERNS,
    "datalogic": datalogic.PATTERNS,
    "honeywell": honeywell.PATTERNS,
    "honeywell_hostack": honeywell.HOSTACK_PATTERNS,
    "honeywell_hidpos": honeywell.HIDPOS_PATTERNS,
    "zebra_ssi": zebra_ssi.PATTERNS,
}
