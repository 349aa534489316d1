"""The demo organisation: Van Dijk Fietsen B.V., a fictional Dutch bicycle maker in
Zwolle with 39 employees in 5 departments and an external advisor, every role present;
and a small second client of that advisor, so the organisation switcher has something
to switch to.

Deterministic: the same names, roles and departments every time. Later issues add
their demo data here (strategy, mentions, posts…).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from koers.content.demo import build_demo_content
from koers.guidelines.demo import build_demo_guidelines
from koers.listening.demo import build_demo_listening
from koers.orgs.capabilities import Role
from koers.orgs.models import Department, Membership, Organisation
from koers.strategy.demo import build_demo_strategy
from koers.support.demo import build_demo_waves

DEMO_PASSWORD = "koers-demo"  # noqa: S105  (printed on start; demo data only)
DEMO_SLUG = "van-dijk-fietsen"
SECOND_SLUG = "zorggroep-rivierenland"
DOMAIN = "vandijkfietsen.example"

# (department, [(first name, last name, role), ...])
STAFF: list[tuple[str, list[tuple[str, str, str]]]] = [
    (
        "Directie",
        [
            ("Marleen", "van Dijk", Role.OWNER),
            ("Joost", "van Dijk", Role.OWNER),
            ("Ingrid", "Bakker", Role.MANAGER),
        ],
    ),
    (
        "Marketing & Communicatie",
        [
            ("Sanne", "de Vries", Role.STRATEGIST),
            ("Daan", "Jansen", Role.EDITOR),
            ("Fleur", "Visser", Role.EDITOR),
            ("Thijs", "Smit", Role.EMPLOYEE),
            ("Noor", "Meijer", Role.EMPLOYEE),
            ("Bram", "de Boer", Role.EMPLOYEE),
            ("Lotte", "Mulder", Role.EMPLOYEE),
        ],
    ),
    (
        "Klantenservice",
        [
            ("Kevin", "de Groot", Role.MANAGER),
            ("Emma", "Bos", Role.WEBCARE),
            ("Yasmina", "El Amrani", Role.WEBCARE),
            ("Ruben", "Vos", Role.WEBCARE),
            ("Lisa", "Peters", Role.EMPLOYEE),
            ("Mehmet", "Yılmaz", Role.EMPLOYEE),
            ("Anouk", "Hendriks", Role.EMPLOYEE),
            ("Jeroen", "van Leeuwen", Role.EMPLOYEE),
        ],
    ),
    (
        "Productie & Werkplaats",
        [
            ("Henk", "Dekker", Role.MANAGER),
            ("Pieter", "Brouwer", Role.EMPLOYEE),
            ("Sven", "de Wit", Role.EMPLOYEE),
            ("Wouter", "Dijkstra", Role.EMPLOYEE),
            ("Kim", "Smits", Role.EMPLOYEE),
            ("Lars", "de Graaf", Role.EMPLOYEE),
            ("Gert", "van der Meer", Role.EMPLOYEE),
            ("Femke", "van der Linden", Role.EMPLOYEE),
            ("Tim", "Kok", Role.EMPLOYEE),
            ("Rik", "Jacobs", Role.EMPLOYEE),
            ("Sem", "de Haan", Role.EMPLOYEE),
            ("Dewi", "Wijaya", Role.EMPLOYEE),
            ("Milan", "Vermeulen", Role.EMPLOYEE),
            ("Stijn", "van den Berg", Role.EMPLOYEE),
            ("Bas", "van der Heijden", Role.EMPLOYEE),
        ],
    ),
    (
        "Financiën & HR",
        [
            ("Annelies", "Schouten", Role.MANAGER),
            ("Freek", "van Beek", Role.EMPLOYEE),
            ("Esther", "Willems", Role.EMPLOYEE),
            ("Oscar", "van Vliet", Role.EMPLOYEE),
            ("Iris", "Hoekstra", Role.EMPLOYEE),
            ("Nadia", "Maas", Role.EMPLOYEE),
        ],
    ),
]

ADVISOR = ("Carla", "Verhoeven", "carla.verhoeven@koersadvies.example")

SECOND_STAFF: list[tuple[str, list[tuple[str, str, str]]]] = [
    ("Bestuur", [("Wim", "Kuipers", Role.OWNER)]),
    (
        "Communicatie",
        [
            ("Laura", "Postma", Role.STRATEGIST),
            ("Hanna", "Koster", Role.EDITOR),
            ("Youssef", "Bakkali", Role.EMPLOYEE),
        ],
    ),
]


def _email(first: str, last: str, domain: str) -> str:
    local = f"{first}.{last}".lower().replace(" ", "").replace("ı", "i")
    return f"{local}@{domain}"


def _people(staff, domain):
    for department, people in staff:
        for first, last, role in people:
            yield department, first, last, role, _email(first, last, domain)


def _build(org_name: str, slug: str, staff, domain: str, password_hash: str) -> Organisation:
    User = get_user_model()
    org = Organisation.objects.create(name=org_name, slug=slug)
    departments = {
        name: Department.objects.create(organisation=org, name=name) for name, _ in staff
    }
    for department, first, last, role, email in _people(staff, domain):
        user, _created = User.objects.update_or_create(
            email=email,
            defaults={"name": f"{first} {last}", "password": password_hash, "is_active": True},
        )
        Membership.objects.create(
            user=user, organisation=org, role=role, department=departments[department]
        )
    return org


@transaction.atomic
def remove_demo() -> None:
    """Remove the demo organisations and their people."""
    User = get_user_model()
    Organisation.objects.filter(slug__in=[DEMO_SLUG, SECOND_SLUG]).delete()
    User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
    User.objects.filter(email__endswith="@zorggroeprivierenland.example").delete()
    User.objects.filter(email=ADVISOR[2]).delete()


def refresh_demo() -> Organisation:
    """Remove the demo organisations (and their people) and build them anew."""
    User = get_user_model()
    remove_demo()
    password_hash = make_password(DEMO_PASSWORD)
    org = _build("Van Dijk Fietsen B.V.", DEMO_SLUG, STAFF, DOMAIN, password_hash)
    second = _build(
        "Zorggroep Rivierenland",
        SECOND_SLUG,
        SECOND_STAFF,
        "zorggroeprivierenland.example",
        password_hash,
    )
    advisor = User.objects.create(
        email=ADVISOR[2], name=f"{ADVISOR[0]} {ADVISOR[1]}", password=password_hash
    )
    for organisation in (org, second):
        Membership.objects.create(user=advisor, organisation=organisation, role=Role.ADVISOR)
    build_demo_strategy(org)
    build_demo_waves(org)
    build_demo_guidelines(org)
    build_demo_content(org)
    build_demo_listening(org)
    return org


def ensure_demo() -> bool:
    """Build the demo on first start; returns whether it was built now."""
    if Organisation.objects.filter(slug=DEMO_SLUG).exists():
        return False
    refresh_demo()
    return True


def demo_logins() -> list[tuple[str, str]]:
    """One login per role, in role order: (role label, e-mail address)."""
    first_of_role: dict[str, str] = {}
    for _department, _first, _last, role, email in _people(STAFF, DOMAIN):
        first_of_role.setdefault(role, email)
    first_of_role[Role.ADVISOR] = ADVISOR[2]
    return [(str(role.label), first_of_role[role]) for role in Role]


def logins_text(url: str = "http://localhost:8000") -> str:
    lines = ["", f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    lines += [f"  {role:<18} {email}" for role, email in demo_logins()]
    lines.append(f"Open {url} and log in with one of them.")
    return "\n".join(lines) + "\n"
