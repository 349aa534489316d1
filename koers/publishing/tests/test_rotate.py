"""``koers rotate_secrets``: every encrypted column re-encrypted under the current key,
readable afterwards without the old one, and harmless to run again."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from koers.alerts.models import Channel
from koers.listening import secrets as listening_secrets
from koers.listening.models import Source, SourceKind
from koers.publishing import secrets
from koers.publishing.tests.builders import make_account

pytestmark = pytest.mark.django_db

OLD, NEW = "old-" + "k" * 50, "new-" + "k" * 50


def rotate() -> str:
    out = StringIO()
    call_command("rotate_secrets", stdout=out, stderr=StringIO())
    return out.getvalue()


def test_rotate_secrets(cast, settings):
    org = cast.a.org
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD, []
    source = Source.objects.create(
        organisation=org,
        kind=SourceKind.MASTODON_TAG,
        name="Tijdlijn",
        token_encrypted=listening_secrets.encrypt("source-token"),
    )
    channel = Channel.objects.create(
        organisation=org,
        name="Hook",
        kind="webhook",
        url_encrypted=listening_secrets.encrypt("https://hook.example/x"),
        secret_encrypted=listening_secrets.encrypt("signing"),
    )
    account = make_account(org, "bluesky", secrets={"app_password": "abcd-efgh-ijkl-mnop"})
    broken = make_account(org, "mastodon", name="Kapot")
    broken.secrets_encrypted = "not-a-token"
    broken.save(update_fields=["secrets_encrypted"])

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW, [OLD]
    report = rotate()
    assert "listening.Source.token_encrypted: 1 re-encrypted, 0 already current" in report
    assert "alerts.Channel.url_encrypted: 1 re-encrypted" in report
    assert "alerts.Channel.secret_encrypted: 1 re-encrypted" in report
    accounts = "publishing.ChannelAccount.secrets_encrypted"
    assert f"{accounts}: 1 re-encrypted, 0 already current, 1 unreadable" in report

    # The old key is gone: everything still reads.
    settings.SECRET_KEY_FALLBACKS = []
    source.refresh_from_db()
    channel.refresh_from_db()
    account.refresh_from_db()
    assert listening_secrets.get_token(source) == "source-token"
    assert listening_secrets.decrypt(channel.url_encrypted) == "https://hook.example/x"
    assert listening_secrets.decrypt(channel.secret_encrypted) == "signing"
    assert secrets.read(account) == {"app_password": "abcd-efgh-ijkl-mnop"}

    before = account.secrets_encrypted
    assert "Total: 0 re-encrypted, 4 already current, 1 unreadable" in rotate()
    account.refresh_from_db()
    assert account.secrets_encrypted == before


def test_without_the_old_key_nothing_is_lost_or_changed(cast, settings):
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD, []
    account = make_account(cast.a.org, "bluesky", secrets={"app_password": "x"})
    stored = account.secrets_encrypted
    settings.SECRET_KEY = NEW
    assert "1 unreadable" in rotate()
    account.refresh_from_db()
    assert account.secrets_encrypted == stored
    with pytest.raises(secrets.SecretsUnreadable):
        secrets.read(account)
