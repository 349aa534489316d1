from django.urls import path

from koers.api import views

app_name = "api_tokens"

urlpatterns = [
    path("o/<slug:org_slug>/api-tokens/", views.tokens, name="list"),
    path("o/<slug:org_slug>/api-tokens/<int:pk>/revoke/", views.token_revoke, name="revoke"),
]
