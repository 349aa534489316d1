"""Login, logout and failed logins come from Django and allauth as signals; these
receivers only translate them into audit events (no business rules here)."""

from allauth.account.signals import password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from koers.audit.actions import record_events
from koers.audit.models import Action
from koers.orgs.models import Organisation


def _organisations_of(user):
    return list(Organisation.objects.filter(memberships__user=user))


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record_events(_organisations_of(user), action=Action.LOGIN, by=user, request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record_events(_organisations_of(user), action=Action.LOGOUT, by=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    email = (credentials.get("email") or credentials.get("username") or "").strip().lower()
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    if user is None:
        # An unknown address belongs to no organisation; the server log has it.
        return
    record_events(
        _organisations_of(user),
        action=Action.LOGIN_FAILED,
        request=request,
        actor_email=user.email,
    )


@receiver(password_reset)
def on_password_reset(sender, request, user, **kwargs):
    record_events(_organisations_of(user), action=Action.PASSWORD_RESET, by=user, request=request)


@receiver(authenticator_added)
def on_authenticator_added(sender, request, authenticator, **kwargs):
    record_events(
        _organisations_of(authenticator.user),
        action=Action.TWO_FACTOR_ON,
        by=authenticator.user,
        request=request,
        target=authenticator.type,
    )


@receiver(authenticator_removed)
def on_authenticator_removed(sender, request, authenticator, **kwargs):
    record_events(
        _organisations_of(authenticator.user),
        action=Action.TWO_FACTOR_OFF,
        by=authenticator.user,
        request=request,
        target=authenticator.type,
    )
