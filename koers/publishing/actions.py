"""Writes behind the publishing pages: channel accounts (add, change, delete, connect
to Mastodon with OAuth and to Bluesky with an app password), retrying a failed
publication, recording the link of a post made by hand, and the reads the content
pages need (an item's publications, media a platform would refuse).

Every address a member types is checked before anything is stored (https, not on an
internal network: ``check_address``), every call out goes through
``koers.platforms.http``, and what a platform hands back (tokens, app passwords,
sessions) is stored encrypted in ``ChannelAccount.secrets_encrypted``; only the
instance and the handle are ever shown.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets as random
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.audit.actions import record_event
from koers.orgs.capabilities import can
from koers.platforms import http
from koers.platforms.base import SourceError
from koers.publishing import engine, secrets
from koers.publishing.models import (
    AccountKind,
    AccountStatus,
    ChannelAccount,
    Publication,
    PublicationStatus,
)

# Audit actions (labels to add to koers.audit.models.Action).
ACCOUNT_CONNECTED = "channel_account_connected"
ACCOUNT_CHANGED = "channel_account_changed"
ACCOUNT_DELETED = "channel_account_deleted"

MASTODON_SCOPES = "read write"
DEFAULT_BLUESKY_SERVICE = "https://bsky.social"
# Seconds a platform gets to answer while a member waits for the page.
TIMEOUT = 10.0
# The state in the Mastodon authorisation round trip is valid this long (seconds).
STATE_MAX_AGE = 10 * 60
STATE_SALT = "koers.publishing.mastodon-state"
# Bluesky app passwords look like "abcd-efgh-ijkl-mnop"; the account password must
# never be handed to Koers.
APP_PASSWORD = re.compile(r"^[a-z0-9]{4}(-[a-z0-9]{4}){3}$")

# Kinds whose texts are fixed by the kind; the others publish any channel's texts.
SERVES_OF_KIND = {AccountKind.MASTODON: "mastodon", AccountKind.BLUESKY: "bluesky"}


# --- secrets ----------------------------------------------------------------------------


def _clear_secrets(account: ChannelAccount) -> None:
    account.secrets_encrypted = secrets.encrypt({})


# --- addresses --------------------------------------------------------------------------


def check_address(url: str, *, field: str = "address") -> str:
    """An address Koers may talk to, as scheme://host[:port] for instances and services
    or in full for webhooks; ValidationError on ``field`` otherwise. https only (plain
    http only where internal addresses are allowed, for local use), never an address on
    a private or internal network."""
    from koers.alerts.channels.base import check_url

    try:
        checked, _host = check_url(url)
    except ValidationError as error:
        code = getattr(error, "code", None)
        if code == "scheme":
            error = ValidationError(
                _(
                    "Use an address that starts with https://: posts and tokens must not travel "
                    "unencrypted."
                ),
                code="scheme",
            )
        elif code == "internal":
            error = ValidationError(
                _(
                    "%(host)s is on a private or internal network; Koers does not publish "
                    "there. An administrator can allow internal addresses "
                    "(KOERS_OUTGOING_ALLOW_PRIVATE)."
                ),
                code="internal",
                params=error.params,
            )
        raise ValidationError({field: [error]}) from None
    return checked


def _origin(url: str) -> str:
    """scheme://host[:port] of an address, lower-case, without path or slash."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower()


def normalise_instance(value: str) -> str:
    """What people type for an instance ("mastodon.social", "https://mastodon.social/")
    as its origin; '' when empty."""
    value = value.strip()
    if not value:
        return ""
    if "://" not in value:
        value = "https://" + value.lstrip("/")
    return _origin(value)


# --- the platforms ----------------------------------------------------------------------
#
# What is stored per kind (the connectors read the same names):
#   mastodon: client_id, client_secret, redirect_uri, access_token
#   bluesky:  identifier, app_password, did, access_jwt, refresh_jwt
#   webhook:  url, secret (the signing secret)


class ConnectError(Exception):
    """A platform refused or could not be reached while connecting; the message is
    meant for people (it carries the platform's own words)."""


def _words(error: SourceError) -> str:
    """The platform's own explanation in an error answer, else the error itself."""
    text = str(error)
    start = text.find("{")
    if start >= 0:
        try:
            data = json.loads(text[start:])
        except ValueError:
            data = None
        if isinstance(data, dict):
            for name in ("error_description", "message", "error"):
                if isinstance(data.get(name), str) and data[name].strip():
                    return f"{data[name].strip()} ({error.status})"
    return text


def _answer(response) -> dict:
    try:
        data = json.loads(response.body or b"{}")
    except ValueError:
        raise ConnectError(_("The server did not answer with JSON.")) from None
    if not isinstance(data, dict):
        raise ConnectError(_("The server gave an unexpected answer."))
    return data


def _post(url: str, data: dict) -> dict:
    try:
        response = http.post(
            url,
            json.dumps(data).encode(),
            headers={"Accept": "application/json"},
            timeout=TIMEOUT,
            allow_private=settings.OUTGOING_ALLOW_PRIVATE,
        )
    except SourceError as error:
        raise ConnectError(_words(error)) from None
    return _answer(response)


def _get(url: str, *, token: str) -> dict:
    try:
        response = http.get(
            url,
            headers={"Accept": "application/json", "Authorization": f"Bearer {token}"},
            timeout=TIMEOUT,
            max_bytes=1024 * 1024,
            allow_private=settings.OUTGOING_ALLOW_PRIVATE,
        )
    except SourceError as error:
        raise ConnectError(_words(error)) from None
    return _answer(response)


# --- accounts ---------------------------------------------------------------------------


def _check_account(organisation, *, kind, name, serves, address, responsible, webhook_url, account):
    from koers.content.models import CHANNEL_CHOICES

    errors: dict[str, list] = {}
    if not name:
        errors["name"] = [ValidationError(_("Give the account a name."))]
    if kind not in SERVES_OF_KIND and serves not in dict(CHANNEL_CHOICES):
        errors["serves"] = [ValidationError(_("Choose whose texts this account publishes."))]
    if kind in (AccountKind.MASTODON, AccountKind.BLUESKY):
        if not address:
            message = (
                _("Give the address of your Mastodon server, e.g. https://mastodon.social.")
                if kind == AccountKind.MASTODON
                else _("Give the address of your Bluesky server, e.g. https://bsky.social.")
            )
            errors["address"] = [ValidationError(message)]
        else:
            try:
                check_address(address)
            except ValidationError as error:
                errors.update(error.error_dict)
    if kind == AccountKind.WEBHOOK:
        if webhook_url:
            try:
                check_address(webhook_url, field="webhook_url")
            except ValidationError as error:
                errors.update(error.error_dict)
        elif account is None or not account.secrets_encrypted:
            errors["webhook_url"] = [
                ValidationError(_("Paste the webhook address Zapier, n8n or Make gave you."))
            ]
    if kind == AccountKind.MANUAL:
        if responsible is None:
            errors["responsible"] = [ValidationError(_("Choose who posts by hand."))]
        elif not organisation.memberships.filter(user=responsible).exists():
            errors["responsible"] = [ValidationError(_("Choose a member of this organisation."))]
    if errors:
        raise ValidationError(errors)


def _check_app_password(handle: str, app_password: str) -> None:
    errors = {}
    if not handle.strip().lstrip("@"):
        errors["handle"] = [ValidationError(_("Give the account's handle, e.g. name.bsky.social."))]
    if not APP_PASSWORD.match(app_password.strip()):
        errors["app_password"] = [
            ValidationError(
                _(
                    "Use an app password (four groups of four letters or digits, e.g. "
                    "abcd-efgh-ijkl-mnop), made in Bluesky under Settings → Privacy and "
                    "security → App passwords. Never give Koers your account password."
                )
            )
        ]
    if errors:
        raise ValidationError(errors)


def bluesky_session(service: str, *, handle: str, app_password: str) -> tuple[str, dict]:
    """Open a session on a Bluesky service with a handle and an app password: the
    account's handle and the secrets to store (both session tokens, and the app password
    to open a new session when the refresh token runs out). ValidationError by field
    when the input is wrong or the service refuses; nothing is written."""
    _check_app_password(handle, app_password)
    handle = handle.strip().lstrip("@").lower()
    app_password = app_password.strip()
    service = check_address(service or DEFAULT_BLUESKY_SERVICE)
    try:
        session = _post(
            f"{service}/xrpc/com.atproto.server.createSession",
            {"identifier": handle, "password": app_password},
        )
    except ConnectError as error:
        raise ValidationError(
            {
                "app_password": _("%(service)s refused the handle and app password: %(error)s")
                % {"service": service, "error": error}
            }
        ) from None
    if not (session.get("accessJwt") and session.get("refreshJwt") and session.get("did")):
        raise ValidationError(
            {
                "address": _("%(service)s did not answer like a Bluesky server.")
                % {"service": service}
            }
        )
    return "@" + str(session.get("handle") or handle), {
        "identifier": handle,
        "app_password": app_password,
        "did": str(session["did"]),
        "access_jwt": str(session["accessJwt"]),
        "refresh_jwt": str(session["refreshJwt"]),
    }


def save_account(
    organisation,
    *,
    by,
    kind: str,
    name: str,
    serves: str = "",
    address: str = "",
    responsible=None,
    webhook_url: str = "",
    handle: str = "",
    app_password: str = "",
    is_active: bool = True,
    account: ChannelAccount | None = None,
    request=None,
) -> tuple[ChannelAccount, str]:
    """Add or change an account (a change keeps its kind); returns it with the
    webhook's new signing secret, to be shown once ('' otherwise).

    A Mastodon account starts (or, with a new server, starts again) unconnected: the
    member then allows Koers on the server. A Bluesky account connects with ``handle``
    and ``app_password`` (required when added; on a change only when a new one is
    given). A webhook (``webhook_url``; empty on a change keeps the stored one) or a
    manual account works at once. ValidationError, by field, and nothing written, when
    the input is wrong or Bluesky refuses."""
    kind = account.kind if account else kind
    if kind not in AccountKind.values:
        raise ValidationError({"kind": _("Choose one of the kinds offered.")})
    name = name.strip()
    serves = SERVES_OF_KIND.get(kind, serves)
    if kind in (AccountKind.MASTODON, AccountKind.BLUESKY):
        address = normalise_instance(address)
    else:
        address = account.address if account else ""
    webhook_url = webhook_url.strip() if kind == AccountKind.WEBHOOK else ""
    responsible = responsible if kind == AccountKind.MANUAL else None
    _check_account(
        organisation,
        kind=kind,
        name=name,
        serves=serves,
        address=address,
        responsible=responsible,
        webhook_url=webhook_url,
        account=account,
    )
    created = account is None
    new_server = not created and address != account.address
    new_handle = (
        not created and handle.strip().lstrip("@").lower() != account.handle.lstrip("@").lower()
    )
    connect = kind == AccountKind.BLUESKY and (
        created or bool(app_password) or new_server or new_handle
    )
    # Before any write: a refused app password leaves nothing half-made.
    session = (
        bluesky_session(address, handle=handle, app_password=app_password) if connect else None
    )
    signing_secret = ""
    with transaction.atomic():
        if created:
            account = ChannelAccount(organisation=organisation, kind=kind, created_by=by)
        changed = []
        if kind in (AccountKind.MASTODON, AccountKind.BLUESKY) and address != account.address:
            # Tokens of another server mean nothing there: connect again.
            if new_server:
                changed.append("address")
            account.address = address
            account.handle = ""
            _clear_secrets(account)
            account.status = AccountStatus.PENDING
        if kind == AccountKind.MANUAL:
            account.responsible = responsible
            account.status = AccountStatus.CONNECTED
        for field, value in (("name", name), ("serves", serves), ("is_active", is_active)):
            if getattr(account, field) != value:
                setattr(account, field, value)
                if not created:
                    changed.append(field)
        if webhook_url:
            # A new address gets a new signing secret, shown once.
            signing_secret = random.token_urlsafe(32)
            account.secrets_encrypted = secrets.encrypt(
                {"url": webhook_url, "secret": signing_secret}
            )
            account.address = _origin(webhook_url)
            account.status = AccountStatus.CONNECTED
            account.last_error, account.last_error_at = "", None
            if not created:
                changed.append("webhook address")
        account.save()
        if session is not None:
            _connected(account, handle=session[0], stored=session[1], by=by, request=request)
        record_event(
            organisation,
            action=ACCOUNT_CHANGED,
            by=by,
            request=request,
            target=account.name,
            details={
                "account": account.pk,
                "kind": kind,
                "address": account.address,
                "created": created,
                "changed": changed,
                "active": account.is_active,
            },
        )
    return account, signing_secret


@transaction.atomic
def delete_account(account: ChannelAccount, *, by, request=None) -> None:
    """Delete an account with its publications: what is not out yet will not go out
    there (published posts stay on the platform)."""
    record_event(
        account.organisation,
        action=ACCOUNT_DELETED,
        by=by,
        request=request,
        target=account.name,
        details={
            "account": account.pk,
            "kind": account.kind,
            "address": account.address,
            "handle": account.handle,
            "pending": account.publications.filter(
                status__in=[PublicationStatus.SCHEDULED, PublicationStatus.WAITING]
            ).count(),
        },
    )
    account.delete()


def _connected(account: ChannelAccount, *, handle: str, stored: dict, by, request) -> None:
    """Store what the platform handed out; the account is connected."""
    account.handle = handle[:300]
    account.secrets_encrypted = secrets.encrypt(stored)
    account.status = AccountStatus.CONNECTED
    account.last_error, account.last_error_at = "", None
    account.save(
        update_fields=["handle", "secrets_encrypted", "status", "last_error", "last_error_at"]
    )
    record_event(
        account.organisation,
        action=ACCOUNT_CONNECTED,
        by=by,
        request=request,
        target=account.name,
        details={
            "account": account.pk,
            "kind": account.kind,
            "address": account.address,
            "handle": account.handle,
        },
    )


def _failed(account: ChannelAccount, message: str) -> None:
    ChannelAccount.objects.filter(pk=account.pk).update(
        last_error=message[:2000], last_error_at=timezone.now()
    )
    account.refresh_from_db(fields=["last_error", "last_error_at"])


# --- Mastodon ---------------------------------------------------------------------------


def mastodon_state(account: ChannelAccount, user) -> str:
    """The ``state`` of the authorisation round trip: signed, bound to the organisation,
    the account and the member who started it, valid for ten minutes."""
    return signing.dumps(
        {"o": account.organisation_id, "a": account.pk, "u": user.pk}, salt=STATE_SALT
    )


def read_mastodon_state(state: str, *, organisation, user) -> int:
    """The account id in a ``state`` that this member started for this organisation in
    the last ten minutes; ValidationError otherwise."""
    try:
        data = signing.loads(state, salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            _("The authorisation took longer than ten minutes. Connect again."), code="expired"
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            _("This authorisation did not start here. Connect again."), code="bad_state"
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("o") != organisation.pk
        or data.get("u") != user.pk
        or not isinstance(data.get("a"), int)
    ):
        raise ValidationError(
            _("This authorisation did not start here. Connect again."), code="bad_state"
        )
    return data["a"]


def _read(account: ChannelAccount) -> dict:
    try:
        return secrets.read(account)
    except secrets.SecretsUnreadable:
        return {}  # unreadable after a key change: start afresh


def start_mastodon_connect(account: ChannelAccount, *, by, redirect_uri: str) -> str:
    """Register Koers as an app on the account's server (once per address of Koers)
    and return the server's authorisation address to send the member to, with a signed
    state. ConnectError (kept as the account's last error) when the server cannot be
    reached or refuses; ValidationError when its address may not be used."""
    if account.kind != AccountKind.MASTODON:
        raise ValueError("not a Mastodon account")
    server = check_address(account.address)
    stored = _read(account)
    if not (stored.get("client_id") and stored.get("redirect_uri") == redirect_uri):
        try:
            app = _post(
                f"{server}/api/v1/apps",
                {
                    "client_name": "Koers",
                    "redirect_uris": redirect_uri,
                    "scopes": MASTODON_SCOPES,
                    "website": settings.BASE_URL,
                },
            )
            if not (app.get("client_id") and app.get("client_secret")):
                raise ConnectError(_("It did not answer like a Mastodon server."))
        except ConnectError as error:
            message = _("%(server)s could not register Koers: %(error)s") % {
                "server": server,
                "error": error,
            }
            _failed(account, message)
            raise ConnectError(message) from None
        # A new app: a token of an earlier one is not kept alongside.
        stored = {
            "client_id": str(app["client_id"]),
            "client_secret": str(app["client_secret"]),
            "redirect_uri": redirect_uri,
        }
        secrets.store(account, stored)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": stored["client_id"],
            "redirect_uri": redirect_uri,
            "scope": MASTODON_SCOPES,
            "state": mastodon_state(account, by),
        }
    )
    return f"{server}/oauth/authorize?{query}"


def finish_mastodon_connect(account: ChannelAccount, *, code: str, by, request=None):
    """Exchange the authorisation code for a token, look up whose it is and store both:
    the account is connected. ConnectError (kept as the account's last error) when the
    server refuses."""
    if account.kind != AccountKind.MASTODON:
        raise ValueError("not a Mastodon account")
    server = check_address(account.address)
    stored = _read(account)
    if not stored.get("client_id"):
        raise ConnectError(_("Start connecting from Koers again."))
    try:
        answer = _post(
            f"{server}/oauth/token",
            {
                "grant_type": "authorization_code",
                "code": code,
                "client_id": stored["client_id"],
                "client_secret": stored["client_secret"],
                "redirect_uri": stored.get("redirect_uri", ""),
                "scope": MASTODON_SCOPES,
            },
        )
        token = str(answer.get("access_token") or "")
        if not token:
            raise ConnectError(_("It gave no access token."))
        me = _get(f"{server}/api/v1/accounts/verify_credentials", token=token)
    except ConnectError as error:
        message = _("%(server)s refused the connection: %(error)s") % {
            "server": server,
            "error": error,
        }
        _failed(account, message)
        raise ConnectError(message) from None
    acct = str(me.get("acct") or me.get("username") or "")
    handle = acct if "@" in acct else f"{acct}@{urlsplit(server).hostname}"
    _connected(
        account,
        handle=f"@{handle}",
        stored={**stored, "access_token": token, "account_id": str(me.get("id") or "")},
        by=by,
        request=request,
    )
    return account


# --- Bluesky ----------------------------------------------------------------------------


def connect_bluesky(
    account: ChannelAccount, *, handle: str, app_password: str, by, request=None
) -> ChannelAccount:
    """Connect a Bluesky account again with a (new) app password. ValidationError by
    field when refused (the old credentials stay, the refusal becomes the last error)."""
    if account.kind != AccountKind.BLUESKY:
        raise ValueError("not a Bluesky account")
    try:
        shown, stored = bluesky_session(account.address, handle=handle, app_password=app_password)
    except ValidationError as error:
        _failed(account, " ".join(error.messages))
        raise
    with transaction.atomic():
        _connected(account, handle=shown, stored=stored, by=by, request=request)
    return account


# --- publications -----------------------------------------------------------------------

UPCOMING = (PublicationStatus.SCHEDULED, PublicationStatus.PUBLISHING, PublicationStatus.WAITING)
RECENT = (PublicationStatus.PUBLISHED, PublicationStatus.FAILED)
RECENT_DAYS = 30
RECENT_LIMIT = 100


def publications_overview(organisation, status: str = "") -> dict:
    """Upcoming publications (soonest first) and those of the last 30 days that went out
    or failed (latest first), optionally of one status."""
    rows = Publication.objects.for_org(organisation).select_related("account", "variant__item")
    if status:
        rows = rows.filter(status=status)
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    return {
        "upcoming": list(rows.filter(status__in=UPCOMING).order_by("due_at", "pk")),
        "recent": list(
            rows.filter(status__in=RECENT, due_at__gte=since).order_by("-due_at", "-pk")[
                :RECENT_LIMIT
            ]
        ),
    }


def retry_publication(publication: Publication, *, by, request=None) -> None:
    """Put a failed publication back in the outbox, due now, with the same idempotency
    key (so an attempt that did reach the platform is not posted twice). Refused while
    its account is switched off or needs connecting."""
    account = publication.account
    if publication.status != PublicationStatus.FAILED:
        raise ValidationError(_("Only a failed publication can be tried again."))
    if account.kind == AccountKind.MANUAL:
        raise ValidationError(_("A post made by hand is recorded with its link, not retried."))
    if not account.is_active:
        raise ValidationError(
            _("The account “%(name)s” is switched off. Switch it on first.")
            % {"name": account.name}
        )
    if account.status in (AccountStatus.PENDING, AccountStatus.RECONNECT):
        raise ValidationError(
            _("Connect the account “%(name)s” again first, then try again.")
            % {"name": account.name}
        )
    # Conditional, so two clicks (or a worker) cannot both move it. The worker's next
    # round publishes it.
    moved = Publication.objects.filter(pk=publication.pk, status=PublicationStatus.FAILED).update(
        status=PublicationStatus.SCHEDULED,
        due_at=timezone.now(),
        claimed_at=None,
        attempts=0,
        last_error="",
    )
    if not moved:
        raise ValidationError(_("Only a failed publication can be tried again."))


def record_publication_link(publication: Publication, *, url: str, by, request=None) -> None:
    """The person who posted by hand records the post's address: the publication is
    published (and the item too, once all its publications are)."""
    if publication.account.kind != AccountKind.MANUAL:
        raise ValidationError(_("Only a post made by hand is recorded with its link."))
    url = url.strip()
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        raise ValidationError(
            {"url": _("Paste the full address of the post, starting with https://.")}
        ) from None
    with transaction.atomic():
        recorded = Publication.objects.filter(
            pk=publication.pk,
            status__in=[PublicationStatus.WAITING, PublicationStatus.SCHEDULED],
        ).update(
            status=PublicationStatus.PUBLISHED,
            url=url[:1000],
            external_id=url[:300],
            published_at=timezone.now(),
            last_error="",
        )
        if not recorded:
            raise ValidationError(
                _("This post is already recorded, or was taken off the calendar.")
            )
        _item_out(publication.variant.item)


def _item_out(item) -> None:
    """Scheduled → published, as Koers itself, once all the item's publications are."""
    from koers.content import workflow
    from koers.content.actions import transition_item
    from koers.content.models import State

    rows = Publication.objects.filter(variant__item=item)
    if item.state != State.SCHEDULED or rows.exclude(status=PublicationStatus.PUBLISHED).exists():
        return
    # Moved on meanwhile (the worker, or someone took it off the calendar): leave it.
    with contextlib.suppress(workflow.TransitionRefused):
        transition_item(item, State.PUBLISHED, system=True)


# --- for the content pages --------------------------------------------------------------


@dataclass
class ItemPublications:
    rows: list
    # Channels with a text but no active account that publishes it.
    unserved: list[str]

    def __bool__(self) -> bool:
        return bool(self.rows or self.unserved)


def item_publications(item, membership) -> ItemPublications:
    """What happens to each of the item's texts: its publications (status, link, the
    platform's reason when it failed), for members who see the pipeline; once the item
    is approved, also the texts that no account publishes."""
    from koers.content.models import CHANNEL_CHOICES, State

    if not can(membership, "content.view"):
        return ItemPublications([], [])
    rows = list(
        Publication.objects.filter(organisation_id=item.organisation_id, variant__item=item)
        .select_related("account", "variant")
        .order_by("variant__channel", "account__name", "pk")
    )
    unserved: list[str] = []
    if item.state in (State.APPROVED, State.SCHEDULED):
        labels = dict(CHANNEL_CHOICES)
        unserved = [str(labels.get(c, c)) for c in engine.unserved_channels(item)]
    return ItemPublications(rows, unserved)


def media_problems(item) -> list[str]:
    """What a platform the item goes to would refuse (a photo too large or of the wrong
    type, a text over its limit), one sentence per account; [] when nothing."""
    try:
        return engine.check_item(item)
    except (FileNotFoundError, OSError):
        return [_("The photo's file is missing. Upload the photo again.")]
