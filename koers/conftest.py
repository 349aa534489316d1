"""Shared fixtures: see koers/tests/cast.py for the cast of organisations and people."""

import pytest

from koers.tests.cast import *  # noqa: F403  (fixtures)

pytest_plugins = ["koers.tests.browser"]


@pytest.fixture(autouse=True, scope="session")
def _fast_passwords(django_test_environment):
    """Argon2 is deliberately slow; tests need no protection against brute force."""
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    original = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()
    yield
    settings.PASSWORD_HASHERS = original
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


@pytest.fixture
def sent_after_commit(django_capture_on_commit_callbacks):
    """Run what actions schedule with transaction.on_commit (tests run inside a
    transaction that never commits, so such callbacks would otherwise never run)."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def client():
    """A test client that chose English, so assertions read like the msgids. Dutch (the
    default) is checked in koers/tests/test_i18n.py and wherever a test says so."""
    from django.test import Client

    english = Client()
    english.cookies["koers_language"] = "en"
    return english


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code called directly (actions, tasks) speaks English in tests, whatever language
    an earlier request in the same thread left active. Requests still choose their own
    language, and tests of Dutch say so."""
    from django.utils import translation

    with translation.override("en"):
        yield
