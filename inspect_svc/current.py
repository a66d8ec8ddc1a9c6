"""Accessors for what the app factory attached to the running app."""

from __future__ import annotations

from typing import cast

from flask import current_app

from inspect_svc.settings import Settings


def settings() -> Settings:
    return cast(Settings, current_app.extensions["inspect_settings"])
