"""What the organisation listens to is in its audit log: saved queries, sources and
stakeholders (through the pages) and push sources (made by the API on first use)."""

import json

import pytest

from koers.audit.models import Action, AuditEvent
from koers.listening.models import SavedQuery, Source, SourceKind, Stakeholder
from koers.listening.secrets import get_token
from koers.orgs.capabilities import Role
from koers.tests.cast import make_listening, make_token

pytestmark = pytest.mark.django_db


def url(org, path=""):
    return f"/o/{org.slug}/listening/{path}"


def events(org, action):
    return list(AuditEvent.objects.for_org(org).filter(action=action).order_by("pk"))


def test_saved_query_added_changed_and_deleted(client, cast):
    org = cast.a.org
    client.force_login(cast.a[Role.STRATEGIST].user)
    data = {"name": "Merk", "role": "brand", "text": "fiets*", "is_active": "on"}
    assert client.post(url(org, "queries/new/"), data).status_code == 302
    query = SavedQuery.objects.get(organisation=org)
    assert (
        client.post(url(org, f"queries/{query.pk}/"), {**data, "text": "e-bike"}).status_code == 302
    )
    assert client.post(url(org, f"queries/{query.pk}/delete/")).status_code == 302

    saved = events(org, Action.LISTENING_QUERY_SAVED)
    assert [e.details["text"] for e in saved] == ["fiets*", "e-bike"]
    assert all(e.actor == cast.a[Role.STRATEGIST].user and e.target == "Merk" for e in saved)
    (deleted,) = events(org, Action.LISTENING_QUERY_DELETED)
    assert deleted.details == {"query": query.pk, "text": "e-bike"}
    assert not AuditEvent.objects.for_org(cast.b.org).exists()


def test_an_invalid_query_logs_nothing(client, cast):
    org = cast.a.org
    client.force_login(cast.a[Role.OWNER].user)
    data = {"name": "Kapot", "role": "brand", "text": "(fiets", "is_active": "on"}
    assert client.post(url(org, "queries/new/"), data).status_code == 400
    assert not events(org, Action.LISTENING_QUERY_SAVED)


def test_source_changes_are_logged_without_the_token(client, cast):
    org = cast.a.org
    listening = make_listening(org)
    source = listening.source
    client.force_login(cast.a[Role.OWNER].user)
    for path in ("pause/", "resume/"):
        assert client.post(url(org, f"sources/{source.pk}/{path}")).status_code == 302
    assert client.post(url(org, f"sources/{source.pk}/delete/")).status_code == 302

    logged = AuditEvent.objects.for_org(org).exclude(action=Action.LOGIN).order_by("pk")
    assert [e.action for e in logged] == [
        Action.LISTENING_SOURCE_PAUSED,
        Action.LISTENING_SOURCE_RESUMED,
        Action.LISTENING_SOURCE_DELETED,
    ]
    assert events(org, Action.LISTENING_SOURCE_DELETED)[0].details == {
        "source": source.pk,
        "kind": SourceKind.RSS,
    }


def test_a_saved_token_is_never_written_to_the_log(cast):
    from koers.listening import actions

    org = cast.a.org
    source = actions.save_source(
        org,
        by=cast.a[Role.OWNER],
        kind=SourceKind.MASTODON_TAG,
        name="Mastodon",
        url="https://mastodon.example",
        term="fietsen",
        token="geheim-token-123",
    )
    assert get_token(source) == "geheim-token-123"
    (event,) = events(org, Action.LISTENING_SOURCE_SAVED)
    assert event.details["token"] == "replaced"
    assert "geheim-token-123" not in json.dumps(event.details) + event.target


def test_stakeholders_added_and_removed(client, cast):
    org = cast.a.org
    client.force_login(cast.a[Role.OWNER].user)
    response = client.post(
        url(org, "stakeholders/add/"), {"author": "@criticus", "name": "", "group": "critic"}
    )
    assert response.status_code == 302
    stakeholder = Stakeholder.objects.get(organisation=org, author="@criticus")
    assert client.post(url(org, f"stakeholders/{stakeholder.pk}/remove/")).status_code == 302
    (added,) = events(org, Action.STAKEHOLDER_ADDED)
    (removed,) = events(org, Action.STAKEHOLDER_REMOVED)
    assert added.target == removed.target == "@criticus"
    assert added.details["group"] == removed.details["group"] == "critic"


def test_push_source_made_by_the_api_is_logged_once_with_its_token(client, cast):
    org = cast.a.org
    row, token = make_token(cast.a[Role.OWNER])
    body = {
        "source": "CRM",
        "mentions": [
            {"external_id": "1", "text": "Klacht", "published_at": "2026-03-02T09:15:00+01:00"}
        ],
    }
    for _ in range(2):
        response = client.post(
            "/api/v1/listening/mentions",
            data=json.dumps(body),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code == 200, response.content
    (event,) = events(org, Action.LISTENING_SOURCE_SAVED)
    source = Source.objects.get(organisation=org, kind=SourceKind.PUSH)
    assert event.target == "CRM" and event.details["source"] == source.pk
    assert row.prefix in event.details["via"]
    assert event.actor == cast.a[Role.OWNER].user
