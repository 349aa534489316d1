"""Connecting channel accounts over real HTTP: Mastodon's authorisation-code flow and
Bluesky's app password against a local peer (tests/oauth_peer.py), webhooks and
manual channels; addresses Koers must not talk to; secrets never shown back."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.urls import reverse

from koers.audit.models import AuditEvent
from koers.orgs.capabilities import Role
from koers.publishing import actions, secrets
from koers.publishing.models import AccountKind, AccountStatus, ChannelAccount
from koers.publishing.tests.oauth_peer import APP_PASSWORD, BLUESKY_HANDLE, serve_peer


@pytest.fixture
def peer(settings):
    settings.OUTGOING_ALLOW_PRIVATE = True
    settings.BASE_URL = "https://koers.example"
    with serve_peer() as running:
        yield running


@pytest.fixture
def org(cast):
    return cast.a.org


def _url(org, name, **kwargs) -> str:
    return reverse(f"publishing:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _add_mastodon(client, org, address):
    return client.post(
        _url(org, "account_create") + "?kind=mastodon",
        {"kind": "mastodon", "name": "Mastodon @fietsen", "address": address, "is_active": "on"},
    )


# --- Mastodon ---------------------------------------------------------------------------


def test_mastodon_authorisation_code_flow(owner_client, org, peer):
    response = _add_mastodon(owner_client, org, peer.url + "/")
    account = ChannelAccount.objects.get(organisation=org)
    assert account.kind == AccountKind.MASTODON and account.serves == "mastodon"
    assert account.address == peer.url  # no trailing slash, as an origin
    assert account.status == AccountStatus.PENDING
    # Koers registered itself on the instance and sends the member there.
    assert response.status_code == 302
    assert peer.paths() == ["/api/v1/apps"]
    registered = peer.requests[0].body
    callback = "https://koers.example" + _url(org, "mastodon_callback")
    assert registered["redirect_uris"] == callback
    assert registered["scopes"] == "read write"
    code, state = peer.authorise(response["Location"])
    stored = secrets.read(account)
    assert stored["client_id"] in peer.apps and "access_token" not in stored

    response = owner_client.get(_url(org, "mastodon_callback"), {"code": code, "state": state})
    assert response.status_code == 302 and response["Location"] == _url(org, "accounts")
    account.refresh_from_db()
    assert account.status == AccountStatus.CONNECTED
    assert account.handle == "@fietsen@127.0.0.1"
    token = secrets.read(account)["access_token"]
    assert token in peer.tokens
    assert AuditEvent.objects.filter(
        organisation=org, action=actions.ACCOUNT_CONNECTED, target=account.name
    ).exists()
    # The token is never shown; the handle and the server are.
    page = owner_client.get(_url(org, "accounts")).content.decode()
    assert "@fietsen@127.0.0.1" in page and token not in page
    assert stored["client_secret"] not in page
    edit = owner_client.get(_url(org, "account_edit", pk=account.pk)).content.decode()
    assert token not in edit and stored["client_secret"] not in edit


def test_mastodon_reconnect_reuses_the_registered_app(owner_client, org, peer):
    _add_mastodon(owner_client, org, peer.url)
    account = ChannelAccount.objects.get(organisation=org)
    response = owner_client.post(_url(org, "mastodon_connect", pk=account.pk))
    assert response.status_code == 302 and "/oauth/authorize?" in response["Location"]
    assert peer.paths().count("/api/v1/apps") == 1


@pytest.mark.parametrize("problem", ["tampered", "other_member", "other_org", "expired"])
def test_mastodon_callback_refuses_a_state_it_did_not_give(cast, client, org, peer, problem):
    owner = cast.a[Role.OWNER].user
    client.force_login(owner)
    response = _add_mastodon(client, org, peer.url)
    code, state = peer.authorise(response["Location"])
    account = ChannelAccount.objects.get(organisation=org)
    if problem == "tampered":
        state = state[:-2] + ("AA" if not state.endswith("AA") else "BB")
    elif problem == "other_member":
        client.force_login(cast.a[Role.EDITOR].user)  # may manage publishing, did not start it
    elif problem == "other_org":
        state = signing.dumps(
            {"o": cast.b.org.pk, "a": account.pk, "u": owner.pk}, salt=actions.STATE_SALT
        )
    elif problem == "expired":
        # Signed eleven minutes ago (the signature carries its own timestamp).
        signer = signing.TimestampSigner(salt=actions.STATE_SALT)
        signer.timestamp = lambda: signing.b62_encode(int(time.time()) - 660)
        state = signer.sign_object(
            {"o": org.pk, "a": account.pk, "u": owner.pk}, serializer=signing.JSONSerializer
        )
    response = client.get(
        _url(org, "mastodon_callback"), {"code": code, "state": state}, follow=True
    )
    assert response.status_code == 200
    expected = "ten minutes" if problem == "expired" else "did not start here"
    assert expected in response.content.decode()
    account.refresh_from_db()
    assert account.status == AccountStatus.PENDING
    assert "/oauth/token" not in peer.paths()


def test_mastodon_refused_code_shows_the_servers_words(owner_client, org, peer):
    response = _add_mastodon(owner_client, org, peer.url)
    code, state = peer.authorise(response["Location"])
    peer.refuse_codes = True
    response = owner_client.get(
        _url(org, "mastodon_callback"), {"code": code, "state": state}, follow=True
    )
    html = response.content.decode()
    assert "authorization grant is invalid" in html
    account = ChannelAccount.objects.get(organisation=org)
    assert account.status == AccountStatus.PENDING
    assert "authorization grant is invalid" in account.last_error


def test_mastodon_denied_on_the_server(owner_client, org, peer):
    response = _add_mastodon(owner_client, org, peer.url)
    _code, state = peer.authorise(response["Location"])
    response = owner_client.get(
        _url(org, "mastodon_callback"), {"error": "access_denied", "state": state}, follow=True
    )
    assert "was not allowed to post" in response.content.decode()
    assert "/oauth/token" not in peer.paths()


def test_mastodon_unreachable_instance_is_shown(owner_client, org, peer):
    # A port nobody listens on: registration fails; the account stays, with the reason.
    _add_mastodon(owner_client, org, "http://127.0.0.1:9")
    account = ChannelAccount.objects.get(organisation=org)
    assert account.status == AccountStatus.PENDING
    assert "could not register Koers" in account.last_error
    page = owner_client.get(_url(org, "accounts")).content.decode()
    assert "could not register Koers" in page
    assert _url(org, "mastodon_connect", pk=account.pk) in page


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("http://mastodon.example", "starts with https://"),
        ("https://127.0.0.1", "private or internal network"),
        ("https://10.1.2.3", "private or internal network"),
        ("", "address of your Mastodon server"),
    ],
)
def test_mastodon_address_must_be_https_and_public(owner_client, org, settings, address, message):
    settings.OUTGOING_ALLOW_PRIVATE = False
    response = _add_mastodon(owner_client, org, address)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ChannelAccount.objects.filter(organisation=org).exists()


# --- Bluesky ----------------------------------------------------------------------------


def _add_bluesky(client, org, address, **overrides):
    data = {
        "kind": "bluesky",
        "name": "Bluesky",
        "address": address,
        "handle": "@" + BLUESKY_HANDLE,
        "app_password": APP_PASSWORD,
        "is_active": "on",
        **overrides,
    }
    return client.post(_url(org, "account_create"), data)


def test_bluesky_connects_with_an_app_password(owner_client, org, peer):
    response = _add_bluesky(owner_client, org, peer.url)
    assert response.status_code == 302, response.content.decode()[:2000]
    account = ChannelAccount.objects.get(organisation=org)
    assert account.status == AccountStatus.CONNECTED
    assert account.serves == "bluesky" and BLUESKY_HANDLE in account.handle
    stored = secrets.read(account)
    assert stored["app_password"] == APP_PASSWORD and stored["access_jwt"].startswith("access.")
    sent = peer.requests[-1]
    assert sent.path == "/xrpc/com.atproto.server.createSession"
    assert sent.body == {"identifier": BLUESKY_HANDLE, "password": APP_PASSWORD}
    assert AuditEvent.objects.filter(organisation=org, action=actions.ACCOUNT_CONNECTED).exists()
    page = owner_client.get(_url(org, "account_edit", pk=account.pk)).content.decode()
    assert APP_PASSWORD not in page and stored["access_jwt"] not in page


def test_bluesky_refused_password_saves_nothing(owner_client, org, peer):
    response = _add_bluesky(owner_client, org, peer.url, app_password="zzzz-zzzz-zzzz-zzzz")
    assert response.status_code == 400
    assert "Invalid identifier or password" in response.content.decode()
    assert not ChannelAccount.objects.filter(organisation=org).exists()
    assert not AuditEvent.objects.filter(organisation=org, action__startswith="channel_").exists()


def test_bluesky_account_password_is_refused_before_it_is_sent(owner_client, org, peer):
    response = _add_bluesky(owner_client, org, peer.url, app_password="MijnGeheimWachtwoord1")
    assert response.status_code == 400
    assert "Never give Koers your account password" in response.content.decode()
    assert peer.requests == []
    assert not ChannelAccount.objects.filter(organisation=org).exists()


def test_bluesky_reconnect_keeps_old_credentials_when_refused(owner_client, org, peer):
    _add_bluesky(owner_client, org, peer.url)
    account = ChannelAccount.objects.get(organisation=org)
    ChannelAccount.objects.filter(pk=account.pk).update(status=AccountStatus.RECONNECT)
    before = account.secrets_encrypted
    url = _url(org, "bluesky_connect", pk=account.pk)
    response = owner_client.post(
        url, {"handle": BLUESKY_HANDLE, "app_password": "zzzz-zzzz-zzzz-zzzz"}
    )
    assert response.status_code == 400
    account.refresh_from_db()
    assert account.secrets_encrypted == before and account.status == AccountStatus.RECONNECT
    assert "Invalid identifier or password" in account.last_error

    response = owner_client.post(url, {"handle": BLUESKY_HANDLE, "app_password": APP_PASSWORD})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.status == AccountStatus.CONNECTED and account.last_error == ""


# --- webhook and manual ---------------------------------------------------------------


def test_webhook_secret_shown_once_and_address_never(owner_client, org, settings):
    settings.OUTGOING_ALLOW_PRIVATE = False
    hook = "https://8.8.8.8/hooks/catch/123/abc-geheim"
    response = owner_client.post(
        _url(org, "account_create"),
        {"kind": "webhook", "name": "Zapier", "serves": "linkedin", "webhook_url": hook},
    )
    assert response.status_code == 200
    account = ChannelAccount.objects.get(organisation=org)
    signing_secret = secrets.read(account)["secret"]
    assert signing_secret in response.content.decode()
    assert account.status == AccountStatus.CONNECTED and account.serves == "linkedin"
    assert account.address == "https://8.8.8.8"
    for page in (_url(org, "accounts"), _url(org, "account_edit", pk=account.pk)):
        html = owner_client.get(page).content.decode()
        assert "abc-geheim" not in html and signing_secret not in html
    # Left empty on a change, the stored address stays.
    owner_client.post(
        _url(org, "account_edit", pk=account.pk),
        {"name": "Zapier LinkedIn", "serves": "linkedin", "webhook_url": "", "is_active": "on"},
    )
    account.refresh_from_db()
    assert account.name == "Zapier LinkedIn" and secrets.read(account)["url"] == hook


def test_manual_channel_needs_a_member_who_posts(cast, owner_client, org):
    url = _url(org, "account_create")
    data = {"kind": "manual", "name": "Instagram (met de hand)", "serves": "instagram"}
    response = owner_client.post(url, data)
    assert response.status_code == 400 and "Choose who posts by hand" in response.content.decode()
    outsider = cast.b[Role.EDITOR].user
    response = owner_client.post(url, {**data, "responsible": outsider.pk})
    assert response.status_code == 400
    assert not ChannelAccount.objects.filter(organisation=org).exists()
    editor = cast.a[Role.EDITOR].user
    response = owner_client.post(url, {**data, "responsible": editor.pk, "is_active": "on"})
    assert response.status_code == 302
    account = ChannelAccount.objects.get(organisation=org)
    assert account.responsible == editor and account.status == AccountStatus.CONNECTED


def test_delete_account_is_audited(owner_client, org, peer):
    _add_bluesky(owner_client, org, peer.url)
    account = ChannelAccount.objects.get(organisation=org)
    response = owner_client.post(_url(org, "account_delete", pk=account.pk))
    assert response.status_code == 302
    assert not ChannelAccount.objects.filter(pk=account.pk).exists()
    event = AuditEvent.objects.get(organisation=org, action=actions.ACCOUNT_DELETED)
    assert event.target == "Bluesky" and event.details["kind"] == "bluesky"


def test_authorise_address_carries_what_mastodon_needs(owner_client, org, peer):
    response = _add_mastodon(owner_client, org, peer.url)
    query = parse_qs(urlsplit(response["Location"]).query)
    assert set(query) == {"client_id", "redirect_uri", "response_type", "scope", "state"}
