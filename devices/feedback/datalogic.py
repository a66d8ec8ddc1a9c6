"""Datalogic RS-232 host commands (PSC lineage): `B` good-read beep, `F` "not on file" tones."""

from devices.feedback.base import PatternTable, Step

BEEP = b"B"
NOT_ON_FILE = b"F"
GAP = 0.25
ALERT_GAP = 0.5

PATTERNS: PatternTable = {
    "green": (),
    "amber": (Step(BEEP),),
    "red": (Step(BEEP, GAP), Step(BEEP)),
    "reread": (Step(NOT_ON_FILE),),
    "alert": (Step(NOT_ON_FILE, ALERT_GAP), Step(NOT_ON_FILE, ALERT_GAP), Step(NOT_ON_FILE)),
}
