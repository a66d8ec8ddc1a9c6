"""Back-off after failed logins, per client address and per user name.

Each failure beyond a free allowance doubles the wait before the next try
(1 s, 2 s, 4 s ...), up to a cap. The address limit does the real work
against one guesser: few free failures, a cap of minutes. The user-name
limit only slows guessing spread over many addresses; its allowance is
twice the address's and its cap is seconds, so nobody can lock a real
person out for long by failing on their name. A successful login clears
the address's and the name's failures; failures are forgotten after an
hour of quiet. Counts live in the database so every worker shares them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from inspect_svc.models import LoginThrottle
from inspect_svc.settings import AuthSettings
from inspect_svc.upsert import add_rows_if_absent

FORGET_AFTER = timedelta(hours=1)
SUBJECT_LENGTH = 120


@dataclass(frozen=True)
class Backoff:
    """`free` failures are allowed; then the wait doubles from 1 s up to `cap_seconds`."""

    free: int
    cap_seconds: int

    def wait_after(self, failures: int) -> int:
        if failures <= self.free:
            return 0
        exponent = min(failures - self.free - 1, 30)
        return min(2**exponent, self.cap_seconds)


def backoffs(auth: AuthSettings) -> dict[str, Backoff]:
    return {
        "address": Backoff(auth.login_free_failures, auth.login_address_backoff_max_seconds),
        "user": Backoff(2 * auth.login_free_failures, auth.login_user_backoff_max_seconds),
    }


def _keys(address: str, name: str) -> list[tuple[str, str]]:
    return [("address", address[:SUBJECT_LENGTH]), ("user", name.casefold()[:SUBJECT_LENGTH])]


def seconds_to_wait(session: Session, address: str, name: str, now: datetime) -> int:
    """Seconds before this address may try this name again; 0 when it may try now."""
    waits = [0]
    for scope, subject in _keys(address, name):
        row = session.get(LoginThrottle, (scope, subject))
        if row is not None and row.blocked_until is not None and row.blocked_until > now:
            waits.append(math.ceil((row.blocked_until - now).total_seconds()))
    return max(waits)


def record_failure(
    session: Session, address: str, name: str, now: datetime, auth: AuthSettings
) -> int:
    """Count a failed login against the address and the name; the wait it earned, in seconds."""
    policy = backoffs(auth)
    keys = _keys(address, name)
    add_rows_if_absent(
        session,
        LoginThrottle,
        [{"scope": s, "subject": k, "failures": 0, "last_failure_at": now} for s, k in keys],
        ["scope", "subject"],
    )
    waits = [0]
    for scope, subject in keys:
        row = session.scalars(
            select(LoginThrottle)
            .where(LoginThrottle.scope == scope, LoginThrottle.subject == subject)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        if now - row.last_failure_at > FORGET_AFTER:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        wait = policy[scope].wait_after(row.failures)
        row.blocked_until = now + timedelta(seconds=wait) if wait else None
        waits.append(wait)
    return max(waits)


def record_success(session: Session, address: str, name: str) -> None:
    """A successful login clears the failures of its address and of its name."""
    for scope, subject in _keys(address, name):
        session.execute(
            delete(LoginThrottle).where(
                LoginThrottle.scope == scope, LoginThrottle.subject == subject
            )
        )
