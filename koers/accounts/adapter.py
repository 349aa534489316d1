"""How allauth fits Koers: no open sign-up, people join through an invitation."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Accounts are created by accepting an invitation (orgs.actions.accept_invitation).
        return False

    def get_login_redirect_url(self, request):
        return reverse("home:start")
