from django.urls import path

from koers.guidelines import views

app_name = "guidelines"

base = "o/<slug:org_slug>/guidelines/"

urlpatterns = [
    path(base, views.library, name="library"),
    path(f"{base}new/", views.guideline_create, name="create"),
    path(f"{base}<int:pk>/", views.guideline_detail, name="detail"),
    path(f"{base}<int:pk>/edit/", views.guideline_edit, name="edit"),
    path(f"{base}acknowledge/", views.acknowledge, name="acknowledge"),
    path(f"{base}acknowledgements/", views.rates, name="rates"),
]
