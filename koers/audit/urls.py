from django.urls import path

from koers.audit import views

app_name = "audit"

urlpatterns = [
    path("o/<slug:org_slug>/audit/", views.log, name="log"),
    path("o/<slug:org_slug>/audit/export.csv", views.export, name="export"),
]
