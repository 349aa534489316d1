"""`koers createorg`: how a real organisation starts."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from koers.orgs.models import Invitation, Organisation
from koers.tests.cast import PASSWORD

pytestmark = pytest.mark.django_db


def test_createorg_prints_an_owner_invitation_that_works(capsys, client, settings):
    settings.TIME_ZONE = "Europe/Brussels"
    call_command("createorg", "Bakkerij Bolk", "eigenaar@bolk.example", "--language", "en")
    out = capsys.readouterr().out
    org = Organisation.objects.get(slug="bakkerij-bolk")
    assert (org.default_language, org.time_zone) == ("en", "Europe/Brussels")
    invitation = Invitation.objects.get(organisation=org)
    assert invitation.role == "owner" and invitation.url in out
    response = client.post(
        reverse("orgs:invitation_accept", args=[invitation.token]),
        {"name": "Bep Bolk", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert org.memberships.get().role == "owner"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Naam", "geen-adres"], "is not an e-mail address"),
        (["  ", "a@b.example"], "Give the organisation a name"),
    ],
)
def test_createorg_refuses_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("createorg", *args)
    assert not Organisation.objects.exists()


def test_createorg_refuses_a_taken_slug():
    call_command("createorg", "Eerste", "a@b.example", "--slug", "bolk")
    with pytest.raises(CommandError, match="is taken"):
        call_command("createorg", "Tweede", "c@d.example", "--slug", "bolk")
    assert Organisation.objects.count() == 1
