"""API token management in the web app."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from koers.api.actions import create_api_token, revoke_api_token
from koers.api.models import ApiToken
from koers.orgs import access
from koers.orgs.access import org_view


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “BI export”."),
    )


@require_http_methods(["GET", "POST"])
@org_view("api_tokens.manage")
def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _row, new_token = create_api_token(
            request.org, name=form.cleaned_data["name"], by=request.user, request=request
        )
        form = TokenForm()
    rows = ApiToken.objects.for_org(request.org).active().filter(created_by=request.user)
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": rows,
            "new_token": new_token,
        },
        status=400 if form.errors else 200,
    )
    # The secret is on this page once: keep it out of caches and the back button.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@org_view("api_tokens.manage")
def token_revoke(request, pk):
    token = access.get_api_token(request, pk)
    revoke_api_token(token, by=request.user, request=request)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("api_tokens:list", org_slug=request.org.slug)
