"""The demo guidelines of Van Dijk Fietsen: five rules, one of them in its second
version, acknowledged by most but not all members (deterministic)."""

from __future__ import annotations

from koers.guidelines import actions
from koers.orgs.capabilities import Role
from koers.orgs.models import Membership

GUIDELINES = (
    {
        "title": "Geen namen van producten die nog niet zijn aangekondigd",
        "kind": "confidential",
        "severity": "block",
        "rationale": "Concurrenten lezen mee. Een lancering werkt alleen als wij het moment "
        "kiezen.",
        "example": "Niet: ‘Binnenkort komt Project Zeemeeuw!’ Wel: ‘Er komt iets moois aan.’",
        "origin": "Uitgelekte foto van het prototype, maart 2026",
        "terms": "Project Zeemeeuw\nZM-2027\nCargo Pro 2",
    },
    {
        "title": "Geen persoonsgegevens van klanten of collega's",
        "kind": "personal_data",
        "severity": "block",
        "rationale": "De AVG verbiedt het, en een klant die zijn telefoonnummer online ziet "
        "staan, komt niet terug.",
        "example": "Niet: ‘Meneer De Vries (06-…) haalde vandaag zijn fiets op.’",
        "origin": "AVG",
        "detectors": ["bsn", "iban", "phone", "email", "postcode"],
    },
    {
        "title": "Geen scheldwoorden, ook niet als grap",
        "kind": "abuse",
        "severity": "warn",
        "rationale": "Wat je als collega grappig vindt, leest een klant anders.",
        "example": "Een ‘kutdag’ in de werkplaats is voor een klant geen reclame.",
    },
    {
        "title": "Betaalde samenwerkingen altijd vermelden",
        "kind": "disclosure",
        "severity": "block",
        "rationale": "De Reclamecode Social Media vraagt het, en eerlijkheid loont.",
        "example": "‘Met dank aan @fietsbond voor de samenwerking #advertentie’",
        "origin": "Reclamecode Social Media & Influencer Marketing",
    },
    {
        "title": "Links alleen naar onze eigen site en die van partners",
        "kind": "links",
        "severity": "warn",
        "rationale": "Een link naar een onbekende site kan verkeerd uitpakken: phishing, "
        "concurrenten of verouderde pagina's.",
        "example": "Wel: vandijkfietsen.nl/proefrit",
        "allowed_domains": "vandijkfietsen.example\nfietsersbond.nl\nanwb.nl",
    },
)


def build_demo_guidelines(org) -> None:
    owner = Membership.objects.for_org(org).filter(role=Role.OWNER).first().user
    created = [actions.create_guideline(org, by=owner, **values) for values in GUIDELINES]
    # The abuse rule was made stricter after a post went wrong: version 2.
    actions.update_guideline(
        created[2],
        by=owner,
        severity="block",
        change_note="Na een bericht over een ‘kutdag’: nu blokkerend.",
    )
    versions = actions.current_versions(org)
    members = list(Membership.objects.for_org(org).exclude(role=Role.ADVISOR).order_by("pk"))
    # Every member but every fourth acknowledged everything; Productie & Werkplaats lags.
    for n, member in enumerate(members):
        lagging = member.department and member.department.name.startswith("Productie")
        if n % 4 == 0 or (lagging and n % 2 == 0):
            continue
        for version in versions:
            actions.acknowledge(member, version)
