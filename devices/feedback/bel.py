"""Plain BEL (0x07): Zebra RS-232 "Beep on <BEL>" (one high beep per BEL)."""

from devices.feedback.base import PatternTable, Step

BEL = b"\x07"
GAP = 0.25
ALERT_GAP = 0.5

PATTERNS: PatternTable = {
    "green": (),
    "amber": (Step(BEL),),
    "red": (Step(BEL, GAP), Step(BEL)),
    "reread": (Step(BEL, GAP), Step(BEL, GAP), Step(BEL)),
    "alert": (Step(BEL, ALERT_GAP), Step(BEL, ALERT_GAP), Step(BEL, ALERT_GAP), Step(BEL)),
}
