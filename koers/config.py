"""Configuration from environment variables, without Django.

Every setting Koers reads from the environment is declared once in ``VARIABLES``
with its default and its parser, so that `.env.example`, `docs/configuration.md`
and the start-up check all speak of the same list. A bad value, or a ``KOERS_*``
name that Koers does not know (usually a typo), stops the start with a message that
names the variable: a silently ignored setting is worse than a refused start.
"""

from __future__ import annotations

import os
import secrets
import zoneinfo
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


class ConfigError(Exception):
    """A configuration value that Koers cannot start with; the message names it."""


def parse_bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"{name}={raw!r} is not a yes/no value: use 1 or 0.")


def parse_int(name: str, raw: str, *, minimum: int = 0, maximum: int = 1_000_000) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number.") from None
    if not minimum <= value <= maximum:
        raise ConfigError(f"{name}={value} is out of range: use {minimum} to {maximum}.")
    return value


def parse_url(name: str, raw: str, *, schemes: set[str]) -> str:
    value = raw.strip()
    parts = urlsplit(value)
    if parts.scheme not in schemes or not (parts.netloc or parts.path):
        allowed = ", ".join(sorted(f"{s}://" for s in schemes))
        raise ConfigError(f"{name}={raw!r} is not a valid URL: it must start with {allowed}.")
    return value


def parse_base_url(name: str, raw: str) -> str:
    value = parse_url(name, raw, schemes={"http", "https"}).rstrip("/")
    parts = urlsplit(value)
    if parts.path or parts.query or parts.fragment or not parts.netloc:
        raise ConfigError(
            f"{name}={raw!r} must be only scheme and host, such as https://koers.example.nl "
            "(Koers cannot be served under a sub-path)."
        )
    return value


def parse_list(name: str, raw: str) -> list[str]:
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ConfigError(f"{name} is empty: give at least one value, separated by commas.")
    return items


def parse_time_zone(name: str, raw: str) -> str:
    value = raw.strip()
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{name}={raw!r} is not a known time zone: use a name such as Europe/Amsterdam."
        ) from None
    return value


def parse_choice(name: str, raw: str, choices: tuple[str, ...]) -> str:
    value = raw.strip().lower()
    if value not in choices:
        raise ConfigError(f"{name}={raw!r} is not one of: {', '.join(choices)}.")
    return value


@dataclass(frozen=True)
class Variable:
    """One environment variable: its name, default, parser and a line of help."""

    name: str
    default: str | None
    parse: Callable[[str, str], Any]
    help: str
    group: str


def _str(name: str, raw: str) -> str:
    return raw.strip()


def _secret(name: str, raw: str) -> str:
    value = raw.strip()
    if len(value) < 32:
        raise ConfigError(f"{name} is too short: use at least 32 random characters.")
    return value


def _port(name: str, raw: str) -> int:
    return parse_int(name, raw, minimum=1, maximum=65535)


def _positive(name: str, raw: str) -> int:
    return parse_int(name, raw, minimum=1, maximum=1024)


def _email_address(name: str, raw: str) -> str:
    value = raw.strip()
    if "@" not in value.rsplit("<", 1)[-1]:
        raise ConfigError(f"{name}={raw!r} is not an e-mail address.")
    return value


VARIABLES: tuple[Variable, ...] = (
    Variable(
        "KOERS_DATA_DIR",
        "koers-data",
        _str,
        "Folder for the embedded database, task store, secret key, static files and "
        "saved e-mail. Created if missing.",
        "Core",
    ),
    Variable(
        "KOERS_SECRET_KEY",
        None,
        _secret,
        "Signing key (at least 32 characters). When unset, Koers generates one into "
        "the data folder on first start and keeps using it.",
        "Core",
    ),
    Variable(
        "KOERS_BASE_URL",
        "http://localhost:8000",
        parse_base_url,
        "The address people use to reach Koers (scheme and host, no path); used in links "
        "in e-mail.",
        "Core",
    ),
    Variable(
        "KOERS_ALLOWED_HOSTS",
        "localhost,127.0.0.1,[::1]",
        parse_list,
        "Host names Koers answers to, separated by commas. The host of "
        "KOERS_BASE_URL is always added.",
        "Core",
    ),
    Variable(
        "KOERS_DEBUG", "0", parse_bool, "1 shows Django's debug pages. Never in production.", "Core"
    ),
    Variable(
        "KOERS_HTTPS",
        "0",
        parse_bool,
        "1 when Koers is served over HTTPS (behind a proxy that sets "
        "X-Forwarded-Proto): secure cookies, HSTS and redirects to HTTPS.",
        "Core",
    ),
    Variable(
        "KOERS_PROXY_COUNT",
        "0",
        lambda n, r: parse_int(n, r, minimum=0, maximum=5),
        "Number of reverse proxies in front of Koers that add the client's address to "
        "X-Forwarded-For; 0 uses the connection's own address. The audit log and login "
        "throttling use it: behind a proxy, set it, or everyone shares the proxy's address.",
        "Core",
    ),
    Variable(
        "KOERS_TIME_ZONE",
        "Europe/Amsterdam",
        parse_time_zone,
        "Server time zone, and the time zone new organisations start with (each "
        "organisation can change its own).",
        "Core",
    ),
    Variable(
        "KOERS_LOG_LEVEL",
        "INFO",
        lambda n, r: parse_choice(n, r, ("debug", "info", "warning", "error")).upper(),
        "debug, info, warning or error.",
        "Core",
    ),
    Variable(
        "DATABASE_URL",
        None,
        lambda n, r: parse_url(n, r, schemes={"postgres", "postgresql", "sqlite"}),
        "PostgreSQL for scale-out, e.g. postgres://koers:secret@db:5432/koers. When "
        "unset, Koers uses SQLite (WAL) in the data folder.",
        "Database and tasks",
    ),
    Variable(
        "KOERS_REDIS_URL",
        None,
        lambda n, r: parse_url(n, r, schemes={"redis", "rediss"}),
        "Redis for the task queue and cache, e.g. redis://redis:6379/0. When unset, "
        "tasks are kept in SQLite in the data folder.",
        "Database and tasks",
    ),
    Variable(
        "KOERS_WEB_WORKERS",
        "2",
        _positive,
        "Web server processes started by `koers run`.",
        "Processes",
    ),
    Variable(
        "KOERS_TASK_WORKERS",
        "2",
        _positive,
        "Task threads per `koers worker` (and inside `koers run`). Each live stream source "
        "(Bluesky Jetstream) keeps a thread busy for most of every minute: give the workers "
        "together one thread per stream plus two.",
        "Processes",
    ),
    Variable(
        "KOERS_EMAIL_HOST",
        None,
        _str,
        "SMTP server. When unset, e-mail is saved as files in the folder mail inside the "
        "data folder.",
        "E-mail",
    ),
    Variable("KOERS_EMAIL_PORT", "587", _port, "SMTP port.", "E-mail"),
    Variable("KOERS_EMAIL_USER", "", _str, "SMTP user name.", "E-mail"),
    Variable("KOERS_EMAIL_PASSWORD", "", _str, "SMTP password.", "E-mail"),
    Variable("KOERS_EMAIL_TLS", "1", parse_bool, "1 uses STARTTLS.", "E-mail"),
    Variable(
        "KOERS_EMAIL_SSL",
        "0",
        parse_bool,
        "1 uses implicit TLS (usually port 465); not together with KOERS_EMAIL_TLS.",
        "E-mail",
    ),
    Variable(
        "KOERS_EMAIL_FROM",
        "Koers <koers@localhost>",
        _email_address,
        "Sender of the e-mail Koers sends.",
        "E-mail",
    ),
    Variable(
        "KOERS_INVITATION_DAYS",
        "7",
        lambda n, r: parse_int(n, r, minimum=1, maximum=90),
        "Days an invitation link stays valid.",
        "Organisations",
    ),
    Variable(
        "KOERS_OUTGOING_ALLOW_PRIVATE",
        "0",
        parse_bool,
        "1 lets Koers fetch sources on private or internal addresses (loopback, 10.x, "
        "192.168.x, link-local and the like), for a feed on the organisation's own network. "
        "Off by default, so that whoever may add a source cannot make Koers read internal "
        "services.",
        "Listening",
    ),
    Variable(
        "KOERS_TASKS_IMMEDIATE",
        "0",
        parse_bool,
        "1 runs background tasks inside the request (tests only).",
        "Testing",
    ),
    Variable(
        "KOERS_TEST_DATABASE_URL",
        None,
        _str,
        "PostgreSQL used by the test suite's second run.",
        "Testing",
    ),
    Variable(
        "KOERS_TEST_REDIS_URL", None, _str, "Redis used by the test suite's second run.", "Testing"
    ),
    Variable(
        "KOERS_REQUIRE_SERVICES",
        "0",
        parse_bool,
        "1 makes tests fail, instead of skip, when PostgreSQL, Redis or Chromium is missing (CI).",
        "Testing",
    ),
    Variable(
        "KOERS_TEST_BACKEND",
        "sqlite",
        lambda n, r: parse_choice(n, r, ("sqlite", "services")),
        "sqlite, or services to run the suite on the PostgreSQL and Redis given above.",
        "Testing",
    ),
)

KNOWN_NAMES = frozenset(v.name for v in VARIABLES)


def load(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Parse every declared variable; raise ConfigError naming the first bad one.

    Unset variables get their default (parsed too, so defaults obey the same rules);
    a variable without default that is unset comes back as None.
    """
    env = os.environ if environ is None else environ
    unknown = sorted(n for n in env if n.startswith("KOERS_") and n not in KNOWN_NAMES)
    if unknown:
        raise ConfigError(
            f"Unknown setting {unknown[0]}: Koers does not read it (a typo?). "
            "See docs/configuration.md for the list."
        )
    values: dict[str, Any] = {}
    for variable in VARIABLES:
        raw = env.get(variable.name)
        if raw is None or (raw.strip() == "" and variable.default is None):
            raw = variable.default
        values[variable.name] = None if raw is None else variable.parse(variable.name, raw)
    if values["KOERS_EMAIL_TLS"] and values["KOERS_EMAIL_SSL"] and env.get("KOERS_EMAIL_TLS"):
        raise ConfigError("KOERS_EMAIL_TLS and KOERS_EMAIL_SSL are both on: choose one.")
    return values


def secret_key_for(data_dir: Path, configured: str | None) -> str:
    """The configured key, or one generated once into the data folder (mode 0600)."""
    if configured:
        return configured
    path = data_dir / "secret_key"
    if path.exists():
        key = path.read_text().strip()
        if len(key) >= 32:
            return key
        raise ConfigError(f"{path} is damaged (shorter than 32 characters): remove it.")
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # O_EXCL: two processes starting together must not each write a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def describe() -> str:
    """The variables as Markdown tables, grouped, for docs/configuration.md."""
    lines: list[str] = []
    groups: dict[str, list[Variable]] = {}
    for variable in VARIABLES:
        groups.setdefault(variable.group, []).append(variable)
    for group, variables in groups.items():
        lines += [f"### {group}", "", "| variable | default | meaning |", "|---|---|---|"]
        for v in variables:
            if v.default is None:
                default = "(unset)"
            elif v.default == "":
                default = "(empty)"
            else:
                default = f"`{v.default}`"
            lines.append(f"| `{v.name}` | {default} | {v.help} |")
        lines.append("")
    return "\n".join(lines)
