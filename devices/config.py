"""Device settings from `config/scanners.toml`: `[defaults]`, overridden by `[presets.NAME]`,
overridden by command-line values. Unknown keys are rejected so typos do not pass silently."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from pathlib import Path
from typing import Any

from devices.decoders.bytes_framer import FramerConfig
from devices.decoders.keyboard import KeyboardConfig
from devices.scan_builder import ScanFormat

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "config" / "scanners.toml"
CONFIG_ENV = "INSPECT_SCANNERS_CONFIG"

PARITIES = {"N", "E", "O", "M", "S"}
FLOW_CONTROLS = {"none", "rtscts", "xonxoff", "dsrdtr"}
FEEDBACKS = {
    "none",
    "bel",
    "zebra_ssi",
    "honeywell",
    "honeywell_hostack",
    "honeywell_hidpos",
    "datalogic",
}
_KEY_CHARS = {"CR": "\r", "LF": "\n", "TAB": "\t"}


@dataclasses.dataclass(frozen=True, slots=True)
class DeviceSettings:
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: float = 1
    flow_control: str = "none"
    terminators: tuple[str, ...] = ("CR", "LF")
    idle_gap_ms: int = 0
    max_frame_bytes: int = 4096
    prefix: str = ""
    suffix: str = ""
    gs_substitute: str = ""
    encoding: str = "latin-1"
    feedback: str = "none"
    feedback_max_age_ms: int = 5000
    read_timeout_ms: int = 50
    write_timeout_ms: int = 500
    reconnect_initial_ms: int = 500
    reconnect_max_ms: int = 5000
    keymap: str = "us"
    inter_key_gap_ms: int = 300
    grab: bool = True

    def __post_init__(self) -> None:
        if self.parity not in PARITIES:
            raise ValueError(f"parity must be one of {sorted(PARITIES)}")
        if self.flow_control not in FLOW_CONTROLS:
            raise ValueError(f"flow_control must be one of {sorted(FLOW_CONTROLS)}")
        if self.feedback not in FEEDBACKS:
            raise ValueError(f"feedback must be one of {sorted(FEEDBACKS)}")
        if self.stopbits not in (1, 1.5, 2) or self.bytesize not in (5, 6, 7, 8):
            raise ValueError("stopbits must be 1, 1.5 or 2 and bytesize 5..8")
        self.framer()

    def framer(self) -> FramerConfig:
        gap = self.idle_gap_ms / 1000 if self.idle_gap_ms > 0 else None
        return FramerConfig.from_names(list(self.terminators), gap, self.max_frame_bytes)

    def keyboard(self) -> KeyboardConfig:
        try:
            chars = frozenset(_KEY_CHARS[t.upper()] for t in self.terminators)
        except KeyError as exc:
            raise ValueError(f"terminator {exc.args[0]!r} has no key equivalent") from None
        gap = self.inter_key_gap_ms / 1000 if self.inter_key_gap_ms > 0 else None
        return KeyboardConfig(keymap=self.keymap, terminators=chars, gap=gap)

    def scan_format(self, encoding: str | None = None) -> ScanFormat:
        return ScanFormat(self.prefix, self.suffix, self.gs_substitute, encoding or self.encoding)


def load_file(path: Path | None = None) -> dict[str, Any]:
    path = path or Path(os.environ.get(CONFIG_ENV, DEFAULT_PATH))
    with path.open("rb") as fh:
        return tomllib.load(fh)


def preset_names(data: dict[str, Any]) -> list[str]:
    return sorted(data.get("presets", {}))


def resolve(data: dict[str, Any], preset: str | None, **overrides: Any) -> DeviceSettings:
    """Merge defaults, the named preset and non-None overrides into validated settings."""
    merged: dict[str, Any] = dict(data.get("defaults", {}))
    if preset is not None:
        presets = data.get("presets", {})
        if preset not in presets:
            raise ValueError(f"unknown preset {preset!r}; known: {', '.join(sorted(presets))}")
        merged.update(presets[preset])
    merged.update({k: v for k, v in overrides.items() if v is not None})
    known = {f.name for f in dataclasses.fields(DeviceSettings)}
    unknown = set(merged) - known
    if unknown:
        raise ValueError(f"unknown scanner setting(s): {', '.join(sorted(unknown))}")
    if "terminators" in merged:
        merged["terminators"] = tuple(merged["terminators"])
    return DeviceSettings(**merged)
