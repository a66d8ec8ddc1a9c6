"""Lanes and the random draw, as pure functions (docs/selectivity.md).

The draw is HMAC-SHA256 over the shipment's identity under a server secret:
whoever lacks the secret cannot tell which entries will be drawn, whoever
holds it (an auditor) recomputes every draw from the stored shipment.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

from rules.policy import SelectivityPolicy

LANES = ("green", "yellow", "red")
SELECTORS = ("rules", "random", "officer")
_SCALE = float(2**64)


def shipment_identity(shipment_id: int, entry_number: str, created_at: datetime) -> str:
    """The text the draw is computed over: id, entry number and creation time in UTC.

    >>> shipment_identity(7, "ABC-1234567-6", datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC))
    '7|ABC-1234567-6|2026-01-02T03:04:05.000678Z'
    """
    when = created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"{shipment_id}|{entry_number}|{when}"


def random_draw(secret: str, identity: str) -> float:
    """A number in [0, 1): the first 8 bytes of HMAC-SHA256(secret, identity) over 2**64.

    >>> random_draw("k", "1|E-1|2026-01-01T00:00:00.000000Z")  # doctest: +ELLIPSIS
    0.2893066415...
    >>> 0 <= random_draw("another key", "1|E-1|2026-01-01T00:00:00.000000Z") < 1
    True
    """
    digest = hmac.new(secret.encode(), identity.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / _SCALE


def lane_rank(lane: str) -> int:
    """Green < yellow < red.

    >>> sorted(["red", "green", "yellow"], key=lane_rank)
    ['green', 'yellow', 'red']
    """
    return LANES.index(lane)


def rules_lane(recommendation: str, hits: int, policy: SelectivityPolicy) -> str:
    """The lane the rules put a shipment in.

    >>> policy = SelectivityPolicy(max_hits_green=1)
    >>> [rules_lane(r, 0, policy) for r in ("detain", "exam", "release")]
    ['red', 'yellow', 'green']
    >>> rules_lane("release", 2, policy)
    'yellow'
    """
    if recommendation == "detain":
        return "red"
    if recommendation == "exam":
        return policy.exam_lane
    return "yellow" if hits > policy.max_hits_green else "green"


@dataclass(frozen=True)
class LaneChoice:
    lane: str
    selected_by: str | None


def choose_lane(
    rules: str, random_selected: bool, officer_lane: str | None, policy: SelectivityPolicy
) -> LaneChoice:
    """Combine the rules' lane, a random selection and an officer's reroute.

    An officer's lane stands, except against a red lane from the rules (a
    detention recommendation is not lowered by a reroute: that takes a
    decision). Otherwise the rules win when they select at all, and a random
    selection lifts a green shipment to the random lane.

    >>> policy = SelectivityPolicy()
    >>> choose_lane("green", False, None, policy)
    LaneChoice(lane='green', selected_by=None)
    >>> choose_lane("green", True, None, policy)
    LaneChoice(lane='yellow', selected_by='random')
    >>> choose_lane("red", True, None, policy)
    LaneChoice(lane='red', selected_by='rules')
    >>> choose_lane("yellow", False, "green", policy)
    LaneChoice(lane='green', selected_by='officer')
    >>> choose_lane("red", False, "green", policy)
    LaneChoice(lane='red', selected_by='rules')
    """
    if officer_lane is not None:
        if rules == "red" and officer_lane != "red":
            return LaneChoice(rules, "rules")
        return LaneChoice(officer_lane, "officer")
    if rules != "green":
        return LaneChoice(rules, "rules")
    if random_selected:
        return LaneChoice(policy.random_lane, "random")
    return LaneChoice("green", None)
