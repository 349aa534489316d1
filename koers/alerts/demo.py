"""The early-warning demo of Van Dijk Fietsen: a channel in Koers itself, five rules on
the listening demo's queries, and the alerts they raise over its history (the
snowballing complaint about a day ago, the journalist who picks it up, the data leak
mentioned on top, and Fietsplaza's campaign that outshouts the brand for an hour).

Called at the end of ``listening.demo.build_demo_listening``. The evaluation replays
history (``include_history``), which the worker never does: it alerts only on what is
at most two hours old.
"""

from __future__ import annotations

from koers.alerts.evaluate import evaluate_organisation
from koers.alerts.models import AlertRule, Channel, ChannelKind, RuleKind, Sensitivity
from koers.listening.models import Group, QueryRole, SavedQuery


def load(org) -> list:
    """Channels, rules and the alerts of the demo history; returns the alerts."""
    queries = {q.name: q for q in SavedQuery.objects.for_org(org)}
    brand = next((q for q in queries.values() if q.role == QueryRole.BRAND), None)
    competitor = queries.get("Fietsplaza Zwolle")
    if brand is None:
        return []
    strategist = org.memberships.filter(role="strategist").select_related("user").first()
    by = strategist.user if strategist else None
    channel = Channel.objects.create(
        organisation=org, name="Meldingen in Koers", kind=ChannelKind.IN_APP
    )
    rules = [
        AlertRule(
            organisation=org,
            name="Piek in vermeldingen van het merk",
            kind=RuleKind.VOLUME_SPIKE,
            query=brand,
            severity=4,
            created_by=by,
        ),
        AlertRule(
            organisation=org,
            name="Negatieve stemming over het merk",
            kind=RuleKind.SENTIMENT_DIP,
            query=brand,
            severity=3,
            created_by=by,
        ),
        AlertRule(
            organisation=org,
            name="Datalek",
            kind=RuleKind.TERM,
            term='datalek OR "data leak"',
            severity=5,
            cooldown_minutes=30,
            created_by=by,
        ),
        AlertRule(
            organisation=org,
            name="Journalist of groot account",
            kind=RuleKind.INFLUENTIAL_AUTHOR,
            query=brand,
            min_reach=8000,
            stakeholder_group=Group.JOURNALIST,
            severity=2,
            cooldown_minutes=240,
            created_by=by,
        ),
    ]
    if competitor is not None:
        rules.append(
            AlertRule(
                organisation=org,
                name="Fietsplaza haalt ons in",
                kind=RuleKind.SHARE_OF_VOICE,
                query=brand,
                competitor_query=competitor,
                sensitivity=Sensitivity.NORMAL,
                severity=3,
                created_by=by,
            )
        )
    for rule in rules:
        rule.save()
        rule.channels.add(channel)
    return evaluate_organisation(org.pk, include_history=True)
