"""`inspect-svc interpret`: interpret scans from stdin, one JSON result per line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from typing import Any

import click

from inspect_core.interpret import (
    Interpretation,
    InterpretOptions,
    NdcResolver,
    interpret,
    resolve_ndc,
)


def _options(obj: object) -> InterpretOptions:
    """Options from ``ctx.obj`` (``interpret_options``: options or a factory), else defaults."""
    found: InterpretOptions | Callable[[], InterpretOptions] | None
    if isinstance(obj, Mapping):
        found = obj.get("interpret_options")
    else:
        found = getattr(obj, "interpret_options", None)
    if found is None:
        return InterpretOptions()
    return found if isinstance(found, InterpretOptions) else found()


def _resolver(obj: object) -> NdcResolver | None:
    """The NDC resolver ``ctx.obj`` offers (``ndc_resolver``: a factory), else None."""
    factory: Callable[[], NdcResolver | None] | None
    if isinstance(obj, Mapping):
        factory = obj.get("ndc_resolver")
    else:
        factory = getattr(obj, "ndc_resolver", None)
    return factory() if factory is not None else None


def _without_terminator(line: bytes) -> bytes:
    """The line minus its LF or CRLF; nothing else is removed (GS and spaces are data)."""
    if line.endswith(b"\n"):
        line = line[:-1]
    if line.endswith(b"\r"):
        line = line[:-1]
    return line


def _write(record: Mapping[str, Any]) -> None:
    click.echo(json.dumps(record))
    sys.stdout.flush()


def _raw_from_json(line: bytes, number: int) -> str | dict[str, Any]:
    """The ``raw`` string of a JSON input line, or the error record to emit instead."""
    try:
        document = json.loads(line)
    except ValueError as exc:
        return {"error": "invalid_json", "line": number, "detail": str(exc)}
    if not isinstance(document, dict) or not isinstance(document.get("raw"), str):
        detail = 'expected an object with a string "raw"'
        return {"error": "invalid_input", "line": number, "detail": detail}
    raw: str = document["raw"]
    return raw


@click.command("interpret")
@click.option(
    "--plain",
    is_flag=True,
    help='Read raw scans, one per line, instead of JSON objects {"raw": ...}.',
)
@click.pass_context
def interpret_command(ctx: click.Context, plain: bool) -> None:
    """Read scans from stdin and write one JSON interpretation per line.

    A malformed input line gives an error object on its line of output and
    processing continues.
    """
    options, resolver = _options(ctx.obj), _resolver(ctx.obj)

    def read(raw: str | bytes) -> Interpretation:
        found = interpret(raw, options)
        return resolve_ndc(found, resolver) if resolver is not None else found

    for number, line in enumerate(sys.stdin.buffer, start=1):
        data = _without_terminator(line)
        if plain:
            _write(read(data).to_dict())
            continue
        if not data.strip():
            continue
        raw = _raw_from_json(data, number)
        _write(raw if isinstance(raw, dict) else read(raw).to_dict())
