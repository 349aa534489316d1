"""Request throughput of the web app and API in one process (Django's test client,
no network), on the embedded SQLite database with the demo organisation loaded.

The baseline is /healthz (one query, no template): the ratio tells what the tenancy
chokepoint, the session and the templates cost on top of bare request handling.
"""

from __future__ import annotations

import statistics
import time

ROUNDS = 5
REQUESTS = 200


def _rate(call, requests: int = REQUESTS, rounds: int = ROUNDS) -> float:
    """Median requests per second over several rounds (after a warm-up)."""
    for _ in range(10):
        call()
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(requests):
            call()
        rates.append(requests / (time.perf_counter() - start))
    return statistics.median(rates)


def _result(name, value, unit, target, better="higher"):
    return {
        "name": name,
        "value": round(value, 2),
        "unit": unit,
        "target": target,
        "better": better,
    }


def run() -> list[dict]:
    from django.core.management import call_command
    from django.test import Client

    from koers.api.actions import create_api_token
    from koers.orgs import demo
    from koers.orgs.models import Membership

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    start = time.perf_counter()
    org = demo.refresh_demo()
    demo_seconds = time.perf_counter() - start
    owner = Membership.objects.filter(organisation=org, role="owner").first().user

    client = Client(HTTP_HOST="localhost")
    client.force_login(owner)
    _row, token = create_api_token(org, name="bench", by=owner)
    api = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")

    def get(c, path):
        def call():
            response = c.get(path)
            assert response.status_code == 200, (path, response.status_code)

        return call

    healthz = _rate(get(client, "/healthz"))
    dashboard = _rate(get(client, f"/o/{org.slug}/"))
    members = _rate(get(client, f"/o/{org.slug}/members/"), requests=50)
    departments = _rate(get(api, "/api/v1/departments"))
    return [
        _result("web.healthz.requests_per_s", healthz, "req/s", 500),
        _result("web.dashboard.requests_per_s", dashboard, "req/s", 100),
        _result("web.members_page_40.requests_per_s", members, "req/s", 25),
        _result("web.dashboard.cost_vs_healthz", healthz / dashboard, "ratio", 10, "lower"),
        _result("api.departments.requests_per_s", departments, "req/s", 150),
        # `koers run --demo` builds it on first start; a newcomer waits for it.
        _result("demo.build_s", demo_seconds, "s", 20, "lower"),
    ]
