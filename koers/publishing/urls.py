from django.urls import path

from koers.publishing import views

app_name = "publishing"

ORG = "o/<slug:org_slug>/publishing/"

urlpatterns = [
    # Channel accounts.
    path(ORG + "accounts/", views.accounts, name="accounts"),
    path(ORG + "accounts/new/", views.account_create, name="account_create"),
    path(ORG + "accounts/<int:pk>/", views.account_edit, name="account_edit"),
    path(ORG + "accounts/<int:pk>/delete/", views.account_delete, name="account_delete"),
    path(ORG + "accounts/<int:pk>/mastodon/", views.mastodon_connect, name="mastodon_connect"),
    path(ORG + "accounts/<int:pk>/bluesky/", views.bluesky_connect, name="bluesky_connect"),
    # One address for every Mastodon account: the account is in the signed state.
    path(ORG + "mastodon/callback/", views.mastodon_callback, name="mastodon_callback"),
    # Publications.
    # (Not at ORG itself: that is the area page for members who do not publish.)
    path(ORG + "publications/", views.publications, name="publications"),
    path(ORG + "publications/<int:pk>/retry/", views.publication_retry, name="publication_retry"),
    path(
        ORG + "publications/<int:pk>/record/", views.publication_record, name="publication_record"
    ),
]
