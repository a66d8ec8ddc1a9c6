"""Scanner presets and settings validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices import config


def test_presets_from_the_shipped_file() -> None:
    data = config.load_file()
    assert {"zebra_std", "honeywell", "datalogic", "zebra_ssi"} <= set(config.preset_names(data))
    zebra = config.resolve(data, "zebra_std")
    assert (zebra.baudrate, zebra.bytesize, zebra.parity, zebra.stopbits) == (9600, 8, "N", 1)
    assert config.resolve(data, "honeywell").baudrate == 115200
    assert config.resolve(data, "honeywell", baudrate=38400).baudrate == 38400
    assert config.resolve(data, "datalogic").feedback == "datalogic"
    assert config.resolve(data, "zebra_ssi").flow_control == "rtscts"


def test_defaults_frame_cr_lf_and_crlf() -> None:
    framer = config.resolve(config.load_file(), None).framer()
    assert framer.terminators == {0x0D, 0x0A}
    assert framer.idle_gap is None
    assert config.resolve(config.load_file(), "no_suffix").framer().idle_gap == 0.1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"parity": "X"}, "parity"),
        ({"flow_control": "magic"}, "flow_control"),
        ({"feedback": "siren"}, "feedback"),
        ({"stopbits": 3}, "stopbits"),
        ({"baud": 9600}, "unknown scanner setting"),
        ({"terminators": ["NUL"]}, "unknown terminator"),
    ],
)
def test_invalid_settings_rejected(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        config.resolve(config.load_file(), None, **overrides)


def test_unknown_preset_and_env_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="unknown preset"):
        config.resolve(config.load_file(), "nope")
    path = tmp_path / "s.toml"
    path.write_text('[defaults]\nbaudrate = 1200\n[presets.x]\nparity = "E"\n')
    monkeypatch.setenv(config.CONFIG_ENV, str(path))
    s = config.resolve(config.load_file(), "x")
    assert (s.baudrate, s.parity) == (1200, "E")


def test_wedge_terminators_map_to_keys() -> None:
    kb = config.resolve(config.load_file(), None, terminators=["CR", "TAB"]).keyboard()
    assert kb.terminators == {"\r", "\t"}
    with pytest.raises(ValueError, match="no key equivalent"):
        config.resolve(config.load_file(), None, terminators=["ETX"]).keyboard()
