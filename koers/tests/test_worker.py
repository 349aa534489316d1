"""Scale-out: `koers worker` processes on PostgreSQL and Redis really consume tasks.

Runs in the PostgreSQL + Redis pass of `make test` (KOERS_TEST_BACKEND=services). Two
real worker processes share one Redis queue and one PostgreSQL database; the
invitation e-mails go over SMTP to a local mail server run by the test. Each
invitation is queued twice, and each must arrive exactly once.
"""

import os
import socket
import subprocess
import sys
import time

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from koers.orgs.models import Invitation
from koers.tests.cast import make_invitation, make_org
from koers.tests.plugin import SERVICES

pytestmark = [
    pytest.mark.services,
    pytest.mark.slow,
    pytest.mark.skipif(
        not SERVICES,
        reason="runs in the PostgreSQL + Redis pass (KOERS_TEST_BACKEND=services, see `make test`)",
    ),
]


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    s = connection.settings_dict
    return (
        f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}"
    )


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_every_invitation_exactly_once():
    from huey.contrib.djhuey import HUEY

    from koers.orgs.tasks import send_invitation

    assert connection.vendor == "postgresql"
    inbox = _Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    org = make_org("Schaal B.V.", slug="schaal")
    invitations = [
        make_invitation(
            org,
            email=f"persoon{n}@example.nl",
            expires_at=timezone.now() + timezone.timedelta(days=3),
        )
        for n in range(5)
    ]

    HUEY.immediate = False
    workers = []
    try:
        HUEY.flush()
        for invitation in invitations:
            send_invitation(invitation.pk)
            send_invitation(invitation.pk)  # a duplicate, as after a retry or a crash
        assert HUEY.pending_count() == 10

        env = dict(
            os.environ,
            DATABASE_URL=_database_url(),
            KOERS_TASKS_IMMEDIATE="0",
            KOERS_EMAIL_HOST="127.0.0.1",
            KOERS_EMAIL_PORT=str(smtp.port),
            KOERS_EMAIL_TLS="0",
            KOERS_TASK_WORKERS="2",
        )
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "koers.cli", "worker"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for _ in range(2)
        ]
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if HUEY.pending_count() == 0 and len(inbox.messages) >= 5:
                break
            for worker in workers:
                assert worker.poll() is None, worker.stderr.read().decode()[-3000:]
            time.sleep(0.2)
        time.sleep(1)  # let a wrongly duplicated send show up, if there were one
    finally:
        HUEY.immediate = True
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=20)
        smtp.stop()

    recipients = sorted(rcpt for rcpts, _body in inbox.messages for rcpt in rcpts)
    assert recipients == sorted(i.email for i in invitations), "each exactly once"
    body = inbox.messages[0][1]
    assert "/invitation/" in body and "Schaal B.V." in body
    assert Invitation.objects.filter(organisation=org, sent_at__isnull=True).count() == 0
