"""Writes on early warning: alert rules (create, change, delete), raising an alert, and
what people do with one (acknowledge, assign, resolve, open an incident).

``validate_rule`` decides what a rule may be: a ``ValidationError`` per field for an
impossible combination, and nothing is written. ``raise_alert`` is the one way an
alert comes to be: it respects the rule's cooldown with a conditional update (two
workers never both fire), attaches the mentions behind it and hands the alert to the
outbox (``koers.alerts.delivery.enqueue``), all in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from koers.alerts.models import (
    Alert,
    AlertMention,
    AlertRule,
    AlertStatus,
    Channel,
    Incident,
    IncidentStatus,
    RuleKind,
    Sensitivity,
)
from koers.audit.actions import record_event
from koers.listening.models import Group, SavedQuery
from koers.orgs.capabilities import can
from koers.orgs.models import Membership
from koers.query import QuerySyntaxError, compile

# Audit log actions (plain strings: koers.audit.models.Action lists the labelled ones).
RULE_CREATED = "alert_rule_created"
RULE_CHANGED = "alert_rule_changed"
RULE_DELETED = "alert_rule_deleted"
ALERT_RAISED = "alert_raised"
ALERT_ACKNOWLEDGED = "alert_acknowledged"
ALERT_ASSIGNED = "alert_assigned"
ALERT_RESOLVED = "alert_resolved"
INCIDENT_OPENED = "incident_opened"
INCIDENT_CHANGED = "incident_changed"

SERIES_KINDS = frozenset({RuleKind.VOLUME_SPIKE, RuleKind.SENTIMENT_DIP, RuleKind.SHARE_OF_VOICE})
MENTION_KINDS = frozenset({RuleKind.INFLUENTIAL_AUTHOR, RuleKind.THREAT, RuleKind.TERM})
# Which of the optional fields each kind uses; the others are cleared on save.
KIND_FIELDS: dict[str, frozenset[str]] = {
    RuleKind.VOLUME_SPIKE: frozenset({"sensitivity"}),
    RuleKind.SENTIMENT_DIP: frozenset({"sensitivity"}),
    RuleKind.SHARE_OF_VOICE: frozenset({"sensitivity", "competitor_query"}),
    RuleKind.INFLUENTIAL_AUTHOR: frozenset({"min_reach", "stakeholder_group"}),
    RuleKind.THREAT: frozenset({"min_threat"}),
    RuleKind.TERM: frozenset({"term"}),
}
EMPTY = {
    "sensitivity": Sensitivity.NORMAL,
    "competitor_query": None,
    "min_reach": None,
    "stakeholder_group": "",
    "min_threat": None,
    "term": "",
}
RULE_FIELDS = (
    "name",
    "kind",
    "query",
    "competitor_query",
    "sensitivity",
    "min_reach",
    "stakeholder_group",
    "min_threat",
    "term",
    "severity",
    "cooldown_minutes",
    "quiet_from",
    "quiet_until",
    "digest",
    "digest_minutes",
    "is_active",
)
MAX_COOLDOWN = 7 * 24 * 60
MIN_DIGEST, MAX_DIGEST = 5, 24 * 60
TOP_MENTIONS = 10


def term_error(error: QuerySyntaxError, language: str | None = None) -> str:
    """A term that does not compile, in words: where and what."""
    language = language or translation.get_language() or "en"
    message = error.message_nl if language.startswith("nl") else error.message_en
    return _("At character %(position)s: %(message)s") % {
        "position": error.position + 1,
        "message": message,
    }


def validate_rule(organisation, values: dict) -> dict:
    """The rule's values as they will be saved (fields the kind does not use cleared),
    or a ``ValidationError`` naming each field that is impossible."""
    errors: dict[str, str] = {}
    values = {**values}
    kind = values.get("kind")
    if kind not in RuleKind.values:
        raise ValidationError({"kind": _("Choose one of the kinds of rule offered.")})
    used = KIND_FIELDS[kind]
    for name, empty in EMPTY.items():
        if name not in used:
            values[name] = empty
    if not (values.get("name") or "").strip():
        errors["name"] = _("Give the rule a name.")

    for name in ("query", "competitor_query"):
        query = values.get(name)
        if query is not None and (
            not isinstance(query, SavedQuery) or query.organisation_id != organisation.pk
        ):
            errors[name] = _("Choose one of your organisation's saved queries.")
    if kind == RuleKind.SHARE_OF_VOICE:
        if values.get("query") is None and "query" not in errors:
            errors["query"] = _("Choose the saved query for your own brand.")
        if values.get("competitor_query") is None and "competitor_query" not in errors:
            errors["competitor_query"] = _("Choose the saved query for the competitor.")
        elif (
            values.get("query") is not None
            and values["competitor_query"] is not None
            and values["query"].pk == values["competitor_query"].pk
        ):
            errors["competitor_query"] = _(
                "Choose a different query than your own: a query cannot overtake itself."
            )
    if kind in SERIES_KINDS and values.get("sensitivity") not in Sensitivity.values:
        errors["sensitivity"] = _("Choose low, normal or high.")
    if kind == RuleKind.INFLUENTIAL_AUTHOR:
        reach = values.get("min_reach")
        group = values.get("stakeholder_group") or ""
        if reach is None and not group:
            errors["min_reach"] = _(
                "Give a minimum number of followers, choose a stakeholder group, or both."
            )
        elif reach is not None and reach < 1:
            errors["min_reach"] = _("Give at least 1 follower (0 would match every author).")
        if group and group not in Group.values:
            errors["stakeholder_group"] = _("Choose one of the stakeholder groups offered.")
    if kind == RuleKind.THREAT:
        threat = values.get("min_threat")
        if threat is None:
            errors["min_threat"] = _("Give the threat score from which to alert, 0 to 1.")
        elif not 0.0 <= threat <= 1.0:
            errors["min_threat"] = _("The threat score lies between 0 and 1.")
    if kind == RuleKind.TERM:
        term = (values.get("term") or "").strip()
        values["term"] = term
        if not term:
            errors["term"] = _("Give the term (in the query language) that must not go unnoticed.")
        else:
            try:
                compile(term)
            except QuerySyntaxError as error:
                errors["term"] = term_error(error)

    severity = values.get("severity")
    if severity is None or not 1 <= severity <= 5:
        errors["severity"] = _("Severity runs from 1 (low) to 5 (critical).")
    cooldown = values.get("cooldown_minutes")
    if cooldown is None or cooldown < 0:
        errors["cooldown_minutes"] = _("Give the cooldown in minutes (0 for none).")
    elif cooldown > MAX_COOLDOWN:
        errors["cooldown_minutes"] = _("The cooldown can be at most a week (%(max)s minutes).") % {
            "max": MAX_COOLDOWN
        }
    quiet_from, quiet_until = values.get("quiet_from"), values.get("quiet_until")
    if (quiet_from is None) != (quiet_until is None):
        missing = "quiet_until" if quiet_until is None else "quiet_from"
        errors[missing] = _("Give both the start and the end of the quiet hours, or neither.")
    elif quiet_from is not None and quiet_from == quiet_until:
        errors["quiet_until"] = _("Quiet hours must end at a different time than they start.")
    digest_minutes = values.get("digest_minutes")
    if digest_minutes is None or not MIN_DIGEST <= digest_minutes <= MAX_DIGEST:
        errors["digest_minutes"] = _(
            "The digest period lies between %(min)s minutes and a day (%(max)s minutes)."
        ) % {"min": MIN_DIGEST, "max": MAX_DIGEST}
    channels = values.get("channels") or []
    if any(
        not isinstance(channel, Channel) or channel.organisation_id != organisation.pk
        for channel in channels
    ):
        errors["channels"] = _("Choose among your organisation's channels.")
    if errors:
        raise ValidationError(errors)
    return values


def _apply(rule: AlertRule, values: dict) -> None:
    for name in RULE_FIELDS:
        if name in values:
            setattr(rule, name, values[name])


def _details(rule: AlertRule) -> dict:
    return {"kind": rule.kind, "severity": rule.severity, "active": rule.is_active}


@transaction.atomic
def create_rule(organisation, *, by, request=None, **values) -> AlertRule:
    values = validate_rule(organisation, values)
    rule = AlertRule(organisation=organisation, created_by=by)
    _apply(rule, values)
    rule.save()
    rule.channels.set(values.get("channels") or [])
    record_event(
        organisation,
        action=RULE_CREATED,
        by=by,
        request=request,
        target=rule.name,
        details=_details(rule),
    )
    return rule


@transaction.atomic
def update_rule(rule: AlertRule, *, by, request=None, **values) -> AlertRule:
    """Change a rule. A change of what it watches (kind or queries) starts its series
    afresh: the detector's memory belongs to the old series."""
    values = validate_rule(rule.organisation, {"kind": rule.kind, **values})
    rule = AlertRule.objects.select_for_update().get(pk=rule.pk)
    watched = (rule.kind, rule.query_id, rule.competitor_query_id, rule.term)
    _apply(rule, values)
    rule.save()
    if "channels" in values:
        rule.channels.set(values["channels"] or [])
    if watched != (rule.kind, rule.query_id, rule.competitor_query_id, rule.term):
        rule.series.all().delete()
    record_event(
        rule.organisation,
        action=RULE_CHANGED,
        by=by,
        request=request,
        target=rule.name,
        details=_details(rule),
    )
    return rule


@transaction.atomic
def delete_rule(rule: AlertRule, *, by, request=None) -> None:
    """Delete a rule; its alerts stay (without their rule)."""
    name, organisation = rule.name, rule.organisation
    details = _details(rule)
    rule.delete()
    record_event(
        organisation, action=RULE_DELETED, by=by, request=request, target=name, details=details
    )


# --- raising alerts -------------------------------------------------------------------


def raise_alert(
    rule: AlertRule,
    *,
    title: str,
    summary: str,
    observed_at: datetime,
    value: float | None = None,
    baseline: float | None = None,
    score: float | None = None,
    mentions: Iterable = (),
    now: datetime | None = None,
) -> Alert | None:
    """Create the alert for ``rule`` unless it is cooling down; None when it is.

    ``now`` is the moment of firing (the evaluation time; a bucket's end when history
    is replayed). The cooldown is claimed with a conditional update on
    ``last_fired_at``, so of two workers firing at once only one creates an alert.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=rule.cooldown_minutes)
    with transaction.atomic():
        claimed = (
            AlertRule.objects.filter(pk=rule.pk)
            .filter(Q(last_fired_at__isnull=True) | Q(last_fired_at__lte=cutoff))
            .update(last_fired_at=now)
        )
        if not claimed:
            return None
        rule.last_fired_at = now
        alert = Alert.objects.create(
            organisation_id=rule.organisation_id,
            rule=rule,
            kind=rule.kind,
            severity=rule.severity,
            title=title[:300],
            summary=summary,
            value=value,
            baseline=baseline,
            score=score,
            observed_at=observed_at,
            created_at=now,
        )
        top = sorted(mentions, key=lambda m: (-(m.author_reach or 0), -m.pk))[:TOP_MENTIONS]
        AlertMention.objects.bulk_create(
            [
                AlertMention(organisation_id=rule.organisation_id, alert=alert, mention=m)
                for m in top
            ],
            ignore_conflicts=True,
        )
        record_event(
            rule.organisation,
            action=ALERT_RAISED,
            target=alert.title,
            details={"alert": alert.pk, "rule": rule.pk, "kind": rule.kind},
        )
        from koers.alerts import delivery

        delivery.enqueue(alert)
    return alert


# --- responding -----------------------------------------------------------------------


@transaction.atomic
def acknowledge_alert(alert: Alert, *, by, request=None) -> Alert:
    """Someone has seen it and takes it on. A resolved alert stays resolved."""
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status == AlertStatus.OPEN:
        alert.status = AlertStatus.ACKNOWLEDGED
        alert.acknowledged_by = by
        alert.acknowledged_at = timezone.now()
        alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
        record_event(
            alert.organisation,
            action=ALERT_ACKNOWLEDGED,
            by=by,
            request=request,
            target=alert.title,
            details={"alert": alert.pk},
        )
    return alert


def responders(organisation):
    """The members who may respond to alerts (those an alert can be assigned to)."""
    members = Membership.objects.for_org(organisation).select_related("user")
    return [m for m in members.order_by("user__name", "user__email") if can(m, "alerts.respond")]


@transaction.atomic
def assign_alert(alert: Alert, *, assignee, by, request=None) -> Alert:
    """Give the alert to a member who may respond to it (``assignee``: a user; None to
    unassign)."""
    if assignee is not None and assignee.pk not in {
        m.user_id for m in responders(alert.organisation)
    }:
        raise ValidationError(
            {"assignee": _("Choose a member of this organisation who may handle alerts.")}
        )
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    alert.assigned_to = assignee
    alert.save(update_fields=["assigned_to"])
    record_event(
        alert.organisation,
        action=ALERT_ASSIGNED,
        by=by,
        request=request,
        target=alert.title,
        details={"alert": alert.pk, "assignee": assignee.email if assignee else ""},
    )
    return alert


@transaction.atomic
def resolve_alert(alert: Alert, *, by, request=None) -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if alert.status != AlertStatus.RESOLVED:
        if alert.acknowledged_at is None:
            alert.acknowledged_by, alert.acknowledged_at = by, timezone.now()
        alert.status = AlertStatus.RESOLVED
        alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
        record_event(
            alert.organisation,
            action=ALERT_RESOLVED,
            by=by,
            request=request,
            target=alert.title,
            details={"alert": alert.pk},
        )
    return alert


@transaction.atomic
def open_incident(alert: Alert, *, by, request=None) -> Incident:
    """An incident for the alert, titled after it and linked to it; an open alert is
    acknowledged along the way. The alert's open incident when it already has one."""
    existing = alert.incidents.filter(status=IncidentStatus.OPEN).first()
    if existing is not None:
        return existing
    incident = Incident.objects.create(
        organisation_id=alert.organisation_id,
        title=alert.title,
        description=alert.summary,
        opened_by=by,
    )
    incident.alerts.add(alert)
    acknowledge_alert(alert, by=by, request=request)
    record_event(
        alert.organisation,
        action=INCIDENT_OPENED,
        by=by,
        request=request,
        target=incident.title,
        details={"incident": incident.pk, "alert": alert.pk},
    )
    return incident


@transaction.atomic
def update_incident(
    incident: Incident, *, by, title: str, description: str, status: str, request=None
) -> Incident:
    if not title.strip():
        raise ValidationError({"title": _("Give the incident a title.")})
    if status not in IncidentStatus.values:
        raise ValidationError({"status": _("Choose open or closed.")})
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    closing = status == IncidentStatus.CLOSED and incident.status != IncidentStatus.CLOSED
    incident.title, incident.description = title.strip(), description
    if status != incident.status:
        incident.closed_at = timezone.now() if closing else None
    incident.status = status
    incident.save(update_fields=["title", "description", "status", "closed_at"])
    record_event(
        incident.organisation,
        action=INCIDENT_CHANGED,
        by=by,
        request=request,
        target=incident.title,
        details={"incident": incident.pk, "status": status},
    )
    return incident
