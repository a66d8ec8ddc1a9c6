"""Errors of the domain: what went wrong, in the domain's words, with no HTTP in them.

Triage and cases raise these; `problems.DOMAIN_PROBLEMS` maps each to its
problem type (status, slug) at the HTTP edge. `detail` is the sentence a
client reads; `errors` names the request fields at fault.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspect_svc.models.triage import Assessment


class DomainError(Exception):
    """A request the domain refuses; `detail` says why, `errors` which fields are at fault."""

    def __init__(self, detail: str, errors: Mapping[str, list[str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = dict(errors) if errors else None


class ShipmentNotFound(DomainError):
    def __init__(self, shipment_id: int) -> None:
        super().__init__(f"No shipment with id {shipment_id}.")
        self.shipment_id = shipment_id


class IdempotencyKeyReused(DomainError):
    """A key already stored with a different request; `field` is where the client sent it."""

    def __init__(self, detail: str, field: str) -> None:
        super().__init__(detail, {field: ["already used with a different body or shipment"]})


class InvalidRequest(DomainError):
    """Well-formed input the domain cannot accept (an invisible justification, say)."""


class StaleAssessment(DomainError):
    """A decision named an assessment that is no longer the shipment's current one."""

    def __init__(
        self, detail: str, errors: Mapping[str, list[str]], current: Assessment | None
    ) -> None:
        super().__init__(detail, errors)
        self.current = current


class OverrideForbidden(DomainError):
    """Deciding against the recommendation without the role that may."""


class SupersedeForbidden(DomainError):
    """Replacing an officer's decision without the role that may."""
