from pathlib import Path

import pytest

from khabar.errors import SettingsError
from khabar.settings import SETTINGS, Settings, load_settings


def test_defaults_match_the_table() -> None:
    settings = load_settings(environ={})
    for s in SETTINGS:
        assert getattr(settings, s.name) == s.default, s.name
    assert set(Settings.__dataclass_fields__) == {s.name for s in SETTINGS}


def test_priority_file_then_env_then_overrides(tmp_path: Path) -> None:
    config = tmp_path / "khabar.toml"
    config.write_text('port = 9000\nallow_hosts = ["127.0.0.1"]\nper_host_delay = 1\n')
    env = {"KHABAR_PORT": "9100", "KHABAR_ALLOW_HOSTS": "127.0.0.1, 10.0.0.0/8"}
    settings = load_settings({"port": 9200}, environ=env, config_file=config)
    assert settings.port == 9200
    assert settings.allow_hosts == ("127.0.0.1", "10.0.0.0/8")
    assert settings.per_host_delay == 1.0


def test_unknown_keys_are_errors(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="KHABAR_PROT"):
        load_settings(environ={"KHABAR_PROT": "1"})
    config = tmp_path / "k.toml"
    config.write_text("colour = 'red'\n")
    with pytest.raises(SettingsError, match="colour"):
        load_settings(environ={}, config_file=config)


def test_bad_values_name_the_setting() -> None:
    with pytest.raises(SettingsError, match="'port' from environment variable KHABAR_PORT"):
        load_settings(environ={"KHABAR_PORT": "eighty"})
    with pytest.raises(SettingsError, match="respect_robots"):
        load_settings(environ={"KHABAR_RESPECT_ROBOTS": "perhaps"})


def test_secrets_are_masked() -> None:
    settings = load_settings(environ={"KHABAR_ADMIN_TOKEN": "s3cret"})
    assert settings.admin_token == "s3cret"
    assert settings.dump()["admin_token"] == "********"
    assert "s3cret" not in repr(settings.dump())


def test_test_variables_are_not_settings() -> None:
    assert load_settings(environ={"KHABAR_TEST_REQUIRE_BROWSER": "1"}).port == 8000


def test_a_database_password_is_masked_in_dumps() -> None:
    settings = Settings(database_url="postgresql://khabar:s3cret@db.example:5432/news")
    assert settings.dump()["database_url"] == "postgresql://khabar:********@db.example:5432/news"
    assert "s3cret" not in str(settings.dump())
    plain = Settings(database_url="postgresql://khabar@db.example/news")
    assert plain.dump()["database_url"] == "postgresql://khabar@db.example/news"
    assert Settings().dump()["database_url"] == "sqlite:///./khabar.db"


def test_a_section_model_that_is_not_there_names_the_setting_and_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "model.npz"
    with pytest.raises(SettingsError, match=r"section_model.*model\.npz"):
        load_settings(environ={"KHABAR_SECTION_MODEL": str(missing)})
    missing.write_bytes(b"")
    assert load_settings(environ={"KHABAR_SECTION_MODEL": str(missing)}).section_model == str(
        missing
    )
