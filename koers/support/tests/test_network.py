"""The ambassador network: candidates, teams, invitations and the member's own page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koers.audit.models import Action, AuditEvent
from koers.content import actions as content
from koers.content.models import ContentItem, RoleTask, TaskCompletion
from koers.orgs.capabilities import Role
from koers.support import network
from koers.support.models import (
    Ambassador,
    AmbassadorSource,
    AmbassadorStatus,
    AmbassadorTeam,
    Ticket,
    TicketStatus,
)
from koers.tests.cast import make_department, make_member, make_waves
from koers.tests.test_tenancy import fingerprint

pytestmark = pytest.mark.django_db

MANAGE_URLS = ("ambassadors", "ambassador_propose", "team_create")


def _url(cast, name, *args):
    return reverse(f"support:{name}", args=[cast.a.org.slug, *args])


def _ticket(wave, membership, *, status=TicketStatus.COMPLETED, opt_in=True):
    return Ticket.objects.create(
        organisation=wave.organisation,
        wave=wave,
        membership=membership,
        status=status,
        ambassador_opt_in=opt_in,
    )


def _team(org, name="Klantverhalen"):
    return AmbassadorTeam.objects.create(organisation=org, name=name)


def _ambassador(membership, **values):
    return Ambassador.objects.create(
        organisation=membership.organisation, membership=membership, **values
    )


def _login(client, membership):
    client.force_login(membership.user)
    return client


def _english_client(membership) -> Client:
    """A second person's browser (the fixtures' clients share one)."""
    client = Client()
    client.cookies["koers_language"] = "en"
    client.force_login(membership.user)
    return client


# --- candidates -----------------------------------------------------------------------


def test_survey_opt_ins_become_candidates_once(owner_client, cast):
    waves = make_waves(cast.a.org)
    _ticket(waves.closed, cast.a[Role.EDITOR])
    _ticket(waves.open, cast.a[Role.EDITOR])  # opted in twice: still one candidate
    _ticket(waves.closed, cast.a[Role.WEBCARE], opt_in=False)
    _ticket(waves.open, cast.a[Role.STRATEGIST], status=TicketStatus.STARTED)
    _ticket(waves.closed, cast.a[Role.EMPLOYEE])  # a candidate already
    other = make_waves(cast.b.org)
    _ticket(other.closed, cast.b[Role.EDITOR])  # organisation B's: not A's business

    assert network.sync_candidates(cast.a.org) == 1
    assert network.sync_candidates(cast.a.org) == 0

    editor = Ambassador.objects.get(membership=cast.a[Role.EDITOR])
    assert (editor.source, editor.status) == (AmbassadorSource.SURVEY, AmbassadorStatus.CANDIDATE)
    assert not Ambassador.objects.filter(membership=cast.a[Role.WEBCARE]).exists()
    assert not Ambassador.objects.filter(membership=cast.a[Role.STRATEGIST]).exists()
    assert Ambassador.objects.filter(membership=cast.a[Role.EMPLOYEE]).count() == 1
    assert not Ambassador.objects.filter(membership=cast.b[Role.EDITOR]).exists()

    response = owner_client.get(_url(cast, "ambassadors"))
    assert response.status_code == 200
    assert str(cast.a[Role.EDITOR].user) in response.content.decode()
    assert Ambassador.objects.for_org(cast.a.org).count() == 2


def test_opening_the_page_turns_new_opt_ins_into_candidates(owner_client, cast):
    waves = make_waves(cast.a.org)
    _ticket(waves.closed, cast.a[Role.WEBCARE])
    owner_client.get(_url(cast, "ambassadors"))
    owner_client.get(_url(cast, "ambassadors"))
    assert (
        Ambassador.objects.filter(
            membership=cast.a[Role.WEBCARE], source=AmbassadorSource.SURVEY
        ).count()
        == 1
    )


def test_a_member_who_declined_is_not_made_a_candidate_again_by_the_survey(cast):
    waves = make_waves(cast.a.org)
    waves.candidate.status = AmbassadorStatus.DECLINED
    waves.candidate.save()
    _ticket(waves.open, cast.a[Role.EMPLOYEE])
    assert network.sync_candidates(cast.a.org) == 0
    waves.candidate.refresh_from_db()
    assert waves.candidate.status == AmbassadorStatus.DECLINED


def _contribute(membership, count, *, days_ago=1):
    """``count`` contributions: ideas submitted and role tasks done, ``days_ago``."""
    when = timezone.now() - timedelta(days=days_ago)
    org = membership.organisation
    for n in range(count):
        if n % 2 == 0:
            item = content.submit_idea(org, by=membership, title=f"Idee {n}")
            ContentItem.objects.filter(pk=item.pk).update(created_at=when)
        else:
            task = RoleTask.objects.create(organisation=org, title=f"Taak {n}")
            done = content.complete_task(membership, task)
            TaskCompletion.objects.filter(pk=done.pk).update(done_at=when)


def test_nobody_is_an_activity_candidate_without_activity(cast):
    assert network.activity_candidates(cast.a.org) == []


def test_a_member_with_three_ideas_or_tasks_is_an_activity_candidate(cast):
    webcare, editor = cast.a[Role.WEBCARE], cast.a[Role.EDITOR]
    _contribute(webcare, 3)
    _contribute(editor, 2)  # below the threshold
    _contribute(cast.a[Role.MANAGER], 3, days_ago=100)  # too long ago
    _contribute(cast.b[Role.EMPLOYEE], 3)  # another organisation
    assert network.activity_candidates(cast.a.org) == [webcare]


def test_a_member_already_in_the_network_is_no_activity_candidate(cast):
    waves = make_waves(cast.a.org)
    _contribute(waves.candidate.membership, 4)
    assert network.activity_candidates(cast.a.org) == []


def test_advisors_are_no_activity_candidates(cast):
    advisor = cast.a[Role.ADVISOR]
    # Advisors cannot submit ideas or do tasks; even rows credited to them do not count.
    for n in range(3):
        ContentItem.objects.create(
            organisation=cast.a.org, title=f"Idee {n}", submitted_by=advisor.user
        )
    assert network.activity_candidates(cast.a.org) == []


def test_manual_proposal(owner_client, cast):
    webcare = cast.a[Role.WEBCARE]
    response = owner_client.post(_url(cast, "ambassador_propose"), {"membership": webcare.pk})
    assert response.status_code == 302
    ambassador = Ambassador.objects.get(membership=webcare)
    assert (ambassador.source, ambassador.status) == (
        AmbassadorSource.MANUAL,
        AmbassadorStatus.CANDIDATE,
    )
    event = AuditEvent.objects.for_org(cast.a.org).get(action=Action.AMBASSADOR_PROPOSED)
    assert event.actor == cast.a[Role.OWNER].user
    assert event.details == {"ambassador": ambassador.pk, "volunteered": False}


def test_another_organisations_member_cannot_be_proposed(owner_client, cast):
    before = fingerprint()
    response = owner_client.post(
        _url(cast, "ambassador_propose"), {"membership": cast.b[Role.EMPLOYEE].pk}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert fingerprint() == before
    with pytest.raises(ValidationError):
        network.propose_ambassador(
            cast.a.org, membership=cast.b[Role.EMPLOYEE], by=cast.a[Role.OWNER].user
        )


def test_a_member_in_the_network_cannot_be_proposed_again(owner_client, cast):
    waves = make_waves(cast.a.org)
    response = owner_client.post(
        _url(cast, "ambassador_propose"), {"membership": waves.candidate.membership_id}
    )
    assert response.status_code == 400
    assert Ambassador.objects.filter(membership=cast.a[Role.EMPLOYEE]).count() == 1


def test_advisors_are_not_ambassadors(client, cast):
    advisor = cast.a[Role.ADVISOR]
    with pytest.raises(ValidationError):
        network.propose_ambassador(cast.a.org, membership=advisor, by=cast.a[Role.OWNER].user)
    response = _login(client, advisor).post(_url(cast, "my_ambassador"), {"action": "volunteer"})
    assert response.status_code == 400
    assert not Ambassador.objects.filter(membership=advisor).exists()


# --- teams and invitations ------------------------------------------------------------


def test_team_create(owner_client, cast):
    response = owner_client.post(
        _url(cast, "team_create"), {"name": "Klantverhalen", "description": "Cases delen"}
    )
    assert response.status_code == 302
    team = AmbassadorTeam.objects.get(organisation=cast.a.org)
    assert (team.name, team.description) == ("Klantverhalen", "Cases delen")
    assert AuditEvent.objects.filter(action=Action.AMBASSADOR_TEAM_CREATED).count() == 1

    response = owner_client.post(_url(cast, "team_create"), {"name": "klantverhalen"})
    assert response.status_code == 400
    assert "There is already a team with this name." in response.content.decode()
    assert AmbassadorTeam.objects.filter(organisation=cast.a.org).count() == 1


def test_invite_sends_mail_and_the_member_accepts(owner_client, cast, sent_after_commit):
    waves = make_waves(cast.a.org)
    team = _team(cast.a.org)
    with sent_after_commit():
        response = owner_client.post(
            _url(cast, "ambassador_invite", waves.candidate.pk), {"team": team.pk}
        )
    assert response.status_code == 302
    ambassador = Ambassador.objects.get(pk=waves.candidate.pk)
    assert ambassador.status == AmbassadorStatus.INVITED
    assert ambassador.team == team and ambassador.invited_at is not None

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    employee = cast.a[Role.EMPLOYEE]
    assert message.to == [employee.user.email]
    assert _url(cast, "my_ambassador") in message.body
    assert "Klantverhalen" in message.body

    member = _english_client(employee)
    page = member.get(_url(cast, "my_ambassador")).content.decode()
    assert "You are invited to ambassador team Klantverhalen" in page
    response = member.post(_url(cast, "my_ambassador"), {"action": "accept"})
    assert response.status_code == 302
    ambassador.refresh_from_db()
    assert ambassador.status == AmbassadorStatus.ACTIVE and ambassador.joined_at is not None
    assert "Your ambassador profile" in member.get(_url(cast, "my_ambassador")).content.decode()
    assert AuditEvent.objects.filter(action=Action.AMBASSADOR_JOINED, actor=employee.user).exists()


def test_the_invitation_is_in_the_organisations_language(owner_client, cast, sent_after_commit):
    cast.a.org.default_language = "en"
    cast.a.org.save()
    waves = make_waves(cast.a.org)
    team = _team(cast.a.org)
    with sent_after_commit():
        owner_client.post(_url(cast, "ambassador_invite", waves.candidate.pk), {"team": team.pk})
    assert "invites you to the ambassador team" in mail.outbox[0].subject


def test_the_member_declines(client, cast):
    employee = cast.a[Role.EMPLOYEE]
    _ambassador(employee, team=_team(cast.a.org), status=AmbassadorStatus.INVITED)
    response = _login(client, employee).post(_url(cast, "my_ambassador"), {"action": "decline"})
    assert response.status_code == 302
    ambassador = Ambassador.objects.get(membership=employee)
    assert ambassador.status == AmbassadorStatus.DECLINED and ambassador.team is None
    assert AuditEvent.objects.filter(action=Action.AMBASSADOR_DECLINED).count() == 1
    # An answered invitation cannot be accepted afterwards.
    response = client.post(_url(cast, "my_ambassador"), {"action": "accept"})
    assert response.status_code == 400
    ambassador.refresh_from_db()
    assert ambassador.status == AmbassadorStatus.DECLINED


def test_only_a_candidate_can_be_invited(owner_client, cast, sent_after_commit):
    employee = cast.a[Role.EMPLOYEE]
    team = _team(cast.a.org)
    ambassador = _ambassador(employee, team=team, status=AmbassadorStatus.ACTIVE)
    with sent_after_commit():
        response = owner_client.post(
            _url(cast, "ambassador_invite", ambassador.pk), {"team": team.pk}
        )
    assert response.status_code == 400
    assert "was not invited" in response.content.decode()
    assert mail.outbox == []
    ambassador.refresh_from_db()
    assert ambassador.status == AmbassadorStatus.ACTIVE


def test_a_candidate_cannot_be_invited_to_another_organisations_team(owner_client, cast):
    waves = make_waves(cast.a.org)
    foreign = _team(cast.b.org)
    response = owner_client.post(
        _url(cast, "ambassador_invite", waves.candidate.pk), {"team": foreign.pk}
    )
    assert response.status_code == 400
    waves.candidate.refresh_from_db()
    assert waves.candidate.status == AmbassadorStatus.CANDIDATE


def test_only_the_member_answers_their_own_invitation(cast):
    ambassador = _ambassador(
        cast.a[Role.EMPLOYEE], team=_team(cast.a.org), status=AmbassadorStatus.INVITED
    )
    with pytest.raises(ValidationError):
        network.accept_ambassador_invitation(ambassador, by=cast.a[Role.OWNER].user)
    ambassador.refresh_from_db()
    assert ambassador.status == AmbassadorStatus.INVITED


# --- the member's own page ------------------------------------------------------------


def test_profile_edit(client, cast):
    employee = cast.a[Role.EMPLOYEE]
    ambassador = _ambassador(employee, team=_team(cast.a.org), status=AmbassadorStatus.ACTIVE)
    member = _login(client, employee)
    page = member.get(_url(cast, "my_ambassador")).content.decode()
    assert "LinkedIn" in page and "YouTube" in page and "TikTok" in page

    response = member.post(
        _url(cast, "my_ambassador"),
        {"action": "profile", "interests": " Duurzaamheid ", "channels": ["mastodon", "linkedin"]},
    )
    assert response.status_code == 302
    ambassador.refresh_from_db()
    assert ambassador.interests == "Duurzaamheid"
    assert ambassador.channels == ["linkedin", "mastodon"]

    response = member.post(
        _url(cast, "my_ambassador"),
        {"action": "profile", "interests": "x", "channels": ["myspace"]},
    )
    assert response.status_code == 400
    ambassador.refresh_from_db()
    assert ambassador.channels == ["linkedin", "mastodon"]


def test_an_ambassador_can_leave(client, cast):
    employee = cast.a[Role.EMPLOYEE]
    ambassador = _ambassador(employee, team=_team(cast.a.org), status=AmbassadorStatus.ACTIVE)
    response = _login(client, employee).post(_url(cast, "my_ambassador"), {"action": "leave"})
    assert response.status_code == 302
    ambassador.refresh_from_db()
    assert ambassador.status == AmbassadorStatus.DECLINED and ambassador.team is None
    event = AuditEvent.objects.get(action=Action.AMBASSADOR_DECLINED)
    assert event.details == {"ambassador": ambassador.pk, "was": "active"}


def test_only_an_active_ambassador_edits_a_profile(client, cast):
    employee = cast.a[Role.EMPLOYEE]
    ambassador = _ambassador(employee)
    response = _login(client, employee).post(
        _url(cast, "my_ambassador"), {"action": "profile", "interests": "x"}
    )
    assert response.status_code == 400
    ambassador.refresh_from_db()
    assert ambassador.interests == ""


def test_a_member_puts_their_name_forward(client, cast):
    webcare = cast.a[Role.WEBCARE]
    member = _login(client, webcare)
    page = member.get(_url(cast, "my_ambassador")).content.decode()
    assert "What an ambassador does" in page and "Put my name forward" in page
    response = member.post(_url(cast, "my_ambassador"), {"action": "volunteer"})
    assert response.status_code == 302
    ambassador = Ambassador.objects.get(membership=webcare)
    assert (ambassador.source, ambassador.status) == (
        AmbassadorSource.VOLUNTEERED,
        AmbassadorStatus.CANDIDATE,
    )
    event = AuditEvent.objects.get(action=Action.AMBASSADOR_PROPOSED)
    assert event.actor == webcare.user and event.details["volunteered"] is True
    assert "Your name is on the list" in member.get(_url(cast, "my_ambassador")).content.decode()
    owner = _english_client(cast.a[Role.OWNER])
    team_page = owner.get(_url(cast, "ambassadors")).content.decode()
    assert "Volunteered on their ambassador page" in team_page
    # Twice is once.
    assert member.post(_url(cast, "my_ambassador"), {"action": "volunteer"}).status_code == 400
    assert Ambassador.objects.filter(membership=webcare).count() == 1


def test_a_member_who_declined_can_volunteer_again(client, cast):
    employee = cast.a[Role.EMPLOYEE]
    ambassador = _ambassador(employee, source=AmbassadorSource.SURVEY, status="declined")
    member = _login(client, employee)
    assert "You declined earlier" in member.get(_url(cast, "my_ambassador")).content.decode()
    assert member.post(_url(cast, "my_ambassador"), {"action": "volunteer"}).status_code == 302
    ambassador.refresh_from_db()
    assert (ambassador.status, ambassador.source) == (
        AmbassadorStatus.CANDIDATE,
        AmbassadorSource.VOLUNTEERED,
    )


def test_unknown_action_is_a_bad_request(client, cast):
    response = _login(client, cast.a[Role.EMPLOYEE]).post(
        _url(cast, "my_ambassador"), {"action": "promote"}
    )
    assert response.status_code == 400
    assert not Ambassador.objects.exists()


# --- the team's overview --------------------------------------------------------------


def test_teams_show_their_departments_and_the_gaps(owner_client, cast):
    service = make_department(cast.a.org, "Service")
    make_member(cast.a.org, Role.EMPLOYEE, email="piet@org-a.example", department=service)
    finance = make_department(cast.a.org, "Financiën")
    sam = make_member(cast.a.org, Role.EMPLOYEE, email="sam@org-a.example", department=finance)
    team = _team(cast.a.org, "Werkgeversmerk")
    _ambassador(
        cast.a[Role.EMPLOYEE],
        team=team,
        status=AmbassadorStatus.ACTIVE,
        channels=["linkedin", "instagram"],
    )
    _ambassador(sam, team=team, status=AmbassadorStatus.INVITED)

    coverage = {
        row.name: row for row in network.coverage(cast.a.org, network.network_of(cast.a.org))
    }
    assert coverage["Verkoop"].is_covered and coverage["Verkoop"].active == 1
    assert not coverage["Service"].is_covered and coverage["Service"].members == 1
    assert coverage["Financiën"].invited == 1 and not coverage["Financiën"].is_covered
    # The departments that still need someone come first.
    assert list(coverage)[-1] == "Verkoop"

    page = owner_client.get(_url(cast, "ambassadors")).content.decode()
    assert "Werkgeversmerk" in page
    assert "LinkedIn, Instagram" in page
    assert "No ambassador yet: propose someone from here" in page
    assert page.index("Financiën") < page.index("Verkoop")


def test_ambassadors_page_query_count_does_not_grow(owner_client, cast):
    team = _team(cast.a.org)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert owner_client.get(_url(cast, "ambassadors")).status_code == 200
        return len(queries)

    _ambassador(cast.a[Role.EMPLOYEE], team=team, status=AmbassadorStatus.ACTIVE)
    count()  # the first visit also remembers the organisation in the session
    first = count()
    for n in range(4):
        member = make_member(cast.a.org, Role.EMPLOYEE, email=f"extra{n}@org-a.example")
        _ambassador(member, team=team if n % 2 else None, status="active" if n % 2 else "candidate")
    assert count() == first


@pytest.mark.parametrize("role", [Role.EDITOR, Role.WEBCARE, Role.EMPLOYEE, Role.ADVISOR])
def test_roles_without_support_manage_get_403(client, cast, role):
    waves = make_waves(cast.a.org)
    team = _team(cast.a.org)
    _login(client, cast.a[role])
    before = fingerprint()
    assert client.get(_url(cast, "ambassadors")).status_code == 403
    assert (
        client.post(_url(cast, "ambassador_propose"), {"membership": cast.a[role].pk}).status_code
        == 403
    )
    assert client.post(_url(cast, "team_create"), {"name": "Eigen team"}).status_code == 403
    assert (
        client.post(
            _url(cast, "ambassador_invite", waves.candidate.pk), {"team": team.pk}
        ).status_code
        == 403
    )
    assert fingerprint() == before


def test_another_organisation_gets_404(client, cast):
    waves = make_waves(cast.a.org)
    team = _team(cast.a.org)
    _login(client, cast.outsider)
    for name in (*MANAGE_URLS, "my_ambassador"):
        assert client.get(_url(cast, name)).status_code in {404, 405}
    response = client.post(_url(cast, "ambassador_invite", waves.candidate.pk), {"team": team.pk})
    assert response.status_code == 404
    # B's own address with A's candidate: still not found.
    url = reverse("support:ambassador_invite", args=[cast.b.org.slug, waves.candidate.pk])
    assert client.post(url, {"team": team.pk}).status_code == 404
    waves.candidate.refresh_from_db()
    assert waves.candidate.status == AmbassadorStatus.CANDIDATE
