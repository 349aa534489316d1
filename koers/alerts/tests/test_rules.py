"""Alert rules through the pages: who may see and change them, kind-specific fields,
and every impossible combination refused with an error on its field and nothing
saved."""

from __future__ import annotations

import pytest

from koers.alerts.models import AlertRule, Channel, ChannelKind, RuleKind
from koers.audit.models import AuditEvent
from koers.listening.models import QueryRole, SavedQuery
from koers.orgs.capabilities import Role
from koers.tests.cast import make_listening

pytestmark = pytest.mark.django_db


def url(org, path=""):
    return f"/o/{org.slug}/alerts/rules/{path}"


@pytest.fixture
def setup(cast):
    org = cast.a.org
    listening = make_listening(org)
    competitor = SavedQuery.objects.create(
        organisation=org, name="Concurrent", text="concurrent", role=QueryRole.COMPETITOR
    )
    channel = Channel.objects.create(organisation=org, name="In Koers", kind=ChannelKind.IN_APP)
    other = make_listening(cast.b.org)
    other_channel = Channel.objects.create(
        organisation=cast.b.org, name="Elders", kind=ChannelKind.IN_APP
    )
    return {
        "org": org,
        "query": listening.query,
        "competitor": competitor,
        "channel": channel,
        "other_query": other.query,
        "other_channel": other_channel,
    }


def post(setup, kind, **overrides):
    data = {
        "kind": kind,
        "name": "Regel",
        "severity": "3",
        "cooldown_minutes": "60",
        "digest_minutes": "60",
        "is_active": "on",
        "sensitivity": "normal",
    }
    data.update({k: v for k, v in overrides.items() if v is not None})
    return data


def test_strategist_creates_each_kind(client, cast, setup):
    client.force_login(cast.a[Role.STRATEGIST].user)
    org = setup["org"]
    assert client.get(url(org, "new/")).status_code == 200  # the choice of kind
    for kind, extra in [
        (RuleKind.VOLUME_SPIKE, {"query": setup["query"].pk}),
        (RuleKind.SENTIMENT_DIP, {}),
        (
            RuleKind.SHARE_OF_VOICE,
            {"query": setup["query"].pk, "competitor_query": setup["competitor"].pk},
        ),
        (RuleKind.INFLUENTIAL_AUTHOR, {"min_reach": "5000", "stakeholder_group": "journalist"}),
        (RuleKind.THREAT, {"min_threat": "0.7"}),
        (RuleKind.TERM, {"term": 'datalek OR "data leak"'}),
    ]:
        page = client.get(url(org, f"new/?kind={kind}"))
        assert page.status_code == 200
        response = client.post(
            url(org, "new/"),
            post(setup, kind, name=str(kind), channels=setup["channel"].pk, **extra),
        )
        assert response.status_code == 302, (kind, response.context["form"].errors)
    rules = {r.kind: r for r in AlertRule.objects.filter(organisation=org)}
    assert len(rules) == 6
    assert rules[RuleKind.SHARE_OF_VOICE].competitor_query == setup["competitor"]
    assert rules[RuleKind.TERM].term == 'datalek OR "data leak"'
    assert rules[RuleKind.THREAT].min_threat == 0.7
    # Fields a kind does not use are not kept.
    assert rules[RuleKind.VOLUME_SPIKE].min_threat is None
    assert list(rules[RuleKind.TERM].channels.all()) == [setup["channel"]]
    assert AuditEvent.objects.filter(organisation=org, action="alert_rule_created").count() == 6
    listing = client.get(url(org)).content.decode()
    assert "datalek" in listing


IMPOSSIBLE = [
    ("share_of_voice", {"query": "Q"}, "competitor_query"),
    ("share_of_voice", {"query": "Q", "competitor_query": "Q"}, "competitor_query"),
    ("share_of_voice", {"competitor_query": "C"}, "query"),
    ("influential_author", {}, "min_reach"),
    ("influential_author", {"min_reach": "0"}, "min_reach"),
    ("threat", {}, "min_threat"),
    ("threat", {"min_threat": "1.5"}, "min_threat"),
    ("threat", {"min_threat": "-0.1"}, "min_threat"),
    ("term", {}, "term"),
    ("term", {"term": "datalek AND (fiets"}, "term"),
    ("volume_spike", {"quiet_from": "22:00", "quiet_until": "22:00"}, "quiet_until"),
    ("volume_spike", {"quiet_from": "22:00"}, "quiet_until"),
    ("volume_spike", {"cooldown_minutes": "10081"}, "cooldown_minutes"),
    ("volume_spike", {"digest": "on", "digest_minutes": "4"}, "digest_minutes"),
    ("volume_spike", {"severity": "6"}, "severity"),
    ("volume_spike", {"sensitivity": "extreme"}, "sensitivity"),
    ("volume_spike", {"query": "OTHER_Q"}, "query"),
    ("volume_spike", {"channels": "OTHER_C"}, "channels"),
    ("volume_spike", {"name": ""}, "name"),
]


@pytest.mark.parametrize(("kind", "values", "field"), IMPOSSIBLE)
def test_impossible_rules_are_refused_on_their_field(client, cast, setup, kind, values, field):
    client.force_login(cast.a[Role.OWNER].user)
    names = {
        "Q": setup["query"].pk,
        "C": setup["competitor"].pk,
        "OTHER_Q": setup["other_query"].pk,
        "OTHER_C": setup["other_channel"].pk,
    }
    values = {k: names.get(v, v) for k, v in values.items()}
    response = client.post(url(setup["org"], "new/"), post(setup, kind, **values))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert not AlertRule.objects.exists()


def test_a_term_error_says_where(client, cast, setup):
    client.force_login(cast.a[Role.OWNER].user)
    response = client.post(
        url(setup["org"], "new/"), post(setup, "term", term="datalek AND (fiets")
    )
    message = str(response.context["form"].errors["term"])
    assert "At character" in message


def test_the_form_offers_only_the_organisations_own(client, cast, setup):
    client.force_login(cast.a[Role.OWNER].user)
    response = client.get(url(setup["org"], "new/?kind=share_of_voice"))
    page = response.content.decode()
    assert "Concurrent" in page and "In Koers" in page
    assert "Elders" not in page
    form = response.context["form"]
    offered = set(form.fields["competitor_query"].queryset) | set(form.fields["query"].queryset)
    assert offered == {setup["query"], setup["competitor"]}
    assert list(form.fields["channels"].queryset) == [setup["channel"]]


def test_edit_and_delete(client, cast, setup):
    client.force_login(cast.a[Role.STRATEGIST].user)
    org = setup["org"]
    rule = AlertRule.objects.create(
        organisation=org, name="Piek", kind=RuleKind.VOLUME_SPIKE, query=setup["query"]
    )
    assert client.get(url(org, f"{rule.pk}/")).status_code == 200
    response = client.post(
        url(org, f"{rule.pk}/"), post(setup, "volume_spike", name="Piek!", severity="5")
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.name, rule.severity, rule.query) == ("Piek!", 5, None)
    # A refused change writes nothing.
    response = client.post(
        url(org, f"{rule.pk}/"), post(setup, "volume_spike", name="X", cooldown_minutes="99999")
    )
    assert response.status_code == 400
    rule.refresh_from_db()
    assert rule.name == "Piek!"
    assert client.get(url(org, f"{rule.pk}/delete/")).status_code == 405
    assert client.post(url(org, f"{rule.pk}/delete/")).status_code == 302
    assert not AlertRule.objects.filter(pk=rule.pk).exists()


def test_who_may_see_and_change_rules(client, cast, setup):
    org = setup["org"]
    rule = AlertRule.objects.create(organisation=org, name="Piek", kind=RuleKind.VOLUME_SPIKE)
    data = post(setup, "volume_spike", name="Gewijzigd")
    # Everyone but an employee sees the list; only owner and strategist change rules.
    for role in (Role.MANAGER, Role.EDITOR, Role.WEBCARE, Role.ADVISOR):
        client.force_login(cast.a[role].user)
        assert client.get(url(org)).status_code == 200, role
        assert client.get(url(org, f"{rule.pk}/")).status_code == 403, role
        assert client.post(url(org, f"{rule.pk}/"), data).status_code == 403, role
        assert client.post(url(org, "new/"), data).status_code == 403, role
        assert client.post(url(org, f"{rule.pk}/delete/")).status_code == 403, role
    client.force_login(cast.a[Role.EMPLOYEE].user)
    assert client.get(url(org)).status_code == 403
    # The outsider does not learn that the organisation or the rule exists.
    client.force_login(cast.outsider.user)
    assert client.get(url(org)).status_code == 404
    assert client.post(url(org, f"{rule.pk}/"), data).status_code == 404
    assert client.post(url(org, f"{rule.pk}/delete/")).status_code == 404
    other_org_url = f"/o/{cast.b.org.slug}/alerts/rules/{rule.pk}/"
    assert client.get(other_org_url).status_code == 404
    rule.refresh_from_db()
    assert rule.name == "Piek"
