"""The product areas shown in the navigation, in their order."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Area:
    slug: str
    name: str
    purpose: str
    coming: list
    # An area that is built has its own app and URL; the others get an empty page.
    built_url_name: str = ""
    # Who reaches the area's main page; the others go to ``member_url_name``.
    capability: str = "org.view"
    member_url_name: str = ""
    # Parts of an area not built yet that already work: (label, URL name).
    available: tuple = ()

    @property
    def url_name(self) -> str:
        return self.built_url_name or f"home:{self.slug}"

    def url_name_for(self, membership) -> str:
        """The page this member lands on from the navigation."""
        from koers.orgs.capabilities import can

        if self.member_url_name and not can(membership, self.capability):
            return self.member_url_name
        return self.url_name


AREAS = (
    Area(
        "strategy",
        _("Strategy"),
        _(
            "Derive the social strategy from the business strategy: goals, KPIs, audiences, "
            "channels and content pillars in one goal tree."
        ),
        [
            _("Business strategy and value discipline"),
            _("Goal tree with KPIs and targets"),
            _("A readable strategy page for every employee"),
        ],
        built_url_name="strategy:page",
    ),
    Area(
        "support",
        _("Support"),
        _("Measure and grow the internal support (draagvlak) behind the strategy, per department."),
        [
            _("Pulse surveys and the strategy understanding check"),
            _("Support index per department"),
            _("Ambassador network"),
        ],
        built_url_name="support:dashboard",
        capability="support.view",
        # Everyone else: their own part in the draagvlak (ambassador network).
        member_url_name="support:my_ambassador",
    ),
    Area(
        "content",
        _("Content"),
        _(
            "From idea to post: an idea inbox for every employee, an editorial pipeline and "
            "guidelines."
        ),
        [_("Idea inbox"), _("Editorial calendar and approval"), _("Guideline checks")],
        built_url_name="content:pipeline",
        capability="content.view",
        # Everyone else: the idea inbox (advisors see the pipeline).
        member_url_name="content:ideas",
    ),
    Area(
        "publishing",
        _("Publishing"),
        _("Connect channels and publish every approved post exactly once."),
        [_("Channel accounts"), _("Scheduling"), _("Engagement metrics")],
        built_url_name="publishing:publications",
        capability="publishing.manage",
        # Everyone else: the page that says what this area is.
        member_url_name="home:publishing",
    ),
    Area(
        "listening",
        _("Listening"),
        _("Follow what is said about the organisation, its competitors and its topics."),
        [
            _("Boolean queries"),
            _("Sources such as RSS, Mastodon and Bluesky"),
            _("Sentiment and categories"),
        ],
        built_url_name="listening:explorer",
        capability="listening.view",
        # Employees read no mentions: they land on a page that says what listening is.
        member_url_name="listening:about",
    ),
    Area(
        "signals",
        _("Signals"),
        _("Early warning for the unexpected, incidents and the lessons learned from them."),
        [_("Volume and sentiment alerts"), _("Incident workspace"), _("Lessons library")],
        built_url_name="alerts:list",
        capability="alerts.view",
        # Employees see no alerts: the page that says what this area is.
        member_url_name="home:signals",
    ),
    Area(
        "webcare",
        _("Webcare"),
        _("Answer customers within the agreed response time."),
        [_("Inbox and assignment"), _("Response-time targets"), _("Reply templates")],
    ),
    Area(
        "measurement",
        _("Measurement"),
        _("Are we on course? KPIs against targets, ROI and reports."),
        [_("KPI dashboard"), _("ROI per value discipline"), _("Scheduled reports")],
    ),
)

AREA_BY_SLUG = {area.slug: area for area in AREAS}
