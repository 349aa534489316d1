"""Loaded by pytest before Django (``-p koers.tests.plugin`` in pyproject.toml), so the
environment is set before koers/settings.py reads it.

- Every test run gets its own data folder and a fixed secret key.
- Background tasks run inside the request (Huey's immediate mode), except where a test
  starts a real worker.
- ``KOERS_TEST_BACKEND=services`` runs the suite on the PostgreSQL and Redis given by
  ``KOERS_TEST_DATABASE_URL`` and ``KOERS_TEST_REDIS_URL``; they must answer.
"""

import os
import socket
import tempfile
from urllib.parse import urlsplit

import pytest

_DATA_DIR = tempfile.mkdtemp(prefix="koers-test-")
os.environ["KOERS_DATA_DIR"] = _DATA_DIR
os.environ["KOERS_SECRET_KEY"] = "test-secret-key-for-the-koers-suite-only-0123456789"
os.environ["KOERS_TASKS_IMMEDIATE"] = "1"
os.environ.pop("DATABASE_URL", None)
os.environ.pop("KOERS_REDIS_URL", None)
for _name in ("KOERS_EMAIL_HOST", "KOERS_HTTPS", "KOERS_DEBUG", "KOERS_BASE_URL"):
    os.environ.pop(_name, None)


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    default = 5432 if parts.scheme.startswith("postgres") else 6379
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default), timeout=2
        ):
            return True
    except OSError:
        return False


SERVICES = os.environ.get("KOERS_TEST_BACKEND", "sqlite").strip().lower() == "services"
if SERVICES:
    _db = os.environ.get("KOERS_TEST_DATABASE_URL", "")
    _redis = os.environ.get("KOERS_TEST_REDIS_URL", "")
    _missing = [
        name
        for name, url in (("KOERS_TEST_DATABASE_URL", _db), ("KOERS_TEST_REDIS_URL", _redis))
        if not url or not _reachable(url)
    ]
    if _missing:
        raise pytest.UsageError(
            f"KOERS_TEST_BACKEND=services, but {', '.join(_missing)} is unset or does not answer."
        )
    os.environ["DATABASE_URL"] = _db
    os.environ["KOERS_REDIS_URL"] = _redis


def pytest_report_header(config):
    backend = "PostgreSQL + Redis" if SERVICES else "SQLite + SQLite task store"
    return [f"koers: {backend}; data folder {_DATA_DIR}"]
