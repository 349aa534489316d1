"""Builders for the channel and outbox tests: rules, alerts and channels made directly
with the ORM, and a fixture that lets Koers send to the local receiver on 127.0.0.1."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from koers.alerts.channels import base
from koers.alerts.models import Alert, AlertRule, Channel, ChannelKind, RuleKind
from koers.listening.secrets import encrypt

SECRET = "a-signing-secret-of-enough-length"


@pytest.fixture
def private_ok(settings, monkeypatch):
    """The receiver lives on 127.0.0.1, which production refuses; and it should not take
    ten seconds to notice a receiver that hangs."""
    settings.OUTGOING_ALLOW_PRIVATE = True
    monkeypatch.setattr(base, "TIMEOUT", 0.5)


def make_rule(org, **overrides) -> AlertRule:
    values = {"name": "Volume", "kind": RuleKind.VOLUME_SPIKE, "severity": 3}
    values.update(overrides)
    return AlertRule.objects.create(organisation=org, **values)


def make_alert(rule, **overrides) -> Alert:
    values = {
        "organisation": rule.organisation,
        "rule": rule,
        "kind": rule.kind,
        "severity": rule.severity,
        "title": "Volume 4× higher than normal",
        "summary": "42 mentions in 5 minutes; normally 10.",
        "value": 42.0,
        "baseline": 10.5,
        "score": 5.2,
        "observed_at": timezone.now(),
    }
    values.update(overrides)
    return Alert.objects.create(**values)


def make_channel(org, kind=ChannelKind.WEBHOOK, url="", **overrides) -> Channel:
    values = {"name": f"{kind} channel"}
    if url:
        values["url_encrypted"] = encrypt(url)
        values["url_host"] = "127.0.0.1"
    if kind == ChannelKind.WEBHOOK:
        values["secret_encrypted"] = encrypt(SECRET)
    values.update(overrides)
    return Channel.objects.create(organisation=org, kind=kind, **values)


def local(org, *args) -> datetime:
    """A moment in the organisation's time zone."""
    return datetime(*args, tzinfo=org.zone)


@pytest.fixture
def english(cast):
    """Organisation A writes its alerts in English, so tests read like the msgids (the
    cast's organisations speak Dutch, the default)."""
    cast.a.org.default_language = "en"
    cast.a.org.save(update_fields=["default_language"])
    return cast.a.org
