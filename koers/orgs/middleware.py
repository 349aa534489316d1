"""Language: the person's own choice (cookie) wins; otherwise, once logged in, their
organisation's default language; before login, the browser's preference."""

from django.conf import settings
from django.utils import translation


class OrganisationLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and request.user.is_authenticated:
            memberships = request.user.memberships.select_related("organisation")
            current = request.session.get("koers_org")
            membership = (
                current and memberships.filter(organisation__slug=current).first()
            ) or memberships.first()
            if membership:
                translation.activate(membership.organisation.default_language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
