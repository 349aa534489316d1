"""The security baseline: deploy checks, headers, CSRF."""

import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse

from koers.orgs.capabilities import Role


def test_deploy_check_is_clean_with_https(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KOERS_", "DATABASE_"))}
    env.update(
        KOERS_DATA_DIR=str(tmp_path),
        KOERS_HTTPS="1",
        KOERS_BASE_URL="https://koers.example.nl",
        KOERS_SECRET_KEY="a-long-random-secret-" + "k9X!" * 12,
    )
    result = subprocess.run(
        [sys.executable, "-m", "koers.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy(client):
    response = client.get(reverse("account_login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_forms_refuse_a_post_without_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.a[Role.OWNER].user)
    response = client.post(
        reverse("orgs:department_create", args=[cast.a.org.slug]), {"name": "Zonder token"}
    )
    assert response.status_code == 403
    assert not cast.a.org.departments.filter(name="Zonder token").exists()


@pytest.mark.django_db
def test_user_text_is_escaped(owner_client, cast):
    cast.a.department.name = "<script>alert(1)</script>"
    cast.a.department.save(update_fields=["name"])
    page = owner_client.get(reverse("orgs:departments", args=[cast.a.org.slug])).content
    assert b"<script>alert(1)</script>" not in page
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page
