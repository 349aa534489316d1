"""The guideline library's rules: versions, acknowledgement, compiled rules."""

import pytest
from django.core.exceptions import ValidationError

from koers.guidelines import actions
from koers.guidelines.models import Guideline, GuidelineVersion
from koers.orgs.capabilities import Role
from koers.tests.cast import make_guideline

pytestmark = pytest.mark.django_db


def test_a_new_guideline_is_version_one(cast):
    guideline = make_guideline(cast.a.org)
    assert guideline.version == 1
    assert list(guideline.versions.values_list("number", flat=True)) == [1]


def test_a_confidential_rule_needs_terms_and_nothing_is_saved(cast):
    with pytest.raises(ValidationError) as error:
        make_guideline(cast.a.org, terms="  \n ")
    assert "terms" in error.value.message_dict
    assert not Guideline.objects.exists()


def test_material_changes_make_a_version_that_members_acknowledge_again(cast):
    guideline = make_guideline(cast.a.org)
    member = cast.a[Role.EMPLOYEE]
    actions.acknowledge(member, actions.pending_for(member)[0])
    assert actions.pending_for(member) == []

    actions.update_guideline(guideline, by=None, origin="Incident maart")
    assert Guideline.objects.get(pk=guideline.pk).version == 1
    assert actions.pending_for(member) == []

    actions.update_guideline(guideline, by=None, severity="warn", change_note="Milder")
    assert Guideline.objects.get(pk=guideline.pk).version == 2
    assert [v.number for v in actions.pending_for(member)] == [2]
    assert GuidelineVersion.objects.get(guideline=guideline, number=2).change_note == "Milder"


def test_acknowledgement_rate_per_department(cast):
    make_guideline(cast.a.org)
    version = actions.current_versions(cast.a.org)[0]
    for role in (Role.OWNER, Role.EDITOR, Role.EMPLOYEE):
        actions.acknowledge(cast.a[role], version)
    actions.acknowledge(cast.a[Role.EMPLOYEE], version)  # twice is harmless
    overall, per_department = actions.acknowledgement_rates(cast.a.org)
    # Six members count (the advisor is not asked), three acknowledged.
    assert overall == pytest.approx(3 / 6)
    assert per_department == {"Verkoop": pytest.approx(3 / 6)}
    assert actions.pending_for(cast.a[Role.ADVISOR]) == []


def test_another_organisations_version_cannot_be_acknowledged(cast):
    make_guideline(cast.b.org)
    with pytest.raises(ValidationError):
        actions.acknowledge(cast.a[Role.EMPLOYEE], actions.current_versions(cast.b.org)[0])


def test_the_ruleset_follows_the_library(cast):
    assert actions.ruleset_for(cast.a.org) is None
    guideline = make_guideline(cast.a.org, terms="Project Zeemeeuw")
    assert actions.ruleset_for(cast.a.org).check("project zeemeeuw").blocked
    actions.update_guideline(guideline, by=None, is_active=False)
    assert actions.ruleset_for(cast.a.org) is None
    assert actions.ruleset_for(cast.b.org) is None, "one organisation's rules only"


def test_the_dashboard_asks_members_to_read_new_guidelines(client, cast):
    from django.urls import reverse

    make_guideline(cast.a.org)
    client.force_login(cast.a[Role.EMPLOYEE].user)
    html = client.get(reverse("home:dashboard", args=[cast.a.org.slug])).content.decode()
    assert "There is 1 new guideline for you to read." in html
    actions.acknowledge(cast.a[Role.EMPLOYEE], actions.current_versions(cast.a.org)[0])
    html = client.get(reverse("home:dashboard", args=[cast.a.org.slug])).content.decode()
    assert "new guideline" not in html


def test_the_demo_has_guidelines_with_versions_and_acknowledgements():
    from koers.orgs.demo import refresh_demo

    org = refresh_demo()
    versions = actions.current_versions(org)
    assert len(versions) == 5 and max(v.number for v in versions) == 2
    overall, per_department = actions.acknowledgement_rates(org)
    assert 0.5 < overall < 0.9
    assert min(per_department, key=per_department.get) == "Productie & Werkplaats"
