"""Who acts: the authenticated caller as the domain sees it, and the role ladder."""

from __future__ import annotations

from dataclasses import dataclass

ROLE_RANK = {"inspector": 1, "officer": 2, "admin": 3}
"""Roles in order: a role may do everything the roles below it may."""


@dataclass(frozen=True)
class Actor:
    """The authenticated caller of a request."""

    user_id: int
    name: str
    role: str
    via: str  # "token" or "session"

    def may(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]
