from django.urls import path

from koers.content import views

app_name = "content"

urlpatterns = [
    path("o/<slug:org_slug>/content/check/", views.self_check, name="self_check"),
]
