"""Placeholder: replaced by the module's real views."""

from django.http import Http404

from koers.orgs.access import org_view


def _stub(capability):
    @org_view(capability)
    def view(request, *args, **kwargs):
        raise Http404

    return view


pipeline = _stub("content.view")
ideas = _stub("content.submit_idea")
create = _stub("content.edit")
detail = _stub("org.view")
edit = _stub("org.view")
variant = _stub("content.edit")
variant_check = _stub("content.edit")
transition = _stub("org.view")
override = _stub("content.edit")
photo = _stub("org.view")
