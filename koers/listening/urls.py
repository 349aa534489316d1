from django.urls import path

from koers.listening.views import explorer, imports, queries, share, sources, stakeholders

app_name = "listening"

ORG = "o/<slug:org_slug>/listening/"

urlpatterns = [
    # Mentions.
    path(ORG, explorer.explorer, name="explorer"),
    path(ORG + "export.csv", explorer.export, name="export"),
    path(ORG + "mentions/<int:pk>/correct/", explorer.correct, name="correct"),
    path(ORG + "about/", explorer.about, name="about"),
    # Saved queries.
    path(ORG + "queries/", queries.query_list, name="queries"),
    path(ORG + "queries/new/", queries.query_create, name="query_create"),
    path(ORG + "queries/check/", queries.query_check, name="query_check"),
    path(ORG + "queries/<int:pk>/", queries.query_edit, name="query_edit"),
    path(ORG + "queries/<int:pk>/delete/", queries.query_delete, name="query_delete"),
    # Sources.
    path(ORG + "sources/", sources.source_list, name="sources"),
    path(ORG + "sources/new/", sources.source_create, name="source_create"),
    path(ORG + "sources/<int:pk>/", sources.source_edit, name="source_edit"),
    path(ORG + "sources/<int:pk>/pause/", sources.source_pause, name="source_pause"),
    path(ORG + "sources/<int:pk>/resume/", sources.source_resume, name="source_resume"),
    path(ORG + "sources/<int:pk>/fetch/", sources.source_fetch, name="source_fetch"),
    path(ORG + "sources/<int:pk>/delete/", sources.source_delete, name="source_delete"),
    # Stakeholders.
    path(ORG + "stakeholders/", stakeholders.stakeholder_list, name="stakeholders"),
    path(ORG + "stakeholders/add/", stakeholders.stakeholder_add, name="stakeholder_add"),
    path(
        ORG + "stakeholders/<int:pk>/remove/",
        stakeholders.stakeholder_remove,
        name="stakeholder_remove",
    ),
    # Share of voice.
    path(ORG + "share-of-voice/", share.share, name="share"),
    path(ORG + "share-of-voice/chart.svg", share.share_chart, name="share_chart"),
    # File imports.
    path(ORG + "imports/", imports.import_upload, name="imports"),
    path(ORG + "imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path(ORG + "imports/<int:pk>/run/", imports.import_run, name="import_run"),
    path(ORG + "imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
]
