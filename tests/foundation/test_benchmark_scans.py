"""The benchmarks load the service with well-formed DSCSA scans, not with rejects.

A scan with a broken GTIN is triaged differently (no product, no recall or
lot look-ups), so a load of them would measure another path than the one a
port runs. wrk's Lua script builds its bodies itself; its scan must read as
the same valid pack as the Python benchmarks' scans.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from inspect_core.interpret import interpret

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def lua_scan(serial: str) -> str:
    """The raw scan `scan_load.lua` sends for `serial`: its Lua literal, unescaped, is JSON."""
    script = (BENCHMARKS / "scan_load.lua").read_text()
    literal = re.search(r"\"raw\": \"([^']*)' \.\. serial", script)
    assert literal is not None, "scan_load.lua builds no scan body"
    json_text = literal.group(1).replace("\\\\", "\\")
    prefix: str = json.loads(f'"{json_text}"')
    return prefix + serial


def test_the_wrk_scan_is_a_valid_pack_identifier() -> None:
    result = interpret(lua_scan("W1N1"))

    assert result.valid, result.errors
    assert (result.gtin, result.lot, result.serial) == ("00300241535027", "LOT42", "W1N1")
    assert result.expiry is not None and result.ndc10 == "0024153502"
