from django.urls import path

from koers.alerts.views import alerts, channels, incidents, notifications, rules

app_name = "alerts"

ORG = "o/<slug:org_slug>/alerts/"

urlpatterns = [
    # Alerts.
    path(ORG, alerts.alert_list, name="list"),
    path(ORG + "<int:pk>/", alerts.alert_detail, name="detail"),
    path(ORG + "<int:pk>/chart.svg", alerts.alert_chart, name="chart"),
    path(ORG + "<int:pk>/acknowledge/", alerts.alert_acknowledge, name="acknowledge"),
    path(ORG + "<int:pk>/assign/", alerts.alert_assign, name="assign"),
    path(ORG + "<int:pk>/resolve/", alerts.alert_resolve, name="resolve"),
    path(ORG + "<int:pk>/incident/", alerts.alert_open_incident, name="open_incident"),
    # Rules.
    path(ORG + "rules/", rules.rule_list, name="rules"),
    path(ORG + "rules/new/", rules.rule_create, name="rule_create"),
    path(ORG + "rules/<int:pk>/", rules.rule_edit, name="rule_edit"),
    path(ORG + "rules/<int:pk>/delete/", rules.rule_delete, name="rule_delete"),
    # Channels.
    path(ORG + "channels/", channels.channel_list, name="channels"),
    path(ORG + "channels/new/", channels.channel_create, name="channel_create"),
    path(ORG + "channels/<int:pk>/", channels.channel_edit, name="channel_edit"),
    path(ORG + "channels/<int:pk>/test/", channels.channel_test, name="channel_test"),
    path(ORG + "channels/<int:pk>/delete/", channels.channel_delete, name="channel_delete"),
    # In-app notifications (the member's own).
    path(ORG + "notifications/", notifications.notification_list, name="notifications"),
    path(ORG + "notifications/read/", notifications.notifications_read, name="notifications_read"),
    # Incidents (a simple record for now).
    path("o/<slug:org_slug>/incidents/", incidents.incident_list, name="incidents"),
    path("o/<slug:org_slug>/incidents/<int:pk>/", incidents.incident_detail, name="incident"),
]
