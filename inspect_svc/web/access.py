"""Who is looking at a page: the logged-in user, login and logout, and the page guard."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from inspect_svc import browser_session, login_throttle
from inspect_svc.auth import ROLE_RANK
from inspect_svc.current import settings
from inspect_svc.db import db
from inspect_svc.models import User

F = TypeVar("F", bound=Callable[..., Any])

# Compared against when the name is unknown, so a failed login takes the same time
# whether or not the user exists.
_DUMMY_HASH = generate_password_hash("not-a-password")


@dataclass(frozen=True)
class LoginAttempt:
    """The outcome of a login: the user, or none and the seconds to wait before the next try."""

    user: User | None
    retry_after: int = 0


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The user if `password` is theirs; users without a password cannot log in."""
    user = session.scalar(select(User).where(User.name == name))
    stored = user.password_hash if user is not None else None
    matches = check_password_hash(stored or _DUMMY_HASH, password)
    return user if user is not None and stored and matches else None


def attempt_login(name: str, password: str, address: str) -> LoginAttempt:
    """Check the password unless back-off applies, and count the outcome.

    Runs in a session of its own that commits even when the login fails
    (the request's session rolls back on error statuses).
    """
    now = datetime.now(UTC)
    with db.session_scope() as session:
        wait = login_throttle.seconds_to_wait(session, address, name, now)
        if wait:
            return LoginAttempt(None, wait)
        user = authenticate(session, name, password)
        if user is None:
            login_throttle.record_failure(session, address, name, now, settings().auth)
            return LoginAttempt(None)
        login_throttle.record_success(session, address, name)
        return LoginAttempt(user)


def log_in(user: User) -> None:
    """Start a fresh session for `user` (a new session id and CSRF token)."""
    browser_session.start(user)


def log_out() -> None:
    """End this session and every other session of its user."""
    browser_session.end(browser_session.current_user())


def page_user() -> User | None:
    """The user of a live session cookie, if any."""
    return browser_session.current_user()


def safe_next(target: str | None) -> str:
    """`target` if it is a path on this site, else the inspect page (no open redirects)."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and "\\" not in target:
            return target
    return url_for("web.inspect")


def page_role(role: str) -> Callable[[F], F]:
    """Guard a page: to the login page without a session, 403 page below `role`."""
    if role not in ROLE_RANK:
        raise ValueError(f"unknown role {role!r}")

    def decorator(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            user = page_user()
            if user is None:
                return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
            if ROLE_RANK[user.role] < ROLE_RANK[role]:
                detail = f"This page needs the '{role}' role; you have '{user.role}'."
                page = render_template("error.html", status=403, title="Forbidden", detail=detail)
                return page, 403
            return view(*args, **kwargs)

        return cast(F, guarded)

    return decorator
