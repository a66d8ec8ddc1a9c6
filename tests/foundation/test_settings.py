from pathlib import Path

import pytest

from inspect_svc.settings import CONFIG_DIR, SettingsError, load_settings


def test_defaults_come_from_config_file() -> None:
    settings = load_settings(environ={})
    assert settings.server.bind == "127.0.0.1:8000"
    assert settings.scan.gs_substitutes == ("<GS>",)


def test_extra_file_overrides_defaults_and_environment_overrides_both(tmp_path: Path) -> None:
    extra = tmp_path / "site.toml"
    extra.write_text('[server]\nbind = "0.0.0.0:9000"\nlog_level = "DEBUG"\n')
    settings = load_settings(
        environ={"INSPECT_CONFIG": str(extra), "INSPECT_SERVER__LOG_LEVEL": "WARNING"}
    )
    assert settings.server.bind == "0.0.0.0:9000"
    assert settings.server.log_level == "WARNING"


def test_environment_values_are_coerced_to_the_key_type() -> None:
    settings = load_settings(
        environ={
            "INSPECT_SERVER__WORKERS": "3",
            "INSPECT_SERVER__DEBUG": "true",
            "INSPECT_SCAN__GS_SUBSTITUTES": '["{GS}", "#"]',
            "INSPECT_DATABASE_URL": "postgresql+psycopg://u@h/db",
        }
    )
    assert settings.server.workers == 3
    assert settings.server.debug is True
    assert settings.scan.gs_substitutes == ("{GS}", "#")
    assert settings.database_url == "postgresql+psycopg://u@h/db"


def test_default_database_is_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    settings = load_settings(environ={"INSPECT_SERVER__INSTANCE_PATH": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'inspect.sqlite3'}"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[server]\nbindd = "x:1"\n', "unknown configuration key 'server.bindd'"),
        ('[serverr]\nbind = "x:1"\n', "unknown configuration section 'serverr'"),
        ('[server]\nworkers = "two"\n', "server.workers: expected an integer"),
        ("[server]\ndebug = 1\n", "server.debug: expected true or false"),
        ('[scan]\ngs_substitutes = "<GS>"\n', "scan.gs_substitutes: expected a list of str"),
        ("[server]\nmax_body_bytes = 10\n", "server.max_body_bytes: must be at least 1024"),
        ("[server\n", "not valid TOML"),
    ],
)
def test_bad_config_file_is_rejected_naming_the_key(
    tmp_path: Path, content: str, message: str
) -> None:
    extra = tmp_path / "bad.toml"
    extra.write_text(content)
    with pytest.raises(SettingsError, match=message.replace(".", r"\.").replace("'", "'")):
        load_settings(environ={"INSPECT_CONFIG": str(extra)})


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("INSPECT_SERVER__WORKERS", "many", "server.workers: expected an integer"),
        ("INSPECT_SERVER__NOPE", "1", "unknown configuration key 'server.nope'"),
        ("INSPECT_BIND", "1", "INSPECT_BIND: not a setting"),
        ("INSPECT_SERVER__DEBUG", "maybe", "server.debug: expected true or false"),
    ],
)
def test_bad_environment_variable_is_rejected_naming_the_key(
    name: str, value: str, message: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(environ={name: value})
    assert message in str(caught.value)


def test_missing_extra_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="configuration file not found"):
        load_settings(environ={"INSPECT_CONFIG": str(tmp_path / "absent.toml")})


def test_settings_are_frozen() -> None:
    settings = load_settings(environ={})
    with pytest.raises(AttributeError):
        settings.server.bind = "x:1"  # type: ignore[misc]


def test_default_instance_folder_does_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(environ={})
    assert settings.instance_dir == CONFIG_DIR.parent / "instance"
