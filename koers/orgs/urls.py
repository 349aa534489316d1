from django.urls import path

from koers.orgs import views

app_name = "orgs"

urlpatterns = [
    path("o/<slug:org_slug>/members/", views.members, name="members"),
    path("o/<slug:org_slug>/members/invite/", views.invite, name="invite"),
    path("o/<slug:org_slug>/members/<int:pk>/", views.member_edit, name="member_edit"),
    path("o/<slug:org_slug>/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path(
        "o/<slug:org_slug>/invitations/<int:pk>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "o/<slug:org_slug>/invitations/<int:pk>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path("o/<slug:org_slug>/departments/", views.departments, name="departments"),
    path("o/<slug:org_slug>/departments/new/", views.department_create, name="department_create"),
    path("o/<slug:org_slug>/departments/<int:pk>/", views.department_edit, name="department_edit"),
    path(
        "o/<slug:org_slug>/departments/<int:pk>/delete/",
        views.department_delete,
        name="department_delete",
    ),
    path("o/<slug:org_slug>/settings/", views.settings_view, name="settings"),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
