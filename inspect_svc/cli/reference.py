"""`inspect-svc reference ...`: load FDA reference files and print what was loaded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from inspect_svc.audit import append_event
from inspect_svc.cli.context import CliContext, cli_actor, pass_cli
from inspect_svc.db import db
from inspect_svc.reference.download import DownloadError
from inspect_svc.reference.import_alerts import ImportAlertLoadError, load_import_alerts
from inspect_svc.reference.ndc_loader import NdcLoadError, classify, load_ndc
from inspect_svc.reference.recall_loader import RecallLoadError, load_recalls
from inspect_svc.reference.refusal_loader import RefusalLoadError, load_refusals
from inspect_svc.reference.registration_loader import RegistrationLoadError, load_registrations
from inspect_svc.reference.report import LoadReport
from inspect_svc.reference.sources import read_sources
from inspect_svc.reference.update import FEEDS, configured_feeds, update_feed

EXISTING = click.Path(exists=True, path_type=Path)


def _as_of(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise click.BadParameter("expected YYYY-MM-DD") from exc


AS_OF = click.option(
    "--as-of",
    callback=_as_of,
    default=None,
    help=(
        "Snapshot date YYYY-MM-DD (default: the data's own date: openFDA last_updated, "
        "zip member dates, else the newest date inside the data)."
    ),
)


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None]]:
    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as progress:
        task = progress.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield advance


def _finish(cli: CliContext, reports: list[LoadReport]) -> None:
    """Print each load's summary and append it to the audit trail."""
    with cli.app.app_context(), db.session_scope() as session:
        for report in reports:
            for line in report.summary_lines():
                click.echo(line)
            append_event(
                session,
                actor=cli_actor(),
                action="reference.loaded",
                subject=f"reference:{report.dataset}",
                payload={
                    "dataset": report.dataset,
                    "snapshot_id": report.snapshot_id,
                    "as_of": report.as_of,
                    "rows_read": report.rows_read,
                    "rows_loaded": report.rows_loaded,
                    "rows_rejected": report.rows_rejected,
                },
            )


@click.group()
def reference() -> None:
    """Reference data: NDC Directory, recalls, import alerts."""


@reference.command("load-ndc")
@click.argument("paths", nargs=-1, required=True, type=EXISTING)
@AS_OF
@pass_cli
def load_ndc_command(cli: CliContext, paths: tuple[Path, ...], as_of: date | None) -> None:
    """Load FDA NDC Directory files: a folder, product/package files, or FDA's zips.

    finished (product.txt, package.txt), unfinished_*.txt and *_excluded.txt
    are each loaded as their own dataset, replacing its previous snapshot.
    """
    sources = read_sources(list(paths))
    try:
        _variants, ignored = classify(sources)
        for name in ignored:
            click.echo(f"ignored (not an NDC Directory text file): {name}")
        with cli.app.app_context(), _progress("loading NDC rows") as advance:
            reports = load_ndc(db.engine, sources, as_of, advance)
    except NdcLoadError as exc:
        raise click.ClickException(str(exc)) from exc
    _finish(cli, reports)


@reference.command("load-recalls")
@click.argument("path", type=EXISTING)
@AS_OF
@pass_cli
def load_recalls_command(cli: CliContext, path: Path, as_of: date | None) -> None:
    """Load openFDA drug enforcement reports (.json, .json.gz or openFDA's .zip)."""
    try:
        with cli.app.app_context(), _progress("loading recalls") as advance:
            report = load_recalls(db.engine, read_sources([path]), as_of, advance)
    except RecallLoadError as exc:
        raise click.ClickException(str(exc)) from exc
    _finish(cli, [report])


@reference.command("load-import-alerts")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@AS_OF
@pass_cli
def load_import_alerts_command(cli: CliContext, path: Path, as_of: date | None) -> None:
    """Load import-alert firm lists from a CSV (see sample_data/import_alerts_template.csv)."""
    try:
        with cli.app.app_context():
            report = load_import_alerts(db.engine, read_sources([path])[0], as_of)
    except ImportAlertLoadError as exc:
        raise click.ClickException(str(exc)) from exc
    _finish(cli, [report])


@reference.command("load-registrations")
@click.argument("path", type=EXISTING)
@AS_OF
@pass_cli
def load_registrations_command(cli: CliContext, path: Path, as_of: date | None) -> None:
    """Load FDA's drug establishment registration file (drls_reg.zip or drls_reg.txt).

    Replaces the previous registration snapshot; FEI and DUNS of every
    currently registered establishment are what R40 checks entries against.
    """
    try:
        with cli.app.app_context(), _progress("loading establishments") as advance:
            report = load_registrations(db.engine, read_sources([path]), as_of, advance)
    except RegistrationLoadError as exc:
        raise click.ClickException(str(exc)) from exc
    _finish(cli, [report])


@reference.command("load-refusals")
@click.argument("paths", nargs=-1, required=True, type=EXISTING)
@AS_OF
@pass_cli
def load_refusals_command(cli: CliContext, paths: tuple[Path, ...], as_of: date | None) -> None:
    """Load FDA Import Refusal records: the bulk CSV(s) with ACT_SECTION_CHARGES.csv, or the zip.

    Replaces the previous refusal snapshot (give every year's file at once).
    """
    try:
        with cli.app.app_context(), _progress("loading refusals") as advance:
            report = load_refusals(db.engine, read_sources(list(paths)), as_of, advance)
    except RefusalLoadError as exc:
        raise click.ClickException(str(exc)) from exc
    _finish(cli, [report])


UPDATE_ERRORS = (
    DownloadError,
    NdcLoadError,
    RecallLoadError,
    RefusalLoadError,
    RegistrationLoadError,
)
"""What stops one dataset's update without stopping the others."""


@contextmanager
def _update_progress(
    name: str,
) -> Iterator[tuple[Callable[[int, int | None], None], Callable[[int, int], None]]]:
    """One live display with a download bar (bytes) and a load bar (rows)."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as progress:
        fetch_task = progress.add_task(f"{name}: downloading (bytes)", total=None)
        load_task = progress.add_task(f"{name}: loading (rows)", total=None, visible=False)

        def fetched(done: int, total: int | None) -> None:
            progress.update(fetch_task, completed=done, total=total)

        def loaded(done: int, total: int) -> None:
            progress.update(load_task, completed=done, total=total, visible=True)

        yield fetched, loaded


@reference.command("update")
@click.argument("datasets", nargs=-1)
@pass_cli
def update_command(cli: CliContext, datasets: tuple[str, ...]) -> None:
    """Download each dataset (default: all configured) and load it if it changed.

    Datasets: ndc, recalls, registrations, refusals; URLs in [reference_sources].
    Requests are conditional (ETag, Last-Modified), a partial download resumes,
    and a file is loaded only when complete and verified. Exits non-zero if
    any dataset failed; the others are still updated.
    """
    sources = cli.settings.reference_sources
    unknown = [name for name in datasets if name not in FEEDS]
    if unknown:
        raise click.BadParameter(
            f"unknown dataset(s) {', '.join(unknown)} (known: {', '.join(FEEDS)})",
            param_hint="DATASET",
        )
    names = list(datasets) or configured_feeds(sources)
    folder = (
        Path(sources.download_dir)
        if sources.download_dir
        else cli.settings.instance_dir / "downloads"
    )
    failed: list[str] = []
    for name in names:
        try:
            with cli.app.app_context(), _update_progress(name) as (fetched, loading):
                result = update_feed(
                    db.engine,
                    name,
                    sources,
                    folder,
                    bytes_progress=fetched,
                    rows_progress=loading,
                )
        except UPDATE_ERRORS as exc:
            click.echo(f"{name}: failed: {exc}", err=True)
            failed.append(name)
            continue
        download = result.download
        if result.outcome == "not modified":
            click.echo(f"{name}: not modified since the last download ({result.url})")
        elif result.outcome == "unchanged":
            click.echo(f"{name}: downloaded again, same SHA-256 as loaded; not reloaded")
        else:
            assert download is not None
            resumed = f", resumed at byte {download.resumed_from}" if download.resumed_from else ""
            click.echo(
                f"{name}: downloaded {download.size} bytes{resumed}, sha256 {download.sha256}"
            )
            _finish(cli, result.reports)
    if failed:
        raise click.ClickException(f"not updated: {', '.join(failed)}")
