"""Settings: `config/default.toml`, then `INSPECT_CONFIG`, then `INSPECT_*` variables.

Loaded once into a frozen `Settings` object. Every key must exist in the
dataclasses below; anything unknown or of the wrong type raises
`SettingsError` naming the key, so a typo stops start-up instead of being
silently ignored.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

# The packaged defaults. In a source checkout `inspect_svc/defaults` links to the
# top-level `config/` folder, so this resolves there; an installed wheel holds copies.
CONFIG_DIR = (Path(__file__).resolve().parent / "defaults").resolve()
IN_SOURCE_CHECKOUT = CONFIG_DIR.name == "config"
ENV_PREFIX = "INSPECT_"
ENV_SHORTCUTS = {
    "INSPECT_DATABASE_URL": ("database", "url"),
    "INSPECT_SECRET_KEY": ("server", "secret_key"),
}
# Variables of the environment that are not settings keys.
ENV_NOT_SETTINGS = {"INSPECT_CONFIG", "INSPECT_TOKEN"}


class SettingsError(ValueError):
    """A configuration key is unknown or its value is invalid."""


@dataclass(frozen=True)
class ServerSettings:
    bind: str = "127.0.0.1:8000"
    workers: int = 0
    secret_key: str = ""
    max_body_bytes: int = 1_048_576
    debug: bool = False
    log_level: str = "INFO"
    instance_path: str = ""
    behind_tls: bool = False
    trusted_proxies: int = 0
    max_json_depth: int = 32


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = ""
    sqlite_busy_timeout_ms: int = 5000
    pool_size: int = 5
    echo: bool = False


@dataclass(frozen=True)
class AuthSettings:
    token_prefix: str = "isv_"
    session_minutes: int = 480
    session_max_minutes: int = 720
    secure_cookies: str = "auto"
    login_free_failures: int = 5
    login_address_backoff_max_seconds: int = 300
    login_user_backoff_max_seconds: int = 30

    def cookies_secure(self, behind_tls: bool) -> bool:
        """Whether session cookies carry `Secure`: "auto" follows `server.behind_tls`."""
        return behind_tls if self.secure_cookies == "auto" else self.secure_cookies == "true"


@dataclass(frozen=True)
class ScanSettings:
    gs_substitutes: tuple[str, ...] = ("<GS>",)
    max_length: int = 2048
    max_batch: int = 500


@dataclass(frozen=True)
class ReferenceSettings:
    ndc_max_age_days: int = 7
    recalls_max_age_days: int = 1
    import_alerts_max_age_days: int = 7
    load_sample_on_init: bool = True


@dataclass(frozen=True)
class RulesSettings:
    policy_file: str = "rules.toml"


@dataclass(frozen=True)
class ExportSettings:
    page_size: int = 1000
    epcis_namespace: str = "https://inspect-svc.example.org/epcis/"


@dataclass(frozen=True)
class ReferenceSourceSettings:
    ndc_url: str = "https://www.accessdata.fda.gov/cder/ndctext.zip"
    recalls_url: str = (
        "https://download.open.fda.gov/drug/enforcement/drug-enforcement-0001-of-0001.json.zip"
    )
    registrations_url: str = "https://www.accessdata.fda.gov/cder/drls_reg.zip"
    refusals_url: str = (
        "https://www.accessdata.fda.gov/scripts/importrefusals/downloads/"
        "Import_Refusal_2024-present.zip"
    )
    timeout_seconds: int = 60
    download_dir: str = ""
    registrations_max_age_days: int = 7
    refusals_max_age_days: int = 45


@dataclass(frozen=True)
class SelectivitySettings:
    secret: str = ""


@dataclass(frozen=True)
class Settings:
    server: ServerSettings = field(default_factory=ServerSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    auth: AuthSettings = field(default_factory=AuthSettings)
    scan: ScanSettings = field(default_factory=ScanSettings)
    reference: ReferenceSettings = field(default_factory=ReferenceSettings)
    rules: RulesSettings = field(default_factory=RulesSettings)
    export: ExportSettings = field(default_factory=ExportSettings)
    reference_sources: ReferenceSourceSettings = field(default_factory=ReferenceSourceSettings)
    selectivity: SelectivitySettings = field(default_factory=SelectivitySettings)

    @property
    def instance_dir(self) -> Path:
        """`server.instance_path`, else a fixed folder whatever the working directory.

        In a source checkout that is `instance/` beside `config/`; an installed
        package follows Flask's convention, `<prefix>/var/inspect_svc-instance`.
        """
        if self.server.instance_path:
            return Path(self.server.instance_path).resolve()
        if IN_SOURCE_CHECKOUT:
            return CONFIG_DIR.parent / "instance"
        return Path(sys.prefix) / "var" / "inspect_svc-instance"

    @property
    def database_url(self) -> str:
        """The configured URL, or the embedded SQLite file in the instance folder."""
        if self.database.url:
            return self.database.url
        return f"sqlite:///{self.instance_dir / 'inspect.sqlite3'}"

    @property
    def policy_path(self) -> Path:
        path = Path(self.rules.policy_file)
        return path if path.is_absolute() else CONFIG_DIR / path

    def replace(self, **sections: Mapping[str, Any]) -> Settings:
        """A copy with some keys changed, validated like a config file (handy in tests)."""
        current = _as_nested(self)
        for section, values in sections.items():
            current[section] = {**current.get(section, {}), **values}
        return _build(current)


def load_settings(
    environ: Mapping[str, str] | None = None, config_dir: Path = CONFIG_DIR
) -> Settings:
    """Read the three layers and return the validated, frozen settings."""
    environ = os.environ if environ is None else environ
    merged: dict[str, dict[str, Any]] = {}
    _merge(merged, _read_toml(config_dir / "default.toml"), "config/default.toml")
    extra = environ.get("INSPECT_CONFIG")
    if extra:
        _merge(merged, _read_toml(Path(extra)), extra)
    _merge(merged, _from_environ(environ), "environment")
    return _build(merged)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise SettingsError(f"configuration file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from exc


def _merge(into: dict[str, dict[str, Any]], layer: Mapping[str, Any], origin: str) -> None:
    for section, values in layer.items():
        if not isinstance(values, Mapping):
            raise SettingsError(f"{origin}: '{section}' must be a section (table) of keys")
        into.setdefault(section, {}).update(values)


def _from_environ(environ: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    layer: dict[str, dict[str, Any]] = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or name in ENV_NOT_SETTINGS:
            continue
        if name in ENV_SHORTCUTS:
            section, key = ENV_SHORTCUTS[name]
        elif "__" in name:
            section, _, key = name[len(ENV_PREFIX) :].lower().partition("__")
        else:
            raise SettingsError(
                f"environment variable {name}: not a setting "
                f"(use {ENV_PREFIX}<SECTION>__<KEY>, e.g. INSPECT_SERVER__BIND)"
            )
        layer.setdefault(section, {})[key] = _EnvText(raw)
    return layer


class _EnvText(str):
    """A value read from the environment: text to be coerced to the key's type."""


def _as_nested(settings: Settings) -> dict[str, dict[str, Any]]:
    return {
        f.name: dataclasses.asdict(getattr(settings, f.name)) for f in dataclasses.fields(settings)
    }


def _build(merged: Mapping[str, Mapping[str, Any]]) -> Settings:
    section_types = get_type_hints(Settings)
    sections: dict[str, Any] = {}
    for section, values in merged.items():
        if section not in section_types:
            known = ", ".join(sorted(section_types))
            raise SettingsError(f"unknown configuration section '{section}' (known: {known})")
        section_cls = section_types[section]
        hints = get_type_hints(section_cls)
        coerced = {}
        for key, value in values.items():
            if key not in hints:
                known = ", ".join(sorted(hints))
                raise SettingsError(f"unknown configuration key '{section}.{key}' (known: {known})")
            coerced[key] = _coerce(f"{section}.{key}", hints[key], value)
        sections[section] = section_cls(**coerced)
    settings = Settings(**sections)
    _check(settings)
    return settings


def _coerce(name: str, annotation: Any, value: Any) -> Any:
    if isinstance(value, _EnvText):
        value = _parse_env(name, annotation, str(value))
    if annotation is bool:
        if not isinstance(value, bool):
            raise SettingsError(f"{name}: expected true or false, got {value!r}")
        return value
    if annotation is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingsError(f"{name}: expected an integer, got {value!r}")
        return value
    if annotation is str:
        if not isinstance(value, str):
            raise SettingsError(f"{name}: expected a string, got {value!r}")
        return value
    if get_origin(annotation) is tuple:
        (item_type, _ellipsis) = get_args(annotation)
        if not isinstance(value, list | tuple) or not all(isinstance(v, item_type) for v in value):
            raise SettingsError(f"{name}: expected a list of {item_type.__name__}, got {value!r}")
        return tuple(value)
    raise SettingsError(f"{name}: unsupported setting type {annotation!r}")  # pragma: no cover


def _parse_env(name: str, annotation: Any, text: str) -> Any:
    if annotation is bool:
        lowered = text.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise SettingsError(f"{name}: expected true or false, got {text!r}")
    if annotation is int:
        try:
            return int(text)
        except ValueError as exc:
            raise SettingsError(f"{name}: expected an integer, got {text!r}") from exc
    if get_origin(annotation) is tuple:
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SettingsError(f"{name}: expected a JSON list, got {text!r}") from exc
        return parsed
    return text


def _check(settings: Settings) -> None:
    """Value checks that types alone cannot express."""
    if settings.server.max_body_bytes < 1024:
        raise SettingsError("server.max_body_bytes: must be at least 1024")
    if settings.server.workers < 0:
        raise SettingsError("server.workers: must be 0 (automatic) or more")
    if settings.server.log_level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise SettingsError("server.log_level: must be DEBUG, INFO, WARNING or ERROR")
    if ":" not in settings.server.bind:
        raise SettingsError(f"server.bind: expected HOST:PORT, got {settings.server.bind!r}")
    if settings.server.trusted_proxies < 0:
        raise SettingsError("server.trusted_proxies: must be 0 or more")
    if not 2 <= settings.server.max_json_depth <= 256:
        raise SettingsError("server.max_json_depth: must be between 2 and 256")
    _check_auth(settings.auth)
    if settings.scan.max_length < 64:
        raise SettingsError("scan.max_length: must be at least 64")
    if not 1 <= settings.scan.max_batch <= 10_000:
        raise SettingsError("scan.max_batch: must be between 1 and 10000")
    if not 1 <= settings.export.page_size <= 100_000:
        raise SettingsError("export.page_size: must be between 1 and 100000")
    if any(not sub for sub in settings.scan.gs_substitutes):
        raise SettingsError("scan.gs_substitutes: entries must not be empty")
    if settings.reference_sources.timeout_seconds < 1:
        raise SettingsError("reference_sources.timeout_seconds: must be at least 1")
    url = settings.database.url
    if url and not url.startswith(("sqlite", "postgresql")):
        raise SettingsError("database.url: only sqlite:// and postgresql+psycopg:// are supported")


def _check_auth(auth: AuthSettings) -> None:
    if auth.session_minutes < 1:
        raise SettingsError("auth.session_minutes: must be at least 1")
    if auth.session_max_minutes < auth.session_minutes:
        raise SettingsError("auth.session_max_minutes: must be at least auth.session_minutes")
    if auth.secure_cookies not in {"auto", "true", "false"}:
        raise SettingsError(
            f'auth.secure_cookies: expected "auto", "true" or "false", got {auth.secure_cookies!r}'
        )
    if auth.login_free_failures < 1:
        raise SettingsError("auth.login_free_failures: must be at least 1")
    for key in ("login_address_backoff_max_seconds", "login_user_backoff_max_seconds"):
        if getattr(auth, key) < 1:
            raise SettingsError(f"auth.{key}: must be at least 1")
