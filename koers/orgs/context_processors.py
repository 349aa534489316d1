from koers.home.areas import AREAS
from koers.orgs.capabilities import CAPABILITIES, can

# "members.manage" → "members_manage", for templates: {% if may.members_manage %}.
_TEMPLATE_NAMES = {capability.replace(".", "_"): capability for capability in CAPABILITIES}
assert len(_TEMPLATE_NAMES) == len(CAPABILITIES), "two capabilities share a template name"


def organisation(request):
    """The current organisation, the user's organisations and ``may`` for templates."""
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    memberships = []
    if user is not None and user.is_authenticated:
        memberships = list(
            user.memberships.select_related("organisation").order_by("organisation__name")
        )
    return {
        "org": getattr(request, "org", None),
        "membership": membership,
        "my_memberships": memberships,
        "may": _Capabilities(membership),
        "nav_areas": [
            {
                "slug": area.slug,
                "name": area.name,
                "purpose": area.purpose,
                "url_name": area.url_name_for(membership),
                # The app whose pages belong to the area (for the current-page mark).
                "app": area.built_url_name.split(":")[0] if area.built_url_name else area.slug,
            }
            for area in AREAS
        ]
        if membership is not None
        else [],
    }


class _Capabilities:
    def __init__(self, membership):
        self.membership = membership

    def __getattr__(self, name):
        if name not in _TEMPLATE_NAMES:
            raise AttributeError(name)
        return can(self.membership, _TEMPLATE_NAMES[name])
