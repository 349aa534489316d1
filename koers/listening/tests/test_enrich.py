"""Enrichment on the real database: fields, matches, duplicates, threat, idempotence,
crashes, and the classifier that learns from corrections."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache

from koers.listening import classifier, enrich, enrich_tasks
from koers.listening.enrich import enrich_pending
from koers.listening.models import (
    Correction,
    Group,
    Mention,
    MentionMatch,
    SavedQuery,
    Source,
    SourceKind,
    Stakeholder,
)

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh(settings, tmp_path):
    # Each test its own classifier folder, cache and kept matchers/duplicate indexes.
    settings.DATA_DIR = tmp_path
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    enrich.forget_caches()
    yield
    enrich.forget_caches()


def make_source(org, name="Feed"):
    return Source.objects.create(organisation=org, kind=SourceKind.RSS, name=name)


_counter = iter(range(1, 10**6))


def make_mention(source, text, **overrides):
    values = {
        "organisation": source.organisation,
        "source": source,
        "external_id": str(next(_counter)),
        "text": text,
        "published_at": WHEN,
    }
    values.update(overrides)
    return Mention.objects.create(**values)


def make_query(org, text, name=None, **overrides):
    return SavedQuery.objects.create(organisation=org, name=name or text, text=text, **overrides)


def test_fields_are_set(cast):
    source = make_source(cast.a.org)
    mention = make_mention(
        source,
        "Al drie dagen een storing bij @KPN, belachelijk #internet",
        author="@Boze_Klant",
        author_reach=5_000,
    )
    Stakeholder.objects.create(organisation=cast.a.org, author="@boze_klant", group=Group.CRITIC)
    assert enrich_pending() == 1
    mention.refresh_from_db()
    assert mention.is_enriched
    assert mention.language == "nl"
    assert mention.sentiment == "negative" and mention.sentiment_score < 0
    assert 0 < mention.sentiment_confidence <= 1
    assert mention.category == "complaint"
    assert mention.hashtags == ["internet"] and mention.mentioned == ["kpn"]
    assert mention.groups == ["critic"]  # the author matched case-insensitively
    assert mention.threat_score > 0
    assert mention.duplicate_of is None


def test_only_matching_saved_queries_of_the_organisation_are_matched(cast):
    source = make_source(cast.a.org)
    kpn = make_query(cast.a.org, "kpn AND storing")
    critics = make_query(cast.a.org, "group:critic")
    english = make_query(cast.a.org, "lang:en")
    make_query(cast.a.org, "storing", is_active=False)
    make_query(cast.b.org, "storing")  # another organisation's
    Stakeholder.objects.create(organisation=cast.a.org, author="piet", group=Group.CRITIC)
    first = make_mention(source, "Storing bij KPN in Utrecht, alweer", author="Piet")
    second = make_mention(source, "Lovely weather in Amsterdam today, enjoy the sun")
    enrich_pending()
    assert set(MentionMatch.objects.values_list("mention_id", "query_id")) == {
        (first.pk, kpn.pk),
        (first.pk, critics.pk),
        (second.pk, english.pk),
    }
    assert set(MentionMatch.objects.values_list("organisation_id", flat=True)) == {cast.a.org.pk}


def test_a_changed_query_is_used_by_the_next_batch(cast):
    source = make_source(cast.a.org)
    query = make_query(cast.a.org, "fiets")
    make_mention(source, "Mijn fiets is gestolen")
    enrich_pending()
    query.text, query.updated_at = "auto", query.updated_at + timedelta(seconds=1)
    query.save()
    later = make_mention(source, "Mijn auto is gestolen")
    enrich_pending()
    assert MentionMatch.objects.filter(mention=later, query=query).exists()


def test_rerunning_is_idempotent(cast):
    source = make_source(cast.a.org)
    make_query(cast.a.org, "storing")
    for n in range(5):
        make_mention(source, f"Storing nummer {n} in de wijk, geen internet sinds vanochtend")
    assert enrich_pending(batch_size=2) == 5
    assert enrich_pending() == 0
    before = list(
        Mention.objects.order_by("pk").values_list("sentiment", "category", "threat_score")
    )
    Mention.objects.update(is_enriched=False)  # as if every batch had to be done again
    assert enrich_pending(batch_size=3) == 5
    assert MentionMatch.objects.count() == 5
    after = list(
        Mention.objects.order_by("pk").values_list("sentiment", "category", "threat_score")
    )
    assert after == before


def test_one_organisation_at_a_time(cast):
    a = make_mention(make_source(cast.a.org), "Een nieuwe fiets gekocht, heel blij mee")
    b = make_mention(make_source(cast.b.org), "Een nieuwe auto gekocht, heel blij mee")
    assert enrich_pending(organisation_id=cast.b.org.pk) == 1
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.is_enriched and not a.is_enriched


def test_a_crash_mid_way_keeps_finished_batches_and_the_rerun_completes(cast, monkeypatch):
    source = make_source(cast.a.org)
    make_query(cast.a.org, "storing")
    mentions = [
        make_mention(source, f"Storing {n}: de app doet het weer niet, heel vervelend")
        for n in range(5)
    ]
    real_write = enrich._write_batch
    calls = []

    def crash_on_second(*args):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real_write(*args)

    monkeypatch.setattr(enrich, "_write_batch", crash_on_second)
    with pytest.raises(RuntimeError):
        enrich_pending(batch_size=2)
    enriched = set(Mention.objects.filter(is_enriched=True).values_list("pk", flat=True))
    assert enriched == {mentions[0].pk, mentions[1].pk}
    assert MentionMatch.objects.count() == 2
    assert enrich_pending(batch_size=2) == 3
    assert Mention.objects.filter(is_enriched=False).count() == 0
    assert MentionMatch.objects.count() == 5


def test_reposts_and_near_duplicates_point_at_the_first(cast):
    source = make_source(cast.a.org)
    original = make_mention(source, "Al drie dagen een storing bij @kpn in Utrecht, belachelijk!")
    enrich_pending()
    repost = make_mention(
        source, "RT @piet: Al drie dagen een storing bij @kpn in Utrecht, belachelijk!"
    )
    near = make_mention(source, "Al drie dagen een storing bij @kpn in Amersfoort, belachelijk!")
    other = make_mention(source, "Vandaag eindelijk mijn nieuwe telefoon binnen, super blij mee")
    enrich_pending()
    enrich.forget_caches()  # a fresh worker process reads the history from the database
    again = make_mention(
        source, "RT @jan: Al drie dagen een storing bij @kpn in Utrecht, belachelijk!"
    )
    enrich_pending()
    for mention in (repost, near, other, again, original):
        mention.refresh_from_db()
    assert repost.duplicate_of == original and near.duplicate_of == original
    assert again.duplicate_of == original
    assert other.duplicate_of is None and original.duplicate_of is None


def test_threat_weighs_the_author(cast):
    source = make_source(cast.a.org)
    Stakeholder.objects.create(organisation=cast.a.org, author="@pers", group=Group.JOURNALIST)
    Stakeholder.objects.create(organisation=cast.a.org, author="@fan", group=Group.AMBASSADOR)
    text = "Al drie dagen een storing, belachelijk"
    journalist = make_mention(source, text, author="@pers", author_reach=50_000)
    ambassador = make_mention(source, text + "!", author="@fan", author_reach=100)
    praise = make_mention(source, "Super geholpen, bedankt!", author="@pers", author_reach=50_000)
    enrich_pending()
    for mention in (journalist, ambassador, praise):
        mention.refresh_from_db()
    assert journalist.threat_score > ambassador.threat_score > praise.threat_score == 0


def test_a_burst_from_one_author_raises_the_threat(cast):
    source = make_source(cast.a.org)
    calm = make_mention(source, "Wat een slechte service", author="@rustig", author_reach=1_000)
    for minute in range(6):
        make_mention(
            source,
            f"Wat een slechte service, bericht {minute}",
            author="@boos",
            author_reach=1_000,
            published_at=WHEN - timedelta(minutes=minute + 1),
        )
    burst = make_mention(source, "Wat een slechte service", author="@boos", author_reach=1_000)
    enrich_pending()
    calm.refresh_from_db()
    burst.refresh_from_db()
    assert burst.threat_score > calm.threat_score


def test_a_corrected_mention_keeps_its_correction(cast):
    source = make_source(cast.a.org)
    mention = make_mention(
        source,
        "Wat een slechte service",
        sentiment="positive",
        category="praise",
        is_corrected=True,
    )
    enrich_pending()
    mention.refresh_from_db()
    assert mention.is_enriched
    assert (mention.sentiment, mention.category) == ("positive", "praise")


def test_the_platform_language_stands_when_the_detector_is_unsure(cast):
    mention = make_mention(make_source(cast.a.org), "👍", language="de")
    enrich_pending()
    mention.refresh_from_db()
    assert mention.language == "de"


BACKGROUND = [
    "Hoe laat gaan jullie morgen open?",
    "Wanneer komt de monteur langs?",
    "Super geholpen door de medewerker, bedankt!",
    "Top service, chapeau!",
    "Al drie dagen een storing, belachelijk",
    "Tip: maak een donkere modus in de app",
    "Vandaag is de nieuwe winkel in Utrecht geopend",
    "Mooi weer vandaag in het park",
]


def test_the_classifier_learns_from_corrections(cast):
    org = cast.a.org
    source = make_source(org)
    for n, text in enumerate(BACKGROUND * 3):
        make_mention(source, f"{text} ({n})")
    taught = [
        make_mention(source, f"De levertijd van bestelling {n} is {n % 7 + 3} werkdagen")
        for n in range(22)
    ]
    enrich_pending()
    assert {m.category for m in Mention.objects.filter(pk__in=[t.pk for t in taught])} == {"other"}
    new = make_mention(source, "De levertijd van mijn bestelling is nu 9 werkdagen")
    assert classifier.load(org.pk) is None
    for mention in taught:
        Correction.objects.create(
            organisation=org,
            mention=mention,
            field="category",
            old_value="other",
            new_value="complaint",
        )
        Mention.objects.filter(pk=mention.pk).update(category="complaint", is_corrected=True)
    assert enrich_tasks.train_if_due(org.pk) is True
    assert enrich_tasks.train_if_due(org.pk) is False  # debounced: once per ten minutes
    question = make_mention(source, "Hoe laat gaan jullie zaterdag open?")
    enrich_pending()
    new.refresh_from_db()
    question.refresh_from_db()
    assert new.category == "complaint"
    assert question.category == "question"  # elsewhere the rules still decide
    assert classifier.path_for(org.pk).exists()
    assert classifier.load(cast.b.org.pk) is None  # per organisation


def test_too_few_corrections_leave_the_rules_in_charge(cast):
    org = cast.a.org
    source = make_source(org)
    for text in BACKGROUND:
        make_mention(source, text)
    taught = [make_mention(source, f"De levertijd is {n} werkdagen") for n in range(5)]
    enrich_pending()
    for mention in taught:
        Correction.objects.create(
            organisation=org, mention=mention, field="category", new_value="complaint"
        )
    model = classifier.train(org.pk)
    assert model.predict("category", "De levertijd is 9 werkdagen") is None


def test_stale_classifiers_are_retrained_by_the_sweep(cast):
    org = cast.a.org
    mention = make_mention(make_source(org), "Iets")
    Correction.objects.create(organisation=org, mention=mention, field="category", new_value="idea")
    assert enrich_tasks.train_stale_classifiers.call_local() == 1
    assert enrich_tasks.train_stale_classifiers.call_local() == 0  # up to date


def test_posts_weeks_apart_are_not_duplicates_in_one_long_running_worker(cast):
    """The duplicate index follows the batches: a copy three weeks later is new again."""
    from datetime import timedelta

    from django.utils import timezone

    from koers.listening import enrich
    from koers.listening.models import Mention, Source

    enrich.forget_caches()
    source = Source.objects.create(organisation=cast.a.org, kind="push", name="CRM")
    text = "Onze nieuwe e-bike heeft een accu die tachtig kilometer meegaat, kom proefrijden!"
    start = timezone.now() - timedelta(days=30)

    def post(external_id, when):
        return Mention.objects.create(
            organisation=cast.a.org,
            source=source,
            external_id=external_id,
            text=text,
            published_at=when,
        )

    first = post("1", start)
    enrich.enrich_pending(cast.a.org.pk)
    same_day = post("2", start + timedelta(hours=2))
    enrich.enrich_pending(cast.a.org.pk)
    weeks_later = post("3", start + timedelta(days=21))
    enrich.enrich_pending(cast.a.org.pk)
    same_day.refresh_from_db()
    weeks_later.refresh_from_db()
    assert same_day.duplicate_of_id == first.pk
    assert weeks_later.duplicate_of_id is None


def test_a_restarted_duplicate_index_reuses_the_fingerprints_it_held(cast, monkeypatch):
    """When the window moves on, the posts still in it are not fingerprinted again, and
    a later copy still points at the first post."""
    from datetime import timedelta

    from koers.listening import enrich

    source = make_source(cast.a.org)
    text = "Onze nieuwe e-bike heeft een accu die tachtig kilometer meegaat, kom proefrijden!"
    first = make_mention(source, text, published_at=WHEN)
    enrich.enrich_pending(cast.a.org.pk)
    # Days on, the index starts afresh (the first post is older than its window) ...
    make_mention(
        source,
        "Iets heel anders over de openingstijden van de winkel",
        published_at=WHEN + timedelta(days=3),
    )
    copy = make_mention(source, text + " Echt!", published_at=WHEN + timedelta(days=4))
    enrich.enrich_pending(cast.a.org.pk)
    # ... and again for the next batch, whose window still holds the copy.
    fingerprinted = []
    original = enrich.fingerprint
    monkeypatch.setattr(
        enrich, "fingerprint", lambda value: fingerprinted.append(value) or original(value)
    )
    later = make_mention(source, text + " Echt!!", published_at=WHEN + timedelta(days=5, hours=1))
    enrich.enrich_pending(cast.a.org.pk)
    copy.refresh_from_db()
    later.refresh_from_db()
    first.refresh_from_db()
    assert first.duplicate_of_id is None and copy.duplicate_of_id is None
    assert later.duplicate_of_id == copy.pk
    # Only the new post was fingerprinted; the copy's fingerprint came from the old index.
    assert fingerprinted == [later.text]
    assert (
        enrich._duplicates[cast.a.org.pk].window_start
        == later.published_at - enrich.DUPLICATE_WINDOW
    )
