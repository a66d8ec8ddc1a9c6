"""`inspect-svc user set-password`: give a person a password for the web pages."""

from __future__ import annotations

import click
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from inspect_svc.auth import ensure_user
from inspect_svc.cli.context import CliContext, pass_cli
from inspect_svc.db import db
from inspect_svc.models import ROLES, User

MIN_PASSWORD_LENGTH = 8


@click.group("user")
def user_command() -> None:
    """People who log in to the web pages."""


@user_command.command("set-password")
@click.option("--user", "user_name", required=True, help="User name.")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    default=None,
    help="Create the user with this role if it does not exist (or change its role).",
)
@click.password_option(help="The new password (prompted for, twice, when not given).")
@pass_cli
def set_password(cli: CliContext, user_name: str, role: str | None, password: str) -> None:
    """Set the password a user logs in to the web pages with (stored as a salted hash)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(
            f"use at least {MIN_PASSWORD_LENGTH} characters", param_hint="password"
        )
    with cli.app.app_context(), db.session_scope() as session:
        if role is not None:
            user = ensure_user(session, user_name, role)
        else:
            found = session.scalar(select(User).where(User.name == user_name))
            if found is None:
                raise click.ClickException(f"no user {user_name!r}; pass --role to create one")
            user = found
        user.password_hash = generate_password_hash(password)
    click.echo(f"password set for '{user_name}'")
