"""State shared by the CLI commands: settings and a lazily built app."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field

import click
from flask import Flask
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from inspect_core.interpret import InterpretOptions, NdcResolver
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

    def interpret_options(self) -> InterpretOptions:
        """Options from the settings."""
        return InterpretOptions(
            gs_substitutes=self.settings.scan.gs_substitutes,
            max_length=self.settings.scan.max_length,
        )

    def ndc_resolver(self) -> NdcResolver | None:
        """The directory's NDC splits, when the directory is installed."""
        from inspect_svc.db import db
        from inspect_svc.reference.ndc_lookup import make_ndc_resolver

        with self.app.app_context():
            if not inspect(db.engine).has_table("ndc_package"):
                return None
            session = db.new_session()
        return make_ndc_resolver(session)


def cli_actor() -> str:
    """Who acts from the command line, as audit events name them."""
    return f"cli:{getpass.getuser()}"


pass_cli = click.make_pass_decorator(CliContext)
