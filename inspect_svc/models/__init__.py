"""Persistence models. Importing this package registers every table on `Base.metadata`."""

from inspect_svc.models.auth import ROLES, ApiToken, User
from inspect_svc.models.base import Base

__all__ = ["ROLES", "ApiToken", "Base", "User"]
