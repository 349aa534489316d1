"""The engine on replayed mentions: series kinds (volume spike, sentiment dip, share of
voice), the still-open bucket, mention kinds (influential author by reach and by
stakeholder group, threat, term), old history, the cooldown, and the enrichment
trigger."""

from __future__ import annotations

from datetime import timedelta

import pytest

from koers.alerts import actions
from koers.alerts.evaluate import MIN_BUCKET_MENTIONS, evaluate_organisation
from koers.alerts.models import Alert, AlertRule, RuleKind, SeriesState
from koers.alerts.tests.replay import NOW, add_mentions, burst, steady
from koers.listening.models import Group, QueryRole, SavedQuery, Sentiment
from koers.tests.cast import make_listening, make_org

pytestmark = pytest.mark.django_db

HISTORY = timedelta(hours=36)


@pytest.fixture
def org():
    return make_org("Fietsen BV", slug="fietsen")


@pytest.fixture
def listening(org):
    return make_listening(org)


def rule(org, kind, **values):
    values.setdefault("name", kind)
    values.setdefault("cooldown_minutes", 60)
    return AlertRule.objects.create(organisation=org, kind=kind, **values)


def history(listening, end=NOW, **kwargs):
    return add_mentions(
        listening.source, steady(NOW - HISTORY, end, 5, 8), query=listening.query, **kwargs
    )


def test_a_burst_fires_a_volume_alert_with_its_mentions(org, listening):
    spike = rule(org, RuleKind.VOLUME_SPIKE, query=listening.query)
    history(listening)
    at = NOW - timedelta(minutes=32, seconds=30)  # the bucket from 13:30, settled
    loud = add_mentions(listening.source, burst(at, 60), query=listening.query, reach=5000)

    alerts = evaluate_organisation(org.pk, NOW)

    assert [a.rule_id for a in alerts] == [spike.pk]
    alert = alerts[0]
    assert alert.kind == RuleKind.VOLUME_SPIKE
    assert alert.observed_at == at
    assert alert.value >= 60
    assert alert.baseline is not None and alert.baseline < 10
    assert alert.score >= 0.73
    attached = set(alert.mentions.values_list("pk", flat=True))
    assert len(attached) == 10
    assert attached <= {m.pk for m in loud}
    spike.refresh_from_db()
    assert spike.last_fired_at == NOW
    state = SeriesState.objects.get(rule=spike, key="volume")
    assert state.last_bucket == NOW.replace(hour=13, minute=45, second=0)
    assert len(state.points) > 200  # the chart's points; at most two days
    # Evaluating again feeds nothing new and raises nothing.
    assert evaluate_organisation(org.pk, NOW) == []


def test_steady_volume_does_not_fire(org, listening):
    rule(org, RuleKind.VOLUME_SPIKE, query=listening.query, sensitivity="high")
    history(listening)
    assert evaluate_organisation(org.pk, NOW) == []
    # Later minutes, fed one by one, stay quiet too.
    add_mentions(
        listening.source, steady(NOW, NOW + timedelta(minutes=30), 5, 8), query=listening.query
    )
    for minutes in range(1, 30, 7):
        assert evaluate_organisation(org.pk, NOW + timedelta(minutes=minutes)) == []


def test_the_open_bucket_fires_before_it_is_complete(org, listening):
    """Latency: the mention that makes the current bucket cross the threshold raises
    the alert at the next evaluation, before the bucket ends."""
    rule(org, RuleKind.VOLUME_SPIKE, query=listening.query)
    history(listening, end=NOW.replace(minute=0, second=0))
    assert evaluate_organisation(org.pk, NOW) == []
    add_mentions(listening.source, burst(NOW.replace(second=0), 40, 60), query=listening.query)
    alerts = evaluate_organisation(org.pk, NOW + timedelta(seconds=20))
    assert len(alerts) == 1
    assert alerts[0].observed_at == NOW.replace(minute=0, second=0)
    # Once the bucket settles it is not reported a second time, cooldown or not.
    AlertRule.objects.update(cooldown_minutes=0)
    later = evaluate_organisation(org.pk, NOW + timedelta(minutes=20))
    assert later == []


def test_few_mentions_never_fire(org, listening):
    """A handful of mentions after silence is not a surge."""
    rule(org, RuleKind.VOLUME_SPIKE, query=listening.query, sensitivity="high")
    add_mentions(
        listening.source,
        steady(NOW - HISTORY, NOW - timedelta(hours=1), 0, 1),
        query=listening.query,
    )
    add_mentions(
        listening.source,
        burst(NOW - timedelta(minutes=32), MIN_BUCKET_MENTIONS - 1),
        query=listening.query,
    )
    assert evaluate_organisation(org.pk, NOW) == []


def test_old_bursts_are_learnt_but_not_alerted(org, listening):
    spike = rule(org, RuleKind.VOLUME_SPIKE, query=listening.query)
    history(listening)
    add_mentions(listening.source, burst(NOW - timedelta(hours=5), 60), query=listening.query)
    assert evaluate_organisation(org.pk, NOW) == []
    # Replaying history (the demo) does raise it, at its own time.
    SeriesState.objects.all().delete()
    alerts = evaluate_organisation(org.pk, NOW, include_history=True)
    assert len(alerts) == 1
    assert alerts[0].observed_at == (NOW - timedelta(hours=5)).replace(second=0, minute=0)
    spike.refresh_from_db()
    assert spike.last_fired_at < NOW - timedelta(hours=4)


def test_duplicates_do_not_count_for_volume(org, listening):
    rule(org, RuleKind.VOLUME_SPIKE, query=listening.query)
    history(listening)
    original = add_mentions(listening.source, [NOW - timedelta(hours=2)], query=listening.query)[0]
    at = NOW - timedelta(minutes=32, seconds=30)
    add_mentions(listening.source, burst(at, 60), query=listening.query, duplicate_of=original)
    assert evaluate_organisation(org.pk, NOW) == []


def test_a_sentiment_dip(org, listening):
    dip = rule(org, RuleKind.SENTIMENT_DIP, query=listening.query)
    volume = rule(org, RuleKind.VOLUME_SPIKE, query=listening.query)
    history(listening)
    history(listening, sentiment=Sentiment.NEGATIVE, end=NOW - HISTORY + timedelta(hours=30))
    at = NOW - timedelta(minutes=32, seconds=30)
    # Barely more mentions than usual, but nearly all of them negative.
    add_mentions(
        listening.source, burst(at, 14), query=listening.query, sentiment=Sentiment.NEGATIVE
    )

    alerts = evaluate_organisation(org.pk, NOW)

    assert [a.rule_id for a in alerts] == [dip.pk]
    assert alerts[0].value >= 14
    assert not Alert.objects.filter(rule=volume).exists()


def test_a_competitor_overtakes_us(org, listening):
    ours = listening.query
    theirs = SavedQuery.objects.create(
        organisation=org, name="Concurrent", text="concurrent", role=QueryRole.COMPETITOR
    )
    sov = rule(org, RuleKind.SHARE_OF_VOICE, query=ours, competitor_query=theirs)
    start = NOW - timedelta(hours=27)
    add_mentions(listening.source, steady(start, NOW, 2, 2), query=ours)
    add_mentions(
        listening.source, steady(start, NOW - timedelta(hours=1), 1, 1, seed=3), query=theirs
    )
    campaign = add_mentions(
        listening.source,
        steady(NOW - timedelta(hours=1), NOW, 5, 5, seed=4),
        query=theirs,
        reach=900,
    )

    alerts = evaluate_organisation(org.pk, NOW)

    assert [a.rule_id for a in alerts] == [sov.pk]
    alert = alerts[0]
    assert alert.value > 55 and alert.baseline < 50
    assert set(alert.mentions.values_list("pk", flat=True)) <= {m.pk for m in campaign}
    # Still ahead a few minutes later: the same overtaking is not news again.
    AlertRule.objects.update(cooldown_minutes=0)
    add_mentions(
        listening.source, steady(NOW, NOW + timedelta(minutes=10), 5, 5, seed=5), query=theirs
    )
    assert evaluate_organisation(org.pk, NOW + timedelta(minutes=10)) == []


def test_no_overtaking_when_we_stay_ahead(org, listening):
    ours = listening.query
    theirs = SavedQuery.objects.create(
        organisation=org, name="Concurrent", text="concurrent", role=QueryRole.COMPETITOR
    )
    rule(org, RuleKind.SHARE_OF_VOICE, query=ours, competitor_query=theirs, sensitivity="high")
    start = NOW - timedelta(hours=27)
    add_mentions(listening.source, steady(start, NOW, 4, 4), query=ours)
    add_mentions(listening.source, steady(start, NOW, 3, 3, seed=3), query=theirs)
    assert evaluate_organisation(org.pk, NOW) == []


def test_influential_author_by_reach_and_by_group(org, listening):
    by_reach = rule(org, RuleKind.INFLUENTIAL_AUTHOR, min_reach=10_000)
    by_group = rule(org, RuleKind.INFLUENTIAL_AUTHOR, stakeholder_group=Group.JOURNALIST)
    recent = NOW - timedelta(minutes=10)
    add_mentions(listening.source, [recent] * 3, reach=50)
    big = add_mentions(listening.source, [recent], reach=25_000)[0]
    journalist = add_mentions(listening.source, [recent], reach=300, groups=[Group.JOURNALIST])[0]

    alerts = evaluate_organisation(org.pk, NOW)

    fired = {(a.rule_id, a.mentions.get().pk) for a in alerts}
    assert fired == {(by_reach.pk, big.pk), (by_group.pk, journalist.pk)}
    # The cursor moved on: nothing is raised twice.
    AlertRule.objects.update(cooldown_minutes=0)
    assert evaluate_organisation(org.pk, NOW + timedelta(minutes=1)) == []
    assert SeriesState.objects.get(rule=by_reach, key="cursor").state["after"] == journalist.pk


def test_threat_and_cooldown(org, listening):
    threat = rule(org, RuleKind.THREAT, min_threat=0.6, cooldown_minutes=30)
    recent = NOW - timedelta(minutes=5)
    add_mentions(listening.source, [recent], threat_score=40)
    first, _second = add_mentions(listening.source, [recent, recent], threat_score=75)

    alerts = evaluate_organisation(org.pk, NOW)
    assert len(alerts) == 1  # the second waits out the cooldown
    assert alerts[0].mentions.get() == first
    assert alerts[0].value == 75

    add_mentions(listening.source, [NOW + timedelta(minutes=10)], threat_score=90)
    assert evaluate_organisation(org.pk, NOW + timedelta(minutes=11)) == []  # cooling down
    add_mentions(listening.source, [NOW + timedelta(minutes=40)], threat_score=90)
    assert len(evaluate_organisation(org.pk, NOW + timedelta(minutes=41))) == 1
    threat.refresh_from_db()
    assert threat.last_fired_at == NOW + timedelta(minutes=41)


def test_term_in_the_query_language(org, listening):
    term = rule(org, RuleKind.TERM, term='datalek OR "data leak"', query=listening.query)
    recent = NOW - timedelta(minutes=5)
    add_mentions(
        listening.source, [recent], text="Een datalek bij de fietsenmaker", query=listening.query
    )
    add_mentions(listening.source, [recent], text="Een datalek elders")  # not the rule's query
    add_mentions(listening.source, [recent], text="Nieuwe fiets", query=listening.query)
    alerts = evaluate_organisation(org.pk, NOW)
    assert [a.rule_id for a in alerts] == [term.pk]
    assert "datalek" in alerts[0].mentions.get().text


def test_mention_rules_skip_old_mentions_and_wait_for_enrichment(org, listening):
    term = rule(org, RuleKind.TERM, term="datalek")
    add_mentions(listening.source, [NOW - timedelta(hours=5)], text="datalek")
    assert evaluate_organisation(org.pk, NOW) == []
    waiting = add_mentions(listening.source, [NOW - timedelta(minutes=3)], text="datalek")[0]
    waiting.is_enriched = False
    waiting.save(update_fields=["is_enriched"])
    later = add_mentions(listening.source, [NOW - timedelta(minutes=2)], text="datalek")[0]
    assert evaluate_organisation(org.pk, NOW) == []  # not past the waiting mention
    waiting.is_enriched = True
    waiting.save(update_fields=["is_enriched"])
    AlertRule.objects.update(cooldown_minutes=0)
    alerts = evaluate_organisation(org.pk, NOW)
    assert [a.mentions.get().pk for a in alerts] == [waiting.pk, later.pk]
    assert all(a.rule_id == term.pk for a in alerts)


def test_two_evaluations_racing_raise_one_alert(org, listening):
    """The cooldown is claimed with a conditional update: a stale copy of the rule
    (another worker's) cannot fire again."""
    threat = rule(org, RuleKind.THREAT, min_threat=0.5)
    stale = AlertRule.objects.get(pk=threat.pk)
    mention = add_mentions(listening.source, [NOW], threat_score=80)[0]
    kwargs = {"title": "t", "summary": "", "observed_at": NOW, "mentions": [mention], "now": NOW}
    assert actions.raise_alert(threat, **kwargs) is not None
    assert actions.raise_alert(stale, **kwargs) is None
    assert Alert.objects.count() == 1


def test_enrichment_queues_the_evaluation(org, listening, settings):
    """After a batch is enriched, the organisation's rules are evaluated right away
    (the worker runs tasks immediately in tests)."""
    from koers.listening.enrich_tasks import enrich_mentions
    from koers.listening.models import Mention

    rule(org, RuleKind.TERM, term="datalek", cooldown_minutes=0)
    Mention.objects.create(
        organisation=org,
        source=listening.source,
        external_id="new-1",
        text="Er is een datalek bij de fietsenmaker",
        published_at=NOW.now(tz=NOW.tzinfo) - timedelta(minutes=1),
    )
    assert enrich_mentions.call_local() == 1
    assert Alert.objects.filter(organisation=org, kind=RuleKind.TERM).count() == 1


def test_other_organisations_are_not_looked_at(org, listening):
    other = make_org("Ander", slug="ander")
    other_listening = make_listening(other)
    rule(org, RuleKind.INFLUENTIAL_AUTHOR, min_reach=1000)
    add_mentions(other_listening.source, [NOW - timedelta(minutes=5)], reach=50_000)
    assert evaluate_organisation(org.pk, NOW) == []
