"""The tenancy walker: every URL of the project, every role, no leaks.

For each URL pattern it proves that
- a member of organisation B gets 404 for organisation A's pages and objects (also
  when B's own address is combined with A's object ids), and nothing changes;
- a member of A whose role lacks the view's capability gets 403, and nothing changes;
- a member of A with the capability gets through (so the 404s above mean something).

Every view must declare how it is protected (``org_view``, ``public_view`` or a
``koers_access`` marker); every organisation view needs a recipe below that points it at
real objects of the organisation. A new URL without either fails this test, so later
issues are covered automatically. The REST API is walked the same way, per operation.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from koers.api.api import api
from koers.orgs.capabilities import ROLE_CAPABILITIES, Role, roles_without
from koers.tests.cast import (
    make_alerts,
    make_content,
    make_guideline,
    make_listening,
    make_publishing,
    make_strategy,
    make_token,
    make_waves,
)

# URL name → the non-organisation kwargs, built from the organisation's cast.
RECIPES = {
    "home:dashboard": lambda c: {},
    **{
        f"home:{area}": (lambda c: {})
        for area in (
            "publishing",
            "signals",
            "webcare",
            "measurement",
        )
    },
    "orgs:members": lambda c: {},
    "orgs:invite": lambda c: {},
    "orgs:member_edit": lambda c: {"pk": c[Role.EMPLOYEE].pk},
    "orgs:member_remove": lambda c: {"pk": c[Role.EMPLOYEE].pk},
    "orgs:invitation_revoke": lambda c: {"pk": c.invitation.pk},
    "orgs:invitation_resend": lambda c: {"pk": c.invitation.pk},
    "orgs:departments": lambda c: {},
    "orgs:department_create": lambda c: {},
    "orgs:department_edit": lambda c: {"pk": c.department.pk},
    "orgs:department_delete": lambda c: {"pk": c.department.pk},
    "orgs:settings": lambda c: {},
    "audit:log": lambda c: {},
    "audit:export": lambda c: {},
    "api_tokens:list": lambda c: {},
    "api_tokens:revoke": lambda c: {"pk": c.token.pk},
    "support:dashboard": lambda c: {},
    "support:trend_chart": lambda c: {},
    "support:wave_results": lambda c: {"number": c.waves.closed.number},
    "support:export_csv": lambda c: {"number": c.waves.closed.number},
    "support:waves": lambda c: {},
    "support:wave_create": lambda c: {},
    "support:wave": lambda c: {"number": c.waves.draft.number},
    "support:wave_edit": lambda c: {"number": c.waves.draft.number},
    "support:question_create": lambda c: {"number": c.waves.draft.number},
    "support:question_edit": lambda c: {"number": c.waves.draft.number, "pk": c.waves.question.pk},
    "support:question_delete": lambda c: {
        "number": c.waves.draft.number,
        "pk": c.waves.question.pk,
    },
    "support:launch": lambda c: {"number": c.waves.draft.number},
    "support:remind": lambda c: {"number": c.waves.open.number},
    "support:close": lambda c: {"number": c.waves.open.number},
    "support:ambassadors": lambda c: {},
    "support:ambassador_propose": lambda c: {},
    "support:team_create": lambda c: {},
    "support:ambassador_invite": lambda c: {"pk": c.waves.candidate.pk},
    "support:my_ambassador": lambda c: {},
    "support:maturity": lambda c: {},
    "support:maturity_assess": lambda c: {},
    "content:self_check": lambda c: {},
    "content:pipeline": lambda c: {},
    "content:ideas": lambda c: {},
    "content:create": lambda c: {},
    "content:detail": lambda c: {"pk": c.content.item.pk},
    "content:edit": lambda c: {"pk": c.content.item.pk},
    "content:variant": lambda c: {"pk": c.content.item.pk, "channel": "linkedin"},
    "content:variant_check": lambda c: {"pk": c.content.item.pk},
    "content:transition": lambda c: {"pk": c.content.item.pk},
    "content:override": lambda c: {"pk": c.content.item.pk},
    "content:photo": lambda c: {"pk": c.content.item.pk},
    "content:decide": lambda c: {"pk": c.content.item.pk},
    "content:review_link_create": lambda c: {"pk": c.content.item.pk},
    "content:review_link_revoke": lambda c: {
        "pk": c.content.item.pk,
        "link_pk": c.content.review_link.pk,
    },
    "content:approval_rules": lambda c: {},
    "content:approval_rule_delete": lambda c: {"pk": c.content.step.pk},
    "content:approval_rule_move": lambda c: {"pk": c.content.step.pk},
    "content:calendar": lambda c: {},
    "content:reschedule": lambda c: {"pk": c.content.item.pk},
    "content:evergreen": lambda c: {},
    "content:evergreen_use": lambda c: {"pk": c.content.item.pk},
    "content:mix": lambda c: {},
    "content:mix_targets": lambda c: {},
    "content:my_tasks": lambda c: {},
    "content:task_done": lambda c: {"pk": c.content.task.pk},
    "content:tasks_manage": lambda c: {},
    "content:task_edit": lambda c: {"pk": c.content.task.pk},
    "guidelines:library": lambda c: {},
    "guidelines:create": lambda c: {},
    "guidelines:detail": lambda c: {"pk": c.guideline.pk},
    "guidelines:edit": lambda c: {"pk": c.guideline.pk},
    "guidelines:acknowledge": lambda c: {},
    "guidelines:rates": lambda c: {},
    "listening:explorer": lambda c: {},
    "listening:export": lambda c: {},
    "listening:correct": lambda c: {"pk": c.listening.mention.pk},
    "listening:about": lambda c: {},
    "listening:queries": lambda c: {},
    "listening:query_create": lambda c: {},
    "listening:query_check": lambda c: {},
    "listening:query_edit": lambda c: {"pk": c.listening.query.pk},
    "listening:query_delete": lambda c: {"pk": c.listening.query.pk},
    "listening:sources": lambda c: {},
    "listening:source_create": lambda c: {},
    "listening:source_edit": lambda c: {"pk": c.listening.source.pk},
    "listening:source_pause": lambda c: {"pk": c.listening.source.pk},
    "listening:source_resume": lambda c: {"pk": c.listening.source.pk},
    "listening:source_fetch": lambda c: {"pk": c.listening.source.pk},
    "listening:source_delete": lambda c: {"pk": c.listening.source.pk},
    "listening:stakeholders": lambda c: {},
    "listening:stakeholder_add": lambda c: {},
    "listening:stakeholder_remove": lambda c: {"pk": c.listening.stakeholder.pk},
    "listening:share": lambda c: {},
    "listening:share_chart": lambda c: {},
    "listening:imports": lambda c: {},
    "listening:import_detail": lambda c: {"pk": c.listening.import_job.pk},
    "listening:import_run": lambda c: {"pk": c.listening.import_job.pk},
    "listening:import_progress": lambda c: {"pk": c.listening.import_job.pk},
    "publishing:accounts": lambda c: {},
    "publishing:account_create": lambda c: {},
    "publishing:account_edit": lambda c: {"pk": c.publishing.mastodon.pk},
    "publishing:account_delete": lambda c: {"pk": c.publishing.mastodon.pk},
    "publishing:mastodon_connect": lambda c: {"pk": c.publishing.mastodon.pk},
    "publishing:bluesky_connect": lambda c: {"pk": c.publishing.mastodon.pk},
    "publishing:mastodon_callback": lambda c: {},
    "publishing:publications": lambda c: {},
    "publishing:publication_retry": lambda c: {"pk": c.publishing.failed.pk},
    "publishing:publication_record": lambda c: {"pk": c.publishing.waiting.pk},
    "alerts:list": lambda c: {},
    "alerts:detail": lambda c: {"pk": c.alerts.alert.pk},
    "alerts:chart": lambda c: {"pk": c.alerts.alert.pk},
    "alerts:acknowledge": lambda c: {"pk": c.alerts.alert.pk},
    "alerts:assign": lambda c: {"pk": c.alerts.alert.pk},
    "alerts:resolve": lambda c: {"pk": c.alerts.alert.pk},
    "alerts:open_incident": lambda c: {"pk": c.alerts.alert.pk},
    "alerts:rules": lambda c: {},
    "alerts:rule_create": lambda c: {},
    "alerts:rule_edit": lambda c: {"pk": c.alerts.rule.pk},
    "alerts:rule_delete": lambda c: {"pk": c.alerts.rule.pk},
    "alerts:channels": lambda c: {},
    "alerts:channel_create": lambda c: {},
    "alerts:channel_edit": lambda c: {"pk": c.alerts.channel.pk},
    "alerts:channel_test": lambda c: {"pk": c.alerts.channel.pk},
    "alerts:channel_delete": lambda c: {"pk": c.alerts.channel.pk},
    "alerts:notifications": lambda c: {},
    "alerts:notifications_read": lambda c: {},
    "alerts:incidents": lambda c: {},
    "alerts:incident": lambda c: {"pk": c.alerts.incident.pk},
    "strategy:page": lambda c: {},
    "strategy:versions": lambda c: {},
    "strategy:version": lambda c: {"number": c.strategy.published.number},
    "strategy:export_pdf": lambda c: {"number": c.strategy.published.number},
    "strategy:export_markdown": lambda c: {"number": c.strategy.published.number},
    "strategy:sign_off": lambda c: {"number": c.strategy.published.number},
    "strategy:draft": lambda c: {},
    "strategy:wizard": lambda c: {},
    "strategy:start_draft": lambda c: {},
    "strategy:discard_draft": lambda c: {},
    "strategy:profile": lambda c: {},
    "strategy:publish": lambda c: {},
    "strategy:item_create": lambda c: {"kind": "kpi"},
    "strategy:item_edit": lambda c: {"kind": "kpi", "pk": c.strategy.items["draft"]["kpi"].pk},
    "strategy:item_delete": lambda c: {"kind": "kpi", "pk": c.strategy.items["draft"]["kpi"].pk},
}

# Third-party view modules that hold no organisation data (login, password reset,
# two-factor set-up: they act on the logged-in person only).
USER_SCOPED_MODULES = ("allauth.", "django.views.i18n")

# Fields that change on a harmless read, left out of the "nothing changed" check.
VOLATILE_FIELDS = {("api", "apitoken"): {"last_used_at"}}


def _walk(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else None
            yield prefix + str(entry.pattern), name, entry.callback


ALL_PATTERNS = list(_walk(get_resolver()))
API_PREFIX = "api/"


def _access(callback):
    return getattr(callback, "koers_access", None)


def _is_api(route: str) -> bool:
    return route.startswith(API_PREFIX)


def _org_patterns():
    return sorted(
        {
            name
            for route, name, cb in ALL_PATTERNS
            if not _is_api(route) and (_access(cb) or ("",))[0] == "org"
        }
    )


def test_every_url_declares_its_access():
    undeclared = []
    for route, name, callback in ALL_PATTERNS:
        if _is_api(route):
            continue  # walked per operation below
        module = getattr(callback, "__module__", "") or ""
        if _access(callback) is None and not module.startswith(USER_SCOPED_MODULES):
            undeclared.append(f"{route} ({name}, {module})")
    assert not undeclared, (
        "Views without an access declaration (use orgs.access.org_view or public_view): "
        + ", ".join(undeclared)
    )


def test_every_organisation_url_has_a_recipe():
    org_names = set(_org_patterns())
    missing = org_names - set(RECIPES)
    stale = set(RECIPES) - org_names
    assert not missing, f"Add a recipe to RECIPES for: {sorted(missing)}"
    assert not stale, f"RECIPES names URLs that are no organisation views: {sorted(stale)}"
    for route, name, _callback in ALL_PATTERNS:
        if name in org_names:
            assert "<slug:org_slug>" in route, f"{name} must live under /o/<org_slug>/"


def fingerprint() -> str:
    """A hash of every row of every table (sessions aside): equal means unchanged."""
    digest = hashlib.sha256()
    for model in sorted(apps.get_models(), key=lambda m: m._meta.label):
        if model._meta.label in {"sessions.Session"}:
            continue
        skip = VOLATILE_FIELDS.get((model._meta.app_label, model._meta.model_name), set())
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
        for row in model.objects.order_by("pk").values_list(*fields):
            digest.update(repr(row).encode())
        digest.update(model._meta.label.encode())
    return digest.hexdigest()


def _capability_of(name: str) -> str:
    for _route, pattern_name, callback in ALL_PATTERNS:
        if pattern_name == name:
            return _access(callback)[1]
    raise AssertionError(name)


def _request(client, method, url):
    return client.get(url) if method == "GET" else client.post(url, {})


@pytest.fixture
def walker_cast(cast):
    for org_cast in (cast.a, cast.b):
        org_cast.token, _secret = make_token(org_cast[Role.OWNER])
        # Version numbers count per organisation; B's differ from A's so that B's
        # address with A's number points at nothing of B's.
        org_cast.strategy = make_strategy(
            org_cast.org,
            by=org_cast[Role.OWNER].user,
            first_number=1 if org_cast is cast.a else 11,
        )
        org_cast.waves = make_waves(org_cast.org, first_number=1 if org_cast is cast.a else 11)
        org_cast.guideline = make_guideline(org_cast.org)
        org_cast.content = make_content(org_cast.org, org_cast)
        org_cast.listening = make_listening(org_cast.org)
        org_cast.alerts = make_alerts(org_cast.org, org_cast.listening)
        org_cast.publishing = make_publishing(org_cast.org)
    return cast


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", _org_patterns())
def test_organisation_url_is_tenant_safe(name, walker_cast):
    cast = walker_cast
    capability = _capability_of(name)
    recipe = RECIPES[name]
    a_kwargs = {"org_slug": cast.a.org.slug, **recipe(cast.a)}
    a_url = reverse(name, kwargs=a_kwargs)
    # Log everyone in first: a login itself writes (last login, audit log).
    anonymous = Client()
    outsider = _logged_in(cast.outsider.user)
    refused = {role: _logged_in(cast.a[role].user) for role in roles_without(capability)}
    allowed_role = next(role for role in Role if role in ROLE_CAPABILITIES[capability])
    allowed = _logged_in(cast.a[allowed_role].user)

    before = fingerprint()
    # Nobody logged in: never a page.
    for method in ("GET", "POST"):
        response = _request(anonymous, method, a_url)
        assert response.status_code in {302, 404, 405}, (name, method, response.status_code)

    # Organisation B's owner, with A's address: 404 (or 405 for a method not served).
    statuses = {method: _request(outsider, method, a_url).status_code for method in ("GET", "POST")}
    assert set(statuses.values()) <= {404, 405} and 404 in statuses.values(), (name, statuses)

    # B's own address with A's object ids: still 404. (Only where the recipe names
    # objects: the same kwargs for both organisations name none.)
    if recipe(cast.a) != recipe(cast.b):
        mixed = reverse(name, kwargs={**a_kwargs, "org_slug": cast.b.org.slug})
        statuses = {
            method: _request(outsider, method, mixed).status_code for method in ("GET", "POST")
        }
        assert set(statuses.values()) <= {404, 405} and 404 in statuses.values(), (
            name,
            "mixed",
            statuses,
        )

    # Roles of A without the capability: 403.
    for role, client in refused.items():
        statuses = {
            method: _request(client, method, a_url).status_code for method in ("GET", "POST")
        }
        assert set(statuses.values()) <= {403, 405} and 403 in statuses.values(), (
            name,
            role,
            statuses,
        )
    assert fingerprint() == before, f"{name}: a refused request changed the database"

    # A role with the capability gets through: the refusals above were about access.
    statuses = {method: _request(allowed, method, a_url).status_code for method in ("GET", "POST")}
    served = {m: s for m, s in statuses.items() if s != 405}
    assert served and all(s < 500 and s not in {403, 404} for s in served.values()), (
        name,
        allowed_role,
        statuses,
    )


# --- the REST API ----------------------------------------------------------------------


def _decidable(c) -> dict:
    """An item in review whose only step is the default one, so an owner may approve."""
    make_strategy(c.org)  # approving needs a goal of the published strategy
    content = make_content(c.org, c)
    content.step.delete()
    return {"item_id": content.item.pk}


# (method, path) → path parameters and body, built from the organisation's cast.
API_RECIPES = {
    ("GET", "/v1/organisation"): lambda c: ({}, None),
    ("GET", "/v1/departments"): lambda c: ({}, None),
    ("POST", "/v1/departments"): lambda c: ({}, {"name": "Nieuwe afdeling"}),
    ("GET", "/v1/departments/{department_id}"): lambda c: (
        {"department_id": c.department.pk},
        None,
    ),
    ("PATCH", "/v1/departments/{department_id}"): lambda c: (
        {"department_id": c.department.pk},
        {"name": "Andere naam"},
    ),
    ("DELETE", "/v1/departments/{department_id}"): lambda c: (
        {"department_id": c.department.pk},
        None,
    ),
    ("GET", "/v1/members"): lambda c: ({}, None),
    # The API walker gets the plain cast (no waves yet): the recipe makes them.
    ("GET", "/v1/support/waves/{number}/results"): lambda c: (
        {"number": make_waves(c.org).closed.number},
        None,
    ),
    ("GET", "/v1/content/items"): lambda c: ({}, None),
    ("GET", "/v1/content/items/{item_id}"): lambda c: (
        {"item_id": make_content(c.org, c).item.pk},
        None,
    ),
    ("POST", "/v1/content/items/{item_id}/transition"): lambda c: (
        {"item_id": make_content(c.org, c).item.pk},
        {"to": "draft"},
    ),
    ("POST", "/v1/content/items/{item_id}/decision"): lambda c: (
        _decidable(c),
        {"decision": "approve"},
    ),
    ("POST", "/v1/listening/mentions"): lambda c: (
        {},
        {
            "source": "CRM",
            "mentions": [
                {"external_id": "1", "text": "Hallo", "published_at": "2026-03-01T10:00:00Z"}
            ],
        },
    ),
}


def _api_operations():
    found = []
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    found.append((method, path, operation.view_func))
    return found


API_OPERATIONS = _api_operations()


def test_every_api_operation_declares_a_capability_and_has_a_recipe():
    keys = {(method, path) for method, path, _func in API_OPERATIONS}
    undeclared = [f"{m} {p}" for m, p, func in API_OPERATIONS if _access(func) is None]
    assert not undeclared, f"API operations without @capability: {undeclared}"
    assert keys == set(API_RECIPES), (
        f"missing recipes: {sorted(keys - set(API_RECIPES))}; "
        f"stale: {sorted(set(API_RECIPES) - keys)}"
    )


def _api_call(client, method, path, params, body, token=None):
    url = "/api" + path.format(**params)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = json.dumps(body) if body is not None else None
    return client.generic(method, url, data=data or "", content_type="application/json", **headers)


@pytest.mark.parametrize(("method", "path"), sorted(API_RECIPES))
def test_api_operation_is_tenant_safe(method, path, client, cast):
    func = next(f for m, p, f in API_OPERATIONS if (m, p) == (method, path))
    capability = _access(func)[1]
    params, body = API_RECIPES[(method, path)](cast.a)
    tokens = {role: make_token(cast.a[role])[1] for role in Role}
    outsider_token = make_token(cast.outsider)[1]

    before = fingerprint()
    assert _api_call(client, method, path, params, body).status_code == 401
    assert _api_call(client, method, path, params, body, "koers_not-a-token").status_code == 401

    response = _api_call(client, method, path, params, body, outsider_token)
    if params:
        assert response.status_code == 404, (method, path, response.status_code)
        assert fingerprint() == before, f"{method} {path}: B's token changed A's data"
    else:
        # No object in the path: B's token works, but only on B's data.
        assert response.status_code < 500
        text = response.content.decode()
        assert cast.a.org.name not in text and "@org-a.example" not in text
        before = fingerprint()  # a write in B is allowed; from here nothing may change

    for role in roles_without(capability):
        response = _api_call(client, method, path, params, body, tokens[role])
        assert response.status_code == 403, (method, path, role, response.status_code)
    assert fingerprint() == before, f"{method} {path}: a refused call changed data"

    allowed = next(role for role in Role if role in ROLE_CAPABILITIES[capability])
    response = _api_call(client, method, path, params, body, tokens[allowed])
    assert 200 <= response.status_code < 300, (
        method,
        path,
        response.status_code,
        response.content[:300],
    )
