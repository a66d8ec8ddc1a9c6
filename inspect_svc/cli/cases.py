"""`inspect-svc export` (cases after a cursor) and `inspect-svc audit verify`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import click

from inspect_svc.audit import verify_chain
from inspect_svc.cases.exports.cursor import CursorError, decode_cursor
from inspect_svc.cases.exports.stream import FORMATS, FullExport
from inspect_svc.cli.context import CliContext, pass_cli
from inspect_svc.db import db


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option("--since", default=None, help="Cursor printed by a previous export.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="File to write (default: standard output).",
)
@pass_cli
def export_command(cli: CliContext, fmt: str, since: str | None, output: Path | None) -> None:
    """Export every case changed after --since; print the next cursor to standard error."""
    try:
        after = decode_cursor(since)
    except CursorError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from exc
    config = cli.settings.export
    with cli.app.app_context(), db.session_scope() as session:
        export = FullExport(session, fmt, after, config.epcis_namespace, config.page_size)
        if output is None:
            _write(export, sys.stdout)
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                _write(export, handle)
    click.echo(f"cases: {export.cases}", err=True)
    click.echo(f"next cursor: {export.next_cursor}", err=True)


def _write(export: FullExport, handle: TextIO) -> None:
    for chunk in export.chunks():
        handle.write(chunk)
    handle.flush()


@click.group("audit")
def audit_group() -> None:
    """The audit trail."""


@audit_group.command("verify")
@pass_cli
def audit_verify(cli: CliContext) -> None:
    """Verify the audit hash chain; exit 1 naming the first broken event."""
    with cli.app.app_context(), db.session_scope() as session:
        result = verify_chain(session)
    if result.first_break is None:
        click.echo(f"audit chain intact: {result.events} events")
        return
    click.echo(
        f"audit chain broken at event {result.first_break.seq}: {result.first_break.reason} "
        f"({result.events} events read)",
        err=True,
    )
    raise SystemExit(1)
