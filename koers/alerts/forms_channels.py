"""The channel form: it parses input; whether an address may be used and what is
stored is decided in ``alerts/channels/actions.py``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.alerts.channels import get_kind
from koers.alerts.channels.actions import possible_recipients
from koers.alerts.models import ChannelKind


class RecipientField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.email})" if obj.name else obj.email


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ChannelKind.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        help_text=_("How the channel is shown in Koers, e.g. “Slack #webcare”."),
    )
    url = forms.CharField(
        label=_("Webhook address"),
        max_length=2000,
        required=False,
        # The address is a secret (Slack and Teams put their key in it): never shown back.
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "The incoming webhook's address from Slack, Teams or Mattermost, or your own "
            "receiver's; it must start with https://. It is stored encrypted."
        ),
    )
    secret = forms.CharField(
        label=_("Signing secret"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Koers signs every message with it (HMAC-SHA256). Leave empty and Koers makes one "
            "and shows it once."
        ),
    )
    renew_secret = forms.BooleanField(label=_("Make a new signing secret"), required=False)
    recipients = RecipientField(
        label=_("Recipients"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nobody chosen: every member who may respond to alerts."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, organisation, channel=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        self.fields["recipients"].queryset = possible_recipients(organisation)
        if channel is not None:
            # A channel keeps its kind: a Slack address means nothing to e-mail.
            del self.fields["kind"]
            self.fields["url"].help_text = _(
                "Stored for %(host)s. Leave empty to keep it; paste a new address to replace it."
            ) % {"host": channel.url_host or "—"}
            self.fields["secret"].help_text = _("Leave empty to keep the current secret.")

    def selected_kind(self) -> str:
        if self.channel is not None:
            return self.channel.kind
        kind = self.data.get(self.add_prefix("kind")) or self.initial.get("kind")
        return kind if kind in ChannelKind.values else ChannelKind.SLACK

    def shown_fields(self) -> set[str]:
        kind = get_kind(self.selected_kind())
        fields = set()
        if kind.needs_url:
            fields.add("url")
        if kind.needs_recipients:
            fields.add("recipients")
        if self.selected_kind() == ChannelKind.WEBHOOK:
            fields |= {"secret", "renew_secret"} if self.channel else {"secret"}
        return fields
