"""Honeywell serial commands.

Plain mode: the immediate command SYN BEL CR beeps once. Host ACK mode: the scanner suspends
scanning after each read until it receives an ESC command terminated by `,`:
ESC 7 good-read tone, ESC 4 one low beep, ESC 8 error tone.
"""

from devices.feedback.base import PatternTable, Step

BEEP = b"\x16\x07\x0d"
GAP = 0.25
ALERT_GAP = 0.5


def host_ack(*codes: str) -> bytes:
    return b"".join(b"\x1b" + code.encode("ascii") + b"," for code in codes)


PATTERNS: PatternTable = {
    "green": (),
    "amber": (Step(BEEP),),
    "red": (Step(BEEP, GAP), Step(BEEP)),
    "reread": (Step(BEEP, GAP), Step(BEEP, GAP), Step(BEEP)),
    "alert": (Step(BEEP, ALERT_GAP),) * 3 + (Step(BEEP),),
}

HOSTACK_PATTERNS: PatternTable = {
    "green": (Step(host_ack("7")),),
    "amber": (Step(host_ack("4")),),
    "red": (Step(host_ack("8", "8")),),
    "reread": (Step(host_ack("8")),),
    "alert": (Step(host_ack("8", "8", "8")),),
}

# HID POS: the same immediate command wrapped in output report 0xFD (report id, length).
HIDPOS_BEEP = bytes([0xFD, len(BEEP)]) + BEEP

HIDPOS_PATTERNS: PatternTable = {
    "green": (),
    "amber": (Step(HIDPOS_BEEP),),
    "red": (Step(HIDPOS_BEEP, GAP), Step(HIDPOS_BEEP)),
    "reread": (Step(HIDPOS_BEEP, GAP), Step(HIDPOS_BEEP, GAP), Step(HIDPOS_BEEP)),
    "alert": (Step(HIDPOS_BEEP, ALERT_GAP),) * 3 + (Step(HIDPOS_BEEP),),
}
