"""The guideline library pages: reading, writing, acknowledging and the rates."""

from __future__ import annotations

from django.urls import reverse

from koers.guidelines import actions
from koers.guidelines.models import Acknowledgement, Guideline, GuidelineVersion
from koers.orgs.capabilities import Role
from koers.tests.cast import make_department, make_guideline


def url(name: str, org, **kwargs) -> str:
    return reverse(f"guidelines:{name}", kwargs={"org_slug": org.slug, **kwargs})


def form_data(**overrides) -> dict:
    data = {
        "title": "Geen klantgegevens",
        "kind": "personal_data",
        "severity": "block",
        "rationale": "Privacy van klanten.\r\nDe AVG geldt ook online.",
        "example": "Bel Jan op 06-12345678.",
        "origin": "Incident maart 2025",
        "terms": "",
        "detectors": ["phone", "bsn"],
        "allowed_domains": "",
        "disclosure_tags": "#ad #advertentie",
    }
    data.update(overrides)
    return data


def edit_data(guideline: Guideline, **overrides) -> dict:
    data = {
        "title": guideline.title,
        "kind": guideline.kind,
        "severity": guideline.severity,
        # As a browser sends a textarea back: CRLF line breaks.
        "rationale": guideline.rationale.replace("\n", "\r\n"),
        "example": guideline.example,
        "origin": guideline.origin,
        "terms": guideline.terms.replace("\n", "\r\n"),
        "detectors": guideline.detectors,
        "allowed_domains": guideline.allowed_domains,
        "disclosure_tags": guideline.disclosure_tags,
        "change_note": "",
    }
    if guideline.is_active:
        data["is_active"] = "on"
    data.update(overrides)
    return data


def login(client, membership):
    client.force_login(membership.user)
    return client


# --- the library ----------------------------------------------------------------------


def test_every_member_reads_the_library(client, cast):
    org = cast.a.org
    make_guideline(org, origin="Lek in 2024", example="Zeemeeuw komt eraan!")
    make_guideline(org, title="Oud", is_active=False)
    login(client, cast.a[Role.EMPLOYEE])

    response = client.get(url("library", org))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Geen projectnamen" in page
    assert "Nog niet aangekondigd." in page
    assert "Zeemeeuw komt eraan!" in page
    assert "Lek in 2024" in page
    assert "Blocks" in page
    assert "You have 1 guideline to read." in page
    assert url("acknowledge", org) in page
    assert "Oud" not in page
    assert url("create", org) not in page
    assert url("rates", org) not in page


def test_managers_see_the_writing_links(owner_client, cast):
    org = cast.a.org
    guideline = make_guideline(org)
    inactive = make_guideline(org, title="Uitgezet", is_active=False)

    page = owner_client.get(url("library", org)).content.decode()

    assert url("create", org) in page
    assert url("edit", org, pk=guideline.pk) in page
    assert url("rates", org) in page
    assert url("edit", org, pk=inactive.pk) in page


def test_library_without_guidelines(client, cast):
    login(client, cast.a[Role.EMPLOYEE])
    page = client.get(url("library", cast.a.org)).content.decode()
    assert "No guidelines yet" in page
    assert "You have read every guideline." in page


def test_detail_shows_the_version_history(owner_client, cast):
    org = cast.a.org
    owner = cast.a[Role.OWNER].user
    guideline = make_guideline(org)
    actions.update_guideline(
        guideline, by=owner, change_note="Nu ook de codenaam.", terms="Project Zeemeeuw\nZM-1"
    )

    response = owner_client.get(url("detail", org, pk=guideline.pk))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Version 2" in page and "Version 1" in page
    assert "Nu ook de codenaam." in page
    assert owner.email in page or owner.name in page
    assert "ZM-1" in page


# --- creating and editing -------------------------------------------------------------


def test_create_through_the_form(owner_client, cast):
    org = cast.a.org

    response = owner_client.post(url("create", org), form_data())

    guideline = Guideline.objects.for_org(org).get()
    assert response.status_code == 302
    assert response.url == url("detail", org, pk=guideline.pk)
    assert guideline.kind == "personal_data"
    assert guideline.severity == "block"
    assert guideline.rationale == "Privacy van klanten.\nDe AVG geldt ook online."
    assert guideline.detectors == ["bsn", "phone"]  # in the detectors' own order
    assert guideline.version == 1
    assert guideline.versions.get().changed_by == cast.a[Role.OWNER].user


def test_create_form_offers_the_detectors(owner_client, cast):
    page = owner_client.get(url("create", cast.a.org)).content.decode()
    for label in ("BSN", "IBAN", "KvK number", "Phone number", "E-mail address", "home address"):
        assert label in page
    assert 'value="#ad #advertentie' in page  # the default disclosure tags


def test_confidential_without_terms_is_refused(owner_client, cast):
    org = cast.a.org

    response = owner_client.post(
        url("create", org), form_data(kind="confidential", terms="  \r\n ", detectors=[])
    )

    assert response.status_code == 400
    assert "terms" in response.context["form"].errors
    assert not Guideline.objects.for_org(org).exists()
    assert not GuidelineVersion.objects.filter(organisation=org).exists()


def test_material_change_makes_a_new_version_to_acknowledge(owner_client, cast):
    org = cast.a.org
    employee = cast.a[Role.EMPLOYEE]
    guideline = make_guideline(org)
    actions.acknowledge(employee, guideline.versions.get())
    assert actions.pending_for(employee) == []

    response = owner_client.post(
        url("edit", org, pk=guideline.pk),
        edit_data(guideline, severity="warn", change_note="Minder streng."),
    )

    assert response.status_code == 302
    guideline.refresh_from_db()
    assert guideline.version == 2
    assert guideline.severity == "warn"
    latest = guideline.versions.get(number=2)
    assert latest.change_note == "Minder streng."
    assert latest.changed_by == cast.a[Role.OWNER].user
    assert actions.pending_for(employee) == [latest]


def test_unchanged_form_and_origin_change_keep_the_version(owner_client, cast):
    org = cast.a.org
    guideline = make_guideline(org, rationale="Twee regels.\nTweede regel.")

    unchanged = owner_client.post(url("edit", org, pk=guideline.pk), edit_data(guideline))
    origin_only = owner_client.post(
        url("edit", org, pk=guideline.pk), edit_data(guideline, origin="Nieuwe herkomst")
    )

    assert unchanged.status_code == origin_only.status_code == 302
    guideline.refresh_from_db()
    assert guideline.version == 1
    assert guideline.origin == "Nieuwe herkomst"
    assert guideline.versions.count() == 1


def test_bad_edit_changes_nothing(owner_client, cast):
    org = cast.a.org
    guideline = make_guideline(org)

    response = owner_client.post(url("edit", org, pk=guideline.pk), edit_data(guideline, terms=""))

    assert response.status_code == 400
    assert "terms" in response.context["form"].errors
    guideline.refresh_from_db()
    assert guideline.terms == "Project Zeemeeuw"
    assert guideline.version == 1


def test_edit_form_is_filled_in(owner_client, cast):
    guideline = make_guideline(cast.a.org)
    response = owner_client.get(url("edit", cast.a.org, pk=guideline.pk))
    assert response.status_code == 200
    assert response.context["form"]["terms"].value() == "Project Zeemeeuw"
    assert response.context["form"]["is_active"].value() is True


def test_deactivating_a_guideline(owner_client, cast):
    org = cast.a.org
    guideline = make_guideline(org)
    data = edit_data(guideline)
    del data["is_active"]

    response = owner_client.post(url("edit", org, pk=guideline.pk), data)

    assert response.status_code == 302
    guideline.refresh_from_db()
    assert not guideline.is_active
    assert actions.pending_for(cast.a[Role.EMPLOYEE]) == []


# --- acknowledging --------------------------------------------------------------------


def test_acknowledge_flow(client, cast):
    org = cast.a.org
    employee = cast.a[Role.EMPLOYEE]
    first = make_guideline(org)
    make_guideline(org, title="Tweede", kind="abuse", terms="", example="Een voorbeeld.")
    login(client, employee)

    page = client.get(url("acknowledge", org)).content.decode()
    assert "Geen projectnamen" in page and "Tweede" in page and "Een voorbeeld." in page
    assert page.count("I have read this") == 2

    version = first.versions.get()
    response = client.post(url("acknowledge", org), {"version": version.pk}, follow=True)
    assert response.status_code == 200
    assert "you have read “Geen projectnamen”" in response.content.decode()
    assert len(actions.pending_for(employee)) == 1

    # A double click is harmless.
    again = client.post(url("acknowledge", org), {"version": version.pk})
    assert again.status_code == 302
    assert Acknowledgement.objects.filter(membership=employee, version=version).count() == 1

    for pending in actions.pending_for(employee):
        client.post(url("acknowledge", org), {"version": pending.pk})
    page = client.get(url("acknowledge", org)).content.decode()
    assert "Nothing to read" in page
    assert "You have read every guideline." in client.get(url("library", org)).content.decode()


def test_acknowledge_shows_the_change_note(client, cast):
    org = cast.a.org
    guideline = make_guideline(org)
    actions.update_guideline(guideline, by=None, change_note="Strenger nu.", severity="block")
    actions.update_guideline(guideline, by=None, change_note="Nieuwe reden.", rationale="Anders.")
    login(client, cast.a[Role.EMPLOYEE])

    page = client.get(url("acknowledge", org)).content.decode()

    assert "Nieuwe reden." in page
    assert "What changed in version 2:" in page


def test_acknowledging_another_organisations_version_is_404(client, cast):
    theirs = make_guideline(cast.b.org).versions.get()
    employee = cast.a[Role.EMPLOYEE]
    login(client, employee)

    response = client.post(url("acknowledge", cast.a.org), {"version": theirs.pk})

    assert response.status_code == 404
    assert not Acknowledgement.objects.exists()


def test_acknowledge_without_a_version_is_a_bad_request(client, cast):
    login(client, cast.a[Role.EMPLOYEE])
    response = client.post(url("acknowledge", cast.a.org), {"version": "x"})
    assert response.status_code == 400
    assert not Acknowledgement.objects.exists()


# --- rates ----------------------------------------------------------------------------


def test_rates_as_percentages(owner_client, cast):
    org = cast.a.org
    guideline = make_guideline(org)
    version = guideline.versions.get()
    # Six members count (advisors aside): the employee moves to a department of
    # their own; three of the five in Verkoop acknowledge.
    employee = cast.a[Role.EMPLOYEE]
    employee.department = make_department(org, "Zorg")
    employee.save()
    for role in (Role.OWNER, Role.MANAGER, Role.EDITOR):
        actions.acknowledge(cast.a[role], version)

    response = owner_client.get(url("rates", org))

    assert response.status_code == 200
    page = response.content.decode()
    _overall, departments = actions.acknowledgement_rates(org)
    assert "Verkoop" in page and "Zorg" in page
    assert departments == {"Verkoop": 0.6, "Zorg": 0.0}
    assert "<td>50%</td>" in page  # three of six overall
    assert "<td>60%</td>" in page
    assert "<td>0%</td>" in page


def test_rates_without_guidelines(owner_client, cast):
    page = owner_client.get(url("rates", cast.a.org)).content.decode()
    assert "Nothing to acknowledge yet" in page


# --- who may do what ------------------------------------------------------------------


def test_employee_may_read_and_acknowledge_but_not_write(client, cast):
    org = cast.a.org
    guideline = make_guideline(org)
    employee = cast.a[Role.EMPLOYEE]
    login(client, employee)

    assert client.get(url("create", org)).status_code == 403
    assert client.post(url("create", org), form_data()).status_code == 403
    assert client.get(url("edit", org, pk=guideline.pk)).status_code == 403
    assert (
        client.post(url("edit", org, pk=guideline.pk), edit_data(guideline, title="X")).status_code
        == 403
    )
    assert client.get(url("rates", org)).status_code == 403
    assert Guideline.objects.for_org(org).get().title == "Geen projectnamen"

    assert client.get(url("library", org)).status_code == 200
    assert client.get(url("detail", org, pk=guideline.pk)).status_code == 200
    response = client.post(url("acknowledge", org), {"version": guideline.versions.get().pk})
    assert response.status_code == 302
    assert actions.pending_for(employee) == []


def test_strategist_may_write(client, cast):
    login(client, cast.a[Role.STRATEGIST])
    response = client.post(url("create", cast.a.org), form_data())
    assert response.status_code == 302
    assert Guideline.objects.for_org(cast.a.org).count() == 1


def test_library_query_count(client, cast, django_assert_max_num_queries):
    org = cast.a.org
    for n in range(5):
        make_guideline(org, title=f"Regel {n}")
    login(client, cast.a[Role.EMPLOYEE])
    client.get(url("library", org))  # warm the session
    with django_assert_max_num_queries(15):
        assert client.get(url("library", org)).status_code == 200


def test_only_the_social_media_team_sees_the_confidential_terms(client, cast):
    from django.urls import reverse

    guideline = make_guideline(cast.a.org, terms="Project Zeemeeuw")
    url_ = reverse("guidelines:detail", args=[cast.a.org.slug, guideline.pk])
    client.force_login(cast.a[Role.EMPLOYEE].user)
    assert "Project Zeemeeuw" not in client.get(url_).content.decode()
    client.force_login(cast.a[Role.STRATEGIST].user)
    assert "Project Zeemeeuw" in client.get(url_).content.decode()
