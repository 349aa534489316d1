from django import template

from koers.alerts.channels.in_app import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_alerts(context) -> int:
    """The member's unread alert notifications in this organisation (alert pages only:
    the count costs a query)."""
    request = context.get("request")
    org = context.get("org")
    user = getattr(request, "user", None)
    if org is None or user is None or not user.is_authenticated:
        return 0
    return unread_count(user, org)
