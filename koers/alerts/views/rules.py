"""Alert rules: the list (everyone who sees alerts), and creating, changing and
deleting them (``alerts.manage``). A new rule's kind is chosen first; the form then
shows only the fields that kind uses."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koers.adapters import add_errors
from koers.alerts import actions
from koers.alerts.forms import RuleForm
from koers.alerts.models import AlertRule, RuleKind
from koers.orgs.access import get_alert_rule, org_view


@require_GET
@org_view("alerts.view")
def rule_list(request):
    rules = (
        AlertRule.objects.for_org(request.org)
        .select_related("query", "competitor_query")
        .prefetch_related("channels")
    )
    return render(request, "alerts/rule_list.html", {"rules": rules})


def _render_form(request, form, *, rule=None, status=200):
    return render(
        request,
        "alerts/rule_form.html",
        {
            "form": form,
            "rule": rule,
            "kind": form.kind,
            "kind_label": RuleKind(form.kind).label,
        },
        status=status,
    )


def _save(request, form, rule=None):
    if not form.is_valid():
        return _render_form(request, form, rule=rule, status=400)
    try:
        if rule is None:
            rule = actions.create_rule(
                request.org, by=request.user, request=request, **form.values()
            )
        else:
            rule = actions.update_rule(rule, by=request.user, request=request, **form.values())
    except ValidationError as error:
        add_errors(form, error)
        return _render_form(request, form, rule=rule, status=400)
    messages.success(request, _("The rule “%(name)s” is saved.") % {"name": rule.name})
    return redirect("alerts:rules", org_slug=request.org.slug)


@never_cache
@require_http_methods(["GET", "POST"])
@org_view("alerts.manage")
def rule_create(request):
    kind = request.POST.get("kind") or request.GET.get("kind")
    if kind not in RuleKind.values:
        return render(request, "alerts/rule_kinds.html", {"kinds": RuleKind.choices})
    if request.method == "POST":
        return _save(request, RuleForm(request.POST, organisation=request.org, kind=kind))
    return _render_form(request, RuleForm(organisation=request.org, kind=kind))


@never_cache
@require_http_methods(["GET", "POST"])
@org_view("alerts.manage")
def rule_edit(request, pk):
    rule = get_alert_rule(request, pk, write=True)
    if request.method == "POST":
        return _save(
            request, RuleForm(request.POST, organisation=request.org, kind=rule.kind), rule
        )
    form = RuleForm(organisation=request.org, kind=rule.kind, initial=RuleForm.initial_for(rule))
    return _render_form(request, form, rule=rule)


@require_POST
@org_view("alerts.manage")
def rule_delete(request, pk):
    rule = get_alert_rule(request, pk, write=True)
    name = rule.name
    actions.delete_rule(rule, by=request.user, request=request)
    messages.success(request, _("The rule “%(name)s” is deleted.") % {"name": name})
    return redirect("alerts:rules", org_slug=request.org.slug)
