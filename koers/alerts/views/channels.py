"""Channels: where alerts go, whether each works (its last delivery and last error),
and the forms to add, change, test and delete them. Webhook addresses are never shown
back, only their host; a generated signing secret is shown once, after saving."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koers.adapters import add_errors
from koers.alerts import delivery
from koers.alerts.channels.actions import delete_channel, save_channel
from koers.alerts.channels.base import recipients_of
from koers.alerts.forms_channels import ChannelForm
from koers.alerts.models import Channel, ChannelKind
from koers.orgs.access import get_alert_channel, org_view


@require_GET
@org_view("alerts.manage")
def channel_list(request):
    channels = Channel.objects.for_org(request.org).annotate(
        recipient_count=Count("recipients", distinct=True),
        rule_count=Count("rules", distinct=True),
    )
    return render(
        request, "alerts/channel_list.html", {"channels": channels, "kinds": ChannelKind.choices}
    )


def _render_form(request, form, *, channel=None, new_secret="", status=200):
    kind = form.selected_kind()
    # never_cache on the views keeps a secret shown once out of caches and history.
    return render(
        request,
        "alerts/channel_form.html",
        {
            "form": form,
            "channel": channel,
            "kind": kind,
            "kind_label": ChannelKind(kind).label,
            "shown": form.shown_fields(),
            "new_secret": new_secret,
        },
        status=status,
    )


def _save(request, form, channel=None):
    if not form.is_valid():
        return _render_form(request, form, channel=channel, status=400)
    data = form.cleaned_data
    try:
        saved, new_secret = save_channel(
            request.org,
            by=request.user,
            request=request,
            channel=channel,
            kind=channel.kind if channel else data["kind"],
            name=data["name"],
            url=data["url"],
            secret=data["secret"],
            renew_secret=data["renew_secret"],
            recipients=data["recipients"],
            is_active=data["is_active"],
        )
    except ValidationError as error:
        add_errors(form, error)
        return _render_form(request, form, channel=channel, status=400)
    messages.success(request, _("The channel “%(name)s” is saved.") % {"name": saved.name})
    if new_secret:
        form = ChannelForm(initial=_initial(saved), organisation=request.org, channel=saved)
        return _render_form(request, form, channel=saved, new_secret=new_secret)
    return redirect("alerts:channels", org_slug=request.org.slug)


def _initial(channel):
    return {
        "name": channel.name,
        "recipients": list(channel.recipients.all()),
        "is_active": channel.is_active,
    }


@never_cache
@require_http_methods(["GET", "POST"])
@org_view("alerts.manage")
def channel_create(request):
    if request.method == "POST":
        return _save(request, ChannelForm(request.POST, organisation=request.org))
    kind = request.GET.get("kind", ChannelKind.SLACK)
    if kind not in ChannelKind.values:
        kind = ChannelKind.SLACK
    return _render_form(request, ChannelForm(initial={"kind": kind}, organisation=request.org))


@never_cache
@require_http_methods(["GET", "POST"])
@org_view("alerts.manage")
def channel_edit(request, pk):
    channel = get_alert_channel(request, pk, write=True)
    if request.method == "POST":
        form = ChannelForm(request.POST, organisation=request.org, channel=channel)
        return _save(request, form, channel)
    form = ChannelForm(initial=_initial(channel), organisation=request.org, channel=channel)
    return _render_form(request, form, channel=channel)


@require_POST
@org_view("alerts.manage")
def channel_test(request, pk):
    channel = get_alert_channel(request, pk, write=True)
    error = delivery.send_test_message(channel)
    if error:
        messages.error(
            request,
            _("The test message to “%(name)s” failed: %(error)s")
            % {"name": channel.name, "error": error},
        )
    elif channel.kind == ChannelKind.IN_APP:
        messages.success(
            request,
            _("“%(name)s” works: alerts are shown in Koers to %(people)s.")
            % {"name": channel.name, "people": ", ".join(str(u) for u in recipients_of(channel))},
        )
    else:
        messages.success(request, _("A test message went to “%(name)s”.") % {"name": channel.name})
    return redirect("alerts:channels", org_slug=request.org.slug)


@require_POST
@org_view("alerts.manage")
def channel_delete(request, pk):
    channel = get_alert_channel(request, pk, write=True)
    name = channel.name
    delete_channel(channel, by=request.user, request=request)
    messages.success(request, _("The channel “%(name)s” is deleted.") % {"name": name})
    return redirect("alerts:channels", org_slug=request.org.slug)
