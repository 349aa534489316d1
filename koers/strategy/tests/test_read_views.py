"""The strategy for reading: the page every member sees, the history, one version and
sign-off by management."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from koers.audit.models import Action, AuditEvent
from koers.orgs.capabilities import Role
from koers.strategy import actions
from koers.strategy.demo import build_demo_strategy
from koers.strategy.models import Kpi, SocialGoal, Status, StrategyVersion
from koers.strategy.playbooks import get_playbook
from koers.tests.cast import make_strategy

pytestmark = pytest.mark.django_db


def _url(name, org, *args):
    return reverse(f"strategy:{name}", args=[org.slug, *args])


def _logged_in(client, membership):
    client.force_login(membership.user)
    return client


def _unsign(version):
    StrategyVersion.objects.filter(pk=version.pk).update(signed_off_by=None, signed_off_at=None)


def test_employee_reads_goals_and_kpi_targets(client, cast):
    org = cast.a.org
    build_demo_strategy(org)
    _logged_in(client, cast.a[Role.EMPLOYEE])
    response = client.get(_url("page", org))
    assert response.status_code == 200
    text = response.content.decode()
    for goal in SocialGoal.objects.filter(
        version__status=Status.PUBLISHED, version__organisation=org
    ):
        assert goal.title in text
    assert "Eerste reactietijd" in text and "60 minuten" in text
    assert "Baseline: 180 minuten" in text
    assert "Lower is better" in text and "Measured by Koers" in text
    assert "Meer vaste klanten door persoonlijke service" in text
    assert "Wij bouwen in Zwolle degelijke fietsen" in text
    # What the value discipline means for social media, in the reader's language.
    assert "Customer intimacy" in text and "Product leadership" in text
    assert escape(get_playbook("customer_intimacy").summary.en) in text
    assert "WhatsApp" in text and "Onderhoudsafspraken maken" in text
    assert "Uit de werkplaats" in text and "Gezinnen in Zwolle en omgeving" in text
    assert "Webcare is het persoonlijke gezicht" in text
    assert "Signed off by Marleen" not in text  # the cast's owner signed it off
    assert "Signed off by owner@org-a.example on 4 March 2026." in text
    assert "Not signed off by management yet" not in text
    assert _url("export_pdf", org, 2) in text and _url("versions", org) in text
    assert "Edit (draft)" not in text


def test_page_speaks_the_readers_language(cast):
    org = cast.a.org
    build_demo_strategy(org)
    dutch = _logged_in(Client(), cast.a[Role.EMPLOYEE])
    text = dutch.get(_url("page", org)).content.decode()
    assert 'lang="nl"' in text
    assert escape(get_playbook("customer_intimacy").summary.nl) in text
    assert "1 jan 2026 – 31 dec 2026" in text and "250.000" in text


def test_unsigned_strategy_is_marked_and_management_may_sign_it(client, cast):
    org = cast.a.org
    strategy = make_strategy(org, by=cast.a[Role.OWNER].user)
    _unsign(strategy.published)
    employee = _logged_in(Client(), cast.a[Role.EMPLOYEE])
    employee.cookies["koers_language"] = "en"
    text = employee.get(_url("page", org)).content.decode()
    assert "Not signed off by management yet" in text
    assert _url("sign_off", org, 1) not in text, "an employee has no sign-off button"
    manager = _logged_in(client, cast.a[Role.MANAGER])
    assert _url("sign_off", org, 1) in manager.get(_url("page", org)).content.decode()


def test_manager_signs_off_and_it_is_audited(client, cast):
    org = cast.a.org
    strategy = make_strategy(org, by=cast.a[Role.OWNER].user)
    _unsign(strategy.published)
    manager = cast.a[Role.MANAGER]
    _logged_in(client, manager)
    response = client.post(_url("sign_off", org, 1), follow=True)
    assert response.redirect_chain[-1][0] == _url("page", org)
    text = response.content.decode()
    assert "You signed off version 1 of the strategy." in text
    assert "Not signed off by management yet" not in text
    strategy.published.refresh_from_db()
    assert strategy.published.signed_off_by == manager.user
    event = AuditEvent.objects.get(action=Action.STRATEGY_SIGNED_OFF)
    assert event.organisation == org and event.actor == manager.user and event.target == "v1"


def test_signing_off_twice_says_why(client, cast):
    org = cast.a.org
    make_strategy(org, by=cast.a[Role.OWNER].user)  # signed off already
    _logged_in(client, cast.a[Role.OWNER])
    response = client.post(_url("sign_off", org, 1), follow=True)
    assert "This version is already signed off." in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.STRATEGY_SIGNED_OFF).exists()


def test_an_earlier_version_cannot_be_signed_off(client, cast):
    org = cast.a.org
    strategy = make_strategy(org, by=cast.a[Role.OWNER].user)
    actions.publish_version(strategy.draft, by=cast.a[Role.OWNER].user)
    _unsign(strategy.published)
    _logged_in(client, cast.a[Role.MANAGER])
    response = client.post(_url("sign_off", org, 1), follow=True)
    assert "Only the published strategy can be signed off." in response.content.decode()
    assert StrategyVersion.objects.get(organisation=org, number=1).signed_off_at is None


def test_editor_may_not_sign_off(client, cast):
    org = cast.a.org
    strategy = make_strategy(org, by=cast.a[Role.OWNER].user)
    _unsign(strategy.published)
    _logged_in(client, cast.a[Role.EDITOR])
    assert client.post(_url("sign_off", org, 1)).status_code == 403
    assert client.get(_url("sign_off", org, 1)).status_code == 405
    strategy.published.refresh_from_db()
    assert not strategy.published.is_signed_off
    assert not AuditEvent.objects.filter(action=Action.STRATEGY_SIGNED_OFF).exists()


def test_members_are_told_what_changed_since_they_last_read(client, cast):
    org = cast.a.org
    owner = cast.a[Role.OWNER].user
    strategy = make_strategy(org, by=owner)
    _logged_in(client, cast.a[Role.EMPLOYEE])
    first = client.get(_url("page", org)).content.decode()
    assert "Changed since you last read it" not in first, "nothing to compare on a first visit"

    # A new draft copied from version 1 (make_strategy's draft has keys of its own).
    actions.discard_draft(strategy.draft, by=owner)
    draft = actions.start_draft(org, by=owner)
    Kpi.objects.filter(version=draft).update(target=Decimal("55"))
    actions.publish_version(draft, by=owner, change_note="Hoger doel voor ideeën.")
    text = client.get(_url("page", org)).content.decode()
    assert "Changed since you last read it (version 1)" in text
    assert "Hoger doel voor ideeën." in text
    assert "“Ideeën van klanten”" in text and "<del>40</del>" in text and "<ins>55</ins>" in text
    assert "removed" not in text

    again = client.get(_url("page", org)).content.decode()
    assert "Changed since you last read it" not in again


def test_without_a_published_strategy_editors_are_sent_to_the_wizard(client, cast):
    org = cast.a.org
    _logged_in(client, cast.a[Role.STRATEGIST])
    text = client.get(_url("page", org)).content.decode()
    assert "No strategy has been published yet" in text
    assert _url("wizard", org) in text and _url("draft", org) in text
    employee = _logged_in(Client(), cast.a[Role.EMPLOYEE])
    employee.cookies["koers_language"] = "en"
    text = employee.get(_url("page", org)).content.decode()
    assert "No strategy has been published yet" in text
    assert _url("wizard", org) not in text


def test_editors_always_see_the_draft_link(client, cast):
    org = cast.a.org
    make_strategy(org, by=cast.a[Role.OWNER].user)
    _logged_in(client, cast.a[Role.STRATEGIST])
    text = client.get(_url("page", org)).content.decode()
    assert "Edit (draft)" in text and _url("draft", org) in text


def test_page_queries_are_bounded(client, cast, django_assert_max_num_queries):
    org = cast.a.org
    current = build_demo_strategy(org)
    _logged_in(client, cast.a[Role.EMPLOYEE])
    # The demo builder records that members read version 1: the first visit shows the diff.
    with django_assert_max_num_queries(34):
        response = client.get(_url("page", org))
    assert "Changed since you last read it (version 1)" in response.content.decode()
    with CaptureQueriesContext(connection) as before:
        client.get(_url("page", org))
    assert len(before) <= 20
    # A bigger tree costs no extra queries.
    goal = current.socialgoals.first()
    for n in range(10):
        sub = SocialGoal.objects.create(
            organisation=org,
            version=current,
            title=f"Sub {n}",
            business_goal=goal.business_goal,
            parent=goal,
        )
        Kpi.objects.create(
            organisation=org,
            version=current,
            social_goal=sub,
            name=f"KPI {n}",
            target=Decimal(n),
            owner=cast.a[Role.EDITOR].user,
        )
    with CaptureQueriesContext(connection) as after:
        text = client.get(_url("page", org)).content.decode()
    assert "KPI 9" in text
    assert len(after) == len(before)


def test_history_lists_every_published_version(client, cast):
    org = cast.a.org
    build_demo_strategy(org)
    StrategyVersion.objects.create(organisation=org, number=3, status=Status.DRAFT)
    _logged_in(client, cast.a[Role.EMPLOYEE])
    response = client.get(_url("versions", org))
    text = response.content.decode()
    assert "Version 2" in text and "Version 1" in text and "Version 3" not in text
    assert "Current" in text and "Earlier version" in text
    assert "X is vervangen door WhatsApp" in text
    assert f"{_url('version', org, 2)}#changes" in text
    assert f"{_url('version', org, 1)}#changes" not in text


def test_history_without_versions(client, cast):
    StrategyVersion.objects.create(organisation=cast.a.org, number=1, status=Status.DRAFT)
    _logged_in(client, cast.a[Role.EMPLOYEE])
    response = client.get(_url("versions", cast.a.org))
    assert response.status_code == 200
    assert "No strategy has been published yet" in response.content.decode()


def test_history_queries_are_bounded(client, cast, django_assert_max_num_queries):
    org = cast.a.org
    build_demo_strategy(org)
    _logged_in(client, cast.a[Role.EMPLOYEE])
    with django_assert_max_num_queries(10):
        assert client.get(_url("versions", org)).status_code == 200


def test_an_earlier_version_is_marked_and_shows_what_changed(client, cast):
    org = cast.a.org
    build_demo_strategy(org)
    _logged_in(client, cast.a[Role.EMPLOYEE])
    old = client.get(_url("version", org, 1)).content.decode()
    assert "Earlier version, not the current strategy." in old
    assert "This is the first published version." in old
    assert "Eerste reactietijd" in old and "90 minuten" in old
    current = client.get(_url("version", org, 2)).content.decode()
    assert "This is the current strategy." in current
    assert "What changed since version 1" in current
    assert "Testritten op de co-creatiedagen" in current
    assert "<del>90</del>" in current and "<ins>60</ins>" in current


def test_a_draft_is_not_a_version_to_read(client, cast):
    org = cast.a.org
    make_strategy(org, by=cast.a[Role.OWNER].user)
    _logged_in(client, cast.a[Role.OWNER])
    for name in ("version", "export_pdf", "export_markdown"):
        assert client.get(_url(name, org, 2)).status_code == 404
    assert client.post(_url("sign_off", org, 2)).status_code == 404


def test_another_organisations_version_is_not_found(client, cast):
    make_strategy(cast.b.org, by=cast.b[Role.OWNER].user)
    _logged_in(client, cast.a[Role.OWNER])
    assert client.get(_url("version", cast.a.org, 1)).status_code == 404
    assert client.get(_url("version", cast.b.org, 1)).status_code == 404


def test_strategy_page_is_in_the_navigation(client, cast):
    make_strategy(cast.a.org, by=cast.a[Role.OWNER].user)
    _logged_in(client, cast.a[Role.EMPLOYEE])
    text = client.get(reverse("home:dashboard", args=[cast.a.org.slug])).content.decode()
    assert _url("page", cast.a.org) in text


def test_signed_off_time_is_the_organisations_day(client, cast):
    org = cast.a.org
    strategy = make_strategy(org, by=cast.a[Role.OWNER].user)
    late = datetime(2026, 3, 4, 23, 30, tzinfo=UTC)  # 5 March in Amsterdam
    StrategyVersion.objects.filter(pk=strategy.published.pk).update(signed_off_at=late)
    _logged_in(client, cast.a[Role.EMPLOYEE])
    assert "on 5 March 2026." in client.get(_url("page", org)).content.decode()
