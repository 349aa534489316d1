"""Forms for ideas and content items: they parse input; the rules (who may edit, when
an approval lapses, what a transition needs) live in ``content/actions.py``."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from koers.content.models import CHANNEL_CHOICES, ContentItem, Repeat, State
from koers.orgs.capabilities import ROLE_CAPABILITIES

# Photos are shown to colleagues and posted to social media: common web image formats
# only, small enough to upload from a phone and to keep the data folder small.
PHOTO_EXTENSIONS = ("jpg", "jpeg", "png", "gif", "webp")
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_TEXT = 10_000
NO_GOAL = "none"


def _text(value: str) -> str:
    """Browsers send line breaks as CRLF; store LF, so an unchanged text compares equal."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


class PhotoField(forms.ImageField):
    """An image (checked by opening it with Pillow) of at most 5 MB."""

    default_error_messages = {
        "invalid_image": _(
            "This file is not a photo. Upload an image: JPEG, PNG, GIF or WebP, at most 5 MB."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Photo"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Optional. JPEG, PNG, GIF or WebP, at most 5 MB."))
        kwargs.setdefault(
            "validators",
            [
                FileExtensionValidator(
                    PHOTO_EXTENSIONS,
                    message=_(
                        "This file is not a photo. Upload an image: JPEG, PNG, GIF or WebP, "
                        "at most 5 MB."
                    ),
                )
            ],
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/gif,image/webp")

    def to_python(self, data):
        # Refuse a large file before Pillow reads it.
        if data and getattr(data, "size", 0) > MAX_PHOTO_BYTES:
            raise ValidationError(
                _("The photo is larger than 5 MB. Choose a smaller one."), code="too_large"
            )
        return super().to_python(data)

    # The default validators would add Django's own extension check with another message.
    default_validators: list = []


def _goal_choices(choices, *, empty: str) -> list[tuple[str, str]]:
    return [("", empty)] + [(str(g.key), g.title) for g in choices.goals]


def _pillar_choices(choices) -> list[tuple[str, str]]:
    return [("", _("No pillar"))] + [(str(p.key), p.name) for p in choices.pillars]


def _uuid_or_none(value):
    return uuid.UUID(value) if value else None


class StrategyFieldsMixin:
    """Goal and pillar chosen from the published strategy; stored as their keys."""

    goal_empty_label = _("No goal yet")

    def _add_strategy_fields(self, choices, *, goal_label, pillar_label) -> None:
        self.fields["goal_key"] = forms.TypedChoiceField(
            label=goal_label,
            choices=_goal_choices(choices, empty=self.goal_empty_label),
            coerce=_uuid_or_none,
            empty_value=None,
            required=False,
        )
        self.fields["pillar_key"] = forms.TypedChoiceField(
            label=pillar_label,
            choices=_pillar_choices(choices),
            coerce=_uuid_or_none,
            empty_value=None,
            required=False,
        )
        if not choices.goals:
            self.fields["goal_key"].help_text = _(
                "The organisation has no published strategy yet, so there are no goals to "
                "choose from."
            )


class IdeaForm(StrategyFieldsMixin, forms.Form):
    """An idea from any member."""

    goal_empty_label = _("I don't know")

    title = forms.CharField(label=_("Title"), max_length=200)
    idea = forms.CharField(
        label=_("Your idea"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happened, or what could we show? Why would people care?"),
    )
    photo = PhotoField()
    link = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Optional: a page, article or post it is about."),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_strategy_fields(
            choices, goal_label=_("Which goal does it serve?"), pillar_label=_("Content pillar")
        )
        self.fields["goal_key"].required = False

    def clean_idea(self):
        return _text(self.cleaned_data["idea"])

    def values(self) -> dict:
        data = self.cleaned_data
        values = {
            "title": data["title"],
            "idea": data["idea"],
            "link": data["link"],
            "goal_key": data["goal_key"],
            "pillar_key": data["pillar_key"],
        }
        if data.get("photo"):
            values["photo"] = data["photo"]
        return values


class ItemCreateForm(StrategyFieldsMixin, forms.Form):
    """An editor starts an item straight in draft."""

    title = forms.CharField(label=_("Title"), max_length=200)
    is_paid = forms.BooleanField(label=_("Paid content or paid partnership"), required=False)
    has_product_claim = forms.BooleanField(
        label=_("Makes a claim about a product or service"),
        required=False,
        help_text=_("Claims about what a product does or costs get an extra approval step."),
    )

    field_order = ["title", "goal_key", "pillar_key", "is_paid", "has_product_claim"]

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_strategy_fields(choices, goal_label=_("Goal"), pillar_label=_("Content pillar"))
        self.order_fields(self.field_order)

    def values(self) -> dict:
        return dict(self.cleaned_data)


def editor_users(organisation):
    """The people an item can be assigned to: members who may edit content."""
    return (
        get_user_model()
        .objects.filter(
            memberships__organisation=organisation,
            memberships__role__in=ROLE_CAPABILITIES["content.edit"],
        )
        .order_by("name", "email")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


# What the submitter of an idea may change while it is still an idea.
IDEA_FIELDS = ("title", "idea", "link", "photo", "goal_key", "pillar_key")


class ItemEditForm(StrategyFieldsMixin, forms.Form):
    """Every field of an item, for editors; ``submitter_only`` keeps the idea fields."""

    title = forms.CharField(label=_("Title"), max_length=200)
    idea = forms.CharField(
        label=_("Idea"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is it about, and why would people care?"),
    )
    link = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    photo = PhotoField(widget=forms.ClearableFileInput)
    photo_alt = forms.CharField(
        label=_("Description of the photo (alt text)"),
        max_length=1500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Published with the photo, for people who cannot see it: what is in it, in a "
            "sentence or two. At most 1,500 characters."
        ),
    )
    is_paid = forms.BooleanField(label=_("Paid content or paid partnership"), required=False)
    has_product_claim = forms.BooleanField(
        label=_("Makes a claim about a product or service"),
        required=False,
        help_text=_("Claims about what a product does or costs get an extra approval step."),
    )
    assignee = UserChoiceField(
        label=_("Editor"), queryset=get_user_model().objects.none(), required=False
    )
    is_evergreen = forms.BooleanField(
        label=_("Evergreen"),
        required=False,
        help_text=_("Timeless content that can fill a quiet day; it returns to the queue."),
    )
    repeat = forms.ChoiceField(label=_("Repeats"), choices=Repeat.choices, required=False)
    repeat_until = forms.DateField(
        label=_("Repeat until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    repeat_count = forms.IntegerField(
        label=_("Number of times"), required=False, min_value=1, max_value=52
    )

    field_order = [
        "title",
        "idea",
        "link",
        "photo",
        "photo_alt",
        "goal_key",
        "pillar_key",
        "is_paid",
        "has_product_claim",
        "assignee",
        "is_evergreen",
        "repeat",
        "repeat_until",
        "repeat_count",
    ]

    def __init__(self, *args, item: ContentItem, choices, submitter_only: bool, **kwargs):
        kwargs.setdefault("initial", self.initial_for(item))
        super().__init__(*args, **kwargs)
        self._add_strategy_fields(choices, goal_label=_("Goal"), pillar_label=_("Content pillar"))
        self.order_fields(self.field_order)
        self.fields["assignee"].queryset = editor_users(item.organisation)
        if submitter_only:
            for name in list(self.fields):
                if name not in IDEA_FIELDS:
                    del self.fields[name]

    @staticmethod
    def initial_for(item: ContentItem) -> dict:
        return {
            "title": item.title,
            "idea": item.idea,
            "link": item.link,
            "photo": item.photo,
            "photo_alt": item.photo_alt,
            "goal_key": str(item.goal_key) if item.goal_key else "",
            "pillar_key": str(item.pillar_key) if item.pillar_key else "",
            "is_paid": item.is_paid,
            "has_product_claim": item.has_product_claim,
            "assignee": item.assignee_id,
            "is_evergreen": item.is_evergreen,
            "repeat": item.repeat,
            "repeat_until": item.repeat_until,
            "repeat_count": item.repeat_count,
        }

    def clean_idea(self):
        return _text(self.cleaned_data["idea"])

    def clean_photo_alt(self):
        return _text(self.cleaned_data["photo_alt"]).strip()

    def values(self) -> dict:
        """The fields for update_item; the photo only when a new one was uploaded or the
        old one removed, so an untouched photo does not count as a change."""
        values = {}
        for name, value in self.cleaned_data.items():
            if name == "photo":
                if value is False:
                    values["photo"] = ""
                elif value and value != self.initial.get("photo"):
                    values["photo"] = value
                continue
            values[name] = value
        return values


class VariantForm(forms.Form):
    """One channel's text. An empty text removes the channel's variant."""

    channel = forms.ChoiceField(choices=CHANNEL_CHOICES, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Text"),
        max_length=MAX_TEXT,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_text(self):
        return _text(self.cleaned_data["text"])


class TransitionForm(forms.Form):
    target = forms.ChoiceField(choices=State.choices)
    note = forms.CharField(label=_("Note"), max_length=MAX_TEXT, required=False)


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why may it go ahead?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit log, with your name."),
    )


class PipelineFilterForm(forms.Form):
    """The pipeline's filters (GET): state, goal (or no goal) and person."""

    state = forms.ChoiceField(label=_("State"), required=False)
    goal = forms.ChoiceField(label=_("Goal"), required=False)
    person = forms.TypedChoiceField(label=_("Person"), required=False, coerce=int)

    def __init__(self, *args, choices, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), *State.choices]
        self.fields["goal"].choices = [
            ("", _("All goals")),
            *[(str(g.key), g.title) for g in choices.goals],
            (NO_GOAL, _("No goal")),
        ]
        self.fields["person"].choices = [
            ("", _("Everyone")),
            *[(user.pk, user.name or user.email) for user in people],
        ]
