"""Approval: a member's decision on an item, review links for people outside Koers, and
the page such a reviewer opens from the e-mail (no account needed).

The review page is public: the signed link is the credential and is checked on every
request by ``actions.review_problem``. It shows only the item the link is for, never the
photo (media sit behind login), and is never cached or passed on as a referrer.
"""

from __future__ import annotations

from contextlib import ExitStack
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from koers.adapters import add_errors
from koers.content import actions
from koers.content.models import Approval, Decision, find_review_link
from koers.content.review_forms import DecisionForm, ReviewLinkForm
from koers.content.workflow import TransitionRefused
from koers.orgs import access
from koers.orgs.access import org_view, public_view


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _form_errors(request, form) -> None:
    """These forms sit on the item's page: their errors go back there as messages."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        text = " ".join(errors)
        messages.error(request, f"{label}: {text}" if label else text)


def _back(request, item):
    return redirect("content:detail", org_slug=request.org.slug, pk=item.pk)


@require_POST
@org_view("content.approve")
def decide(request, pk: int):
    item = access.get_content_item(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, item)
    decision = form.cleaned_data["decision"]
    try:
        actions.decide(
            item,
            by=request.membership,
            decision=decision,
            comment=form.cleaned_data["comment"],
            request=request,
        )
    except TransitionRefused as refused:
        messages.error(request, actions.refusal_message(refused))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        if decision == Decision.APPROVE:
            messages.success(request, _("Approved"))
        else:
            messages.success(request, _("Sent back to the editor"))
    return _back(request, item)


@require_POST
@org_view("content.edit")
def review_link_create(request, pk: int):
    item = access.get_content_item(request, pk)
    form = ReviewLinkForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return _back(request, item)
    try:
        link = actions.create_review_link(
            item,
            by=request.membership,
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            days=form.cleaned_data["days"],
            request=request,
        )
    except TransitionRefused as refused:
        messages.error(request, actions.refusal_message(refused))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        # Shown this once, so the editor can also pass the link on by hand.
        messages.success(
            request,
            _("A review link is on its way to %(email)s. You can also send it yourself: %(url)s")
            % {"email": link.email, "url": link.url},
        )
    return _back(request, item)


@require_POST
@org_view("content.edit")
def review_link_revoke(request, pk: int, link_pk: int):
    item = access.get_content_item(request, pk)
    link = access.get_review_link(request, link_pk)
    if link.item_id != item.pk:
        raise Http404
    try:
        actions.revoke_review_link(link, by=request.membership)
    except TransitionRefused as refused:
        messages.error(request, actions.refusal_message(refused))
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("The link for %(name)s no longer works.") % {"name": link.name})
    return _back(request, item)


# --- the external reviewer's page -------------------------------------------------------

PROBLEM_STATUS = {
    "invalid": 404,
    "other_item": 404,
    "expired": 410,
    "used": 410,
    "revoked": 410,
    "outdated": 410,
    "not_in_review": 409,
}


def _private(view):
    """The token is in the address: no cache may keep the page, and no request from it
    may pass the address on ("strict-origin" sends at most the site's origin; see
    support/views/answer.py for why not "no-referrer")."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Referrer-Policy"] = "strict-origin"
        return response

    return wrapper


def _settings_of(request, organisation) -> ExitStack:
    """The organisation's time zone, and its language unless the visitor chose one."""
    stack = ExitStack()
    stack.enter_context(timezone.override(organisation.zone))
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        stack.enter_context(translation.override(organisation.default_language))
    return stack


def _problem(request, problem: str, link=None):
    context = {"problem": problem, "organisation": None, "used": None}
    if link is not None and problem != "invalid":
        context["organisation"] = link.organisation
        if problem == "used":
            context["used"] = Approval.objects.filter(review_link=link).first()
            context["used_at"] = link.used_at
    return render(request, "content/review_problem.html", context, status=PROBLEM_STATUS[problem])


def _page(request, link, form, *, status=200, blocked=False):
    item = link.item
    return render(
        request,
        "content/review.html",
        {
            "link": link,
            "item": item,
            "organisation": link.organisation,
            "variants": list(item.variants.all()),
            "form": form,
            "blocked": blocked,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@public_view("the signed review link is the credential; checked here on every request")
@_private
def review(request, item_pk: int, token: str):
    link = find_review_link(token)
    problem = actions.review_problem(link, item_pk)
    if link is None:
        return _problem(request, "invalid")
    with _settings_of(request, link.organisation):
        if problem:
            return _problem(request, problem, link)
        if request.method != "POST":
            return _page(request, link, DecisionForm())
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return _page(request, link, form, status=400)
        decision = form.cleaned_data["decision"]
        try:
            actions.decide_by_link(
                link,
                item_pk=item_pk,
                decision=decision,
                comment=form.cleaned_data["comment"],
            )
        except actions.ReviewRefused as refused:
            if refused.reason == "blocked":
                link.item.refresh_from_db()
                return _page(request, link, form, status=409, blocked=True)
            link.refresh_from_db()
            return _problem(request, refused.reason, link)
        except ValidationError as error:
            add_errors(form, error)
            return _page(request, link, form, status=400)
        return render(
            request,
            "content/review_done.html",
            {
                "organisation": link.organisation,
                "item": link.item,
                "decision": decision,
            },
        )
