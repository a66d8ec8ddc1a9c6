"""Persistence models. Importing this package registers every table on `Base.metadata`."""

from inspect_svc.models import case as case
from inspect_svc.models import epcis as epcis
from inspect_svc.models import reference as reference
from inspect_svc.models import selectivity as selectivity
from inspect_svc.models import tally as tally
from inspect_svc.models.audit import AuditEvent, AuditHead
from inspect_svc.models.auth import ROLES, ApiToken, LoginThrottle, User
from inspect_svc.models.base import Base
from inspect_svc.models.heartbeat import ServiceHeartbeat
from inspect_svc.models.triage import DeclaredLine, Finding, Scan, Shipment, Unit

__all__ = [
    "ROLES",
    "ApiToken",
    "AuditEvent",
    "AuditHead",
    "Base",
    "DeclaredLine",
    "Finding",
    "LoginThrottle",
    "Scan",
    "ServiceHeartbeat",
    "Shipment",
    "Unit",
    "User",
]
