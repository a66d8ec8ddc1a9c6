"""`inspect-svc`: set-up, data loading, tokens, exports, audit and replay."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError

from inspect_svc.audit import append_event
from inspect_svc.auth import RoleConflict, ensure_user, issue_token, token_hint
from inspect_svc.cli.cases import audit_group, export_command
from inspect_svc.cli.context import CliContext, cli_actor, pass_cli
from inspect_svc.cli.interpret_cmd import interpret_command
from inspect_svc.cli.preflight import check_database, check_instance_dir
from inspect_svc.cli.reference import reference as reference_group
from inspect_svc.cli.replay_cmd import replay_command
from inspect_svc.cli.token_cmd import record_token_created, token_group
from inspect_svc.cli.user_cmd import user_command
from inspect_svc.current import policy
from inspect_svc.db import db
from inspect_svc.migrate import upgrade
from inspect_svc.settings import CONFIG_DIR, SettingsError, load_settings
from inspect_svc.triage.policy_audit import record_policy_activation


@click.group()
@click.pass_context
def main(ctx: click.Context) -> None:
    """Import inspection triage service."""
    if ctx.obj is None:
        try:
            ctx.obj = CliContext(load_settings())
        except SettingsError as exc:
            raise click.ClickException(f"configuration error: {exc}") from exc


@main.command()
@click.option(
    "--admin",
    "admin_name",
    default="admin",
    show_default=True,
    help="Name of the admin user to create if there is none.",
)
@click.option("--no-token", is_flag=True, help="Do not print a new admin token.")
@pass_cli
def init(cli: CliContext, admin_name: str, no_token: bool) -> None:
    """Create or upgrade the schema and load the bundled sample reference data (idempotent)."""
    settings = cli.settings
    check_instance_dir(settings)
    check_database(settings, need_schema=False)
    upgrade(settings.database_url)
    click.echo(f"schema at head: {cli.display_url}")
    app = cli.app
    with app.app_context():
        from inspect_svc.reference.sample import load_bundled_sample

        if settings.reference.load_sample_on_init:
            lines = list(load_bundled_sample(db.engine))
            for line in lines:
                click.echo(line)
            with db.session_scope() as session:
                append_event(
                    session,
                    actor=cli_actor(),
                    action="reference.sample_checked",
                    subject="reference:sample",
                    payload={"summary": lines},
                )
        with db.session_scope() as session:
            if record_policy_activation(session, cli_actor(), policy(), settings.policy_path):
                click.echo(f"rule policy activated: {settings.policy_path}")
        if not no_token:
            with db.session_scope() as session:
                try:
                    user = ensure_user(session, admin_name, "admin")
                except RoleConflict as exc:
                    raise click.ClickException(f"{exc} Or pass another --admin name.") from exc
                prefix = settings.auth.token_prefix
                token = issue_token(session, user, prefix, label="init")
                record_token_created(session, user, token_hint(token, prefix), "init")
            click.echo(f"admin token for '{admin_name}' (shown once): {token}")


@main.command()
@click.option("--bind", default=None, help="HOST:PORT (default: server.bind).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: server.workers, 0 = 2 x cores + 1).",
)
@pass_cli
def serve(cli: CliContext, bind: str | None, workers: int | None) -> None:
    """Run the service under gunicorn with config/gunicorn.conf.py."""
    check_instance_dir(cli.settings)
    check_database(cli.settings, need_schema=True)
    try:
        with cli.app.app_context(), db.session_scope() as session:
            policy_path = cli.settings.policy_path
            if record_policy_activation(session, cli_actor(), policy(), policy_path):
                click.echo(f"rule policy activated: {policy_path}")
    except SQLAlchemyError as exc:
        raise click.ClickException(
            f"the database is not ready ({type(exc).__name__}); run `inspect-svc init` first"
        ) from exc
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    argv = [gunicorn, "--config", str(CONFIG_DIR / "gunicorn.conf.py")]
    if bind:
        argv += ["--bind", bind]
    if workers:
        argv += ["--workers", str(workers)]
    argv.append("inspect_svc.wsgi:app")
    os.execv(gunicorn, argv)


main.add_command(interpret_command, "interpret")
main.add_command(reference_group, "reference")
main.add_command(replay_command, "replay")
main.add_command(export_command, "export")
main.add_command(audit_group, "audit")
main.add_command(user_command, "user")
main.add_command(token_group, "token")
