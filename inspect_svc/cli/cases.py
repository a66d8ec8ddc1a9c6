"""`inspect-svc export` (cases after a cursor) and `inspect-svc audit verify|checkpoint`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import click

from inspect_svc.audit import ChainHeadMismatch, Checkpoint, chain_head, verify_chain
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


class CheckpointParam(click.ParamType):
    name = "CHECKPOINT"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Checkpoint:
        if isinstance(value, Checkpoint):
            return value
        try:
            return Checkpoint.parse(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@audit_group.command("verify")
@click.option(
    "--checkpoint",
    type=CheckpointParam(),
    default=None,
    help='"<seq> <sha256>" as printed by `audit checkpoint`: the chain must still hold it.',
)
@pass_cli
def audit_verify(cli: CliContext, checkpoint: Checkpoint | None) -> None:
    """Verify the audit hash chain and the current state of decisions, scans and shipments.

    Exit 1 naming the first broken event, or the rows that differ from what the chain recorded.
    """
    with cli.app.app_context(), db.session_scope() as session:
        result = verify_chain(session, checkpoint)
    if result.first_break is not None:
        click.echo(
            f"audit chain broken at event {result.first_break.seq}: {result.first_break.reason} "
            f"({result.events} events read)",
            err=True,
        )
        raise SystemExit(1)
    if result.mismatch_count:
        click.echo(
            f"audit chain intact ({result.events} events) but {result.mismatch_count} row(s) "
            "differ from what it recorded:",
            err=True,
        )
        for mismatch in result.mismatches:
            click.echo(f"  {mismatch}", err=True)
        if result.mismatch_count > len(result.mismatches):
            click.echo(f"  ... and {result.mismatch_count - len(result.mismatches)} more", err=True)
        raise SystemExit(1)
    held = f", holds checkpoint {checkpoint.seq}" if checkpoint is not None else ""
    click.echo(f"audit chain intact: {result.events} events{held}; rows match the chain")


@audit_group.command("checkpoint")
@pass_cli
def audit_checkpoint(cli: CliContext) -> None:
    """Print the chain head as `<seq> <sha256>`; keep it where the database cannot reach.

    `audit verify --checkpoint` later proves the chain still holds that event.
    """
    with cli.app.app_context(), db.session_scope() as session:
        try:
            head = chain_head(session)
        except ChainHeadMismatch as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(str(head))
