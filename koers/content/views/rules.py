"""Placeholder: replaced by the module's real views."""

from django.http import Http404

from koers.orgs.access import org_view


def _stub(capability):
    @org_view(capability)
    def view(request, *args, **kwargs):
        raise Http404

    return view


approval_rules = _stub("content.manage_rules")
approval_rule_delete = _stub("content.manage_rules")
approval_rule_move = _stub("content.manage_rules")
