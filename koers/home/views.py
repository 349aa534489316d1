"""The shell: start page, organisation dashboard, product areas, health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from koers.home.areas import AREA_BY_SLUG
from koers.orgs.access import SESSION_ORG_KEY, org_view, public_view
from koers.orgs.models import Membership


@require_safe
@public_view("start page: sends a visitor to login or to their own organisation")
def start(request):
    if not request.user.is_authenticated:
        return redirect("account_login")
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    current = request.session.get(SESSION_ORG_KEY)
    chosen = (current and memberships.filter(organisation__slug=current).first()) or (
        memberships.order_by("organisation__name").first()
    )
    if chosen is None:
        return render(request, "home/no_organisation.html")
    return redirect("home:dashboard", org_slug=chosen.organisation.slug)


@require_GET
@org_view("org.view")
def dashboard(request):
    from koers.content.actions import awaiting_decision, tasks_for
    from koers.guidelines.actions import pending_for

    membership = request.membership
    return render(
        request,
        "home/dashboard.html",
        {
            "pending_guidelines": len(pending_for(membership)),
            "due_tasks": sum(1 for state in tasks_for(membership) if state.is_due),
            "to_decide": len(awaiting_decision(membership)),
        },
    )


@require_GET
@org_view("org.view")
def area(request, area):
    selected = AREA_BY_SLUG.get(area)
    if selected is None:
        raise Http404
    return render(request, "home/area.html", {"area": selected})


@require_GET
@login_required
def organisations(request):
    return render(request, "home/organisations.html")


organisations.koers_access = ("user", "lists only the user's own memberships")


@never_cache
@require_safe
@public_view("health check for load balancers; reveals nothing")
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
