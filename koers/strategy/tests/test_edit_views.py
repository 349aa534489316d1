"""The strategy editor over HTTP: wizard, draft workspace, items (with and without
htmx), the bad input of issue 3, publishing and who may do it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koers.orgs.capabilities import Role
from koers.strategy import models as s
from koers.strategy.playbook_types import DISCIPLINES
from koers.strategy.playbooks import get_playbook
from koers.tests.cast import make_strategy, make_user

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(cast, name, **kwargs):
    return reverse(f"strategy:{name}", kwargs={"org_slug": cast.a.org.slug, **kwargs})


def versions(org):
    return list(
        s.StrategyVersion.objects.for_org(org).order_by("number").values_list("number", "status")
    )


def make_draft(org, **overrides):
    values = {
        "number": 1,
        "status": s.Status.DRAFT,
        "primary_discipline": s.Discipline.OPERATIONAL_EXCELLENCE,
    }
    values.update(overrides)
    return s.StrategyVersion.objects.create(organisation=org, **values)


def wizard_data(**overrides):
    data = {
        "primary_discipline": "customer_intimacy",
        "secondary_discipline": "",
        "mission": "Fietsen voor iedereen",
        "vision": "",
        "business_goal_1": "Meer vaste klanten",
        "business_goal_2": "",
        "business_goal_3": "",
    }
    data.update(overrides)
    return data


def kpi_data(kpi, **overrides):
    data = {
        "social_goal": kpi.social_goal_id,
        "name": kpi.name,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "baseline": "",
        "target": "40",
        "period_start": "",
        "period_end": "",
        "owner": "",
        "source": kpi.source,
        "measure": kpi.measure,
    }
    data.update(overrides)
    return data


# --- the wizard -----------------------------------------------------------------------


@pytest.mark.parametrize("discipline", DISCIPLINES)
def test_wizard_proposes_a_draft_for_each_discipline(owner_client, cast, discipline):
    response = owner_client.post(
        url(cast, "wizard"),
        wizard_data(primary_discipline=discipline, business_goal_2="Minder telefoontjes"),
    )
    assert response.status_code == 302
    assert response["Location"] == url(cast, "draft")
    draft = s.StrategyVersion.objects.for_org(cast.a.org).draft().get()
    playbook = get_playbook(discipline)
    assert draft.primary_discipline == discipline
    assert draft.mission == "Fietsen voor iedereen"
    assert list(draft.businessgoals.values_list("title", flat=True)) == [
        "Meer vaste klanten",
        "Minder telefoontjes",
    ]
    # English: the client chose it.
    assert list(draft.socialgoals.values_list("title", flat=True)) == [
        goal.title.en for goal in playbook.social_goals
    ]
    assert draft.kpis.count() == sum(len(goal.kpis) for goal in playbook.social_goals)
    assert draft.webcare_role == playbook.webcare_role.en
    page = owner_client.get(url(cast, "draft"))
    assert page.status_code == 200
    assert playbook.social_goals[0].kpis[0].name.en in page.content.decode()


def test_wizard_in_dutch_proposes_dutch_texts(client, cast):
    client.cookies["koers_language"] = "nl"
    client.force_login(cast.a[Role.STRATEGIST].user)
    page = client.get(url(cast, "wizard"))
    playbook = get_playbook("operational_excellence")
    assert playbook.name.nl in page.content.decode()
    assert playbook.summary.nl in page.content.decode()
    response = client.post(
        url(cast, "wizard"),
        wizard_data(
            primary_discipline="operational_excellence", secondary_discipline="product_leadership"
        ),
    )
    assert response.status_code == 302
    draft = s.StrategyVersion.objects.for_org(cast.a.org).draft().get()
    titles = list(draft.socialgoals.values_list("title", flat=True))
    expected = [g.title.nl for g in playbook.social_goals]
    expected.append(get_playbook("product_leadership").social_goals[0].title.nl)
    assert titles == expected
    assert draft.kpis.first().name == playbook.social_goals[0].kpis[0].name.nl
    assert draft.secondary_discipline == "product_leadership"


def test_wizard_page_shows_the_disciplines_in_english(owner_client, cast):
    text = owner_client.get(url(cast, "wizard")).content.decode()
    for discipline in DISCIPLINES:
        playbook = get_playbook(discipline)
        assert playbook.name.en in text and playbook.summary.en in text
    assert "Start empty" in text  # nothing published yet
    assert "Start from the current version" not in text


def test_wizard_needs_a_business_goal(owner_client, cast):
    response = owner_client.post(url(cast, "wizard"), wizard_data(business_goal_1="  "))
    assert response.status_code == 400
    assert response.context["form"].errors["business_goal_1"] == [
        "Name at least one business goal."
    ]
    assert versions(cast.a.org) == []


def test_wizard_refuses_the_same_secondary_discipline(owner_client, cast):
    response = owner_client.post(
        url(cast, "wizard"),
        wizard_data(
            primary_discipline="product_leadership", secondary_discipline="product_leadership"
        ),
    )
    assert response.status_code == 400
    assert "secondary_discipline" in response.context["form"].errors
    assert versions(cast.a.org) == []


def test_wizard_refuses_an_unknown_discipline(owner_client, cast):
    response = owner_client.post(url(cast, "wizard"), wizard_data(primary_discipline="chaos"))
    assert response.status_code == 400
    assert "primary_discipline" in response.context["form"].errors
    assert versions(cast.a.org) == []


def test_second_wizard_while_a_draft_exists_is_refused(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    page = owner_client.get(url(cast, "wizard"))
    assert page.status_code == 200
    assert "There is already a draft (version 2)" in page.content.decode()
    assert url(cast, "discard_draft") in page.content.decode()
    response = owner_client.post(url(cast, "wizard"), wizard_data())
    assert response.status_code == 409
    assert versions(cast.a.org) == [(1, "published"), (2, "draft")]
    assert strategy.draft.socialgoals.count() == 1


def test_wizard_starts_from_the_published_version(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    strategy.draft.delete()
    form = owner_client.get(url(cast, "wizard")).context["form"]
    assert form.initial["mission"] == "Missie"
    assert form.initial["business_goal_1"] == "Meer vaste klanten"
    assert (
        "Start from the current version" in owner_client.get(url(cast, "wizard")).content.decode()
    )


# --- starting, the workspace, discarding ------------------------------------------------


def test_without_a_draft_the_workspace_offers_a_start(owner_client, cast):
    response = owner_client.get(url(cast, "draft"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is no draft yet" in text
    assert url(cast, "wizard") in text and "Start empty" in text


def test_start_draft_copies_the_published_version(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    strategy.draft.delete()
    response = owner_client.post(url(cast, "start_draft"))
    assert response.status_code == 302
    draft = s.StrategyVersion.objects.for_org(cast.a.org).draft().get()
    assert draft.number == 2
    assert list(draft.kpis.values_list("key", flat=True)) == [
        strategy.items["published"]["kpi"].key
    ]


def test_start_draft_twice_is_refused_with_a_message(owner_client, cast):
    make_strategy(cast.a.org)
    response = owner_client.post(url(cast, "start_draft"), follow=True)
    assert "There is already a draft" in response.content.decode()
    assert versions(cast.a.org) == [(1, "published"), (2, "draft")]


def test_workspace_shows_the_tree_hints_and_problems(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    kpi = strategy.items["draft"]["kpi"]
    s.Kpi.objects.create(
        organisation=cast.a.org,
        version=strategy.draft,
        social_goal=kpi.social_goal,
        name="Reactietijd",
        unit="minuten",
    )
    text = owner_client.get(url(cast, "draft")).content.decode()
    for item in strategy.items["draft"].values():
        assert str(item) in text
        assert url(cast, "item_edit", kind=_kind(item), pk=item.pk) in text
    assert "The KPI “Reactietijd” has no target." in text
    assert "Blocks publishing:" in text
    assert "No deadline: say by when the target must be reached." in text
    assert f"{url(cast, 'item_create', kind='kpi')}?social_goal={kpi.social_goal_id}" in text
    assert url(cast, "publish") in text


def _kind(item):
    return next(kind for kind, model in s.ITEM_KINDS.items() if isinstance(item, model))


def test_discard_draft(owner_client, cast):
    make_strategy(cast.a.org)
    response = owner_client.post(url(cast, "discard_draft"))
    assert response.status_code == 302
    assert response["Location"] == url(cast, "page")
    assert versions(cast.a.org) == [(1, "published")]


# --- the profile ----------------------------------------------------------------------


def test_profile_inline_with_htmx(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    form = owner_client.get(url(cast, "profile"), **HTMX)
    assert form.status_code == 200
    assert 'hx-post="' in form.content.decode() and "<html" not in form.content.decode()
    response = owner_client.post(
        url(cast, "profile"),
        {
            "mission": "Nieuwe missie",
            "vision": "Visie",
            "primary_discipline": "product_leadership",
            "secondary_discipline": "",
            "webcare_role": "Snel antwoorden",
        },
        **HTMX,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nieuwe missie" in text and 'hx-swap-oob="true"' in text
    strategy.draft.refresh_from_db()
    assert (strategy.draft.mission, strategy.draft.primary_discipline) == (
        "Nieuwe missie",
        "product_leadership",
    )


def test_profile_refuses_the_same_discipline_twice(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    data = {
        "mission": "Anders",
        "vision": "",
        "primary_discipline": "customer_intimacy",
        "secondary_discipline": "customer_intimacy",
        "webcare_role": "",
    }
    response = owner_client.post(url(cast, "profile"), data)
    assert response.status_code == 400
    assert "secondary_discipline" in response.context["form"].errors
    response = owner_client.post(url(cast, "profile"), data, **HTMX)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    strategy.draft.refresh_from_db()
    assert strategy.draft.mission == "Missie"


# --- items ----------------------------------------------------------------------------


def test_create_items_without_javascript(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    goal = strategy.items["draft"]["business-goal"]
    response = owner_client.post(
        url(cast, "item_create", kind="social-goal"),
        {"business_goal": goal.pk, "title": "Vaker gevonden worden", "description": ""},
    )
    assert response.status_code == 302
    social = strategy.draft.socialgoals.get(title="Vaker gevonden worden")
    assert response["Location"] == f"{url(cast, 'draft')}#social-goal-{social.pk}"
    assert social.organisation == cast.a.org and social.version == strategy.draft
    response = owner_client.post(
        url(cast, "item_create", kind="kpi"),
        {
            "social_goal": social.pk,
            "name": "Bereik",
            "unit": "mensen",
            "direction": "increase",
            "baseline": "1000",
            "target": "2500",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "owner": cast.a[Role.STRATEGIST].user.pk,
            "source": "koers",
            "measure": "publishing.reach",
        },
    )
    assert response.status_code == 302
    kpi = social.kpis.get()
    assert (kpi.target, kpi.period_end, kpi.owner) == (
        Decimal("2500"),
        date(2026, 12, 31),
        cast.a[Role.STRATEGIST].user,
    )
    for kind, data in [
        ("audience", {"name": "Studenten", "description": ""}),
        ("channel", {"platform": "mastodon", "purpose": "Vragen beantwoorden"}),
        ("pillar", {"name": "Onderhoudstips", "description": ""}),
        (
            "business-goal",
            {"title": "Groei", "description": "", "owner": "", "horizon": "2027-06-30"},
        ),
    ]:
        assert owner_client.post(url(cast, "item_create", kind=kind), data).status_code == 302
    assert strategy.draft.channels.filter(platform="mastodon").exists()
    assert strategy.draft.businessgoals.get(title="Groei").horizon == date(2027, 6, 30)


def test_create_form_preselects_the_parent(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    social = strategy.items["draft"]["social-goal"]
    response = owner_client.get(url(cast, "item_create", kind="kpi") + f"?social_goal={social.pk}")
    assert response.status_code == 200
    assert response.context["form"]["social_goal"].value() == social.pk
    assert 'type="date"' in response.content.decode()


def test_create_with_htmx_returns_the_new_item_and_a_fresh_add_link(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    social = strategy.items["draft"]["social-goal"]
    create = url(cast, "item_create", kind="kpi") + f"?social_goal={social.pk}"
    form = owner_client.get(create, **HTMX)
    assert form.status_code == 200
    assert f'id="add-kpi-{social.pk}"' in form.content.decode()
    response = owner_client.post(
        create,
        {
            "social_goal": social.pk,
            "name": "Tevredenheid",
            "unit": "cijfer",
            "direction": "increase",
            "target": "8",
            "source": "manual",
        },
        **HTMX,
    )
    assert response.status_code == 200
    kpi = strategy.draft.kpis.get(name="Tevredenheid")
    text = response.content.decode()
    assert f'id="kpi-{kpi.pk}"' in text and f'id="add-kpi-{social.pk}"' in text
    assert 'id="publication-status" ' in text and 'hx-swap-oob="true"' in text


def test_create_with_htmx_elsewhere_in_the_tree_redraws_the_page(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    goal = strategy.items["draft"]["business-goal"]
    parent = strategy.items["draft"]["social-goal"]
    response = owner_client.post(
        url(cast, "item_create", kind="social-goal") + f"?business_goal={goal.pk}",
        {"business_goal": goal.pk, "parent": parent.pk, "title": "Deeldoel"},
        **HTMX,
    )
    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    assert strategy.draft.socialgoals.get(title="Deeldoel").parent == parent


def test_create_errors_with_htmx_stay_in_the_form(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    before = strategy.draft.audiences.count()
    response = owner_client.post(url(cast, "item_create", kind="audience"), {"name": ""}, **HTMX)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    response = owner_client.post(url(cast, "item_create", kind="audience"), {"name": ""})
    assert response.status_code == 400
    assert strategy.draft.audiences.count() == before


def test_edit_with_htmx(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    pillar = strategy.items["draft"]["pillar"]
    edit = url(cast, "item_edit", kind="pillar", pk=pillar.pk)
    form = owner_client.get(edit, **HTMX)
    assert form.status_code == 200 and "Achter de schermen" in form.content.decode()
    response = owner_client.post(edit, {"name": "Onze monteurs", "description": "Vakwerk"}, **HTMX)
    assert response.status_code == 200
    assert f'id="pillar-{pillar.pk}"' in response.content.decode()
    assert "Onze monteurs" in response.content.decode()
    pillar.refresh_from_db()
    assert pillar.name == "Onze monteurs"


def test_edit_kpi_with_htmx_shows_its_hints_and_updates_the_problems(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    kpi = strategy.items["draft"]["kpi"]
    response = owner_client.post(
        url(cast, "item_edit", kind="kpi", pk=kpi.pk), kpi_data(kpi, target=""), **HTMX
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "No target: say what number counts as success." in text
    assert "The KPI “Ideeën van klanten” has no target." in text  # the out-of-band panel


def test_moving_a_kpi_with_htmx_redraws_the_page(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    kpi = strategy.items["draft"]["kpi"]
    other = s.SocialGoal.objects.create(
        organisation=cast.a.org,
        version=strategy.draft,
        business_goal=kpi.social_goal.business_goal,
        title="Ander doel",
    )
    response = owner_client.post(
        url(cast, "item_edit", kind="kpi", pk=kpi.pk), kpi_data(kpi, social_goal=other.pk), **HTMX
    )
    assert response["HX-Refresh"] == "true"
    kpi.refresh_from_db()
    assert kpi.social_goal == other


def test_edit_without_javascript(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    channel = strategy.items["draft"]["channel"]
    edit = url(cast, "item_edit", kind="channel", pk=channel.pk)
    assert owner_client.get(edit).status_code == 200
    response = owner_client.post(edit, {"platform": "bluesky", "purpose": "Nieuws"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#channel-{channel.pk}")
    channel.refresh_from_db()
    assert channel.platform == "bluesky"


def test_items_of_the_published_version_cannot_be_edited(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    kpi = strategy.items["published"]["kpi"]
    edit = url(cast, "item_edit", kind="kpi", pk=kpi.pk)
    assert owner_client.post(edit, kpi_data(kpi, name="Anders")).status_code == 404
    assert owner_client.post(url(cast, "item_delete", kind="kpi", pk=kpi.pk)).status_code == 404
    kpi.refresh_from_db()
    assert kpi.name == "Ideeën van klanten"


def test_unknown_kind_is_404(owner_client, cast):
    make_strategy(cast.a.org)
    assert owner_client.get(url(cast, "item_create", kind="mission")).status_code == 404


def test_non_numeric_target_is_a_field_error(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    kpi = strategy.items["draft"]["kpi"]
    response = owner_client.post(
        url(cast, "item_edit", kind="kpi", pk=kpi.pk), kpi_data(kpi, target="veertig")
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["target"]
    kpi.refresh_from_db()
    assert kpi.target == Decimal("40")


def test_end_before_start_is_a_field_error(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    kpi = strategy.items["draft"]["kpi"]
    response = owner_client.post(
        url(cast, "item_edit", kind="kpi", pk=kpi.pk),
        kpi_data(kpi, period_start="2026-06-01", period_end="2026-01-01"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"period_end": ["The end lies before the start."]}
    kpi.refresh_from_db()
    assert kpi.period_start is None


def test_goal_attached_to_itself_is_a_field_error(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    social = strategy.items["draft"]["social-goal"]
    edit = url(cast, "item_edit", kind="social-goal", pk=social.pk)
    data = {"business_goal": social.business_goal_id, "parent": social.pk, "title": "Zelf"}
    response = owner_client.post(edit, data)
    assert response.status_code == 400
    assert response.context["form"].errors == {"parent": ["A goal cannot be part of itself."]}
    response = owner_client.post(edit, data, **HTMX)
    assert response.status_code == 200
    assert "A goal cannot be part of itself." in response.content.decode()
    social.refresh_from_db()
    assert (social.parent, social.title) == (None, "Klantwensen ophalen")


def test_goal_under_its_own_sub_goal_is_a_field_error(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    social = strategy.items["draft"]["social-goal"]
    child = s.SocialGoal.objects.create(
        organisation=cast.a.org,
        version=strategy.draft,
        business_goal=social.business_goal,
        parent=social,
        title="Deeldoel",
    )
    edit = url(cast, "item_edit", kind="social-goal", pk=social.pk)
    shown = owner_client.get(edit).context["form"]["parent"]
    offered = [str(value) for value, _label in shown.field.widget.choices]
    assert str(social.pk) not in offered and str(child.pk) not in offered
    response = owner_client.post(
        edit, {"business_goal": social.business_goal_id, "parent": child.pk, "title": "Rondje"}
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["parent"]
    social.refresh_from_db()
    assert social.parent is None


def test_references_stay_inside_the_draft_and_the_organisation(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    other = make_strategy(cast.b.org)
    kpi = strategy.items["draft"]["kpi"]
    edit = url(cast, "item_edit", kind="kpi", pk=kpi.pk)
    for field, value in [
        ("social_goal", strategy.items["published"]["social-goal"].pk),
        ("social_goal", other.items["draft"]["social-goal"].pk),
        ("owner", cast.outsider.user.pk),
        ("owner", make_user("niemand@example.nl").pk),
    ]:
        response = owner_client.post(edit, kpi_data(kpi, **{field: value}))
        assert response.status_code == 400
        assert list(response.context["form"].errors) == [field]
    kpi.refresh_from_db()
    assert (kpi.social_goal, kpi.owner) == (strategy.items["draft"]["social-goal"], None)
    owners = owner_client.get(edit).context["form"].fields["owner"].queryset
    assert set(owners) == {m.user for m in cast.a.members.values()}


def test_delete_item(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    audience = strategy.items["draft"]["audience"]
    response = owner_client.post(url(cast, "item_delete", kind="audience", pk=audience.pk))
    assert response.status_code == 302
    assert not strategy.draft.audiences.exists()
    assert strategy.published.audiences.exists()


def test_delete_goal_with_kpis_is_refused_with_a_message(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    social = strategy.items["draft"]["social-goal"]
    response = owner_client.post(
        url(cast, "item_delete", kind="social-goal", pk=social.pk), follow=True
    )
    assert "Move or delete the KPIs of “Klantwensen ophalen” first." in response.content.decode()
    assert s.SocialGoal.objects.filter(pk=social.pk).exists()


def test_delete_needs_post(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    audience = strategy.items["draft"]["audience"]
    assert (
        owner_client.get(url(cast, "item_delete", kind="audience", pk=audience.pk)).status_code
        == 405
    )


# --- publishing -----------------------------------------------------------------------


def test_publish_page_shows_the_changes(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    strategy.draft.delete()
    owner_client.post(url(cast, "start_draft"))  # a copy: items keep their keys
    kpi = s.Kpi.objects.get(version__status="draft", organisation=cast.a.org)
    kpi.target = Decimal("60")
    kpi.save()
    response = owner_client.get(url(cast, "publish"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Changes since version 1" in text
    assert "“Ideeën van klanten”" in text and "<del>40</del>" in text and "<ins>60</ins>" in text
    assert 'name="change_note"' in text


def test_publishing_archives_the_previous_version(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    response = owner_client.post(url(cast, "publish"), {"change_note": "Doel aangescherpt"})
    assert response.status_code == 302
    assert response["Location"] == url(cast, "page")
    assert versions(cast.a.org) == [(1, "archived"), (2, "published")]
    strategy.draft.refresh_from_db()
    assert strategy.draft.change_note == "Doel aangescherpt"
    assert strategy.draft.published_by == cast.a[Role.OWNER].user


def test_publishing_without_a_social_goal_is_refused(owner_client, cast):
    draft = make_draft(cast.a.org)
    s.BusinessGoal.objects.create(organisation=cast.a.org, version=draft, title="Groei")
    response = owner_client.post(url(cast, "publish"), {"change_note": ""})
    assert response.status_code == 400
    assert "Add at least one social goal." in response.content.decode()
    assert "The draft was not published" in response.content.decode()
    assert versions(cast.a.org) == [(1, "draft")]


def test_publishing_with_a_kpi_without_target_is_refused(owner_client, cast):
    strategy = make_strategy(cast.a.org)
    kpi = strategy.items["draft"]["kpi"]
    kpi.target = None
    kpi.save()
    page = owner_client.get(url(cast, "publish"))
    assert "The KPI “Ideeën van klanten” has no target." in page.content.decode()
    assert 'name="change_note"' not in page.content.decode()
    response = owner_client.post(url(cast, "publish"), {"change_note": "Toch"})
    assert response.status_code == 400
    assert response.context["problems"] == ["The KPI “Ideeën van klanten” has no target."]
    assert versions(cast.a.org) == [(1, "published"), (2, "draft")]


def test_publish_without_a_draft_goes_to_the_workspace(owner_client, cast):
    response = owner_client.get(url(cast, "publish"))
    assert response.status_code == 302
    assert response["Location"] == url(cast, "draft")


# --- who may edit -----------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.EDITOR, Role.EMPLOYEE, Role.MANAGER])
def test_roles_without_strategy_edit_get_403(client, cast, role):
    strategy = make_strategy(cast.a.org)
    kpi = strategy.items["draft"]["kpi"]
    client.force_login(cast.a[role].user)
    for name, kwargs in [
        ("draft", {}),
        ("wizard", {}),
        ("profile", {}),
        ("publish", {}),
        ("item_create", {"kind": "kpi"}),
        ("item_edit", {"kind": "kpi", "pk": kpi.pk}),
    ]:
        assert client.get(url(cast, name, **kwargs)).status_code == 403, name
    assert client.post(url(cast, "wizard"), wizard_data()).status_code == 403
    assert client.post(url(cast, "publish"), {}).status_code == 403
    assert (
        client.post(
            url(cast, "item_edit", kind="kpi", pk=kpi.pk), kpi_data(kpi, name="Anders")
        ).status_code
        == 403
    )
    assert client.post(url(cast, "item_delete", kind="kpi", pk=kpi.pk)).status_code == 403
    assert client.post(url(cast, "discard_draft")).status_code == 403
    assert versions(cast.a.org) == [(1, "published"), (2, "draft")]
    kpi.refresh_from_db()
    assert kpi.name == "Ideeën van klanten"


def test_strategist_may_edit(client, cast):
    make_strategy(cast.a.org)
    client.force_login(cast.a[Role.STRATEGIST].user)
    assert client.get(url(cast, "draft")).status_code == 200


# --- query count ------------------------------------------------------------------------


def make_tree(org, draft, *, goals: int, social_per_goal: int, kpis_per_social: int):
    """A draft with nested social goals (every second one a sub-goal) and KPIs."""
    owner = org.memberships.first().user
    for g in range(goals):
        goal = s.BusinessGoal.objects.create(
            organisation=org, version=draft, title=f"Bedrijfsdoel {g}", owner=owner
        )
        parent = None
        for n in range(social_per_goal):
            social = s.SocialGoal.objects.create(
                organisation=org,
                version=draft,
                business_goal=goal,
                title=f"Doel {g}.{n}",
                parent=parent if n % 2 else None,
            )
            parent = social
            for k in range(kpis_per_social):
                s.Kpi.objects.create(
                    organisation=org,
                    version=draft,
                    social_goal=social,
                    name=f"KPI {g}.{n}.{k}",
                    unit="%",
                    owner=owner,
                    target=Decimal(k + 1),
                )
    for n in range(goals):
        s.Audience.objects.create(organisation=org, version=draft, name=f"Publiek {n}")
        s.Channel.objects.create(
            organisation=org, version=draft, platform="linkedin", purpose="Doel"
        )
        s.ContentPillar.objects.create(organisation=org, version=draft, name=f"Pijler {n}")


def _count_queries(client, address) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_workspace_queries_do_not_grow_with_the_tree(
    owner_client, cast, django_assert_max_num_queries
):
    small = make_draft(cast.a.org)
    make_tree(cast.a.org, small, goals=1, social_per_goal=1, kpis_per_social=1)
    address = url(cast, "draft")
    owner_client.get(address)  # warm the session
    few = _count_queries(owner_client, address)

    small.delete()
    big = make_draft(cast.a.org)
    # 3 business goals, 6 social goals (3 of them sub-goals), 18 KPIs.
    make_tree(cast.a.org, big, goals=3, social_per_goal=2, kpis_per_social=3)
    assert (big.businessgoals.count(), big.socialgoals.count()) == (3, 6)
    with django_assert_max_num_queries(few):
        response = owner_client.get(address)
    assert response.status_code == 200
    assert response.content.decode().count('class="item item-kpi"') == big.kpis.count()


@pytest.mark.parametrize(
    ("kind", "query", "data", "node_class"),
    [
        ("business-goal", "", {"title": "Groei in Deventer"}, "node-business"),
        ("social-goal", "business_goal", {"title": "Gevonden worden"}, "node-social"),
        ("audience", "", {"name": "Studenten"}, "node-audience"),
        ("channel", "", {"platform": "bluesky", "purpose": "Nieuws"}, "node-channel"),
    ],
)
def test_create_each_kind_with_htmx(owner_client, cast, kind, query, data, node_class):
    strategy = make_strategy(cast.a.org)
    create = url(cast, "item_create", kind=kind)
    if query:
        goal = strategy.items["draft"]["business-goal"]
        create += f"?{query}={goal.pk}"
        data = {**data, query: goal.pk}
    form = owner_client.get(create, **HTMX)
    assert "autofocus" in form.content.decode()
    response = owner_client.post(create, data, **HTMX)
    assert response.status_code == 200
    text = response.content.decode()
    assert f'class="node {node_class}"' in text
    # The fresh "Add …" link, plus the new goal's own one for its children.
    expected = 2 if kind in {"business-goal", "social-goal"} else 1
    assert text.count('class="add-slot') == expected
    model = s.ITEM_KINDS[kind]
    assert model.objects.filter(version=strategy.draft).count() == 2
