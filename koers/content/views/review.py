"""Placeholder: replaced by the module's real views."""

from django.http import Http404

from koers.orgs.access import org_view, public_view


def _stub(capability):
    @org_view(capability)
    def view(request, *args, **kwargs):
        raise Http404

    return view


decide = _stub("content.approve")
review_link_create = _stub("content.edit")
review_link_revoke = _stub("content.edit")


@public_view("external reviewers have no account")
def review(request, item_pk, token):
    raise Http404
