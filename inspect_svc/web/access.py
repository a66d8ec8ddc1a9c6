"""Who is looking at a page: the logged-in user, login and logout, and the page guard."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import g, redirect, render_template, request, session, url_for
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from inspect_svc.auth import ROLE_RANK
from inspect_svc.db import db
from inspect_svc.models import User

F = TypeVar("F", bound=Callable[..., Any])

# Compared against when the name is unknown, so a failed login takes the same time
# whether or not the user exists.
_DUMMY_HASH = generate_password_hash("not-a-password")


def authenticate(name: str, password: str) -> User | None:
    """The user if `password` is theirs; users without a password cannot log in."""
    user = db.session.scalar(select(User).where(User.name == name))
    stored = user.password_hash if user is not None else None
    matches = check_password_hash(stored or _DUMMY_HASH, password)
    return user if user is not None and stored and matches else None


def log_in(user: User) -> None:
    """Start a fresh session for `user` (a new session id and CSRF token)."""
    session.clear()
    session["user_id"] = user.id
    session.permanent = True


def log_out() -> None:
    session.clear()


def page_user() -> User | None:
    """The user of the session cookie, if any."""
    if "page_user" not in g:
        user_id = session.get("user_id")
        g.page_user = db.session.get(User, user_id) if user_id is not None else None
    return cast(User | None, g.page_user)


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
