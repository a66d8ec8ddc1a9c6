"""The random draw: its rate over realistic shipments, reproducible with the secret only."""

from __future__ import annotations

import doctest
import math
import random
import string
from datetime import UTC, datetime, timedelta

import pytest

from inspect_svc.cases import hit_rates, lanes, wilson
from inspect_svc.cases.lanes import random_draw, shipment_identity

RATE = 0.02
SHIPMENTS = 5000


def binomial_interval(n: int, p: float, coverage: float = 0.999) -> tuple[int, int]:
    """The central `coverage` interval of Binomial(n, p), from its exact distribution."""
    tail = (1 - coverage) / 2
    low = high = None
    total = 0.0
    for k in range(n + 1):
        total += math.comb(n, k) * p**k * (1 - p) ** (n - k)
        if low is None and total >= tail:
            low = k
        if total >= 1 - tail:
            high = k
            break
    assert low is not None and high is not None
    return low, high


def identities(count: int, seed: int = 17) -> list[str]:
    """Identities as the service builds them: sequential ids, CBP-style entry numbers,
    creation times a few seconds to minutes apart."""
    rng = random.Random(seed)
    when = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    result = []
    for shipment_id in range(1, count + 1):
        filer = "".join(rng.choices(string.ascii_uppercase + string.digits, k=3))
        entry = f"{filer}-{rng.randrange(10**7):07d}-{rng.randrange(10)}"
        when += timedelta(seconds=rng.randrange(1, 600), microseconds=rng.randrange(10**6))
        result.append(shipment_identity(shipment_id, entry, when))
    return result


def selected(secret: str, ids: list[str], rate: float = RATE) -> list[int]:
    return [n for n, identity in enumerate(ids) if random_draw(secret, identity) < rate]


@pytest.mark.parametrize("secret", ["instance-secret-1", "another server's key"])
def test_the_rate_is_within_the_binomial_999_interval(secret: str) -> None:
    ids = identities(SHIPMENTS)
    low, high = binomial_interval(SHIPMENTS, RATE)
    assert low <= len(selected(secret, ids)) <= high, (low, high)


def test_the_draw_is_the_same_on_replay_and_differs_with_another_secret() -> None:
    ids = identities(SHIPMENTS)
    first = selected("instance-secret-1", ids)
    assert selected("instance-secret-1", ids) == first
    other = selected("a different secret", ids)
    assert other != first
    # Two secrets draw nearly independent samples: the overlap is what chance gives.
    assert len(set(first) & set(other)) <= 10


def test_the_draw_depends_on_every_part_of_the_identity() -> None:
    when = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    base = random_draw("k", shipment_identity(1, "ABC-1234567-6", when))
    assert random_draw("k", shipment_identity(2, "ABC-1234567-6", when)) != base
    assert random_draw("k", shipment_identity(1, "ABC-1234567-7", when)) != base
    later = when + timedelta(microseconds=1)
    assert random_draw("k", shipment_identity(1, "ABC-1234567-6", later)) != base
    # The same instant in another offset is the same identity.
    assert random_draw("k", shipment_identity(1, "ABC-1234567-6", when.astimezone())) == base


def test_the_binomial_interval_helper() -> None:
    # Mean 100, sd 9.9: the normal approximation gives 67.4 to 132.6.
    assert binomial_interval(5000, 0.02) == (69, 134)
    assert binomial_interval(10, 0.5, coverage=0.9) == (2, 8)


@pytest.mark.parametrize("module", [lanes, wilson, hit_rates])
def test_doctests(module: object) -> None:
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert tried > 0
    assert failures == 0
