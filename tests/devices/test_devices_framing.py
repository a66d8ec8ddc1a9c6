"""Byte framing, AIM identifiers and Frame -> Scan normalisation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.decoders import aim
from devices.decoders.bytes_framer import BytesFramer, FramerConfig
from devices.scan import GS, Flag, Frame, Scan, Transport
from devices.scan_builder import ScanBuilder, ScanFormat

PHARMA = b"]d2010950110153000317250131" + b"10ABC\x1d21XYZ123"


def frames(chunks: list[bytes], config: FramerConfig | None = None) -> list[bytes]:
    framer = BytesFramer(config or FramerConfig())
    out = []
    for i, chunk in enumerate(chunks):
        out += framer.feed(chunk, float(i))
    return [f.payload for f in out]


@pytest.mark.parametrize(
    ("chunks", "expected"),
    [
        ([PHARMA + b"\r"], [PHARMA]),
        ([PHARMA + b"\n"], [PHARMA]),
        ([PHARMA + b"\r\n"], [PHARMA]),
        ([PHARMA + b"\r", b"\n"], [PHARMA]),  # CRLF split across reads
        ([b"A\r\nB\r\n"], [b"A", b"B"]),
        ([b"A\rB\n"], [b"A", b"B"]),  # CR and LF scanners mixed
        ([b"\r\n\r\n", b"\r"], []),  # no empty frames
        ([b"\nA\r"], [b"A"]),  # terminator sent before the data
        ([b"AB", b"C", b"\r"], [b"ABC"]),
        ([b"A\x1dB\r"], [b"A\x1dB"]),  # GS is data
        ([b"PARTIAL"], []),  # nothing without terminator or gap
    ],
)
def test_terminator_table(chunks: list[bytes], expected: list[bytes]) -> None:
    assert frames(chunks) == expected


def test_only_configured_terminators_end_frames() -> None:
    cr_only = FramerConfig.from_names(["CR"])
    assert frames([b"A\nB\r"], cr_only) == [b"A\nB"]
    assert frames([b"A\tB\t"], FramerConfig.from_names(["TAB"])) == [b"A", b"B"]


def test_unknown_terminator_name_and_unterminated_config_are_rejected() -> None:
    with pytest.raises(ValueError, match="unknown terminator"):
        FramerConfig.from_names(["CRLF2"])
    with pytest.raises(ValueError, match="terminator or an idle gap"):
        FramerConfig.from_names([])


def test_overflow_is_flagged_and_rest_discarded_until_terminator() -> None:
    framer = BytesFramer(FramerConfig(max_len=4))
    out = framer.feed(b"ABCDEFGH\rXY\r", 0.0)
    assert [(f.payload, f.flags) for f in out] == [
        (b"ABCD", frozenset({Flag.OVERFLOW})),
        (b"XY", frozenset()),
    ]


def test_idle_gap_with_injected_clock() -> None:
    framer = BytesFramer(FramerConfig(terminators=frozenset(), idle_gap=0.1))
    assert framer.feed(b"01095", 10.0) == []
    assert framer.feed(b"0110", 10.05) == []
    assert framer.next_deadline() == pytest.approx(10.15)
    assert framer.poll(10.149) == []
    [frame] = framer.poll(10.151)
    assert frame == Frame(b"010950110", 10.0, 10.05, frozenset({Flag.NO_TERMINATOR}))
    assert framer.poll(20.0) == []
    # data arriving after the gap closes the previous frame first
    framer.feed(b"A", 30.0)
    out = framer.feed(b"B", 31.0)
    assert [f.payload for f in out] == [b"A"]


def test_flush_marks_partial_frame() -> None:
    framer = BytesFramer(FramerConfig())
    framer.feed(b"0109501", 1.0)
    [frame] = framer.flush(2.0, Flag.PARTIAL_DISCONNECT)
    assert frame.payload == b"0109501"
    assert frame.flags == {Flag.PARTIAL_DISCONNECT}
    assert framer.flush(3.0, Flag.PARTIAL_DISCONNECT) == []


scan_bytes = st.binary(min_size=1, max_size=40).map(
    lambda b: bytes(c for c in b if c not in (0x0D, 0x0A)) or b"X"
)


@given(
    scans=st.lists(
        st.tuples(scan_bytes, st.sampled_from([b"\r", b"\n", b"\r\n"])), min_size=1, max_size=6
    ),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=12),
)
def test_chunk_splits_never_change_frames(
    scans: list[tuple[bytes, bytes]], cuts: list[int]
) -> None:
    stream = b"".join(data + term for data, term in scans)
    points = sorted({c % (len(stream) + 1) for c in cuts})
    chunks = [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)], strict=True)]
    assert frames(chunks) == [data for data, _ in scans]


@pytest.mark.parametrize(
    ("text", "aim_id", "rest", "symbology"),
    [
        ("]d2010950110153000317250131", "]d2", "010950110153000317250131", "GS1_DATAMATRIX"),
        ("]d1HELLO", "]d1", "HELLO", "DATAMATRIX"),
        ("]Q3011234", "]Q3", "011234", "GS1_QR"),
        ("]Q1https://x", "]Q1", "https://x", "QR"),
        ("]C1011234", "]C1", "011234", "GS1_128"),
        ("]E09501101530003", "]E0", "9501101530003", "EAN13"),
        ("]E412345670", "]E4", "12345670", "EAN8"),
        ("]Z6menu", "]Z6", "menu", "UNKNOWN"),
        ("010950110153000317250131", None, "010950110153000317250131", None),
        ("]d", None, "]d", None),
    ],
)
def test_aim_split(text: str, aim_id: str | None, rest: str, symbology: str | None) -> None:
    assert aim.split(text) == (aim_id, rest)
    assert aim.symbology(aim_id) == symbology


def build(payload: bytes, fmt: ScanFormat, flags: frozenset[Flag] = frozenset()) -> Scan:
    builder = ScanBuilder("dev", Transport.SERIAL, fmt, wall=lambda: 1.0, mono_ns=lambda: 2)
    return builder.build(Frame(payload, 0.0, 0.0, flags))


def test_scan_builder_aim_prefix_suffix_and_gs_substitute() -> None:
    fmt = ScanFormat(prefix="@@", suffix="!", gs_substitute="#")
    scan = build(b"]d2@@0109501101530003" + b"10AB#21XY!", fmt)
    assert scan.aim_id == "]d2"
    assert scan.text == "010950110153000310AB" + GS + "21XY"
    assert scan.wire_text == "]d2010950110153000310AB\x1d21XY"
    assert scan.flags == {Flag.GS_SUBSTITUTED}
    assert scan.raw == b"]d2@@0109501101530003" + b"10AB#21XY!"
    assert scan.valid


def test_scan_builder_flags_missing_affix_and_bad_encoding() -> None:
    scan = build(b"\xff\xfe", ScanFormat(prefix="@@", encoding="ascii"))
    assert scan.flags == {Flag.AFFIX_MISSING, Flag.DECODE_ERROR}
    assert not scan.valid
