"""Forms only parse and validate input; the rules live in orgs/actions.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from koers.orgs.capabilities import assignable_roles
from koers.orgs.models import MONITORED_LANGUAGE_NAMES, Department, Organisation


class _DepartmentField(forms.ModelChoiceField):
    def __init__(self, organisation, **kwargs):
        super().__init__(
            queryset=Department.objects.filter(organisation=organisation),
            required=False,
            empty_label=_("(no department)"),
            label=_("Department"),
            **kwargs,
        )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    role = forms.ChoiceField(label=_("Role"))
    department = forms.ModelChoiceField(queryset=Department.objects.none(), required=False)

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = assignable_roles(membership)
        self.fields["role"].initial = "employee"
        self.fields["department"] = _DepartmentField(membership.organisation)


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    department = forms.ModelChoiceField(queryset=Department.objects.none(), required=False)

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = assignable_roles(membership)
        self.fields["department"] = _DepartmentField(membership.organisation)


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)


class OrganisationSettingsForm(forms.ModelForm):
    # The model's validators (known codes, each once, at most six) run on the result.
    monitored_languages = forms.MultipleChoiceField(
        label=_("Languages monitored in listening"),
        choices=list(MONITORED_LANGUAGE_NAMES.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
        help_text=_(
            "Language detection chooses only among these languages, so choose the ones "
            "your audience writes in. Sentiment is available for Dutch and English; posts "
            "in the other languages get a language label but neutral sentiment with low "
            "confidence."
        ),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "default_language",
            "time_zone",
            "require_two_factor_for_owners",
            "monitored_languages",
        ]
        help_texts = {
            "time_zone": _(
                "A name such as Europe/Amsterdam. Dates and times in Koers are shown in this zone."
            ),
            "default_language": _("Used for e-mail and for people who have not chosen a language."),
            "require_two_factor_for_owners": _(
                "Owners must set up an authenticator app before they can work in this organisation."
            ),
        }


class AcceptInvitationForm(forms.Form):
    """For someone without an account yet: their name and a password."""

    name = forms.CharField(
        label=_("Your name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        from django.contrib.auth import get_user_model, password_validation

        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            user = get_user_model()(email=self.email, name=data.get("name", ""))
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
