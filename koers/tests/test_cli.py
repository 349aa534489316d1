"""`koers run` as a newcomer gets it: a real web server and worker on SQLite.

Starts the real command on a free port with an empty data folder, waits for it, logs
in as the demo owner over HTTP, invites someone, and waits until the background
worker (a separate process, fed through the SQLite task store) has written the
invitation e-mail to the data folder.
"""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from koers.orgs import demo

pytestmark = [pytest.mark.slow, pytest.mark.embedded]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Browser:
    """Just enough of a browser: cookies, CSRF token, no redirects followed."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str):
        return self.opener.open(self.base + path, timeout=20)

    def post(self, path: str, data: dict):
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        return self.opener.open(request, timeout=20)


def _wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_koers_run_serves_the_demo_and_runs_background_tasks(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KOERS_", "DATABASE_"))}
    env.update(
        KOERS_DATA_DIR=str(tmp_path),
        KOERS_WEB_WORKERS="1",
        KOERS_TASK_WORKERS="1",
        KOERS_BASE_URL=f"http://localhost:{port}",
    )
    log_path = tmp_path / "run.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "koers.cli", "run", "--demo", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:

        def healthy():
            try:
                return urllib.request.urlopen(base + "/healthz", timeout=2).status == 200
            # A first request can take longer than 2 s on a busy machine while the
            # worker warms up: a read timeout means "not yet", as a refused connection.
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert process.poll() is None, log_path.read_text()
                return False

        _wait_until(healthy, 120, "koers run to answer")
        output = log_path.read_text()
        assert "Demo logins (password for all: koers-demo)" in output
        assert demo.demo_logins()[0][1] in output

        browser = _Browser(base)
        login_page = browser.get("/accounts/login/").read().decode()
        css = re.search(r'href="(/static/koers/koers\.[0-9a-f]{12}\.css)"', login_page)
        assert css, "static files are collected with hashed names"
        assert browser.get(css.group(1)).status == 200

        browser.post(
            "/accounts/login/", {"login": demo.demo_logins()[0][1], "password": demo.DEMO_PASSWORD}
        )
        members = browser.get(f"/o/{demo.DEMO_SLUG}/members/").read().decode()
        assert "Marleen van Dijk" in members
        browser.post(
            f"/o/{demo.DEMO_SLUG}/members/invite/",
            {"email": "nieuwe.collega@example.nl", "role": "employee"},
        )

        mail_dir = Path(tmp_path) / "mail"

        def mailed():
            for path in mail_dir.glob("*.log") if mail_dir.exists() else []:
                text = path.read_text()
                if "nieuwe.collega@example.nl" in text:
                    return text
            return None

        message = _wait_until(mailed, 30, "the worker to send the invitation")
        assert f"http://localhost:{port}/invitation/" in message
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    assert process.returncode == 0, log_path.read_text()[-3000:]
