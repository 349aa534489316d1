"""Answers are anonymous: proved by inspecting the database after members answered
through their links.

A ``Ticket`` knows the person; a ``Response`` knows only the wave, the group it counts
for and the answers. These tests read every column of every response row, straight
from the database, and check that nothing in it identifies a person or their ticket,
and that nothing else in the database points at a response.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection, models
from django.test import Client
from django.utils import timezone

from koers.orgs.capabilities import Role
from koers.orgs.models import Department, Organisation
from koers.support import actions
from koers.support.models import Response, Ticket, TicketStatus, Wave
from koers.tests.cast import make_member, make_strategy

pytestmark = pytest.mark.django_db

# Where a response may point: the organisation, the wave, the group. Nothing else.
ALLOWED_RELATIONS = {Organisation, Wave, Department}


def _link(membership) -> str:
    message = next(m for m in mail.outbox if m.to == [membership.user.email])
    return re.search(r"https?://[^/\s]+(/survey/\S+/)", message.body).group(1)


@pytest.fixture
def answered(cast, sent_after_commit):
    """A launched wave in which several members answered through their links: three
    employees and the strategist of Verkoop (three with the very same answers), the
    owner (management), and the editor, who saved halfway."""
    org = cast.a.org
    make_strategy(org)
    second = make_member(org, Role.EMPLOYEE, "tweede@org-a.example", department=cast.a.department)
    third = make_member(org, Role.EMPLOYEE, "derde@org-a.example", department=cast.a.department)
    owner = cast.a[Role.OWNER].user
    wave = actions.create_wave(
        org,
        by=owner,
        title="Najaar",
        language="en",
        closes_at=timezone.now() + timedelta(days=7),
    )
    with sent_after_commit():
        actions.launch_wave(wave, by=owner)
    wave.refresh_from_db()
    goal = wave.questions.get(key="top_goals").options
    real = next(o["value"] for o in goal if not o["value"].startswith("x-"))

    same = {
        "discipline": "customer_intimacy",
        "top_goals": real,
        "enthusiastic": "4",
        "managers_take_part": "2",
        "platforms_used": ["linkedin", "x"],
        "what_should_change": "Meer tijd om te posten.",
        "submit": "1",
    }
    sent = {
        cast.a[Role.EMPLOYEE]: same,
        second: same,
        third: {**same, "enthusiastic": "2", "discipline": "product_leadership"},
        cast.a[Role.OWNER]: {**same, "enthusiastic": "5", "what_should_change": ""},
    }
    for membership, data in sent.items():
        response = Client().post(_link(membership), data)
        assert response.status_code == 302, response.content[:500]
    halfway = Client().post(_link(cast.a[Role.EDITOR]), {"submit": "0", "enthusiastic": "3"})
    assert halfway.status_code == 302
    # A logged-in member answers the same way.
    logged_in = Client()
    logged_in.force_login(cast.a[Role.STRATEGIST].user)
    assert logged_in.post(_link(cast.a[Role.STRATEGIST]), same).status_code == 302
    return wave


def _identifiers(wave) -> tuple[set, set]:
    """Numbers and strings that would identify a person or their ticket."""
    numbers, strings = set(), set()
    for ticket in Ticket.objects.filter(wave=wave).select_related("membership__user"):
        user = ticket.membership.user
        numbers |= {ticket.pk, ticket.membership_id, user.pk}
        token = ticket.token
        pk_part, _sep, mac = token.partition("-")
        strings |= {token, mac, mac[:16], ticket.salt, user.email}
        if user.name:
            strings.add(user.name)
        numbers.add(int(pk_part))
    return numbers, strings


def _raw_rows() -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM support_response")
        columns = [c[0] for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _leaves(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    else:
        yield value


def test_a_response_has_no_relation_to_a_person_or_ticket():
    related = {
        field.name: field.related_model
        for field in Response._meta.get_fields()
        if field.is_relation
    }
    assert set(related.values()) <= ALLOWED_RELATIONS, related
    # ...and nothing in the database relates to a response.
    pointing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields(include_hidden=True)
        # Forward relations only: the reverse sides of Response's own keys are listed
        # on Organisation, Wave and Department too.
        if field.is_relation and not field.auto_created and field.related_model is Response
    ]
    assert pointing == []
    assert list(Response._meta.related_objects) == []


def test_no_other_table_has_a_foreign_key_to_responses(answered):
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            relations = connection.introspection.get_relations(cursor, table)
            targets = {target_table for _column, target_table in relations.values()}
            assert "support_response" not in targets, table


def test_responses_have_no_date_or_time_columns(answered):
    for field in Response._meta.concrete_fields:
        assert not isinstance(field, models.DateField | models.TimeField | models.DurationField)
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, "support_response")
    columns = {column.name: column for column in description}
    assert set(columns) == {field.column for field in Response._meta.concrete_fields}
    for column in description:
        kind = connection.introspection.get_field_type(column.type_code, column)
        assert not re.search("date|time|duration", kind, re.I), (column.name, kind)


def test_no_column_of_any_response_identifies_anyone(cast, answered):
    wave = answered
    numbers, strings = _identifiers(wave)
    rows = _raw_rows()
    assert len(rows) == 6  # five sent, one halfway
    fields = {field.column: field for field in Response._meta.concrete_fields}
    departments = {cast.a.department.pk, None}
    checked = set()
    for row in rows:
        for column, value in row.items():
            field = fields[column]
            checked.add(column)
            text = "" if value is None else str(value)
            for secret in strings:
                assert secret not in text, (column, secret)
            if field.is_relation:
                assert field.related_model in ALLOWED_RELATIONS, column
                allowed = {
                    Organisation: {cast.a.org.pk},
                    Wave: {wave.pk},
                    Department: departments,
                }[field.related_model]
                assert value in allowed, (column, value)
            elif isinstance(field, models.BooleanField):
                assert value in {0, 1}, column  # True and False compare equal to these
            elif column == "id":
                assert uuid.UUID(str(value)).version == 4
                assert value not in numbers
            elif column == "answers":
                answers = json.loads(value) if isinstance(value, str) else value
                keys = set(wave.questions.values_list("key", flat=True))
                assert set(answers) <= keys
                for leaf in _leaves(answers):
                    if isinstance(leaf, str):
                        assert leaf not in strings
            elif column == "resume_key":
                assert value is None or re.fullmatch(r"[0-9a-f]{64}", value)
            elif isinstance(field, models.FloatField):
                # A score follows from the answers alone (checked below).
                assert value is None or (isinstance(value, float) and 0 <= value <= 100)
            else:
                pytest.fail(
                    f"Response.{field.name} is new: check that it cannot identify anyone, "
                    "then teach this test about it."
                )
            if not isinstance(field, models.BooleanField | models.FloatField) and not (
                field.is_relation
            ):
                assert value not in numbers, (column, value)
    assert checked == set(fields)


def test_submitted_responses_keep_no_resume_key(answered):
    for response in Response.objects.filter(wave=answered):
        assert (response.resume_key is None) == response.is_complete
    assert Response.objects.filter(wave=answered, is_complete=True).count() == 5


def test_the_resume_key_is_not_the_link(cast, answered):
    halfway = Response.objects.get(wave=answered, is_complete=False)
    ticket = Ticket.objects.get(wave=answered, membership=cast.a[Role.EDITOR])
    assert ticket.status == TicketStatus.STARTED
    assert halfway.resume_key not in ticket.token
    assert ticket.token.partition("-")[2] not in halfway.resume_key


def test_closing_the_wave_clears_the_unfinished_links(cast, answered):
    actions.close_wave(answered, by=cast.a[Role.OWNER].user)
    assert all(row["resume_key"] is None for row in _raw_rows())


def test_two_members_of_a_department_differ_only_in_their_answers(cast, answered):
    verkoop = [
        row
        for row in _raw_rows()
        if row["department_id"] == cast.a.department.pk and row["is_complete"]
    ]
    assert len(verkoop) == 4
    assert not any(row["is_management"] for row in verkoop)
    # The two employees who gave the same answers left identical rows: only the random
    # id differs, and nothing tells which of them answered first.
    without_id = [{k: v for k, v in row.items() if k != "id"} for row in verkoop]
    identical = [row for row in without_id if without_id.count(row) > 1]
    assert len(identical) >= 2
    # The employee with other answers differs in the answers and what follows from
    # them (the scores), nothing else.
    different = next(row for row in without_id if without_id.count(row) == 1)
    differing = {k for k in different if different[k] != identical[0][k]}
    assert differing <= {"answers", "support_score", "understanding_score", "example_score"}
    assert "answers" in differing


def test_the_scores_follow_from_the_answers_alone(answered):
    questions = list(answered.questions.all())
    for response in Response.objects.filter(wave=answered, is_complete=True):
        expected = actions._scores(answered, questions, response.answers)
        for name, value in expected.items():
            assert getattr(response, name) == value, name


def test_management_answers_count_apart_from_their_department(cast, answered):
    rows = _raw_rows()
    management = [row for row in rows if row["is_management"]]
    assert len(management) == 1
    # The owner is in Verkoop, but their answers are not stored with it.
    assert management[0]["department_id"] is None


def test_tickets_hold_nothing_of_the_responses(answered):
    """The other direction: a ticket row holds no response id or resume key."""
    response_values = set()
    for row in _raw_rows():
        response_values |= {str(row["id"]), str(row["id"]).replace("-", "")}
        if row["resume_key"]:
            response_values.add(row["resume_key"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM support_ticket")
        for ticket in cursor.fetchall():
            for value in ticket:
                text = "" if value is None else str(value)
                for secret in response_values:
                    assert secret not in text
