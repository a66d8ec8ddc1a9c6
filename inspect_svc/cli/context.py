"""State shared by the CLI commands: settings and a lazily built app."""

from __future__ import annotations

from dataclasses import dataclass, field

import click
from flask import Flask
from sqlalchemy.engine import make_url

from inspect_svc.settings import Settings


@dataclass
class CliContext:
    settings: Settings
    _app: Flask | None = field(default=None, repr=False)

    @property
    def app(self) -> Flask:
        if self._app is None:
            from inspect_svc.app import create_app

            self._app = create_app(self.settings)
        return self._app

    @property
    def display_url(self) -> str:
        return make_url(self.settings.database_url).render_as_string(hide_password=True)


pass_cli = click.make_pass_decorator(CliContext)
