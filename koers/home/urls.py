from django.urls import path

from koers.home import views
from koers.home.areas import AREAS

app_name = "home"

urlpatterns = [
    path("", views.start, name="start"),
    path("organisations/", views.organisations, name="organisations"),
    path("o/<slug:org_slug>/", views.dashboard, name="dashboard"),
    # A page about every product area not built yet; a built area has its own app, and
    # keeps this page only for the members it sends here (those who may not use it).
    *[
        path(f"o/<slug:org_slug>/{area.slug}/", views.area, {"area": area.slug}, name=area.slug)
        for area in AREAS
        if not area.built_url_name or area.member_url_name == f"home:{area.slug}"
    ],
]
