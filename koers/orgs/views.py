"""Members, invitations, departments and settings of an organisation."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koers.adapters import add_errors
from koers.orgs import access, actions
from koers.orgs.access import org_view, public_view
from koers.orgs.forms import (
    AcceptInvitationForm,
    DepartmentForm,
    InviteForm,
    MembershipForm,
    OrganisationSettingsForm,
)
from koers.orgs.models import Department, Invitation, Membership, find_invitation


@require_GET
@org_view("members.view")
def members(request):
    org = request.org
    member_list = (
        Membership.objects.for_org(org)
        .select_related("user", "department")
        .order_by("user__name", "user__email")
    )
    invitations = (
        Invitation.objects.for_org(org)
        .filter(accepted_at__isnull=True, revoked_at__isnull=True)
        .select_related("department", "invited_by")
    )
    return render(
        request,
        "orgs/members.html",
        {
            "members": member_list,
            "invitations": invitations,
            "invite_form": InviteForm(membership=request.membership),
        },
    )


@require_POST
@org_view("members.manage")
def invite(request):
    form = InviteForm(request.POST, membership=request.membership)
    if form.is_valid():
        try:
            invitation = actions.invite_member(
                request.org,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                department=form.cleaned_data["department"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("orgs:members", org_slug=request.org.slug)
    return render(request, "orgs/invite.html", {"invite_form": form}, status=400)


@require_http_methods(["GET", "POST"])
@org_view("members.manage")
def member_edit(request, pk):
    """A page of its own, or (with htmx) the member's table row turned into a form."""
    member = access.get_member(request, pk, write=True)
    form = MembershipForm(
        request.POST or None,
        membership=request.membership,
        initial={"role": member.role, "department": member.department},
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = actions.change_membership(
                member,
                role=form.cleaned_data["role"],
                department=form.cleaned_data["department"],
                by=request.user,
                request=request,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if request.htmx:
                return render(request, "orgs/_member_row.html", {"m": member})
            messages.success(request, _("Saved the role of %(name)s.") % {"name": member.user})
            return redirect("orgs:members", org_slug=request.org.slug)
    if request.htmx:
        # htmx swaps only 2xx answers by default: errors come back inside the row.
        return render(request, "orgs/_member_edit_row.html", {"member": member, "form": form})
    status = 400 if form.errors else 200
    return render(request, "orgs/member_edit.html", {"member": member, "form": form}, status=status)


@require_POST
@org_view("members.manage")
def member_remove(request, pk):
    member = access.get_member(request, pk, write=True)
    try:
        actions.remove_member(member, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is no longer a member.") % {"name": member.user})
    return redirect("orgs:members", org_slug=request.org.slug)


@require_POST
@org_view("members.manage")
def invitation_revoke(request, pk):
    invitation = access.get_invitation(request, pk, write=True)
    actions.revoke_invitation(invitation, by=request.user, request=request)
    messages.success(
        request, _("The invitation for %(email)s was withdrawn.") % {"email": invitation.email}
    )
    return redirect("orgs:members", org_slug=request.org.slug)


@require_POST
@org_view("members.manage")
def invitation_resend(request, pk):
    invitation = access.get_invitation(request, pk, write=True)
    try:
        actions.resend_invitation(invitation, by=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("A new invitation was sent to %(email)s.") % {"email": invitation.email}
        )
    return redirect("orgs:members", org_slug=request.org.slug)


@require_GET
@org_view("members.view")
def departments(request):
    rows = (
        Department.objects.filter(organisation=request.org)
        .annotate(member_count=Count("memberships"))
        .order_by("name")
    )
    return render(
        request,
        "orgs/departments.html",
        {
            "departments": rows,
            "form": DepartmentForm(),
        },
    )


@require_POST
@org_view("departments.manage")
def department_create(request):
    form = DepartmentForm(request.POST)
    if form.is_valid():
        try:
            department = actions.create_department(
                request.org, name=form.cleaned_data["name"], by=request.user, request=request
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Department %(name)s added.") % {"name": department})
            return redirect("orgs:departments", org_slug=request.org.slug)
    return render(request, "orgs/department_edit.html", {"form": form}, status=400)


@require_http_methods(["GET", "POST"])
@org_view("departments.manage")
def department_edit(request, pk):
    department = access.get_department(request, pk, write=True)
    form = DepartmentForm(request.POST or None, initial={"name": department.name})
    if request.method == "POST" and form.is_valid():
        try:
            actions.rename_department(
                department, name=form.cleaned_data["name"], by=request.user, request=request
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Department renamed."))
            return redirect("orgs:departments", org_slug=request.org.slug)
    status = 400 if form.errors else 200
    return render(
        request,
        "orgs/department_edit.html",
        {"form": form, "department": department},
        status=status,
    )


@require_POST
@org_view("departments.manage")
def department_delete(request, pk):
    department = access.get_department(request, pk, write=True)
    actions.delete_department(department, by=request.user, request=request)
    messages.success(
        request,
        _("Department %(name)s deleted; its members now have no department.")
        % {"name": department.name},
    )
    return redirect("orgs:departments", org_slug=request.org.slug)


@require_http_methods(["GET", "POST"])
@org_view("org.settings")
def settings_view(request):
    org = request.org
    form = OrganisationSettingsForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        # The form validated a copy; the action applies, checks and logs the change.
        org.refresh_from_db()
        try:
            actions.update_settings(
                org,
                by=request.user,
                request=request,
                **{field: form.cleaned_data[field] for field in actions.SETTINGS_FIELDS},
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("orgs:settings", org_slug=org.slug)
    status = 400 if form.errors else 200
    return render(request, "orgs/settings.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@public_view("the invitation link itself is the credential; it is checked here")
def invitation_accept(request, token):
    invitation = find_invitation(token)
    try:
        actions.check_invitation(invitation, user=request.user)
    except actions.InvitationProblem as problem:
        return render(
            request,
            "orgs/invitation_problem.html",
            {"problem": problem.code, "invitation": problem.invitation},
            status=410 if problem.code in {"used", "expired", "revoked"} else 400,
        )

    has_account = get_user_model().objects.filter(email__iexact=invitation.email).exists()
    if request.user.is_authenticated:
        form = None
    elif has_account:
        return render(request, "orgs/invitation_login.html", {"invitation": invitation})
    else:
        form = AcceptInvitationForm(request.POST or None, email=invitation.email)

    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            membership = actions.accept_invitation(
                invitation,
                user=request.user if request.user.is_authenticated else None,
                name=form.cleaned_data["name"] if form else "",
                password=form.cleaned_data["password1"] if form else "",
                request=request,
            )
        except actions.InvitationProblem as problem:
            return render(
                request,
                "orgs/invitation_problem.html",
                {"problem": problem.code, "invitation": problem.invitation},
                status=409,
            )
        if not request.user.is_authenticated:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to %(org)s!") % {"org": membership.organisation})
        return redirect("home:dashboard", org_slug=membership.organisation.slug)
    status = 400 if form is not None and form.errors else 200
    return render(
        request,
        "orgs/invitation_accept.html",
        {"invitation": invitation, "form": form},
        status=status,
    )
