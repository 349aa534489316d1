"""The languages an organisation monitors in listening: the setting, its checks, and
what enrichment does with it."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from koers.audit.models import Action, AuditEvent
from koers.listening import enrich
from koers.listening.models import Mention, Source, SourceKind
from koers.nlp.language import DEFAULT_LANGUAGES, OFFERED_LANGUAGES
from koers.nlp.sentiment import NO_EVIDENCE_CONFIDENCE
from koers.orgs import actions
from koers.orgs.capabilities import Role
from koers.orgs.forms import OrganisationSettingsForm
from koers.orgs.models import MONITORED_LANGUAGE_NAMES, Organisation

pytestmark = pytest.mark.django_db

TOO_MANY = "Choose at most 6 languages: each extra language makes detection slower and less sure."


def _settings(org, **overrides):
    data = {
        "name": org.name,
        "default_language": org.default_language,
        "time_zone": org.time_zone,
        "monitored_languages": ["nl", "en"],
    }
    data.update(overrides)
    return data


def test_every_offered_language_has_a_name_in_the_order_offered():
    assert tuple(MONITORED_LANGUAGE_NAMES) == OFFERED_LANGUAGES


def test_a_new_organisation_monitors_dutch_and_english(cast):
    assert cast.a.org.monitored_languages == ["nl", "en"]
    assert enrich.languages_of(cast.a.org) == ("nl", "en")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], "Choose at least one language."),
        (["nl", "xx"], "“xx” is not one of the languages offered; choose from the list."),
        (["nl", "de", "de"], "Choose each language only once."),
        (["nl", "en", "de", "fr", "es", "it", "pt"], TOO_MANY),
        ("nl,en", "Choose the languages from the list."),
    ],
)
def test_the_model_refuses_a_bad_choice(cast, value, message):
    org = cast.a.org
    org.monitored_languages = value
    with pytest.raises(ValidationError) as refused:
        org.full_clean()
    assert refused.value.message_dict == {"monitored_languages": [message]}


def test_six_languages_are_allowed(cast):
    org = cast.a.org
    org.monitored_languages = ["nl", "en", "de", "fr", "es", "it"]
    org.full_clean()


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        ([], "Choose at least one language."),
        (["nl", "xx"], "Select a valid choice. xx is not one of the available choices."),
        (["nl", "de", "de"], "Choose each language only once."),
        (["nl", "en", "de", "fr", "es", "it", "pt"], TOO_MANY),
    ],
)
def test_the_form_names_the_field_and_the_problem(cast, chosen, message):
    form = OrganisationSettingsForm(
        _settings(cast.a.org, monitored_languages=chosen), instance=cast.a.org
    )
    assert not form.is_valid()
    assert form.errors == {"monitored_languages": [message]}


def test_an_owner_chooses_the_languages_and_the_change_is_logged(owner_client, cast):
    url = reverse("orgs:settings", args=[cast.a.org.slug])
    page = owner_client.get(url).content.decode()
    assert 'value="de"' in page and "German" in page
    assert "Sentiment is available for Dutch and English" in page

    response = owner_client.post(url, _settings(cast.a.org, monitored_languages=["de", "nl", "en"]))
    assert response.status_code == 302
    org = Organisation.objects.get(pk=cast.a.org.pk)
    assert org.monitored_languages == ["nl", "en", "de"]  # stored in the order offered
    assert enrich.languages_of(org) == ("nl", "en", "de")
    event = AuditEvent.objects.get(action=Action.SETTINGS_CHANGED)
    assert event.details == {
        "monitored_languages": {"before": ["nl", "en"], "after": ["nl", "en", "de"]}
    }


def test_too_many_languages_are_refused_and_nothing_saved(owner_client, cast):
    response = owner_client.post(
        reverse("orgs:settings", args=[cast.a.org.slug]),
        _settings(cast.a.org, name="Nieuw", monitored_languages=list(OFFERED_LANGUAGES[:7])),
    )
    assert response.status_code == 400
    assert TOO_MANY in response.content.decode()
    org = Organisation.objects.get(pk=cast.a.org.pk)
    assert (org.name, org.monitored_languages) == ("Organisatie A", ["nl", "en"])
    assert not AuditEvent.objects.filter(action=Action.SETTINGS_CHANGED).exists()


def test_only_an_owner_may_change_the_languages(client, cast):
    client.force_login(cast.a[Role.MANAGER].user)
    response = client.post(
        reverse("orgs:settings", args=[cast.a.org.slug]),
        _settings(cast.a.org, monitored_languages=["nl", "en", "de"]),
    )
    assert response.status_code == 403
    assert Organisation.objects.get(pk=cast.a.org.pk).monitored_languages == ["nl", "en"]


def test_the_same_languages_in_another_order_are_no_change(cast):
    owner = cast.a[Role.OWNER].user
    actions.update_settings(cast.a.org, by=owner, monitored_languages=["en", "nl"])
    assert not AuditEvent.objects.filter(action=Action.SETTINGS_CHANGED).exists()


def test_the_action_refuses_an_empty_choice(cast):
    owner = cast.a[Role.OWNER].user
    with pytest.raises(ValidationError) as refused:
        actions.update_settings(cast.a.org, by=owner, monitored_languages=[])
    assert refused.value.message_dict == {"monitored_languages": ["Choose at least one language."]}
    assert Organisation.objects.get(pk=cast.a.org.pk).monitored_languages == ["nl", "en"]


def test_without_an_organisation_the_default_languages_are_monitored():
    assert enrich.languages_of(None) == DEFAULT_LANGUAGES


@pytest.fixture
def _fresh_enrichment(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    enrich.forget_caches()
    yield
    enrich.forget_caches()


@pytest.mark.usefixtures("_fresh_enrichment")
def test_a_german_post_is_german_and_neutral_where_german_is_monitored(cast):
    # "Super" and "Service" would make it positive Dutch where German is not monitored.
    text = "Super Service, vielen Dank für die schnelle Hilfe!"
    cast.a.org.monitored_languages = ["nl", "en", "de"]
    cast.a.org.save(update_fields=["monitored_languages"])
    posts = {}
    for org_cast in (cast.a, cast.b):
        source = Source.objects.create(organisation=org_cast.org, kind=SourceKind.RSS, name="Feed")
        posts[org_cast.org.slug] = Mention.objects.create(
            organisation=org_cast.org,
            source=source,
            external_id="1",
            text=text,
            published_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
        )
    assert enrich.enrich_pending() == 2
    german, dutch = (Mention.objects.get(pk=posts[slug].pk) for slug in ("org-a", "org-b"))
    assert german.language == "de"
    assert (german.sentiment, german.sentiment_score, german.sentiment_confidence) == (
        "neutral",
        0.0,
        NO_EVIDENCE_CONFIDENCE,
    )
    assert (dutch.language, dutch.sentiment) == ("nl", "positive")
