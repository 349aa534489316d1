"""Placeholder: replaced by the module's real views."""

from django.http import Http404

from koers.orgs.access import org_view


def _stub(capability):
    @org_view(capability)
    def view(request, *args, **kwargs):
        raise Http404

    return view


calendar = _stub("content.view")
reschedule = _stub("publishing.manage")
evergreen = _stub("content.view")
evergreen_use = _stub("publishing.manage")
