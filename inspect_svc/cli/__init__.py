"""`inspect-svc`: set-up, data loading, tokens, exports, audit and replay."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import click

from inspect_svc.auth import ensure_user, issue_token
from inspect_svc.cli.cases import audit_group, export_command
from inspect_svc.cli.context import CliContext, pass_cli
from inspect_svc.cli.interpret_cmd import interpret_command
from inspect_svc.cli.reference import reference as reference_group
from inspect_svc.cli.replay_cmd import replay_command
from inspect_svc.cli.user_cmd import user_command
from inspect_svc.db import db
from inspect_svc.migrate import upgrade
from inspect_svc.models import ROLES
from inspect_svc.settings import CONFIG_DIR, SettingsError, load_settings


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
    settings.instance_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.database_url)
    click.echo(f"schema at head: {cli.display_url}")
    app = cli.app
    with app.app_context():
        from inspect_svc.reference.sample import load_bundled_sample

        if settings.reference.load_sample_on_init:
            for line in load_bundled_sample(db.engine):
                click.echo(line)
        if not no_token:
            with db.session_scope() as session:
                user = ensure_user(session, admin_name, "admin")
                token = issue_token(session, user, settings.auth.token_prefix, label="init")
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


@main.group()
def token() -> None:
    """API tokens."""


@token.command("create")
@click.option("--user", "user_name", required=True, help="User name (created if new).")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--label", default=None, help="What the token is for, e.g. a device id.")
@pass_cli
def token_create(cli: CliContext, user_name: str, role: str, label: str | None) -> None:
    """Create a user if needed and print a new API token once."""
    with cli.app.app_context(), db.session_scope() as session:
        user = ensure_user(session, user_name, role)
        secret = issue_token(session, user, cli.settings.auth.token_prefix, label=label)
    click.echo(secret)
