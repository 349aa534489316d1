"""Builders and fixtures for the publishing tests (imported by each test module)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from koers.content.models import ContentItem, State, Variant
from koers.publishing import secrets
from koers.publishing.connectors import base
from koers.publishing.models import AccountKind, AccountStatus, ChannelAccount
from koers.publishing.tests.peers import BlueskyPeer, MastodonPeer


def make_account(org, kind: str, *, serves: str | None = None, **overrides) -> ChannelAccount:
    data = overrides.pop("secrets", {})
    values = {
        "name": f"{kind} account",
        "serves": serves or kind,
        "status": AccountStatus.CONNECTED,
    }
    values.update(overrides)
    account = ChannelAccount.objects.create(organisation=org, kind=kind, **values)
    if data:
        secrets.store(account, data)
    return account


def mastodon_account(org, peer: MastodonPeer, **overrides) -> ChannelAccount:
    return make_account(
        org,
        AccountKind.MASTODON,
        address=peer.url,
        handle="@alice@mock.local",
        secrets={"access_token": peer.token},
        **overrides,
    )


def bluesky_account(org, peer: BlueskyPeer, **overrides) -> ChannelAccount:
    return make_account(
        org,
        AccountKind.BLUESKY,
        address=peer.url,
        handle=f"@{peer.handle}",
        secrets={"identifier": peer.handle, "app_password": peer.password},
        **overrides,
    )


def make_scheduled(org, texts: dict[str, str], *, when: datetime | None = None, **overrides):
    """A scheduled item with one variant per channel in ``texts``."""
    values = {
        "title": "Klantverhaal",
        "state": State.SCHEDULED,
        "scheduled_at": when or timezone.now() - timedelta(minutes=1),
    }
    values.update(overrides)
    item = ContentItem.objects.create(organisation=org, **values)
    for channel, text in texts.items():
        Variant.objects.create(organisation=org, item=item, channel=channel, text=text)
    return item


@pytest.fixture(scope="session")
def _mastodon_server():
    peer = MastodonPeer()
    yield peer
    peer.stop()


@pytest.fixture
def mastodon(_mastodon_server, settings):
    settings.OUTGOING_ALLOW_PRIVATE = True
    _mastodon_server.reset()
    return _mastodon_server


@pytest.fixture
def bluesky(settings):
    settings.OUTGOING_ALLOW_PRIVATE = True
    peer = BlueskyPeer()
    yield peer
    peer.stop()


@pytest.fixture(autouse=True)
def _short_timeout(monkeypatch):
    monkeypatch.setattr(base, "TIMEOUT", 2.0)
