"""Browser sessions: who is logged in, for how long, and how a session ends.

The session lives in Flask's signed cookie, which the server cannot take
back once issued; so the cookie carries what the server checks on every
request:

- the user's `session_version` at login. Logout and a password change bump
  the number on the user row, so every cookie issued before (including one
  copied from the browser, with its CSRF token) stops working at once, on
  every worker and host;
- the login time: the session ends `auth.session_max_minutes` after login
  however active it is (absolute timeout);
- the last request time: the session ends after `auth.session_minutes`
  without a request (idle timeout). The cookie itself also expires then.
"""

from __future__ import annotations

import time
from typing import cast

from flask import g, session

from inspect_svc.current import settings
from inspect_svc.db import db
from inspect_svc.models import User

USER = "user_id"
VERSION = "session_version"
STARTED = "started_at"
SEEN = "seen_at"


def start(user: User) -> None:
    """A fresh session for `user` (new CSRF token), stamped with its session version."""
    now = int(time.time())
    session.clear()
    session.update({USER: user.id, VERSION: user.session_version, STARTED: now, SEEN: now})
    session.permanent = True
    g.session_user = user


def end_all(user: User) -> None:
    """End every session of `user`: cookies stamped with the old version are refused."""
    user.session_version += 1


def end(user: User | None) -> None:
    """Log out: this session, and every other session of the same user, ends."""
    if user is not None:
        end_all(user)
    session.clear()
    g.session_user = None


def current_user() -> User | None:
    """The user of a live session cookie, or None (an expired or ended session is cleared)."""
    if "session_user" not in g:
        g.session_user = _load()
    return cast(User | None, g.session_user)


def _load() -> User | None:
    if USER not in session:
        return None
    values = [session.get(key) for key in (USER, VERSION, STARTED, SEEN)]
    if not all(isinstance(value, int) for value in values):
        session.clear()
        return None
    user_id, version, started, seen = cast(list[int], values)
    auth = settings().auth
    now = int(time.time())
    if now - seen > auth.session_minutes * 60 or now - started > auth.session_max_minutes * 60:
        session.clear()
        return None
    user = db.session.get(User, user_id)
    if user is None or user.session_version != version:
        session.clear()
        return None
    if now != seen:
        session[SEEN] = now
    return user
