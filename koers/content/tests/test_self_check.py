""" "Check my own post": the guideline check for a text meant for a personal account."""

import pytest
from django.urls import reverse

from koers.orgs.capabilities import Role
from koers.tests.test_tenancy import fingerprint

pytestmark = pytest.mark.django_db


def _url(cast):
    return reverse("content:self_check", args=[cast.a.org.slug])


def test_every_member_can_check_a_text(client, cast):
    client.force_login(cast.a[Role.EMPLOYEE].user)
    page = client.get(_url(cast))
    assert page.status_code == 200 and "not stored" in page.content.decode()
    response = client.post(_url(cast), {"text": "Mijn BSN is 111222333, bel 06-12345678."})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Do not post this yet" in html
    assert "a BSN (citizen service number): “111222333”" in html
    assert "a phone number: “06-12345678”" in html


def test_a_wrong_bsn_is_not_personal_data(client, cast):
    client.force_login(cast.a[Role.EMPLOYEE].user)
    html = client.post(_url(cast), {"text": "Bestelnummer 123456789 is onderweg."}).content
    assert b"Nothing found" in html


def test_the_text_is_not_stored(client, cast):
    client.force_login(cast.a[Role.EDITOR].user)
    before = fingerprint()
    client.post(_url(cast), {"text": "Geheim: IBAN NL91ABNA0417164300", "paid": "on"})
    assert fingerprint() == before


def test_paid_content_without_tag_and_lengths(client, cast):
    client.force_login(cast.a[Role.EMPLOYEE].user)
    text = "Probeer de nieuwe e-bike van @vandijk! 🚲 " * 10
    html = client.post(
        _url(cast), {"text": text, "paid": "on"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert not html.lstrip().startswith("<!DOCTYPE"), "htmx gets the result only"
    assert "paid content needs a tag" in html
    assert '<th scope="row">X</th><td>' in html and "too long" in html


def test_an_empty_text_is_refused(client, cast):
    client.force_login(cast.a[Role.EMPLOYEE].user)
    assert client.post(_url(cast), {"text": ""}).status_code == 400


def test_the_content_area_links_to_it(client, cast):
    client.force_login(cast.a[Role.EMPLOYEE].user)
    page = client.get(reverse("content:ideas", args=[cast.a.org.slug]))
    assert page.status_code == 200
    assert f'href="{_url(cast)}"' in page.content.decode()


def test_the_organisations_own_guidelines_apply_once_it_has_them(client, cast):
    from koers.tests.cast import make_guideline

    make_guideline(cast.a.org, terms="Project Zeemeeuw")
    client.force_login(cast.a[Role.EMPLOYEE].user)
    html = client.post(_url(cast), {"text": "Binnenkort: project-zeemeeuw!"}).content.decode()
    assert "a confidential term: “project-zeemeeuw”" in html
    assert "Do not post this yet" in html
