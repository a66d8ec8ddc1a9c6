"""Who may do what: tokens, the role ladder and the `require_role` guard.

Roles are ordered inspector < officer < admin; a role may do everything the
roles below it may. API clients (people's scripts and scanner agents) send
`Authorization: Bearer <token>`; the service stores only the token's SHA-256
digest; a token may carry an expiry. The web pages use a signed session
cookie instead (see `browser_session`); an API call made from a page with
that cookie must also carry the page's CSRF token.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any, TypeVar, cast

from flask import g, request
from flask_wtf.csrf import CSRFError, validate_csrf
from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session
from wtforms.validators import ValidationError as CsrfTokenInvalid

from inspect_svc import browser_session
from inspect_svc.actors import ROLE_RANK, Actor
from inspect_svc.db import db
from inspect_svc.models import ApiToken, User
from inspect_svc.problems import Problem

F = TypeVar("F", bound=Callable[..., Any])


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_hint(token: str, prefix: str) -> str:
    """The first characters of a token, enough to recognise it in lists and logs."""
    return token[: len(prefix) + 4]


def issue_token(
    session_: Session,
    user: User,
    prefix: str,
    label: str | None = None,
    expires_at: datetime | None = None,
) -> str:
    """Create a token for `user` and return it; only its digest is stored."""
    token = prefix + secrets.token_urlsafe(32)
    session_.add(
        ApiToken(
            user=user,
            digest=digest(token),
            hint=token_hint(token, prefix),
            label=label,
            expires_at=expires_at,
        )
    )
    return token


class RoleConflict(ValueError):
    """An existing user has another role than the one asked for; changing it must be explicit."""


def ensure_user(session_: Session, name: str, role: str) -> User:
    """The user called `name`, created with `role` if new.

    An existing user with another role raises `RoleConflict`: a role applies
    to all of a user's tokens and sessions, so it changes only through
    `inspect-svc user set-role`, never as a side effect.
    """
    if role not in ROLE_RANK:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLE_RANK)}")
    user = session_.scalar(select(User).where(User.name == name))
    if user is None:
        user = User(name=name, role=role)
        session_.add(user)
        session_.flush()
    elif user.role != role:
        raise RoleConflict(
            f"user {name!r} exists with role {user.role!r}, not {role!r}; its tokens and "
            f"sessions carry that role. To change it, run "
            f"`inspect-svc user set-role --user {name} --role {role}`."
        )
    return user


# Built once, and read as plain rows (no ORM objects): every API request runs it.
_TOKENS = cast(Table, ApiToken.__table__)
_USERS = cast(Table, User.__table__)
_LIVE_TOKEN = (
    select(_TOKENS.c.expires_at, _USERS.c.id, _USERS.c.name, _USERS.c.role)
    .join(_USERS, _USERS.c.id == _TOKENS.c.user_id)
    .where(_TOKENS.c.digest == bindparam("digest"), _TOKENS.c.revoked_at.is_(None))
)


def _actor_from_bearer(header: str) -> Actor:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(
            401, "The Authorization header must be 'Bearer <token>'.", problem="unauthenticated"
        )
    row = db.session.execute(_LIVE_TOKEN, {"digest": digest(token.strip())}).first()
    if row is None:
        raise Problem(401, "The token is not valid or has been revoked.", problem="unauthenticated")
    if row.expires_at is not None and row.expires_at <= datetime.now(UTC):
        raise Problem(
            401,
            f"The token expired at {row.expires_at.isoformat()}; ask for a new one.",
            problem="unauthenticated",
        )
    return Actor(row.id, row.name, row.role, "token")


def _actor_from_session() -> Actor | None:
    user = browser_session.current_user()
    if user is None:
        return None
    return Actor(user.id, user.name, user.role, "session")


def current_actor(*, allow_session: bool = True) -> Actor:
    """Authenticate the request or raise a 401 problem."""
    if "actor" in g:
        return cast(Actor, g.actor)
    header = request.headers.get("Authorization")
    actor: Actor | None
    if header:
        actor = _actor_from_bearer(header)
    else:
        actor = _actor_from_session() if allow_session else None
        if actor is not None and request.method not in ("GET", "HEAD", "OPTIONS"):
            try:
                validate_csrf(request.headers.get("X-CSRFToken"))
            except (CSRFError, CsrfTokenInvalid) as exc:
                reason = exc.description if isinstance(exc, CSRFError) else str(exc)
                raise Problem(403, f"CSRF check failed: {reason}", problem="csrf") from exc
    if actor is None:
        raise Problem(
            401, "This endpoint needs 'Authorization: Bearer <token>'.", problem="unauthenticated"
        )
    g.actor = actor
    return actor


def require_role(role: str) -> Callable[[F], F]:
    """Guard a view: 401 without a valid credential, 403 below `role`."""
    if role not in ROLE_RANK:
        raise ValueError(f"unknown role {role!r}")

    def decorator(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            actor = current_actor()
            if not actor.may(role):
                raise Problem(
                    403,
                    f"This action needs the '{role}' role; you have '{actor.role}'.",
                    problem="forbidden",
                )
            return view(*args, **kwargs)

        return cast(F, guarded)

    return decorator
