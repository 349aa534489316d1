"""Participation in the draagvlak index: members who submitted an idea or did a role
task during a wave count as active when the wave closes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from koers.content import actions as content
from koers.content.models import ContentItem, RoleTask, TaskCompletion
from koers.orgs.capabilities import Role
from koers.support import actions
from koers.tests.cast import make_waves

pytestmark = pytest.mark.django_db


def _task_done(membership, task, when):
    completion = content.complete_task(membership, task)
    TaskCompletion.objects.filter(pk=completion.pk).update(done_at=when)


def test_closing_a_wave_counts_who_took_part_during_it(cast):
    waves = make_waves(cast.a.org)
    wave = waves.open  # launched a day ago
    task = RoleTask.objects.create(organisation=cast.a.org, title="Deel één bericht")
    _task_done(cast.a[Role.EMPLOYEE], task, timezone.now() - timedelta(hours=2))
    # Before the launch: does not count for this wave.
    _task_done(cast.a[Role.WEBCARE], task, wave.launched_at - timedelta(hours=1))
    # Another organisation's member, during the wave: not A's participation.
    other = RoleTask.objects.create(organisation=cast.b.org, title="Deel één bericht")
    _task_done(cast.b[Role.EMPLOYEE], other, timezone.now() - timedelta(hours=2))

    actions.close_wave(wave)

    wave.refresh_from_db()
    assert wave.active_members == 1


def test_an_idea_submitted_during_the_wave_counts_too(cast):
    wave = make_waves(cast.a.org).open
    content.submit_idea(cast.a.org, by=cast.a[Role.EDITOR], title="Werkplaatsvlog")
    old = content.submit_idea(cast.a.org, by=cast.a[Role.MANAGER], title="Oud idee")
    ContentItem.objects.filter(pk=old.pk).update(created_at=wave.launched_at - timedelta(days=1))
    # The same member twice (an idea and a task) is one active member.
    task = RoleTask.objects.create(organisation=cast.a.org, title="Deel één bericht")
    content.complete_task(cast.a[Role.EDITOR], task)

    actions.close_wave(wave)

    wave.refresh_from_db()
    assert wave.active_members == 1
