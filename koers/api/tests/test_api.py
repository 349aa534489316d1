"""API tokens (created in the web app, shown once, stored hashed) and the REST API."""

import re

import pytest
from django.urls import reverse

from koers.api.models import ApiToken, hash_token
from koers.audit.models import Action, AuditEvent
from koers.orgs.capabilities import Role
from koers.orgs.models import Department
from koers.tests.cast import make_token

pytestmark = pytest.mark.django_db


def _bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_token_is_shown_once_and_stored_only_as_a_hash(owner_client, cast):
    url = reverse("api_tokens:list", args=[cast.a.org.slug])
    response = owner_client.post(url, {"name": "BI export"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = re.search(r'value="(koers_[^"]+)"', response.content.decode()).group(1)
    row = ApiToken.objects.get(name="BI export")
    assert row.token_hash == hash_token(token) and token not in str(row.__dict__)
    assert token not in owner_client.get(url).content.decode(), "shown only once"
    assert AuditEvent.objects.filter(action=Action.API_TOKEN_CREATED).exists()

    me = owner_client.get("/api/v1/organisation", **_bearer(token))
    assert me.status_code == 200 and me.json()["slug"] == cast.a.org.slug


def test_revoked_token_stops_working(owner_client, cast):
    row, token = make_token(cast.a[Role.OWNER])
    owner_client.post(reverse("api_tokens:revoke", args=[cast.a.org.slug, row.pk]))
    assert owner_client.get("/api/v1/organisation", **_bearer(token)).status_code == 401


def test_token_of_a_member_who_left_stops_working(client, cast):
    _row, token = make_token(cast.a[Role.EDITOR])
    cast.a[Role.EDITOR].delete()
    assert client.get("/api/v1/organisation", **_bearer(token)).status_code == 401


def test_token_follows_the_members_current_role(client, cast):
    _row, token = make_token(cast.a[Role.MANAGER])
    ok = client.post(
        "/api/v1/departments",
        data={"name": "Inkoop"},
        content_type="application/json",
        **_bearer(token),
    )
    assert ok.status_code == 201 and ok.json()["name"] == "Inkoop"
    cast.a[Role.MANAGER].role = Role.EMPLOYEE
    cast.a[Role.MANAGER].save(update_fields=["role"])
    refused = client.post(
        "/api/v1/departments",
        data={"name": "Nog een"},
        content_type="application/json",
        **_bearer(token),
    )
    assert refused.status_code == 403


def test_bad_input_gets_a_clear_error_and_writes_nothing(client, cast):
    _row, token = make_token(cast.a[Role.OWNER])
    before = Department.objects.count()
    duplicate = client.post(
        "/api/v1/departments",
        data={"name": "Verkoop"},
        content_type="application/json",
        **_bearer(token),
    )
    assert duplicate.status_code == 422
    assert "already a department called Verkoop" in duplicate.json()["detail"]
    missing = client.post(
        "/api/v1/departments", data={}, content_type="application/json", **_bearer(token)
    )
    assert missing.status_code == 422
    assert Department.objects.count() == before


def test_members_list_shows_only_the_tokens_organisation(client, cast):
    _row, token = make_token(cast.a[Role.STRATEGIST])
    emails = {m["email"] for m in client.get("/api/v1/members", **_bearer(token)).json()}
    assert emails == {m.user.email for m in cast.a.members.values()}


def test_openapi_document_is_served(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/departments" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_an_owner_token_needs_two_factor_when_the_organisation_requires_it(client, cast):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    _row, token = make_token(cast.a[Role.OWNER])
    cast.a.org.require_two_factor_for_owners = True
    cast.a.org.save(update_fields=["require_two_factor_for_owners"])
    refused = client.get("/api/v1/organisation", **_bearer(token))
    assert refused.status_code == 403 and "two-factor" in refused.json()["detail"]
    TOTP.activate(cast.a[Role.OWNER].user, generate_totp_secret())
    assert client.get("/api/v1/organisation", **_bearer(token)).status_code == 200


def test_a_refused_write_in_the_api_is_json(client, cast):
    _row, token = make_token(cast.a[Role.EMPLOYEE])
    url = f"/api/v1/departments/{cast.a.department.pk}"
    response = client.delete(url, **_bearer(token))
    assert response.status_code == 403 and response.json()["detail"]
