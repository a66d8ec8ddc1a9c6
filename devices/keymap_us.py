"""Linux keycodes (stable kernel ABI) and the US keyboard layout, without importing evdev.

Other layouts are added as further `Keymap` entries in `KEYMAPS`; the decoder only needs
code -> (unshifted, shifted) for character keys.
"""

from __future__ import annotations

from typing import Final

# Event types and codes (linux/input-event-codes.h).
EV_SYN: Final = 0
EV_KEY: Final = 1
EV_MSC: Final = 4
SYN_REPORT: Final = 0
SYN_DROPPED: Final = 3
MSC_SCAN: Final = 4
LED_CAPSL: Final = 1

KEY_BACKSPACE: Final = 14
KEY_ENTER: Final = 28
KEY_LEFTCTRL: Final = 29
KEY_LEFTSHIFT: Final = 42
KEY_RIGHTSHIFT: Final = 54
KEY_LEFTALT: Final = 56
KEY_CAPSLOCK: Final = 58
KEY_NUMLOCK: Final = 69
KEY_SCROLLLOCK: Final = 70
KEY_KPENTER: Final = 96
KEY_RIGHTCTRL: Final = 97
KEY_RIGHTALT: Final = 100

SHIFT_KEYS: Final = frozenset({KEY_LEFTSHIFT, KEY_RIGHTSHIFT})
CTRL_KEYS: Final = frozenset({KEY_LEFTCTRL, KEY_RIGHTCTRL})
ALT_KEYS: Final = frozenset({KEY_LEFTALT, KEY_RIGHTALT})
LOCK_KEYS: Final = frozenset({KEY_CAPSLOCK, KEY_NUMLOCK, KEY_SCROLLLOCK})
ENTER_KEYS: Final = frozenset({KEY_ENTER, KEY_KPENTER})

# Keypad digits map to digits whatever the NumLock state; used for Alt+numpad entry.
KEYPAD_DIGITS: Final[dict[int, str]] = {
    82: "0",
    79: "1",
    80: "2",
    81: "3",
    75: "4",
    76: "5",
    77: "6",
    71: "7",
    72: "8",
    73: "9",
}

Keymap = dict[int, tuple[str, str]]


def _row(codes: range, normal: str, shifted: str) -> Keymap:
    return {c: (n, s) for c, n, s in zip(codes, normal, shifted, strict=True)}


US: Final[Keymap] = {
    **_row(range(2, 14), "1234567890-=", "!@#$%^&*()_+"),
    15: ("\t", "\t"),
    **_row(range(16, 28), "qwertyuiop[]", "QWERTYUIOP{}"),
    **_row(range(30, 42), "asdfghjkl;'`", 'ASDFGHJKL:"~'),
    43: ("\\", "|"),
    **_row(range(44, 54), "zxcvbnm,./", "ZXCVBNM<>?"),
    57: (" ", " "),
    1: ("\x1b", "\x1b"),
    55: ("*", "*"),
    74: ("-", "-"),
    78: ("+", "+"),
    83: (".", "."),
    98: ("/", "/"),
    **{code: (digit, digit) for code, digit in KEYPAD_DIGITS.items()},
}

KEYMAPS: Final[dict[str, Keymap]] = {"us": US}
