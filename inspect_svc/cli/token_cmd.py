"""`inspect-svc token`: create, list and revoke API tokens (each act audited)."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from inspect_svc.audit import append_event
from inspect_svc.auth import ensure_user, issue_token, token_hint
from inspect_svc.cli.context import CliContext, cli_actor, pass_cli
from inspect_svc.db import db
from inspect_svc.models import ROLES, ApiToken, User


def record_token_created(session: Session, user: User, token: str, label: str | None) -> None:
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
        },
    )


@click.group("token")
def token_group() -> None:
    """API tokens for people's scripts and scanner agents."""


@token_group.command("create")
@click.option("--user", "user_name", required=True, help="User name (created if new).")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--label", default=None, help="What the token is for, e.g. a device id.")
@pass_cli
def token_create(cli: CliContext, user_name: str, role: str, label: str | None) -> None:
    """Create a user if needed and print a new API token once."""
    with cli.app.app_context(), db.session_scope() as session:
        user = ensure_user(session, user_name, role)
        prefix = cli.settings.auth.token_prefix
        secret = issue_token(session, user, prefix, label=label)
        record_token_created(session, user, token_hint(secret, prefix), label)
    click.echo(secret)


@token_group.command("list")
@pass_cli
def token_list(cli: CliContext) -> None:
    """Every token: id, user, role, first characters, label, created, revoked."""
    with cli.app.app_context(), db.session_scope() as session:
        rows = session.execute(
            select(ApiToken, User).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
        ).all()
        for token, user in rows:
            revoked = token.revoked_at.isoformat() if token.revoked_at else "-"
            click.echo(
                f"{token.id}\t{user.name}\t{user.role}\t{token.hint}…\t{token.label or '-'}\t"
                f"{token.created_at.isoformat()}\trevoked: {revoked}"
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
