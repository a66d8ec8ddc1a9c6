"""`inspect-svc replay`: what a different rule policy would have recommended."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import click

from inspect_svc.cli.context import CliContext, pass_cli
from inspect_svc.current import runtime_for
from inspect_svc.db import db
from inspect_svc.triage.replay import replay
from rules.policy import PolicyError, load_policy


@click.command("replay")
@click.option(
    "--policy",
    "policy_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Rule policy TOML to evaluate stored scans under.",
)
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Only shipments created on or after this date.",
)
@click.option(
    "--until",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Only shipments created before this date.",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per shipment.")
@click.option("--all", "show_all", is_flag=True, help="Also list shipments that do not change.")
@pass_cli
def replay_command(
    cli: CliContext,
    policy_path: Path,
    since: datetime | None,
    until: datetime | None,
    as_json: bool,
    show_all: bool,
) -> None:
    """Re-run stored scans under another policy and print which recommendations would change.

    Nothing stored is modified.
    """
    try:
        other = load_policy(policy_path)
    except PolicyError as exc:
        raise click.ClickException(str(exc)) from exc
    changed = total = shadow_changed = 0
    with cli.app.app_context():
        session = db.new_session()
        try:
            runtime = runtime_for(session)
            for result in replay(
                session,
                runtime,
                other,
                since.replace(tzinfo=UTC) if since else None,
                until.replace(tzinfo=UTC) if until else None,
            ):
                total += 1
                changed += result.changed
                shadow_changed += result.shadow_changed
                if not (result.changed or result.shadow_changed or show_all):
                    continue
                if as_json:
                    click.echo(
                        json.dumps(
                            {
                                **result.__dict__,
                                "changed": result.changed,
                                "shadow_changed": result.shadow_changed,
                            }
                        )
                    )
                else:
                    click.echo(result.explain())
        finally:
            session.rollback()
            session.close()
    click.echo(
        f"{changed} of {total} shipments would change recommendation "
        f"(policy {other.version} vs stored).",
        err=True,
    )
    if other.shadow_rules:
        click.echo(
            f"{shadow_changed} of {total} shipments would change recommendation if the "
            f"shadow rules ({', '.join(sorted(other.shadow_rules))}) were active.",
            err=True,
        )
