"""`inspect-svc interpret` through click's CliRunner."""

from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from inspect_core.interpret import InterpretOptions
from inspect_svc.cli.interpret_cmd import interpret_command

PACK = "]d201003000214070181727030010LOT42\x1d21SN0001"
OPTIONS = {"interpret_options": lambda: InterpretOptions(today=date(2025, 6, 1))}


def run(stdin: bytes, *args: str) -> list[dict[str, object]]:
    result = CliRunner().invoke(interpret_command, list(args), input=stdin, obj=OPTIONS)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_json_lines() -> None:
    lines = run(json.dumps({"raw": PACK}).encode() + b"\n" + b'{"raw": "0002-1407-01"}\n')
    assert [line["format"] for line in lines] == ["gs1", "ndc"]
    assert lines[0]["serial"] == "SN0001"
    assert lines[0]["expiry"] == "2027-03-31"
    assert lines[0]["raw"] == PACK
    assert lines[1]["ndc"] == "0002-1407-01"


def test_malformed_lines_are_reported_and_skipped() -> None:
    lines = run(b'not json\n{"raw": 5}\n\n{"raw": "hello"}\n')
    assert lines[0]["error"] == "invalid_json"
    assert lines[0]["line"] == 1
    assert lines[1] == {
        "error": "invalid_input",
        "line": 2,
        "detail": 'expected an object with a string "raw"',
    }
    assert lines[2]["errors"] == ["not_gs1"]
    assert len(lines) == 3


def test_plain_keeps_gs_and_strips_only_the_terminator() -> None:
    lines = run(PACK.encode() + b"\r\n" + b"\n" + b"\xff\n", "--plain")
    assert lines[0]["raw"] == PACK
    assert lines[0]["lot"] == "LOT42"
    assert lines[0]["valid"] is True
    assert lines[1]["errors"] == ["empty"]
    assert lines[2]["errors"] == ["encoding", "non_ascii", "not_gs1"]


def test_default_options_without_context_object() -> None:
    result = CliRunner().invoke(interpret_command, ["--plain"], input=b"0002-1407-01\n")
    assert result.exit_code == 0
    assert json.loads(result.output)["ndc10"] == "0002140701"
