"""The shared cast: organisation A with one member of every role, and organisation B
whose owner is the outsider. Builders make single objects with overrides."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.utils import timezone

from koers.accounts.models import User
from koers.api.models import ApiToken
from koers.orgs.capabilities import Role
from koers.orgs.models import Department, Invitation, Membership, Organisation

PASSWORD = "correct horse battery staple"


def make_user(email: str, **overrides) -> User:
    return User.objects.create_user(email, PASSWORD, **overrides)


def make_org(name: str = "Organisatie A", **overrides) -> Organisation:
    slug = overrides.pop("slug", name.lower().replace(" ", "-"))
    return Organisation.objects.create(name=name, slug=slug, **overrides)


def make_department(org: Organisation, name: str = "Verkoop") -> Department:
    return Department.objects.create(organisation=org, name=name)


def make_member(org: Organisation, role: str, email: str | None = None, **overrides):
    user = overrides.pop("user", None) or make_user(email or f"{role}@{org.slug}.example")
    return Membership.objects.create(user=user, organisation=org, role=role, **overrides)


def make_invitation(org: Organisation, email: str = "nieuw@example.nl", **overrides):
    values = {"role": Role.EMPLOYEE, "expires_at": timezone.now() + timedelta(days=7)}
    values.update(overrides)
    return Invitation.objects.create(organisation=org, email=email, **values)


def make_token(membership: Membership, name: str = "BI") -> tuple[ApiToken, str]:
    token, prefix, digest = ApiToken.generate()
    row = ApiToken.objects.create(
        organisation=membership.organisation,
        created_by=membership.user,
        name=name,
        prefix=prefix,
        token_hash=digest,
    )
    return row, token


@dataclass
class OrgCast:
    org: Organisation
    department: Department
    members: dict[str, Membership] = field(default_factory=dict)
    invitation: Invitation | None = None

    def __getitem__(self, role: str) -> Membership:
        return self.members[role]


@dataclass
class Cast:
    a: OrgCast
    b: OrgCast

    @property
    def outsider(self) -> Membership:
        """Owner of organisation B: sees everything of B, nothing of A."""
        return self.b[Role.OWNER]


def build_org_cast(name: str, slug: str) -> OrgCast:
    org = make_org(name, slug=slug)
    department = make_department(org, "Verkoop")
    cast = OrgCast(org=org, department=department)
    for role in Role:
        cast.members[role] = make_member(
            org, role, department=department, email=f"{role}@{slug}.example"
        )
    cast.invitation = make_invitation(org, email=f"invited@{slug}.example", department=department)
    return cast


@pytest.fixture
def cast(db) -> Cast:
    return Cast(
        a=build_org_cast("Organisatie A", "org-a"), b=build_org_cast("Organisatie B", "org-b")
    )


@pytest.fixture
def owner_client(client, cast):
    client.force_login(cast.a[Role.OWNER].user)
    return client


@dataclass
class StrategyCast:
    """A published, signed-off version 1 and a draft version 2 with one of each item."""

    published: object
    draft: object
    items: dict


def _key(keys: dict, kind: str) -> dict:
    return {"key": keys[kind]} if kind in keys else {}


def make_strategy(org: Organisation, *, by=None, first_number: int = 1) -> StrategyCast:
    from decimal import Decimal

    from koers.strategy import models as s

    published = s.StrategyVersion.objects.create(
        organisation=org,
        number=first_number,
        status=s.Status.PUBLISHED,
        mission="Missie",
        primary_discipline=s.Discipline.CUSTOMER_INTIMACY,
        published_by=by,
        published_at=timezone.now(),
        signed_off_by=by,
        signed_off_at=timezone.now(),
    )
    draft = s.StrategyVersion.objects.create(
        organisation=org,
        number=first_number + 1,
        status=s.Status.DRAFT,
        mission="Missie",
        primary_discipline=s.Discipline.CUSTOMER_INTIMACY,
    )
    items = {}
    for version in (published, draft):
        # The draft's items carry the published items' keys, as a real copy does.
        keys = {kind: item.key for kind, item in items.get("published", {}).items()}
        goal = s.BusinessGoal.objects.create(
            organisation=org,
            version=version,
            title="Meer vaste klanten",
            **_key(keys, "business-goal"),
        )
        social = s.SocialGoal.objects.create(
            organisation=org,
            version=version,
            business_goal=goal,
            title="Klantwensen ophalen",
            **_key(keys, "social-goal"),
        )
        kpi = s.Kpi.objects.create(
            organisation=org,
            version=version,
            social_goal=social,
            name="Ideeën van klanten",
            unit="aantal",
            target=Decimal("40"),
            **_key(keys, "kpi"),
        )
        audience = s.Audience.objects.create(
            organisation=org, version=version, name="Vaste klanten", **_key(keys, "audience")
        )
        channel = s.Channel.objects.create(
            organisation=org,
            version=version,
            platform="linkedin",
            purpose="Dialoog",
            **_key(keys, "channel"),
        )
        pillar = s.ContentPillar.objects.create(
            organisation=org,
            version=version,
            name="Achter de schermen",
            **_key(keys, "pillar"),
        )
        items[version.status] = {
            "business-goal": goal,
            "social-goal": social,
            "kpi": kpi,
            "audience": audience,
            "channel": channel,
            "pillar": pillar,
        }
    return StrategyCast(published=published, draft=draft, items=items)


@dataclass
class WaveCast:
    """A closed wave, an open wave and a wave in preparation with one question."""

    closed: object
    open: object
    draft: object
    question: object
    candidate: object


def make_waves(org: Organisation, *, first_number: int = 1) -> WaveCast:
    from datetime import timedelta as _delta

    from koers.support import models as m

    now = timezone.now()
    closed = m.Wave.objects.create(
        organisation=org,
        number=first_number,
        title="Voorjaar",
        status=m.WaveStatus.CLOSED,
        closes_at=now - _delta(days=30),
        launched_at=now - _delta(days=44),
        closed_at=now - _delta(days=30),
    )
    opened = m.Wave.objects.create(
        organisation=org,
        number=first_number + 1,
        title="Zomer",
        status=m.WaveStatus.OPEN,
        closes_at=now + _delta(days=7),
        launched_at=now - _delta(days=1),
    )
    draft = m.Wave.objects.create(
        organisation=org, number=first_number + 2, title="Herfst", closes_at=now + _delta(days=30)
    )
    question = m.Question.objects.create(
        organisation=org,
        wave=draft,
        key="enthousiast",
        kind=m.QuestionKind.LIKERT,
        component=m.Component.SUPPORT,
        text="Ik ben enthousiast over social media.",
    )
    candidate = m.Ambassador.objects.create(
        organisation=org,
        membership=org.memberships.get(role="employee"),
        source=m.AmbassadorSource.SURVEY,
    )
    return WaveCast(closed=closed, open=opened, draft=draft, question=question, candidate=candidate)


def make_guideline(org: Organisation, **overrides):
    from koers.guidelines.actions import create_guideline

    values = {
        "title": "Geen projectnamen",
        "kind": "confidential",
        "severity": "block",
        "rationale": "Nog niet aangekondigd.",
        "terms": "Project Zeemeeuw",
    }
    values.update(overrides)
    return create_guideline(org, by=None, **values)


def tiny_png() -> bytes:
    """A real 2×2 PNG, made with Pillow."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (11, 85, 99)).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class ContentCast:
    """An item in review with a LinkedIn text and a photo, an approval step for an
    external reviewer with a link, and a role task for every member."""

    item: object
    step: object
    review_link: object
    task: object


def make_content(org: Organisation, members) -> ContentCast:
    from django.core.files.base import ContentFile

    from koers.content import actions
    from koers.content import models as c
    from koers.strategy.models import SocialGoal

    strategy_goal = SocialGoal.objects.filter(organisation=org, version__status="published").first()
    editor = members[Role.EDITOR]
    item = actions.create_item(
        org,
        by=editor,
        title="Klantverhaal",
        goal_key=strategy_goal.key if strategy_goal else None,
    )
    item.photo.save("foto.png", ContentFile(tiny_png()), save=True)
    actions.save_variant(item, "linkedin", "Een klant vertelt hoe het ging.", by=editor)
    step = c.ApprovalStep.objects.create(
        organisation=org, position=1, name="Klant", approver=c.EXTERNAL, mode=c.Mode.ANY
    )
    item.state = c.State.IN_REVIEW
    item.save(update_fields=["state"])
    link = c.ReviewLink.objects.create(
        organisation=org,
        item=item,
        step=step,
        name="Klant",
        email="klant@example.nl",
        revision=item.revision,
        expires_at=timezone.now() + timedelta(days=7),
    )
    task = c.RoleTask.objects.create(organisation=org, title="Meld een compliment")
    return ContentCast(item=item, step=step, review_link=link, task=task)


@dataclass
class ListeningCast:
    """A source, a saved query, a stakeholder, a mention the query matches and a file
    import that waits for its column mapping."""

    source: object
    query: object
    stakeholder: object
    mention: object
    import_job: object


def make_listening(org: Organisation) -> ListeningCast:
    from koers.listening import models as lm

    source = lm.Source.objects.create(
        organisation=org, kind=lm.SourceKind.RSS, name="Nieuws", url="https://nieuws.example/rss"
    )
    query = lm.SavedQuery.objects.create(
        organisation=org, name="Merk", text="fiets* OR #fietsen", role=lm.QueryRole.BRAND
    )
    stakeholder = lm.Stakeholder.objects.create(
        organisation=org, author="@verslaggever", name="Verslaggever", group=lm.Group.JOURNALIST
    )
    mention = lm.Mention.objects.create(
        organisation=org,
        source=source,
        external_id="1",
        author="@verslaggever",
        text="Een nieuwe fiets gekocht",
        published_at=timezone.now() - timedelta(hours=1),
        language="nl",
        sentiment=lm.Sentiment.POSITIVE,
        category=lm.Category.PRAISE,
        is_enriched=True,
    )
    lm.MentionMatch.objects.create(organisation=org, mention=mention, query=query)
    import_source = lm.Source.objects.create(
        organisation=org, kind=lm.SourceKind.IMPORT, name="export.csv"
    )
    import_job = lm.ImportJob.objects.create(
        organisation=org, source=import_source, filename="export.csv", format="csv"
    )
    return ListeningCast(
        source=source,
        query=query,
        stakeholder=stakeholder,
        mention=mention,
        import_job=import_job,
    )


@dataclass
class AlertsCast:
    rule: object
    channel: object
    alert: object
    incident: object


def make_alerts(org: Organisation, listening: ListeningCast | None = None) -> AlertsCast:
    """A volume rule with an in-app channel, one open alert of it (with a mention) and
    an incident linked to the alert, made directly with the ORM (on ``listening``, or
    a listening cast of its own)."""
    from koers.alerts import models as am

    listening = listening or make_listening(org)
    channel = am.Channel.objects.create(organisation=org, name="In Koers", kind="in_app")
    rule = am.AlertRule.objects.create(
        organisation=org,
        name="Piek in het merk",
        kind=am.RuleKind.VOLUME_SPIKE,
        query=listening.query,
        severity=4,
    )
    rule.channels.add(channel)
    now = timezone.now()
    alert = am.Alert.objects.create(
        organisation=org,
        rule=rule,
        kind=rule.kind,
        severity=rule.severity,
        title="Ongewoon veel vermeldingen: Merk",
        summary="60 vermeldingen in 5 minuten; normaal 2.",
        value=60,
        baseline=2,
        score=0.93,
        observed_at=now - timedelta(minutes=10),
    )
    am.AlertMention.objects.create(organisation=org, alert=alert, mention=listening.mention)
    incident = am.Incident.objects.create(organisation=org, title="Storing in de webshop")
    incident.alerts.add(alert)
    return AlertsCast(rule=rule, channel=channel, alert=alert, incident=incident)


@dataclass
class PublishingCast:
    """A Mastodon account and a manual one, with one failed publication on the first
    (to retry) and one waiting for its link on the second, made with the ORM."""

    mastodon: object
    manual: object
    failed: object
    waiting: object


def make_publishing(org: Organisation) -> PublishingCast:
    from koers.content import models as c
    from koers.publishing import models as p

    mastodon = p.ChannelAccount.objects.create(
        organisation=org,
        kind=p.AccountKind.MASTODON,
        name="Mastodon",
        serves="mastodon",
        address="https://mastodon.example",
        status=p.AccountStatus.CONNECTED,
    )
    manual = p.ChannelAccount.objects.create(
        organisation=org,
        kind=p.AccountKind.MANUAL,
        name="LinkedIn (met de hand)",
        serves="linkedin",
        status=p.AccountStatus.CONNECTED,
    )
    when = timezone.now() + timedelta(days=1)
    item = c.ContentItem.objects.create(
        organisation=org, title="Nieuwe winkel", state=c.State.SCHEDULED, scheduled_at=when
    )
    publications = []
    for account, status in ((mastodon, p.PublicationStatus.FAILED), (manual, "waiting")):
        variant = c.Variant.objects.create(
            organisation=org, item=item, channel=account.serves, text="Onze nieuwe winkel is open."
        )
        publications.append(
            p.Publication.objects.create(
                organisation=org, variant=variant, account=account, status=status, due_at=when
            )
        )
    return PublishingCast(mastodon, manual, *publications)
