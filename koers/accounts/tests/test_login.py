"""Logging in and out through the real allauth views: audit, throttling, reset."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from koers.audit.models import Action, AuditEvent
from koers.orgs.capabilities import Role
from koers.tests.cast import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    # Throttling counts live in the cache; every test starts with a clean slate.
    cache.clear()
    yield
    cache.clear()


def _login(client, email, password):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR="192.0.2.10",
        HTTP_USER_AGENT="TestBrowser/1.0",
    )


def test_production_hashing_is_argon2():
    # The suite swaps in a fast hasher; the setting people run with is argon2.
    from koers import settings as koers_settings

    assert koers_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_login_lands_in_the_organisation_and_is_logged_for_every_organisation(client, cast):
    person = cast.a[Role.EDITOR].user
    cast.b.members[Role.EDITOR].delete()
    from koers.tests.cast import make_member

    make_member(cast.b.org, Role.ADVISOR, user=person)
    response = _login(client, person.email, PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home:start")).status_code == 302
    events = AuditEvent.objects.filter(action=Action.LOGIN, actor=person)
    assert {e.organisation for e in events} == {cast.a.org, cast.b.org}
    assert {(e.ip_address, e.user_agent) for e in events} == {("192.0.2.10", "TestBrowser/1.0")}


def test_a_failed_login_is_logged_without_the_password(client, cast):
    person = cast.a[Role.EDITOR].user
    response = _login(client, person.email, "wrong password")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=Action.LOGIN_FAILED)
    assert (event.organisation, event.actor_email, event.ip_address) == (
        cast.a.org,
        person.email,
        "192.0.2.10",
    )
    assert "wrong password" not in str(event.details)


def test_repeated_failures_lock_the_account_for_a_while(cast):
    from django.test import Client

    client = Client()  # no language chosen: Dutch, the default
    person = cast.a[Role.EDITOR].user
    for _attempt in range(5):
        _login(client, person.email, "wrong password")
    response = _login(client, person.email, PASSWORD)
    assert response.status_code in {200, 429}
    assert "_auth_user_id" not in client.session, "the right password is refused while locked"
    assert "Te veel inlogpogingen" in response.content.decode()  # Dutch by default


def test_password_reset_mail_and_link(client, cast):
    person = cast.a[Role.EMPLOYEE].user
    response = client.post(reverse("account_reset_password"), {"email": person.email})
    assert response.status_code == 302
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+/", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    page = client.get("/" + link.group(0).split("/", 3)[3], follow=True)
    assert page.status_code == 200
    new = "een nieuw wachtwoord voor koers"
    response = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link.group(0),
        {"password1": new, "password2": new},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(new)
    assert AuditEvent.objects.filter(action=Action.PASSWORD_RESET, actor=person).exists()


def test_nobody_can_sign_up_without_an_invitation(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "ongenodigd@example.nl", "password1": PASSWORD, "password2": PASSWORD},
    )
    from koers.accounts.models import User

    assert not User.objects.filter(email="ongenodigd@example.nl").exists()
    assert response.status_code in {200, 302}


def test_logout_is_a_post_and_logged(client, cast):
    person = cast.a[Role.EDITOR].user
    client.force_login(person)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=person).exists()


def test_session_cookie_is_http_only():
    assert settings.SESSION_COOKIE_HTTPONLY
