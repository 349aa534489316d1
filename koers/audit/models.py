"""The audit log: who did what, when and from where, per organisation."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
    PASSWORD_RESET = "password_reset", _("Password reset")
    TWO_FACTOR_ON = "two_factor_on", _("Two-factor authentication turned on")
    TWO_FACTOR_OFF = "two_factor_off", _("Two-factor authentication turned off")
    INVITATION_SENT = "invitation_sent", _("Invitation created")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation withdrawn")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    ROLE_CHANGED = "role_changed", _("Role or department changed")
    MEMBER_REMOVED = "member_removed", _("Member removed")
    DEPARTMENT_CREATED = "department_created", _("Department created")
    DEPARTMENT_CHANGED = "department_changed", _("Department renamed")
    DEPARTMENT_DELETED = "department_deleted", _("Department deleted")
    SETTINGS_CHANGED = "settings_changed", _("Settings changed")
    EXPORT = "export", _("Export")
    API_TOKEN_CREATED = "api_token_created", _("API token created")
    API_TOKEN_REVOKED = "api_token_revoked", _("API token revoked")
    ORGANISATION_CREATED = "organisation_created", _("Organisation created")
    STRATEGY_DRAFTED = "strategy_drafted", _("Strategy draft started")
    STRATEGY_DISCARDED = "strategy_discarded", _("Strategy draft discarded")
    STRATEGY_PUBLISHED = "strategy_published", _("Strategy published")
    STRATEGY_SIGNED_OFF = "strategy_signed_off", _("Strategy signed off")
    WAVE_CREATED = "wave_created", _("Pulse survey prepared")
    WAVE_LAUNCHED = "wave_launched", _("Pulse survey launched")
    WAVE_REMINDED = "wave_reminded", _("Pulse survey reminder sent")
    WAVE_CLOSED = "wave_closed", _("Pulse survey closed")
    AMBASSADOR_PROPOSED = "ambassador_proposed", _("Ambassador candidate proposed")
    AMBASSADOR_INVITED = "ambassador_invited", _("Invited to an ambassador team")
    AMBASSADOR_JOINED = "ambassador_joined", _("Joined an ambassador team")
    AMBASSADOR_DECLINED = "ambassador_declined", _("Declined or left the ambassador network")
    AMBASSADOR_TEAM_CREATED = "ambassador_team_created", _("Ambassador team created")
    MATURITY_ASSESSED = "maturity_assessed", _("Maturity assessed")
    GUIDELINE_CHANGED = "guideline_changed", _("Guideline added or changed")
    GUIDELINE_OVERRIDDEN = "guideline_overridden", _("Guideline warning overridden")
    CONTENT_APPROVED = "content_approved", _("Content approved")
    CONTENT_REJECTED = "content_rejected", _("Content rejected")
    REVIEW_LINK_CREATED = "review_link_created", _("External review link sent")
    APPROVAL_RULES_CHANGED = "approval_rules_changed", _("Approval rules changed")
    LISTENING_QUERY_SAVED = "listening_query_saved", _("Saved query added or changed")
    LISTENING_QUERY_DELETED = "listening_query_deleted", _("Saved query deleted")
    LISTENING_SOURCE_SAVED = "listening_source_saved", _("Listening source added or changed")
    LISTENING_SOURCE_PAUSED = "listening_source_paused", _("Listening source paused")
    LISTENING_SOURCE_RESUMED = "listening_source_resumed", _("Listening source resumed")
    LISTENING_SOURCE_DELETED = "listening_source_deleted", _("Listening source deleted")
    STAKEHOLDER_ADDED = "stakeholder_added", _("Stakeholder added")
    STAKEHOLDER_REMOVED = "stakeholder_removed", _("Stakeholder removed")
    ALERT_RULE_CREATED = "alert_rule_created", _("Alert rule created")
    ALERT_RULE_CHANGED = "alert_rule_changed", _("Alert rule changed")
    ALERT_RULE_DELETED = "alert_rule_deleted", _("Alert rule deleted")
    ALERT_CHANNEL_CREATED = "alert_channel_created", _("Alert channel created")
    ALERT_CHANNEL_CHANGED = "alert_channel_changed", _("Alert channel changed")
    ALERT_CHANNEL_DELETED = "alert_channel_deleted", _("Alert channel deleted")
    ALERT_RAISED = "alert_raised", _("Alert raised")
    ALERT_ACKNOWLEDGED = "alert_acknowledged", _("Alert acknowledged")
    ALERT_ASSIGNED = "alert_assigned", _("Alert assigned")
    ALERT_RESOLVED = "alert_resolved", _("Alert resolved")
    INCIDENT_OPENED = "incident_opened", _("Incident opened")
    INCIDENT_CHANGED = "incident_changed", _("Incident changed")
    CHANNEL_ACCOUNT_CONNECTED = "channel_account_connected", _("Publishing account connected")
    CHANNEL_ACCOUNT_CHANGED = "channel_account_changed", _("Publishing account added or changed")
    CHANNEL_ACCOUNT_DELETED = "channel_account_deleted", _("Publishing account deleted")


class AuditEventQuerySet(models.QuerySet):
    def for_org(self, organisation):
        return self.filter(organisation=organisation)


class AuditEvent(models.Model):
    """One security-relevant or strategic action. Rows are only ever added."""

    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.CASCADE, related_name="audit_events"
    )
    created_at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A copy of the actor's address: the log must still say who it was after the
    # account is deleted.
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=40, choices=Action.choices)
    target = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action}"
