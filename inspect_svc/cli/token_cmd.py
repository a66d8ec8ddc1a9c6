"""`inspect-svc token`: create, list and revoke API tokens (each act audited)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_svc.audit import append_event
from inspect_svc.auth import RoleConflict, ensure_user, issue_token, token_hint
from inspect_svc.cli.context import CliContext, cli_actor, pass_cli
from inspect_svc.db import db
from inspect_svc.models import ROLES, ApiToken, User

_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNIT = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta:
    """`90m`, `12h`, `30d` or `8w` as a timedelta.

    >>> parse_duration("30d")
    datetime.timedelta(days=30)
    """
    match = _DURATION.match(text)
    if match is None or int(match.group(1)) == 0:
        raise click.BadParameter(
            f"{text!r} is not a duration; use a positive number and a unit: "
            "m (minutes), h (hours), d (days) or w (weeks), e.g. 30d",
            param_hint="--expires-in",
        )
    return timedelta(**{_UNIT[match.group(2)]: int(match.group(1))})


def parse_expiry_moment(text: str) -> datetime:
    """A date (`2027-03-31`, the start of that day in UTC) or an ISO 8601 date and time."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise click.BadParameter(
            f"{text!r} is not a date; use YYYY-MM-DD or an ISO 8601 time such as "
            "2027-03-31T18:00:00+00:00",
            param_hint="--expires",
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def token_expiry(expires_in: str | None, expires: str | None, now: datetime) -> datetime | None:
    """The expiry asked for by `--expires-in` or `--expires` (not both); None for never."""
    if expires_in and expires:
        raise click.UsageError("give --expires-in or --expires, not both")
    if expires_in:
        return now + parse_duration(expires_in)
    if expires:
        moment = parse_expiry_moment(expires)
        if moment <= now:
            raise click.BadParameter(
                f"{moment.isoformat()} is already past", param_hint="--expires"
            )
        return moment
    return None


def record_token_created(
    session: Session,
    user: User,
    token: str,
    label: str | None,
    expires_at: datetime | None = None,
) -> None:
    prefix = token[: len(token) - len(token.lstrip("abcdefghijklmnopqrstuvwxyz_"))]
    append_event(
        session,
        actor=cli_actor(),
        action="token.created",
        subject=f"user:{user.name}",
        payload={
            "user": user.name,
            "role": user.role,
            "label": label,
            "hint": token[: len(prefix) + 4],
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )


@click.group("token")
def token_group() -> None:
    """API tokens for people's scripts and scanner agents."""


@token_group.command("create")
@click.option("--user", "user_name", required=True, help="User name (created if new).")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--label", default=None, help="What the token is for, e.g. a device id.")
@click.option("--expires-in", default=None, help="Lifetime, e.g. 90m, 12h, 30d, 8w.")
@click.option("--expires", default=None, help="Expiry date (UTC) or ISO 8601 time.")
@pass_cli
def token_create(
    cli: CliContext,
    user_name: str,
    role: str,
    label: str | None,
    expires_in: str | None,
    expires: str | None,
) -> None:
    """Create a user if needed and print a new API token once.

    For an existing user, --role must be the user's role: changing a role
    is done with `inspect-svc user set-role`.
    """
    expires_at = token_expiry(expires_in, expires, datetime.now(UTC))
    with cli.app.app_context(), db.session_scope() as session:
        try:
            user = ensure_user(session, user_name, role)
        except RoleConflict as exc:
            raise click.ClickException(str(exc)) from exc
        prefix = cli.settings.auth.token_prefix
        secret = issue_token(session, user, prefix, label=label, expires_at=expires_at)
        record_token_created(session, user, token_hint(secret, prefix), label, expires_at)
    click.echo(secret)


@token_group.command("list")
@pass_cli
def token_list(cli: CliContext) -> None:
    """Every token: id, user, role, first characters, label, created, revoked, expires."""
    now = datetime.now(UTC)
    with cli.app.app_context(), db.session_scope() as session:
        rows = session.execute(
            select(ApiToken, User).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
        ).all()
        for token, user in rows:
            revoked = token.revoked_at.isoformat() if token.revoked_at else "-"
            expires = token.expires_at.isoformat() if token.expires_at else "never"
            if token.expires_at and token.expires_at <= now:
                expires += " (expired)"
            click.echo(
                f"{token.id}\t{user.name}\t{user.role}\t{token.hint}…\t{token.label or '-'}\t"
                f"{token.created_at.isoformat()}\trevoked: {revoked}\texpires: {expires}"
            )


@token_group.command("revoke")
@click.argument("token_id", type=int)
@pass_cli
def token_revoke(cli: CliContext, token_id: int) -> None:
    """Revoke the token with this id (see `token list`); it stops working at once."""
    with cli.app.app_context(), db.session_scope() as session:
        token = session.get(ApiToken, token_id)
        if token is None:
            raise click.ClickException(f"no token with id {token_id}")
        if token.revoked_at is not None:
            click.echo(f"token {token_id} was already revoked at {token.revoked_at.isoformat()}")
            return
        token.revoked_at = datetime.now(UTC)
        append_event(
            session,
            actor=cli_actor(),
            action="token.revoked",
            subject=f"token:{token.id}",
            payload={"token_id": token.id, "user": token.user.name, "hint": token.hint},
        )
    click.echo(f"token {token_id} revoked")
