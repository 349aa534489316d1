"""Placeholder: replaced by the module's real views."""

from django.http import Http404

from koers.orgs.access import org_view


def _stub(capability):
    @org_view(capability)
    def view(request, *args, **kwargs):
        raise Http404

    return view


mix = _stub("content.view")
mix_targets = _stub("strategy.edit")
