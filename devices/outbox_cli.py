"""`inspect-scanner outbox list|requeue|discard`: what a person decides about stored scans.

Works on the outbox file while the agent runs (SQLite in WAL mode); the running agent picks
requeued rows up within a few seconds.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from devices.outbox import Outbox, OutboxRow

DEFAULT_OUTBOX = Path.home() / ".local" / "state" / "inspect-scanner" / "outbox.sqlite3"

OUTBOX_OPTION = click.option(
    "--outbox",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="INSPECT_OUTBOX",
    default=DEFAULT_OUTBOX,
    show_default=True,
    help="SQLite outbox file.",
)
UNSENT = ("pending", "dead", "held")


@click.group("outbox")
def outbox_group() -> None:
    """Show scans waiting in the outbox; requeue or discard those a person must decide on."""


@outbox_group.command("list")
@OUTBOX_OPTION
@click.option("--all", "show_all", is_flag=True, help="Include scans already sent.")
def list_rows(outbox: Path, show_all: bool) -> None:
    """Scans not yet delivered (pending, dead, held) in sending order, with the last error."""
    box = _open(outbox)
    try:
        rows = box.rows() if show_all else box.rows(*UNSENT)
        counts = box.counts()
    finally:
        box.close()
    click.echo("  ".join(f"{state} {counts.get(state, 0)}" for state in (*UNSENT, "sent")))
    for row in rows:
        click.echo(_line(row))


@outbox_group.command("requeue")
@OUTBOX_OPTION
@click.option("--all-dead", is_flag=True, help="Requeue every dead (and held) scan.")
@click.argument("scan_ids", nargs=-1)
def requeue(outbox: Path, all_dead: bool, scan_ids: tuple[str, ...]) -> None:
    """Send dead or held scans again, in their original order (SCAN_IDS: ids or prefixes)."""
    box = _open(outbox)
    try:
        rows = box.rows("dead", "held") if all_dead else _resolve(box, scan_ids)
        stuck = [row for row in rows if row.state not in ("dead", "held")]
        if stuck:
            raise click.UsageError(
                "only dead or held scans can be requeued: "
                + ", ".join(f"{row.scan_id} is {row.state}" for row in stuck)
            )
        count = box.requeue([row.scan_id for row in rows])
    finally:
        box.close()
    click.echo(f"requeued {count} scan(s)")


@outbox_group.command("discard")
@OUTBOX_OPTION
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.argument("scan_ids", nargs=-1, required=True)
def discard(outbox: Path, yes: bool, scan_ids: tuple[str, ...]) -> None:
    """Delete scans that must never be sent (SCAN_IDS: ids or unique prefixes)."""
    box = _open(outbox)
    try:
        rows = _resolve(box, scan_ids)
        sent = [row.scan_id for row in rows if row.state == "sent"]
        if sent:
            raise click.UsageError(f"already delivered, nothing to discard: {', '.join(sent)}")
        for row in rows:
            click.echo(_line(row))
        if not yes:
            click.confirm(f"Discard these {len(rows)} scan(s) for good?", abort=True)
        count = box.discard([row.scan_id for row in rows])
    finally:
        box.close()
    click.echo(f"discarded {count} scan(s)")


def _open(path: Path) -> Outbox:
    if not path.exists():
        raise click.UsageError(f"no outbox at {path}")
    return Outbox(path)


def _resolve(box: Outbox, scan_ids: tuple[str, ...]) -> list[OutboxRow]:
    if not scan_ids:
        raise click.UsageError("name the scans (ids or unique prefixes), or use --all-dead")
    try:
        return box.resolve(scan_ids)
    except KeyError as exc:
        raise click.UsageError(str(exc.args[0])) from None


def _line(row: OutboxRow) -> str:
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(row.created_at))
    flags = f" flags={','.join(row.device_flags)}" if row.device_flags else ""
    error = f"  {row.last_error}" if row.last_error and row.state != "sent" else ""
    return (
        f"{row.state:7} {row.scan_id}  {row.device_id}#{row.seq}  shipment {row.shipment_id}  "
        f"{when}  tries {row.attempts}  {row.body.get('raw', '')!r}{flags}{error}"
    )
