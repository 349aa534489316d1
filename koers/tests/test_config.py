"""Configuration: every bad value stops the start with the variable's name."""

import os
import stat
import subprocess
import sys

import pytest

from koers import config


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("KOERS_HTTPS", "misschien", "KOERS_HTTPS='misschien' is not a yes/no value"),
        ("KOERS_DEBUG", "2", "KOERS_DEBUG='2' is not a yes/no value"),
        ("KOERS_EMAIL_PORT", "smtp", "KOERS_EMAIL_PORT='smtp' is not a whole number"),
        ("KOERS_EMAIL_PORT", "70000", "KOERS_EMAIL_PORT=70000 is out of range"),
        ("DATABASE_URL", "mysql://x/y", "DATABASE_URL='mysql://x/y' is not a valid URL"),
        ("KOERS_REDIS_URL", "localhost:6379", "KOERS_REDIS_URL='localhost:6379' is not a valid"),
        ("KOERS_TIME_ZONE", "Europe/Zwolle", "KOERS_TIME_ZONE='Europe/Zwolle' is not a known"),
        ("KOERS_SECRET_KEY", "kort", "KOERS_SECRET_KEY is too short"),
        ("KOERS_LOG_LEVEL", "loud", "KOERS_LOG_LEVEL='loud' is not one of"),
        ("KOERS_EMAIL_FROM", "koers", "KOERS_EMAIL_FROM='koers' is not an e-mail address"),
        ("KOERS_ALLOWED_HOSTS", " , ", "KOERS_ALLOWED_HOSTS is empty"),
        ("KOERS_INVITATION_DAYS", "0", "KOERS_INVITATION_DAYS=0 is out of range"),
        ("KOERS_BASE_URL", "https://x.nl/koers", "must be only scheme and host"),
        ("KOERS_PROXY_COUNT", "-1", "KOERS_PROXY_COUNT=-1 is out of range"),
    ],
)
def test_a_bad_value_names_the_variable(name, value, message):
    with pytest.raises(config.ConfigError, match=message.replace("(", r"\(")):
        config.load({name: value})


def test_an_unknown_koers_variable_is_refused():
    with pytest.raises(config.ConfigError, match="Unknown setting KOERS_DEBGU"):
        config.load({"KOERS_DEBGU": "1"})


def test_defaults_serve_the_embedded_mode():
    values = config.load({})
    assert values["DATABASE_URL"] is None and values["KOERS_REDIS_URL"] is None
    assert values["KOERS_TIME_ZONE"] == "Europe/Amsterdam"
    assert values["KOERS_HTTPS"] is False and values["KOERS_DEBUG"] is False


def test_both_tls_modes_at_once_are_refused():
    with pytest.raises(config.ConfigError, match="KOERS_EMAIL_TLS and KOERS_EMAIL_SSL"):
        config.load({"KOERS_EMAIL_TLS": "1", "KOERS_EMAIL_SSL": "1"})
    assert config.load({"KOERS_EMAIL_SSL": "1"})["KOERS_EMAIL_SSL"] is True


def test_secret_key_is_generated_once_and_private(tmp_path):
    first = config.secret_key_for(tmp_path, None)
    assert len(first) >= 50
    assert config.secret_key_for(tmp_path, None) == first
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600
    assert config.secret_key_for(tmp_path, "x" * 40) == "x" * 40


def test_the_koers_command_stops_with_the_variables_name(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KOERS_", "DATABASE_"))}
    env.update(KOERS_DATA_DIR=str(tmp_path), KOERS_HTTPS="misschien")
    result = subprocess.run(
        [sys.executable, "-m", "koers.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "Koers cannot start: KOERS_HTTPS='misschien' is not a yes/no value" in result.stderr
    assert "Traceback" not in result.stderr
