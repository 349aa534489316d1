"""The strategy as a document to take away: Markdown and PDF, for any published or
earlier version, in the reader's language, audited."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from koers.audit.models import Action, AuditEvent
from koers.orgs.capabilities import Role
from koers.strategy import export
from koers.strategy.demo import build_demo_strategy
from koers.strategy.models import SocialGoal, StrategyVersion
from koers.strategy.playbooks import get_playbook
from koers.tests.cast import make_strategy

pytestmark = pytest.mark.django_db


def _url(name, org, number):
    return reverse(f"strategy:{name}", args=[org.slug, number])


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    # Words wrap inside table cells; compare with single spaces.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def demo_org(cast):
    build_demo_strategy(cast.a.org)
    return cast.a.org


def test_markdown_has_the_whole_strategy(client, cast, demo_org):
    client.force_login(cast.a[Role.EMPLOYEE].user)
    response = client.get(_url("export_markdown", demo_org, 2))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == ('attachment; filename="koers-strategy-org-a-v2.md"')
    text = response.content.decode()
    assert text.startswith("# Strategy of Organisatie A, version 2\n")
    for goal in SocialGoal.objects.filter(version__number=2, organisation=demo_org):
        assert goal.title in text
    assert "### Business goal 1: Meer vaste klanten door persoonlijke service" in text
    assert "#### Social goal: Ideeën en wensen van klanten ophalen" in text
    assert "##### Sub-goal: De e-bakfiets samen met gezinnen ontwerpen" in text
    assert "| Eerste reactietijd | 180 minutes | 60 minutes |" not in text  # units as written
    assert "| Eerste reactietijd | 180 minuten | 60 minuten | Lower is better |" in text
    assert "| Bereik van eigen berichten | 250,000 personen per maand |" in text
    assert "Signed off by owner@org-a.example on 4 March 2026." in text
    assert "- **WhatsApp**: Onderhoudsafspraken maken" in text
    assert "**Customer intimacy** (main)" in text and "**Product leadership** (second)" in text
    assert "## Roles" in text and "### Role of webcare" in text and "### KPI owners" in text
    assert "## Content pillars" in text and "- **Uit de werkplaats**:" in text
    assert "## What changed in this version" in text


def test_markdown_of_an_unsigned_earlier_version_says_so(client, cast, demo_org):
    StrategyVersion.objects.filter(organisation=demo_org, number=1).update(
        signed_off_by=None, signed_off_at=None
    )
    client.force_login(cast.a[Role.EMPLOYEE].user)
    text = client.get(_url("export_markdown", demo_org, 1)).content.decode()
    assert "*Earlier version, not the current strategy.*" in text
    assert "**Not signed off by management yet.**" in text
    assert "| Eerste reactietijd | 180 minuten | 90 minuten |" in text
    assert "Testritten" not in text and "- **X**: " in text


def test_markdown_headings_follow_the_readers_language(cast, demo_org):
    dutch = Client()
    dutch.force_login(cast.a[Role.EMPLOYEE].user)
    text = dutch.get(_url("export_markdown", demo_org, 2)).content.decode()
    assert "250.000 personen per maand" in text and "1 jan 2026 – 31 dec 2026" in text
    # The discipline's meaning is in Dutch (the headings follow the catalogue).
    assert get_playbook("customer_intimacy").summary.nl in text


def test_markdown_keeps_the_organisations_text_in_its_place():
    assert export._md_cell("A | B\nC") == "A \\| B C"
    assert export._md_inline("  twee\nregels ") == "twee regels"


def test_pdf_contains_the_goals_and_targets(client, cast, demo_org):
    client.force_login(cast.a[Role.EMPLOYEE].user)
    response = client.get(_url("export_pdf", demo_org, 2))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == ('attachment; filename="koers-strategy-org-a-v2.pdf"')
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    assert "Organisatie A" in text
    for goal in SocialGoal.objects.filter(version__number=2, organisation=demo_org):
        assert goal.title in text, goal.title
    assert "Eerste reactietijd" in text and "60 minuten" in text
    assert "Signed off by owner@org-a.example on 4 March 2026." in text
    assert "Onderhoudsafspraken maken" in text  # a channel's purpose


def test_pdf_of_a_small_strategy(client, cast):
    make_strategy(cast.a.org, by=cast.a[Role.OWNER].user)
    client.force_login(cast.a[Role.ADVISOR].user)
    text = _pdf_text(client.get(_url("export_pdf", cast.a.org, 1)).content)
    assert "Klantwensen ophalen" in text and "Ideeën van klanten" in text and "40 aantal" in text


def test_pdf_loads_nothing_from_outside(cast, monkeypatch):
    strategy = make_strategy(cast.a.org, by=cast.a[Role.OWNER].user)
    fetched = []
    document = export.load_document(strategy.published)
    html = export.render_html(document)
    assert "http://" not in html and "https://" not in html and "src=" not in html
    # Even content that names a remote image is not fetched.
    monkeypatch.setattr(
        export,
        "render_html",
        lambda d: html.replace("</body>", '<img src="https://example.com/x.png"></body>'),
    )
    import urllib.request

    monkeypatch.setattr(
        urllib.request.OpenerDirector,
        "open",
        lambda *a, **k: fetched.append(a) or pytest.fail("fetched"),
    )
    assert export.render_pdf(document).startswith(b"%PDF")
    assert fetched == []


def test_every_export_is_audited(client, cast, demo_org):
    employee = cast.a[Role.EMPLOYEE]
    client.force_login(employee.user)
    client.get(_url("export_pdf", demo_org, 2))
    client.get(_url("export_markdown", demo_org, 1))
    events = AuditEvent.objects.filter(organisation=demo_org, action=Action.EXPORT)
    assert sorted(events.values_list("target", flat=True)) == ["strategy v1 md", "strategy v2 pdf"]
    assert all(e.actor == employee.user for e in events)


def test_a_draft_cannot_be_exported(client, cast):
    make_strategy(cast.a.org, by=cast.a[Role.OWNER].user)
    client.force_login(cast.a[Role.OWNER].user)
    for name in ("export_pdf", "export_markdown"):
        assert client.get(_url(name, cast.a.org, 2)).status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
