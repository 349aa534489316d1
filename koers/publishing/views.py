"""The publishing pages: the organisation's channel accounts (add, change, delete,
connect to Mastodon through its OAuth flow and to Bluesky with an app password), and
the publications: what goes out when, what went out (with its link) and what failed
(with the platform's reason, and a button to try again), and recording the link of a
post made by hand.

Thin adapters: resolve through the chokepoints, parse with ``publishing/forms.py``,
change through ``publishing/actions.py``. Secrets are never shown back: an account
shows its server and handle only.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koers.adapters import add_errors
from koers.content.models import CHANNEL_CHOICES
from koers.orgs.access import get_channel_account, get_publication, org_view
from koers.publishing import actions
from koers.publishing.forms import (
    AccountForm,
    BlueskyConnectForm,
    PublicationFilterForm,
    RecordLinkForm,
)
from koers.publishing.models import (
    AccountKind,
    AccountStatus,
    ChannelAccount,
    PublicationStatus,
)

CAPABILITY = "publishing.manage"


def _to_accounts(request):
    return redirect("publishing:accounts", org_slug=request.org.slug)


def _callback_uri(request) -> str:
    """Where the Mastodon server sends the member back: Koers' own address (not the
    request's Host header), the same for every account of the organisation."""
    return settings.BASE_URL.rstrip("/") + reverse(
        "publishing:mastodon_callback", kwargs={"org_slug": request.org.slug}
    )


@require_GET
@org_view(CAPABILITY)
def accounts(request):
    rows = (
        ChannelAccount.objects.for_org(request.org)
        .select_related("responsible")
        .annotate(
            waiting_count=Count(
                "publications",
                filter=Q(
                    publications__status__in=[
                        PublicationStatus.SCHEDULED,
                        PublicationStatus.WAITING,
                    ]
                ),
            )
        )
    )
    labels = dict(CHANNEL_CHOICES)
    rows = list(rows)
    for account in rows:
        account.serves_label = labels.get(account.serves, account.serves)
    return render(
        request,
        "publishing/account_list.html",
        {"accounts": rows, "kinds": AccountKind.choices, "section": "accounts"},
    )


def _kind_label(kind: str) -> str:
    return str(AccountKind(kind).label)


def _render_form(request, form, *, account=None, new_secret="", status=200):
    # never_cache on the views keeps a secret shown once out of caches and history.
    return render(
        request,
        "publishing/account_form.html",
        {
            "form": form,
            "account": account,
            "kind": form.kind,
            "kind_label": _kind_label(form.kind),
            "new_secret": new_secret,
            "section": "accounts",
        },
        status=status,
    )


def _after_save(request, account, new_secret: str):
    messages.success(request, _("The account “%(name)s” is saved.") % {"name": account.name})
    if new_secret:
        form = AccountForm(
            initial=AccountForm.initial_for(account),
            organisation=request.org,
            kind=account.kind,
            account=account,
        )
        return _render_form(request, form, account=account, new_secret=new_secret)
    if account.kind == AccountKind.MASTODON and account.status == AccountStatus.PENDING:
        # Straight on to the server to allow Koers to post.
        return _start_mastodon(request, account)
    return _to_accounts(request)


def _save(request, form, *, kind: str, account=None):
    if not form.is_valid():
        return _render_form(request, form, account=account, status=400)
    data = form.cleaned_data
    try:
        saved, new_secret = actions.save_account(
            request.org,
            by=request.user,
            request=request,
            account=account,
            kind=kind,
            name=data["name"],
            serves=data.get("serves", ""),
            address=data.get("address", ""),
            responsible=data.get("responsible"),
            webhook_url=data.get("webhook_url", ""),
            handle=data.get("handle", ""),
            app_password=data.get("app_password", ""),
            is_active=data["is_active"],
        )
    except ValidationError as error:
        add_errors(form, error)
        return _render_form(request, form, account=account, status=400)
    return _after_save(request, saved, new_secret)


@never_cache
@require_http_methods(["GET", "POST"])
@org_view(CAPABILITY)
def account_create(request):
    kind = request.POST.get("kind") or request.GET.get("kind", "")
    if kind not in AccountKind.values:
        kind = AccountKind.MASTODON
    if request.method == "POST":
        form = AccountForm(request.POST, organisation=request.org, kind=kind)
        return _save(request, form, kind=kind)
    return _render_form(request, AccountForm(organisation=request.org, kind=kind))


@never_cache
@require_http_methods(["GET", "POST"])
@org_view(CAPABILITY)
def account_edit(request, pk: int):
    account = get_channel_account(request, pk, write=True)
    if request.method == "POST":
        form = AccountForm(
            request.POST, organisation=request.org, kind=account.kind, account=account
        )
        return _save(request, form, kind=account.kind, account=account)
    form = AccountForm(
        initial=AccountForm.initial_for(account),
        organisation=request.org,
        kind=account.kind,
        account=account,
    )
    return _render_form(request, form, account=account)


@require_POST
@org_view(CAPABILITY)
def account_delete(request, pk: int):
    account = get_channel_account(request, pk, write=True)
    name = account.name
    actions.delete_account(account, by=request.user, request=request)
    messages.success(request, _("The account “%(name)s” is deleted.") % {"name": name})
    return _to_accounts(request)


def _start_mastodon(request, account):
    try:
        address = actions.start_mastodon_connect(
            account, by=request.user, redirect_uri=_callback_uri(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _to_accounts(request)
    except actions.ConnectError as error:
        messages.error(request, str(error))
        return _to_accounts(request)
    return redirect(address)


@require_POST
@org_view(CAPABILITY)
def mastodon_connect(request, pk: int):
    """Register Koers on the account's server and send the member there to allow it."""
    account = get_channel_account(request, pk, write=True)
    if account.kind != AccountKind.MASTODON:
        messages.error(request, _("Only a Mastodon account is connected this way."))
        return _to_accounts(request)
    return _start_mastodon(request, account)


@never_cache
@require_GET
@org_view(CAPABILITY)
def mastodon_callback(request):
    """The Mastodon server sends the member back here with a code (or an error), and
    the state Koers gave: signed, for this member and organisation, at most ten
    minutes old. Only then is the code exchanged for a token."""
    try:
        pk = actions.read_mastodon_state(
            request.GET.get("state", ""), organisation=request.org, user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _to_accounts(request)
    account = get_channel_account(request, pk, write=True)
    if account.kind != AccountKind.MASTODON:
        return _to_accounts(request)
    code = request.GET.get("code", "")
    if request.GET.get("error") or not code:
        messages.error(
            request,
            _("Koers was not allowed to post as “%(name)s”. Connect again when you are ready.")
            % {"name": account.name},
        )
        return _to_accounts(request)
    try:
        actions.finish_mastodon_connect(account, code=code[:500], by=request.user, request=request)
    except (actions.ConnectError, ValidationError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
        return _to_accounts(request)
    messages.success(
        request,
        _("“%(name)s” is connected as %(handle)s.")
        % {"name": account.name, "handle": account.handle},
    )
    return _to_accounts(request)


@never_cache
@require_http_methods(["GET", "POST"])
@org_view(CAPABILITY)
def bluesky_connect(request, pk: int):
    """Connect a Bluesky account again, with a new app password."""
    account = get_channel_account(request, pk, write=True)
    if account.kind != AccountKind.BLUESKY:
        messages.error(request, _("Only a Bluesky account is connected this way."))
        return _to_accounts(request)
    status = 200
    if request.method == "POST":
        form = BlueskyConnectForm(request.POST)
        if form.is_valid():
            try:
                actions.connect_bluesky(
                    account,
                    handle=form.cleaned_data["handle"],
                    app_password=form.cleaned_data["app_password"],
                    by=request.user,
                    request=request,
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("“%(name)s” is connected as %(handle)s.")
                    % {"name": account.name, "handle": account.handle},
                )
                return _to_accounts(request)
        status = 400
    else:
        form = BlueskyConnectForm(initial={"handle": account.handle.lstrip("@")})
    return render(
        request,
        "publishing/bluesky_connect.html",
        {"form": form, "account": account, "section": "accounts"},
        status=status,
    )


@require_GET
@org_view(CAPABILITY)
def publications(request):
    form = PublicationFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    overview = actions.publications_overview(request.org, status)
    return render(
        request,
        "publishing/publication_list.html",
        {
            "filter_form": form,
            "status": status,
            "upcoming": overview["upcoming"],
            "recent": overview["recent"],
            "record_form": RecordLinkForm(),
            "section": "publications",
        },
    )


def _back_to_publications(request):
    """To the overview, keeping its filter when the form sent one."""
    url = reverse("publishing:publications", kwargs={"org_slug": request.org.slug})
    status = request.POST.get("status", "")
    if status in PublicationStatus.values:
        url += f"?status={status}"
    return redirect(url)


@require_POST
@org_view(CAPABILITY)
def publication_retry(request, pk: int):
    publication = get_publication(request, pk, write=True)
    try:
        actions.retry_publication(publication, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(title)s” on %(account)s is tried again shortly.")
            % {"title": publication.variant.item.title, "account": publication.account.name},
        )
    return _back_to_publications(request)


@require_POST
@org_view(CAPABILITY)
def publication_record(request, pk: int):
    """The person who posted by hand gives the post's address."""
    publication = get_publication(request, pk, write=True)
    form = RecordLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Paste the full address of the post, starting with https://."))
        return _back_to_publications(request)
    try:
        actions.record_publication_link(
            publication, url=form.cleaned_data["url"], by=request.user, request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The link of “%(title)s” is recorded.") % {"title": publication.variant.item.title},
        )
    return _back_to_publications(request)
