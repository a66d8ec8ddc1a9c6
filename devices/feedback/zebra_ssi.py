"""Zebra SSI (Simple Serial Interface) packets for beeper/LED control.

Packet: length, opcode, source (4 = host), status, data..., checksum (2 bytes, big endian).
Length counts everything before the checksum; the checksum is the 16-bit two's complement of
the sum of those bytes.
"""

from devices.feedback.base import PatternTable, Step

SOURCE_HOST = 0x04
BEEP = 0xE6
LED_ON = 0xE7
LED_OFF = 0xE8

BEEP_2_SHORT_HIGH = 0x01
BEEP_1_SHORT_LOW = 0x05
BEEP_2_SHORT_LOW = 0x06
# LED selection bit 0 = decode LED (from open-source SSI drivers; check the device's SSI guide).
LED_DECODE = 0x01
LED_HOLD = 1.0
ALERT_GAP = 0.5


def checksum(data: bytes) -> bytes:
    return ((-sum(data)) & 0xFFFF).to_bytes(2, "big")


def packet(opcode: int, data: bytes = b"", status: int = 0x00) -> bytes:
    body = bytes([4 + len(data), opcode, SOURCE_HOST, status]) + data
    return body + checksum(body)


PATTERNS: PatternTable = {
    "green": (),
    "amber": (Step(packet(BEEP, bytes([BEEP_1_SHORT_LOW]))),),
    "red": (
        Step(packet(BEEP, bytes([BEEP_2_SHORT_HIGH]))),
        Step(packet(LED_ON, bytes([LED_DECODE])), LED_HOLD),
        Step(packet(LED_OFF, bytes([LED_DECODE]))),
    ),
    "reread": (Step(packet(BEEP, bytes([BEEP_2_SHORT_LOW]))),),
    "alert": (
        Step(packet(BEEP, bytes([BEEP_2_SHORT_LOW])), ALERT_GAP),
        Step(packet(BEEP, bytes([BEEP_2_SHORT_LOW]))),
        Step(packet(LED_ON, bytes([LED_DECODE])), LED_HOLD * 2),
        Step(packet(LED_OFF, bytes([LED_DECODE]))),
    ),
}
