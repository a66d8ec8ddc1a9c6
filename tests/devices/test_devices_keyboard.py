"""Keyboard-wedge decoding from evdev InputEvent sequences and recorded JSONL streams."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.decoders.keyboard import REPLACEMENT, KeyboardConfig, KeyEventDecoder
from devices.decoders.recording import RecordedEvent, read_jsonl, replay, write_jsonl
from devices.scan import Flag, Frame
from tests.devices.scanner_kit import GS, Typist

evdev = pytest.importorskip("evdev")
ecodes = evdev.ecodes
InputEvent = evdev.InputEvent

DATA = Path(__file__).parent / "data"
PHARMA = "010950110153000317250131" + "10ABC" + GS + "21XYZ123"


def ev(t_ms: int, type_: int, code: int, value: int) -> object:
    return InputEvent(t_ms // 1000, (t_ms % 1000) * 1000, type_, code, value)


def key(t_ms: int, code: int, value: int) -> list[object]:
    return [ev(t_ms, ecodes.EV_KEY, code, value), ev(t_ms, ecodes.EV_SYN, ecodes.SYN_REPORT, 0)]


def decode(events: list[object], config: KeyboardConfig | None = None) -> list[Frame]:
    decoder = KeyEventDecoder(config or KeyboardConfig())
    out: list[Frame] = []
    for e in events:
        out += decoder.feed(e.type, e.code, e.value, e.timestamp())  # type: ignore[attr-defined]
    return out


def texts(frames: list[Frame]) -> list[str]:
    return [f.payload.decode() for f in frames]


def typed(typist: Typist) -> list[object]:
    return [
        InputEvent(int(t), round((t - int(t)) * 1e6), ty, c, v) for t, ty, c, v in typist.events
    ]


def test_keycode_table_matches_evdev() -> None:
    from devices import keymap_us as k

    for name in (
        "KEY_ENTER",
        "KEY_KPENTER",
        "KEY_LEFTCTRL",
        "KEY_LEFTSHIFT",
        "KEY_LEFTALT",
        "KEY_CAPSLOCK",
        "KEY_RIGHTALT",
        "KEY_BACKSPACE",
        "SYN_DROPPED",
        "EV_KEY",
    ):
        assert getattr(k, name) == getattr(ecodes, name), name
    for code, digit in k.KEYPAD_DIGITS.items():
        assert ecodes.KEY[code] == f"KEY_KP{digit}"
    assert k.US[ecodes.KEY_RIGHTBRACE] == ("]", "}")
    assert k.US[ecodes.KEY_A] == ("a", "A")


def test_gs_via_ctrl_right_brace_hand_built() -> None:
    t, c = 0, ecodes
    events = [
        *key(t + 1, c.KEY_A, 1),
        *key(t + 2, c.KEY_A, 0),
        *key(t + 3, c.KEY_LEFTCTRL, 1),
        *key(t + 4, c.KEY_RIGHTBRACE, 1),
        *key(t + 5, c.KEY_RIGHTBRACE, 0),
        *key(t + 6, c.KEY_LEFTCTRL, 0),
        *key(t + 7, c.KEY_B, 1),
        *key(t + 8, c.KEY_B, 0),
        *key(t + 9, c.KEY_ENTER, 1),
        *key(t + 10, c.KEY_ENTER, 0),
    ]
    [frame] = decode(events)
    assert frame.payload == b"a\x1db"
    assert frame.flags == frozenset()
    assert (frame.started_at, frame.ended_at) == (0.001, 0.009)


def test_gs_via_alt_0029_keypad() -> None:
    c = ecodes
    events = [*key(1, c.KEY_1, 1), *key(2, c.KEY_1, 0), *key(3, c.KEY_LEFTALT, 1)]
    for i, kp in enumerate([c.KEY_KP0, c.KEY_KP0, c.KEY_KP2, c.KEY_KP9]):
        events += key(4 + 2 * i, kp, 1) + key(5 + 2 * i, kp, 0)
    events += key(20, c.KEY_LEFTALT, 0) + key(21, c.KEY_2, 1) + key(22, c.KEY_2, 0)
    events += key(23, c.KEY_KPENTER, 1)
    assert texts(decode(events)) == ["1\x1d2"]


@pytest.mark.parametrize("style", ["ctrl", "alt", "sub:#"])
@pytest.mark.parametrize("terminator", ["enter", "kpenter", "ctrlm"])
def test_pharma_string_in_each_gs_style_and_terminator(style: str, terminator: str) -> None:
    frames = decode(typed(Typist().scan("]d2" + PHARMA, gs=style, terminator=terminator)))
    expected = "]d2" + (PHARMA.replace(GS, "#") if style == "sub:#" else PHARMA)
    assert texts(frames) == [expected]


def test_lost_gs_is_not_repaired() -> None:
    frames = decode(typed(Typist().scan(PHARMA, gs="drop")))
    assert texts(frames) == [PHARMA.replace(GS, "")]
    assert frames[0].flags == frozenset()


def test_shift_symbols_and_release_events_ignored() -> None:
    frames = decode(typed(Typist().scan('Ab}{:"~|?<>_+!@#$%^&*()')))
    assert texts(frames) == ['Ab}{:"~|?<>_+!@#$%^&*()']


def test_capslock_inverts_letters_only() -> None:
    c = ecodes
    events = key(1, c.KEY_CAPSLOCK, 1) + key(2, c.KEY_CAPSLOCK, 0)
    events += key(3, c.KEY_A, 1) + key(4, c.KEY_1, 1)
    events += key(5, c.KEY_LEFTSHIFT, 1) + key(6, c.KEY_B, 1) + key(7, c.KEY_LEFTSHIFT, 0)
    events += key(8, c.KEY_ENTER, 1)
    assert texts(decode(events)) == ["A1b"]


def test_modifier_applied_before_key_in_same_report() -> None:
    c = ecodes
    events = [
        ev(1, c.EV_MSC, c.MSC_SCAN, 0x70004),
        ev(1, c.EV_KEY, c.KEY_A, 1),
        ev(1, c.EV_KEY, c.KEY_LEFTSHIFT, 1),
        ev(1, c.EV_SYN, c.SYN_REPORT, 0),
        *key(2, c.KEY_LEFTSHIFT, 0),
        *key(3, c.KEY_ENTER, 1),
    ]
    assert texts(decode(events)) == ["A"]


def test_autorepeat_is_ignored_and_flagged() -> None:
    t = Typist()
    t.text("01")
    t.tap(ecodes.KEY_9, repeat=3)
    t.scan("5")
    [frame] = decode(typed(t))
    assert frame.payload == b"0195"
    assert frame.flags == {Flag.AUTOREPEAT}


def test_syn_dropped_discards_report_resets_modifiers_and_flags_scan() -> None:
    c = ecodes
    events = key(1, c.KEY_A, 1) + key(2, c.KEY_LEFTSHIFT, 1)
    events += [
        ev(3, c.EV_SYN, c.SYN_DROPPED, 0),
        ev(3, c.EV_KEY, c.KEY_B, 1),  # discarded: before the next SYN_REPORT
        ev(3, c.EV_SYN, c.SYN_REPORT, 0),
    ]
    events += key(4, c.KEY_C, 1) + key(5, c.KEY_ENTER, 1)
    events += key(6, c.KEY_D, 1) + key(7, c.KEY_ENTER, 1)
    frames = decode(events)
    assert texts(frames) == ["ac", "d"]  # shift was reset: "c" not "C"
    assert frames[0].flags == {Flag.SYN_DROPPED}
    assert frames[1].flags == frozenset()


def test_syn_dropped_between_scans_marks_the_next_scan() -> None:
    c = ecodes
    events = [ev(1, c.EV_SYN, c.SYN_DROPPED, 0), ev(1, c.EV_SYN, c.SYN_REPORT, 0)]
    events += key(2, c.KEY_X, 1) + key(3, c.KEY_ENTER, 1)
    [frame] = decode(events)
    assert frame.flags == {Flag.SYN_DROPPED}


def test_empty_frames_and_leading_enter_are_dropped() -> None:
    t = Typist()
    t.end("enter")
    t.end("kpenter")
    t.scan("42")
    t.end("ctrlm")
    assert texts(decode(typed(t))) == ["42"]


def test_inter_key_gap_splits_unterminated_scans() -> None:
    t = Typist(dt=0.01)
    t.text("ABC")
    t.pause(0.5)
    t.scan("DEF")
    frames = decode(typed(t))
    assert texts(frames) == ["ABC", "DEF"]
    assert frames[0].flags == {Flag.NO_TERMINATOR}
    assert frames[1].flags == frozenset()


def test_idle_watchdog_flushes_by_wall_clock() -> None:
    decoder = KeyEventDecoder(KeyboardConfig(gap=0.3))
    t = Typist(t0=100.0)
    t.text("XY")
    for ts, ty, code, value in t.events:
        assert decoder.feed(ty, code, value, ts) == []
    last = t.events[-1][0]
    assert decoder.flush_idle(last + 0.29) == []
    [frame] = decoder.flush_idle(last + 0.3)
    assert frame.payload == b"XY"
    assert frame.flags == {Flag.NO_TERMINATOR}


def test_unknown_keycode_and_unmapped_ctrl_are_flagged() -> None:
    c = ecodes
    events = key(1, c.KEY_F5, 1) + key(2, c.KEY_LEFTCTRL, 1) + key(3, c.KEY_1, 1)
    events += key(4, c.KEY_LEFTCTRL, 0) + key(5, c.KEY_ENTER, 1)
    [frame] = decode(events)
    assert frame.payload.decode() == REPLACEMENT * 2
    assert frame.flags == {Flag.UNKNOWN_KEYCODE}


def test_ctrl_shift_6_is_record_separator() -> None:
    c = ecodes
    events = key(1, c.KEY_LEFTCTRL, 1) + key(2, c.KEY_LEFTSHIFT, 1) + key(3, c.KEY_6, 1)
    events += key(4, c.KEY_LEFTSHIFT, 0) + key(5, c.KEY_LEFTCTRL, 0) + key(6, c.KEY_ENTER, 1)
    assert texts(decode(events)) == ["\x1e"]


def test_unknown_keymap_rejected() -> None:
    with pytest.raises(ValueError, match="unknown keymap"):
        KeyEventDecoder(KeyboardConfig(keymap="dvorak"))


printable = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.just(GS),
    min_size=1,
    max_size=40,
)


@given(
    text=printable,
    style=st.sampled_from(["ctrl", "alt"]),
    msc=st.booleans(),
    terminator=st.sampled_from(["enter", "kpenter", "ctrlm"]),
)
def test_any_ascii_text_round_trips(text: str, style: str, msc: bool, terminator: str) -> None:
    events = Typist(msc=msc).scan(text, gs=style, terminator=terminator).events
    decoder = KeyEventDecoder(KeyboardConfig())
    frames: list[Frame] = []
    for ts, ty, code, value in events:
        frames += decoder.feed(ty, code, value, ts)
    assert texts(frames) == [text]


def load_expected() -> dict[str, list[dict[str, object]]]:
    result: dict[str, list[dict[str, object]]] = json.loads((DATA / "expected.json").read_text())
    return result


@pytest.mark.parametrize("name", sorted(load_expected()))
def test_recorded_fixture_replays(name: str) -> None:
    with (DATA / f"{name}.jsonl").open() as fh:
        events = read_jsonl(fh)
    frames = replay(events, KeyEventDecoder(KeyboardConfig()))
    assert [
        {"text": f.payload.decode(), "flags": sorted(f.flags)} for f in frames
    ] == load_expected()[name]


def test_fixture_format_round_trip(tmp_path: Path) -> None:
    events = [RecordedEvent(1, 500, 1, 30, 1), RecordedEvent(1, 600, 0, 0, 0)]
    path = tmp_path / "rec.jsonl"
    with path.open("w") as fh:
        write_jsonl(events, fh)
    assert read_jsonl(path.read_text().splitlines()) == events
    with pytest.raises(ValueError, match="line 1"):
        read_jsonl(['{"sec": 1}'])
