"""`inspect-svc user`: passwords for the web pages and role changes (audited)."""

from __future__ import annotations

import click
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from inspect_svc import browser_session
from inspect_svc.audit import append_event
from inspect_svc.auth import RoleConflict, ensure_user
from inspect_svc.cli.context import CliContext, cli_actor, pass_cli
from inspect_svc.db import db
from inspect_svc.models import ROLES, User

MIN_PASSWORD_LENGTH = 8


@click.group("user")
def user_command() -> None:
    """People who log in to the web pages, and the role of any user."""


def _existing_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise click.ClickException(f"no user {name!r}")
    return user


@user_command.command("set-password")
@click.option("--user", "user_name", required=True, help="User name.")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    default=None,
    help="Create the user with this role if it does not exist (an existing user keeps its "
    "role; change it with `user set-role`).",
)
@click.password_option(help="The new password (prompted for, twice, when not given).")
@pass_cli
def set_password(cli: CliContext, user_name: str, role: str | None, password: str) -> None:
    """Set the password a user logs in with (a salted hash); ends the user's open sessions."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.BadParameter(
            f"use at least {MIN_PASSWORD_LENGTH} characters", param_hint="password"
        )
    with cli.app.app_context(), db.session_scope() as session:
        if role is not None:
            try:
                user = ensure_user(session, user_name, role)
            except RoleConflict as exc:
                raise click.ClickException(str(exc)) from exc
        else:
            found = session.scalar(select(User).where(User.name == user_name))
            if found is None:
                raise click.ClickException(f"no user {user_name!r}; pass --role to create one")
            user = found
        user.password_hash = generate_password_hash(password)
        browser_session.end_all(user)
    click.echo(f"password set for '{user_name}'")


@user_command.command("set-role")
@click.option("--user", "user_name", required=True, help="User name.")
@click.option("--role", type=click.Choice(ROLES), required=True)
@pass_cli
def set_role(cli: CliContext, user_name: str, role: str) -> None:
    """Change a user's role; it applies at once to all of the user's tokens and sessions."""
    with cli.app.app_context(), db.session_scope() as session:
        user = _existing_user(session, user_name)
        previous = user.role
        if previous == role:
            click.echo(f"'{user_name}' already has the role '{role}'")
            return
        user.role = role
        append_event(
            session,
            actor=cli_actor(),
            action="user.role_changed",
            subject=f"user:{user.name}",
            payload={"user": user.name, "from": previous, "to": role},
        )
    click.echo(f"role of '{user_name}' changed from '{previous}' to '{role}'")
