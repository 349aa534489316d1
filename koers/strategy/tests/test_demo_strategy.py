"""The demo organisation's strategy: complete, signed off, with a meaningful history, and
the same on every run."""

import pytest

from koers.orgs import demo
from koers.strategy import actions
from koers.strategy.diff import diff
from koers.strategy.models import Kpi, SocialGoal, Status, StrategyVersion, snapshot

pytestmark = pytest.mark.django_db


def _without_keys(data: dict) -> dict:
    """The snapshot with every key replaced by what it names, so two runs compare."""
    names = {
        item["key"]: item.get("title") or item.get("name") or item.get("platform")
        for section in (
            "business_goals",
            "social_goals",
            "kpis",
            "audiences",
            "channels",
            "pillars",
        )
        for item in data[section]
    }

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items() if k != "key"}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return names.get(value, value) if isinstance(value, str) else value

    return plain(data)


def test_demo_has_an_earlier_and_a_signed_off_current_version():
    org = demo.refresh_demo()
    versions = {v.number: v for v in StrategyVersion.objects.for_org(org)}
    assert set(versions) == {1, 2}
    assert versions[1].status == Status.ARCHIVED
    current = versions[2]
    assert current.status == Status.PUBLISHED and current == actions.current_version(org)
    assert current.is_signed_off
    assert current.signed_off_by.email == "marleen.vandijk@vandijkfietsen.example"
    assert current.change_note
    assert current.published_by is not None and current.published_at < current.signed_off_at
    # Nobody is e-mailed about the demo's versions.
    assert not StrategyVersion.objects.for_org(org).filter(notified_at__isnull=True).exists()


def test_demo_strategy_is_complete_and_valid():
    org = demo.refresh_demo()
    current = actions.current_version(org)
    assert actions.publication_problems(current) == []
    assert 2 <= current.businessgoals.count() <= 3
    assert 4 <= current.socialgoals.count() <= 6
    assert SocialGoal.objects.filter(version=current, parent__isnull=False).exists()
    kpis = list(current.kpis.all())
    assert 10 <= len(kpis) <= 14
    assert all(k.owner_id and k.baseline is not None and k.target is not None for k in kpis)
    assert all(k.period_start and k.period_end for k in kpis)
    assert {k.source for k in kpis} == {"koers", "manual"}
    assert all(g.owner_id and g.horizon for g in current.businessgoals.all())
    assert current.audiences.exists() and current.contentpillars.exists()
    assert all(c.purpose for c in current.channels.all())
    assert current.webcare_role and current.mission and current.vision
    for version in StrategyVersion.objects.for_org(org):
        version.full_clean()
        for model in (
            current.businessgoals,
            current.socialgoals,
            current.kpis,
            current.audiences,
            current.channels,
            current.contentpillars,
        ):
            for item in model.model.objects.filter(version=version):
                item.full_clean()


def test_versions_differ_in_visible_ways():
    org = demo.refresh_demo()
    old, new = (StrategyVersion.objects.get(organisation=org, number=n) for n in (1, 2))
    changes = diff(snapshot(old), snapshot(new))
    found = {(c.section, c.action, c.label) for c in changes}
    assert ("kpis", "added", "Testritten op de co-creatiedagen") in found
    assert ("channels", "removed", "x") in found
    assert ("channels", "added", "whatsapp") in found
    target = next(c for c in changes if c.section == "kpis" and c.action == "changed")
    assert target.label == "Eerste reactietijd"
    assert [(f.field, f.before, f.after) for f in target.fields] == [("target", "90", "60")]
    # Items that persist keep their key, so nothing else shows as removed and added.
    assert len(changes) == 4
    assert Kpi.objects.filter(version=new).count() == Kpi.objects.filter(version=old).count() + 1


def test_demo_strategy_is_deterministic():
    demo.refresh_demo()
    first = [_without_keys(snapshot(v)) for v in StrategyVersion.objects.order_by("number")]
    dates = list(
        StrategyVersion.objects.order_by("number").values_list(
            "published_at", "signed_off_at", "published_by__email", "signed_off_by__email"
        )
    )
    demo.refresh_demo()
    assert [_without_keys(snapshot(v)) for v in StrategyVersion.objects.order_by("number")] == first
    assert (
        list(
            StrategyVersion.objects.order_by("number").values_list(
                "published_at", "signed_off_at", "published_by__email", "signed_off_by__email"
            )
        )
        == dates
    )


def test_employees_of_the_demo_are_told_what_changed():
    org = demo.refresh_demo()
    thijs = org.memberships.get(user__email="thijs.smit@vandijkfietsen.example")
    assert actions.mark_read(thijs, actions.current_version(org)) == 1
