"""The push API: batches of up to 1,000 mentions, idempotent by (source, external id),
bad items reported with their index and reason, all or nothing unless asked."""

import json

import pytest

from koers.listening.models import Mention, Source, SourceKind
from koers.orgs.capabilities import Role
from koers.tests.cast import make_token

pytestmark = pytest.mark.django_db

URL = "/api/v1/listening/mentions"


def item(n, **overrides):
    values = {
        "external_id": f"crm-{n}",
        "text": f"Klacht nummer {n} over de levering",
        "published_at": "2026-03-02T09:15:00+01:00",
    }
    values.update(overrides)
    return values


def push(client, token, mentions, source="CRM", **extra):
    body = {"source": source, "mentions": mentions, **extra}
    return client.post(
        URL,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@pytest.fixture
def token(cast):
    return make_token(cast.a[Role.OWNER])[1]


def test_created_then_duplicates(client, cast, token):
    full = item(
        1,
        url="https://klant.example.nl/tickets/1",
        author="@klant",
        author_name="Een Klant",
        author_reach=120,
        title="Levering",
        language="nl",
        country="nl",
    )
    first = push(client, token, [full, item(2)])
    assert first.status_code == 200, first.content
    assert first.json() == {"created": 2, "duplicates": 0, "rejected": []}
    again = push(client, token, [item(2), item(3)])
    assert again.json() == {"created": 1, "duplicates": 1, "rejected": []}

    source = Source.objects.get(organisation=cast.a.org, kind=SourceKind.PUSH, name="CRM")
    assert source.mentions.count() == 3 and source.fetched_total == 3
    stored = Mention.objects.get(external_id="crm-1")
    assert (stored.organisation, stored.country, stored.author_reach) == (cast.a.org, "NL", 120)
    assert stored.is_enriched is False


def test_a_bad_item_refuses_the_whole_batch(client, cast, token):
    batch = [
        item(0),
        item(1, text=""),
        item(2, published_at="gisteren"),
        item(3, url="javascript:alert(1)"),
        "geen object",
        item(5, published_at="2026-03-02T09:15:00"),
        item(6, colour="rood"),
    ]
    response = push(client, token, batch)
    assert response.status_code == 422
    body = response.json()
    assert "nothing was stored" in body["detail"]
    rejected = {(r["index"], r["field"]) for r in body["rejected"]}
    assert rejected == {
        (1, "text"),
        (2, "published_at"),
        (3, "url"),
        (4, ""),
        (5, "published_at"),
        (6, "colour"),
    }
    reasons = {r["index"]: r["reason"] for r in body["rejected"]}
    assert "https://" in reasons[3] and "time zone" in reasons[5]
    assert not Mention.objects.exists() and not Source.objects.exists()


def test_accept_valid_stores_the_valid_ones(client, cast, token):
    response = push(client, token, [item(1), item(2, text=""), item(3)], accept_valid=True)
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["duplicates"]) == (2, 0)
    assert [(r["index"], r["field"]) for r in body["rejected"]] == [(1, "text")]
    assert set(Mention.objects.values_list("external_id", flat=True)) == {"crm-1", "crm-3"}


def test_more_than_1000_items_are_refused(client, cast, token):
    response = push(client, token, [item(n) for n in range(1001)])
    assert response.status_code == 413
    assert "at most 1000" in response.json()["detail"]
    assert not Mention.objects.exists()
    assert push(client, token, [item(n) for n in range(1000)]).json()["created"] == 1000


def test_another_organisations_token_writes_only_into_its_own_source(client, cast, token):
    push(client, token, [item(1)])
    a_source = Source.objects.get(organisation=cast.a.org)
    outsider = make_token(cast.outsider)[1]
    response = push(client, outsider, [item(1), item(2)])
    assert response.json() == {"created": 2, "duplicates": 0, "rejected": []}
    assert a_source.mentions.count() == 1, "A's source is untouched"
    b_source = Source.objects.get(organisation=cast.b.org, name="CRM")
    assert b_source != a_source and b_source.mentions.count() == 2
    assert set(Mention.objects.filter(source=b_source).values_list("organisation", flat=True)) == {
        cast.b.org.pk
    }


def test_roles_without_listening_manage_are_refused(client, cast):
    editor = make_token(cast.a[Role.EDITOR])[1]
    assert push(client, editor, [item(1)]).status_code == 403
    assert push(client, "koers_not-a-token", [item(1)]).status_code == 401
    assert not Mention.objects.exists() and not Source.objects.exists()
