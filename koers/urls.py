from django.urls import include, path
from django.views.i18n import set_language

from koers.api.api import api
from koers.home.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("", include("koers.orgs.urls")),
    path("", include("koers.audit.urls")),
    path("", include("koers.api.urls")),
    path("", include("koers.strategy.urls")),
    path("", include("koers.support.urls")),
    path("", include("koers.content.urls")),
    path("", include("koers.guidelines.urls")),
    path("", include("koers.listening.urls")),
    path("", include("koers.alerts.urls")),
    path("", include("koers.publishing.urls")),
    path("", include("koers.home.urls")),
]
