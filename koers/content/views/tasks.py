"""Placeholder: replaced by the module's real views."""

from django.http import Http404

from koers.orgs.access import org_view


def _stub(capability):
    @org_view(capability)
    def view(request, *args, **kwargs):
        raise Http404

    return view


my_tasks = _stub("org.view")
task_done = _stub("org.view")
tasks_manage = _stub("content.manage_rules")
task_edit = _stub("content.manage_rules")
