"""Invitations: sending, accepting, and every way a link can be wrong."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from koers.accounts.models import User
from koers.audit.models import Action, AuditEvent
from koers.orgs import actions
from koers.orgs.capabilities import Role
from koers.orgs.models import Invitation, Membership, find_invitation
from koers.tests.cast import PASSWORD, make_invitation

pytestmark = pytest.mark.django_db


def _link_from_mail() -> str:
    assert mail.outbox, "no e-mail was sent"
    match = re.search(r"http://\S+/invitation/\S+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_owner_invites_through_the_members_page(owner_client, cast, sent_after_commit):
    with sent_after_commit():
        response = owner_client.post(
            reverse("orgs:invite", args=[cast.a.org.slug]),
            {"email": "Nieuw.Lid@Example.NL", "role": "editor", "department": cast.a.department.pk},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nieuw.lid@example.nl")
    assert (invitation.role, invitation.department) == ("editor", cast.a.department)
    assert invitation.sent_at is not None, "the task ran and claimed the invitation"
    message = mail.outbox[-1]
    assert message.to == ["nieuw.lid@example.nl"]
    assert "Organisatie A" in message.subject
    assert find_invitation(_path(_link_from_mail()).split("/")[2]) == invitation
    event = AuditEvent.objects.get(action=Action.INVITATION_SENT)
    assert (event.organisation, event.target) == (cast.a.org, "nieuw.lid@example.nl")
    assert event.actor == cast.a[Role.OWNER].user and event.ip_address == "127.0.0.1"


def test_inviting_a_member_again_is_refused_with_a_clear_message(owner_client, cast):
    member_email = cast.a[Role.EDITOR].user.email
    count = Invitation.objects.count()
    response = owner_client.post(
        reverse("orgs:invite", args=[cast.a.org.slug]),
        {"email": member_email.upper(), "role": "employee"},
    )
    assert response.status_code == 400
    assert f"{member_email} is already a member of Organisatie A" in response.content.decode()
    assert Invitation.objects.count() == count


def test_a_department_of_another_organisation_is_refused(owner_client, cast):
    response = owner_client.post(
        reverse("orgs:invite", args=[cast.a.org.slug]),
        {"email": "x@example.nl", "role": "employee", "department": cast.b.department.pk},
    )
    assert response.status_code == 400
    assert not Invitation.objects.filter(email="x@example.nl").exists()


def test_a_manager_cannot_invite_an_owner(client, cast):
    client.force_login(cast.a[Role.MANAGER].user)
    response = client.post(
        reverse("orgs:invite", args=[cast.a.org.slug]), {"email": "x@example.nl", "role": "owner"}
    )
    assert response.status_code == 400
    assert not Invitation.objects.filter(email="x@example.nl").exists()


def test_a_new_invitation_replaces_the_pending_one(cast):
    owner = cast.a[Role.OWNER].user
    first = actions.invite_member(cast.a.org, email="a@example.nl", role="employee", by=owner)
    second = actions.invite_member(cast.a.org, email="a@example.nl", role="editor", by=owner)
    first.refresh_from_db()
    assert first.status == "revoked" and second.status == "pending"


def test_newcomer_accepts_sets_a_password_and_is_logged_in(client, cast, sent_after_commit):
    with sent_after_commit():
        invitation = actions.invite_member(
            cast.a.org,
            email="nieuw@example.nl",
            role="webcare",
            by=cast.a[Role.OWNER].user,
            department=cast.a.department,
        )
    path = _path(_link_from_mail())
    page = client.get(path)
    assert page.status_code == 200 and "nieuw@example.nl" in page.content.decode()

    response = client.post(
        path, {"name": "Nina Nieuw", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home:dashboard", args=[cast.a.org.slug])
    user = User.objects.get(email="nieuw@example.nl")
    assert user.name == "Nina Nieuw" and user.check_password(PASSWORD)
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role, membership.department) == (
        cast.a.org,
        "webcare",
        cast.a.department,
    )
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert client.get(reverse("home:dashboard", args=[cast.a.org.slug])).status_code == 200


def test_bad_passwords_create_nothing(client, cast):
    invitation = make_invitation(cast.a.org, email="nieuw@example.nl")
    path = reverse("orgs:invitation_accept", args=[invitation.token])
    response = client.post(path, {"name": "N", "password1": "kort", "password2": "anders"})
    assert response.status_code == 400
    assert "The two passwords differ." in response.content.decode()
    response = client.post(
        path, {"name": "N", "password1": "12345678901", "password2": "12345678901"}
    )
    assert response.status_code == 400
    assert not User.objects.filter(email="nieuw@example.nl").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_used_link_gets_a_clear_page(client, cast):
    invitation = make_invitation(cast.a.org, email="nieuw@example.nl")
    path = reverse("orgs:invitation_accept", args=[invitation.token])
    client.post(path, {"name": "N", "password1": PASSWORD, "password2": PASSWORD})
    client.logout()
    client.cookies["koers_language"] = "en"  # logout clears every cookie
    response = client.get(path)
    assert response.status_code == 410
    assert "This invitation was already used" in response.content.decode()
    assert Membership.objects.filter(user__email="nieuw@example.nl").count() == 1


def test_an_expired_link_gets_a_clear_page(client, cast):
    invitation = make_invitation(cast.a.org, expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(
        reverse("orgs:invitation_accept", args=[invitation.token]),
        {"name": "N", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()


def test_a_withdrawn_link_gets_a_clear_page(client, cast):
    invitation = make_invitation(cast.a.org)
    actions.revoke_invitation(invitation, by=cast.a[Role.OWNER].user)
    response = client.get(reverse("orgs:invitation_accept", args=[invitation.token]))
    assert response.status_code == 410
    assert "This invitation was withdrawn" in response.content.decode()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "not-a-token",
    ],
)
def test_a_tampered_link_gets_a_clear_page(client, cast, mangle):
    invitation = make_invitation(cast.a.org)
    response = client.get(reverse("orgs:invitation_accept", args=[mangle(invitation.token)]))
    assert response.status_code == 400
    assert "This invitation link is not valid" in response.content.decode()


def test_a_link_from_a_replaced_key_is_invalid(client, cast):
    invitation = make_invitation(cast.a.org)
    token = invitation.token
    Invitation.objects.filter(pk=invitation.pk).update(key="another-key")
    response = client.get(reverse("orgs:invitation_accept", args=[token]))
    assert response.status_code == 400


def test_someone_else_logged_in_gets_a_clear_page_and_nothing_changes(client, cast):
    invitation = make_invitation(cast.a.org, email="bedoeld@example.nl")
    client.force_login(cast.b[Role.EDITOR].user)
    path = reverse("orgs:invitation_accept", args=[invitation.token])
    response = client.post(path)
    assert response.status_code == 400
    text = response.content.decode()
    assert "This invitation is for someone else" in text and "bedoeld@example.nl" in text
    assert not Membership.objects.filter(
        organisation=cast.a.org, user=cast.b[Role.EDITOR].user
    ).exists()


def test_an_existing_account_logs_in_first_then_accepts(client, cast):
    person = cast.b[Role.EDITOR].user
    invitation = make_invitation(cast.a.org, email=person.email, role=Role.ADVISOR)
    path = reverse("orgs:invitation_accept", args=[invitation.token])
    response = client.post(path, {"name": "Kaper", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 200 and "Log in first" in response.content.decode()
    assert not Membership.objects.filter(organisation=cast.a.org, user=person).exists()

    client.force_login(person)
    response = client.post(path)
    assert response.status_code == 302
    assert Membership.objects.get(organisation=cast.a.org, user=person).role == "advisor"
    # The advisor now belongs to two organisations and can switch between them.
    page = client.get(reverse("home:dashboard", args=[cast.b.org.slug])).content.decode()
    assert reverse("home:dashboard", args=[cast.a.org.slug]) in page


def test_accepting_twice_at_once_makes_one_membership(cast):
    invitation = make_invitation(cast.a.org, email="dubbel@example.nl")
    actions.accept_invitation(invitation, name="D", password=PASSWORD)
    with pytest.raises(actions.InvitationProblem) as problem:
        actions.accept_invitation(invitation, name="D", password=PASSWORD)
    assert problem.value.code == "used"
    assert Membership.objects.filter(user__email="dubbel@example.nl").count() == 1


def test_invitation_of_an_address_that_joined_meanwhile(cast):
    invitation = make_invitation(cast.a.org, email=cast.b[Role.EDITOR].user.email)
    actions.accept_invitation(invitation, user=cast.b[Role.EDITOR].user)
    with pytest.raises(ValidationError, match="already a member"):
        actions.invite_member(
            cast.a.org, email=invitation.email, role="employee", by=cast.a[Role.OWNER].user
        )


def test_resend_gives_a_fresh_link_and_the_old_one_stops(owner_client, cast):
    old = cast.a.invitation
    old_token = old.token
    response = owner_client.post(reverse("orgs:invitation_resend", args=[cast.a.org.slug, old.pk]))
    assert response.status_code == 302
    new = Invitation.objects.for_org(cast.a.org).pending().get(email=old.email)
    assert new.pk != old.pk
    assert owner_client.get(reverse("orgs:invitation_accept", args=[old_token])).status_code in {
        400,
        410,
    }


def test_mail_server_trouble_is_recorded_and_sent_on_retry(cast, settings, sent_after_commit):
    from koers.orgs.tasks import send_invitation

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    with sent_after_commit():
        actions.invite_member(
            cast.a.org, email="later@example.nl", role="employee", by=cast.a[Role.OWNER].user
        )
    invitation = Invitation.objects.get(email="later@example.nl")
    assert invitation.sent_at is None, "the claim is given back so a retry can send it"
    assert invitation.last_error.startswith("ConnectionRefusedError")

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_invitation.call_local(invitation.pk)
    invitation.refresh_from_db()
    assert invitation.sent_at and invitation.last_error == ""
    assert mail.outbox[-1].to == ["later@example.nl"]
    # A second run (a duplicate task) sends nothing more.
    assert send_invitation.call_local(invitation.pk) is False
    assert len(mail.outbox) == 1


def test_an_unreachable_queue_does_not_fail_the_invitation_and_the_sweep_sends_it(
    cast, sent_after_commit, monkeypatch
):
    from koers.orgs import tasks

    def queue_down(invitation_id):
        raise ConnectionError("queue unreachable")

    monkeypatch.setattr(tasks, "send_invitation", queue_down)
    with sent_after_commit():
        invitation = actions.invite_member(
            cast.a.org, email="later@example.nl", role="employee", by=cast.a[Role.OWNER].user
        )
    assert not mail.outbox
    monkeypatch.undo()

    assert tasks.sweep_unsent_invitations.call_local() == 0, "too fresh to sweep"
    Invitation.objects.filter(pk=invitation.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    assert tasks.sweep_unsent_invitations.call_local() == 1
    assert [m.to for m in mail.outbox] == [["later@example.nl"]]
    assert tasks.sweep_unsent_invitations.call_local() == 0, "sent ones stay sent"


def test_a_dead_workers_claim_expires_and_the_invitation_is_sent(cast):
    from koers.orgs import tasks

    invitation = make_invitation(cast.a.org, email="claimed@example.nl")
    Invitation.objects.filter(pk=invitation.pk).update(
        claimed_at=timezone.now(), created_at=timezone.now() - timedelta(hours=1)
    )
    assert tasks.send_invitation.call_local(invitation.pk) is False, "claimed by another"
    assert tasks.sweep_unsent_invitations.call_local() == 0

    Invitation.objects.filter(pk=invitation.pk).update(
        claimed_at=timezone.now() - tasks.CLAIM_LEASE - timedelta(seconds=1)
    )
    assert tasks.sweep_unsent_invitations.call_local() == 1
    invitation.refresh_from_db()
    assert invitation.sent_at and [m.to for m in mail.outbox] == [["claimed@example.nl"]]
