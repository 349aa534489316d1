"""The listening demo: 90 days of Dutch and English mentions for Van Dijk Fietsen, its
two competitors and its topic, with a recall burst; the same on every refresh."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db.models import Count
from django.utils import timezone

from koers.listening.demo import COMPETITORS, RECALL_DAYS_AGO, build_demo_listening
from koers.listening.models import (
    Group,
    Mention,
    MentionMatch,
    QueryRole,
    SavedQuery,
    Source,
    SourceKind,
    SourceStatus,
    Stakeholder,
)
from koers.orgs import demo
from koers.orgs.capabilities import Role
from koers.orgs.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """Build the demo once for the module (it takes seconds); read-only tests below."""
    with django_db_blocker.unblock():
        yield demo.refresh_demo()
        demo.remove_demo()


def test_mentions_cover_90_days_in_dutch_and_english(built):
    org = built
    mentions = Mention.objects.for_org(org)
    assert 2000 <= mentions.count() <= 5000
    now = timezone.now()
    oldest = mentions.order_by("published_at").first().published_at
    newest = mentions.order_by("-published_at").first().published_at
    assert now - oldest > timedelta(days=85)
    assert now - newest < timedelta(days=1)
    assert newest <= now
    texts = list(mentions.values_list("text", flat=True))
    assert any("weken wachten op mijn e-bike" in t for t in texts)
    assert any("Great service at Van Dijk Fietsen" in t for t in texts)
    assert any("op zondag open" in t for t in texts)


def test_every_query_matches_something(built):
    org = built
    queries = SavedQuery.objects.for_org(org).annotate(n=Count("matches"))
    assert {q.role for q in queries} == {QueryRole.BRAND, QueryRole.COMPETITOR, QueryRole.TOPIC}
    assert {q.name for q in queries if q.role == QueryRole.COMPETITOR} == set(COMPETITORS)
    for query in queries:
        assert query.n > 20, (query.name, query.n)
    brand = queries.get(role=QueryRole.BRAND)
    competitor_total = sum(q.n for q in queries if q.role == QueryRole.COMPETITOR)
    assert brand.n > competitor_total  # it is the brand's own listening


def test_recall_burst_about_ten_days_ago(built):
    org = built
    per_day = Counter(
        (timezone.now() - published).days
        for published in Mention.objects.for_org(org)
        .filter(text__icontains="terugroepactie")
        .values_list("published_at", flat=True)
    )
    burst = sum(per_day[d] for d in range(RECALL_DAYS_AGO - 3, RECALL_DAYS_AGO + 1))
    assert burst >= 100
    assert sum(per_day[d] for d in range(30, 90)) == 0


def test_sources_and_stakeholders(built):
    org = built
    sources = {s.kind: s for s in Source.objects.for_org(org)}
    assert set(sources) >= {
        SourceKind.RSS,
        SourceKind.MASTODON_TAG,
        SourceKind.BLUESKY_SEARCH,
        SourceKind.PUSH,
    }
    assert sources[SourceKind.RSS].status == SourceStatus.FAILING
    assert sources[SourceKind.RSS].last_error
    for source in sources.values():
        assert source.mentions.exists(), source.name
    groups = set(Stakeholder.objects.filter(organisation=org).values_list("group", flat=True))
    assert {Group.JOURNALIST, Group.CRITIC, Group.EMPLOYEE} <= groups


def test_listening_pages_of_the_demo_open(built, client):
    org = built
    strategist = org.memberships.get(role=Role.STRATEGIST, user__email__startswith="sanne")
    client.force_login(strategist.user)
    for path in ("", "queries/", "sources/", "stakeholders/", "share-of-voice/"):
        response = client.get(f"/o/{org.slug}/listening/{path}")
        assert response.status_code == 200, path
    page = client.get(f"/o/{org.slug}/listening/sources/").content.decode()
    assert "answered with a web page instead of a feed" in page
    assert MentionMatch.objects.filter(organisation=org).exists()


def test_same_demo_twice(db):
    texts = []
    for slug in ("een", "twee"):
        org = Organisation.objects.create(name=slug, slug=slug)
        build_demo_listening(org)
        mentions = Mention.objects.for_org(org).order_by("external_id")
        texts.append(list(mentions.values_list("external_id", "text", "author")))
    assert texts[0] == texts[1]
