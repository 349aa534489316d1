"""Forms for listening: they parse input; what may be saved (a query that compiles, a
token stored encrypted) is decided in ``listening/actions.py``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from koers.listening.models import Category, Group, QueryRole, Sentiment, SourceKind

MAX_QUERY = 10_000
PERIODS = (7, 30, 90)

# Which fields each kind of source needs (the rest are hidden for that kind).
KIND_FIELDS = {
    SourceKind.RSS: {"url"},
    SourceKind.MASTODON_TAG: {"url", "term", "token"},
    SourceKind.MASTODON_SEARCH: {"url", "term", "token"},
    SourceKind.BLUESKY_SEARCH: {"url", "term", "token"},
    SourceKind.BLUESKY_STREAM: {"url", "term"},
    SourceKind.PUSH: set(),
}
# The kinds a person adds through the sources page (file imports come with an upload).
ADDABLE_KINDS = [(kind.value, kind.label) for kind in KIND_FIELDS]
# Jetstream is a WebSocket service; every other address is a web page or API.
URL_SCHEMES = {SourceKind.BLUESKY_STREAM: ["https", "http", "wss", "ws"]}
DEFAULT_SCHEMES = ["https", "http"]


def _text(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


class SavedQueryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.ChoiceField(label=_("What it listens for"), choices=QueryRole.choices)
    text = forms.CharField(
        label=_("Query"),
        max_length=MAX_QUERY,
        strip=False,
        help_text=_(
            'Words, "phrases", AND, OR, NOT, NEAR/n, wildcards and fields such as lang:nl. '
            "Koers checks the query while you type."
        ),
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "class": "query-text"}),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def clean_text(self):
        return _text(self.cleaned_data["text"])


class QueryCheckForm(forms.Form):
    """The live check while typing: only the text."""

    text = forms.CharField(max_length=MAX_QUERY, strip=False, required=False)

    def clean_text(self):
        return _text(self.cleaned_data["text"])


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ADDABLE_KINDS)
    name = forms.CharField(label=_("Name"), max_length=200)
    url = forms.CharField(
        label=_("Address"),
        max_length=500,
        required=False,
        help_text=_(
            "The feed's address; the Mastodon server (https://mastodon.social); the Bluesky "
            "search service (https://public.api.bsky.app); or the Jetstream address."
        ),
    )
    term = forms.CharField(
        label=_("Hashtag or search terms"),
        max_length=300,
        required=False,
        help_text=_(
            "A hashtag without # for a Mastodon hashtag; search terms otherwise. For the "
            "live stream: a query, as in the query editor (only matching posts are kept)."
        ),
    )
    token = forms.CharField(
        label=_("Access token"),
        max_length=2000,
        required=False,
        strip=True,
        # Write-only: never shown back, not even as dots.
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Optional; some Mastodon servers only answer searches with a token. It is stored "
            "encrypted and never shown again. Leave empty to keep the current one."
        ),
    )
    remove_token = forms.BooleanField(label=_("Remove the stored token"), required=False)

    def __init__(self, *args, kind_fixed: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind_fixed = kind_fixed
        if kind_fixed:
            # The kind of an existing source does not change: its cursor means nothing
            # to another kind.
            del self.fields["kind"]

    def selected_kind(self) -> str:
        if self.kind_fixed:
            return self.kind_fixed
        return self.data.get(self.add_prefix("kind")) or self.initial.get("kind") or "rss"

    def clean(self):
        data = super().clean()
        kind = self.kind_fixed or data.get("kind")
        if not kind:
            return data
        needed = KIND_FIELDS.get(kind, set())
        url = (data.get("url") or "").strip()
        term = (data.get("term") or "").strip()
        if "url" in needed and kind != SourceKind.BLUESKY_STREAM and not url:
            self.add_error("url", _("This kind of source needs an address."))
        if url:
            schemes = URL_SCHEMES.get(kind, DEFAULT_SCHEMES)
            try:
                URLValidator(schemes=schemes)(url)
            except ValidationError:
                self.add_error(
                    "url",
                    _("Enter a full web address that starts with %(schemes)s.")
                    % {"schemes": " or ".join(f"{s}://" for s in schemes)},
                )
        if "term" in needed and not term:
            self.add_error("term", _("This kind of source needs a hashtag or search terms."))
        if kind == SourceKind.BLUESKY_STREAM:
            self._check_stream_terms(term)
        if kind == SourceKind.MASTODON_TAG:
            term = term.lstrip("#")
            if term and not all(part.isalnum() or part == "_" for part in term):
                self.add_error("term", _("A hashtag holds letters, digits and _ only."))
        data["url"] = url if "url" in needed else ""
        data["term"] = term if "term" in needed else ""
        if "token" not in needed:
            data["token"] = ""
        return data

    def _check_stream_terms(self, term: str) -> None:
        """The live stream keeps only posts that match its terms, a Koers query."""
        if not term:
            return
        from django.utils import translation

        from koers.query import QuerySyntaxError, compile

        try:
            compile(term)
        except QuerySyntaxError as error:
            nl = (translation.get_language() or "").startswith("nl")
            self.add_error(
                "term",
                _("The terms are a query; at character %(position)s: %(message)s")
                % {
                    "position": error.position + 1,
                    "message": error.message_nl if nl else error.message_en,
                },
            )


class StakeholderForm(forms.Form):
    author = forms.CharField(
        label=_("Author"),
        max_length=300,
        help_text=_("As it appears on mentions: @name@server, name.bsky.social, a site…"),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    group = forms.ChoiceField(label=_("Group"), choices=Group.choices)


def _choices(empty, choices):
    return [("", empty), *choices]


class ExplorerForm(forms.Form):
    """The explorer's search and filters (a GET form; every field optional)."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    query = forms.TypedChoiceField(label=_("Saved query"), required=False, coerce=int)
    sentiment = forms.ChoiceField(
        label=_("Sentiment"), required=False, choices=_choices(_("Any"), Sentiment.choices)
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=_choices(_("Any"), Category.choices)
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    source = forms.TypedChoiceField(label=_("Source"), required=False, coerce=int)
    group = forms.ChoiceField(
        label=_("Stakeholder group"), required=False, choices=_choices(_("Any"), Group.choices)
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("", _("Newest first")), ("threat", _("Highest threat first"))],
    )

    def __init__(self, *args, queries=(), sources=(), languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["query"].choices = _choices(_("Any"), [(q.pk, q.name) for q in queries])
        self.fields["source"].choices = _choices(_("Any"), [(s.pk, s.name) for s in sources])
        self.fields["language"].choices = _choices(_("Any"), [(code, code) for code in languages])

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date lies before the start date."))
        return data


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(choices=[("sentiment", "sentiment"), ("category", "category")])
    value = forms.CharField(max_length=10)

    def clean(self):
        data = super().clean()
        field, value = data.get("field"), data.get("value")
        allowed = Sentiment.values if field == "sentiment" else Category.values
        if field and value not in allowed:
            self.add_error("value", _("That is not a value this field can have."))
        return data


class PeriodForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Period"),
        required=False,
        coerce=int,
        empty_value=30,
        choices=[(str(d), _("Last %(days)s days") % {"days": d}) for d in PERIODS],
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (also Excel exports with semicolons), XLSX, JSON, JSONL, an X archive's "
            "tweets.js or a Mastodon outbox.json."
        ),
    )
    source_name = forms.CharField(
        label=_("Name of the import"),
        max_length=200,
        required=False,
        help_text=_("Shown as the source of these mentions. The file's name when empty."),
    )


class ImportMappingForm(forms.Form):
    """Which column of the file fills which field of a mention."""

    def __init__(self, *args, columns=(), fields=(), suggested=None, **kwargs):
        super().__init__(*args, **kwargs)
        suggested = suggested or {}
        choices = [("", _("(not in the file)")), *[(c, c) for c in columns]]
        for name, label, required in fields:
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label=label, choices=choices, required=required, initial=suggested.get(name, "")
            )

    def mapping(self) -> dict[str, str]:
        return {
            name.removeprefix("map_"): column
            for name, column in self.cleaned_data.items()
            if name.startswith("map_") and column
        }
