from django.urls import path

from koers.strategy.views import edit, read

app_name = "strategy"

base = "o/<slug:org_slug>/strategy/"

urlpatterns = [
    # Reading (every member)
    path(base, read.page, name="page"),
    path(f"{base}versions/", read.versions, name="versions"),
    path(f"{base}v/<int:number>/", read.version, name="version"),
    path(f"{base}v/<int:number>/strategy.pdf", read.export_pdf, name="export_pdf"),
    path(f"{base}v/<int:number>/strategy.md", read.export_markdown, name="export_markdown"),
    path(f"{base}v/<int:number>/sign-off/", read.sign_off, name="sign_off"),
    # Editing the draft (owner, strategist)
    path(f"{base}draft/", edit.draft, name="draft"),
    path(f"{base}wizard/", edit.wizard, name="wizard"),
    path(f"{base}draft/start/", edit.start_draft, name="start_draft"),
    path(f"{base}draft/discard/", edit.discard_draft, name="discard_draft"),
    path(f"{base}draft/profile/", edit.profile, name="profile"),
    path(f"{base}draft/publish/", edit.publish, name="publish"),
    path(f"{base}draft/<slug:kind>/new/", edit.item_create, name="item_create"),
    path(f"{base}draft/<slug:kind>/<int:pk>/", edit.item_edit, name="item_edit"),
    path(f"{base}draft/<slug:kind>/<int:pk>/delete/", edit.item_delete, name="item_delete"),
]
