"""Forms of the publishing pages: they parse input; what may be stored, and the calls
to the platforms, are in ``publishing/actions.py``."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from koers.content.models import CHANNEL_CHOICES
from koers.publishing.actions import DEFAULT_BLUESKY_SERVICE
from koers.publishing.models import AccountKind, PublicationStatus

# Which fields each kind shows (besides name and "active").
KIND_FIELDS = {
    AccountKind.MASTODON: ("address",),
    AccountKind.BLUESKY: ("address", "handle", "app_password"),
    AccountKind.WEBHOOK: ("serves", "webhook_url"),
    AccountKind.MANUAL: ("serves", "responsible"),
}


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.email})" if obj.name else obj.email


class AccountForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("How the account is shown in Koers, e.g. “Mastodon @fietsen”."),
    )
    serves = forms.ChoiceField(
        label=_("Publishes the texts for"),
        choices=CHANNEL_CHOICES,
        required=False,
        help_text=_("The channel whose texts go to this account."),
    )
    address = forms.CharField(
        label=_("Server"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    handle = forms.CharField(
        label=_("Handle"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        help_text=_("The account's handle, e.g. name.bsky.social."),
    )
    app_password = forms.CharField(
        label=_("App password"),
        max_length=100,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Make one in Bluesky under Settings → Privacy and security → App passwords. "
            "It is stored encrypted; never give Koers your account password."
        ),
    )
    webhook_url = forms.CharField(
        label=_("Webhook address"),
        max_length=2000,
        required=False,
        # The address is a secret (the service puts its key in it): never shown back.
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "The address Zapier, n8n or Make gave you; it must start with https://. It is "
            "stored encrypted."
        ),
    )
    responsible = MemberChoiceField(
        label=_("Person who posts"),
        queryset=get_user_model().objects.none(),
        required=False,
        help_text=_("Koers reminds them when a post is due; they record the link afterwards."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, organisation, kind: str, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.account = account
        self.fields["responsible"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, memberships__organisation=organisation)
            .order_by("name", "email")
        )
        if kind == AccountKind.MASTODON:
            self.fields["address"].label = _("Mastodon server")
            self.fields["address"].help_text = _(
                "The address of the server the account is on, e.g. https://mastodon.social. "
                "Koers then sends you there to allow it to post."
            )
        elif kind == AccountKind.BLUESKY:
            self.fields["address"].label = _("Bluesky server")
            self.fields["address"].help_text = _(
                "Leave as is unless the account is on a server of its own."
            )
            self.fields["address"].initial = DEFAULT_BLUESKY_SERVICE
        if account is not None and kind == AccountKind.WEBHOOK:
            self.fields["webhook_url"].help_text = _(
                "Stored for %(host)s. Leave empty to keep it; paste a new address to replace it."
            ) % {"host": account.address or "—"}
        if account is not None and kind == AccountKind.BLUESKY:
            self.fields["app_password"].help_text = _(
                "Leave empty to keep the connection; give a new app password to connect again."
            )
        for name in ("serves", "address", "handle", "app_password", "webhook_url", "responsible"):
            if name not in KIND_FIELDS[kind]:
                del self.fields[name]

    @staticmethod
    def initial_for(account) -> dict:
        return {
            "name": account.name,
            "serves": account.serves,
            "address": account.address,
            "handle": account.handle.lstrip("@"),
            "responsible": account.responsible_id,
            "is_active": account.is_active,
        }


class BlueskyConnectForm(forms.Form):
    handle = forms.CharField(
        label=_("Handle"),
        max_length=300,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        help_text=_("The account's handle, e.g. name.bsky.social."),
    )
    app_password = forms.CharField(
        label=_("App password"),
        max_length=100,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Make one in Bluesky under Settings → Privacy and security → App passwords. "
            "It is stored encrypted; never give Koers your account password."
        ),
    )


class PublicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Every status")), *PublicationStatus.choices],
        required=False,
    )


class RecordLinkForm(forms.Form):
    url = forms.CharField(
        label=_("Address of the post"),
        max_length=1000,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
