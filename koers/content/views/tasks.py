"""Role tasks: every member's own list ("my tasks", with "Done"), and the page where
owners and strategists manage the tasks and follow how many members do them.

Thin adapters: resolve through ``orgs/access.py``, parse with ``content/task_forms.py``,
change through ``content/actions.py``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koers.adapters import add_errors
from koers.content import actions
from koers.content.task_forms import RoleTaskForm, TaskDoneForm
from koers.content.workflow import TransitionRefused
from koers.orgs import access
from koers.orgs.access import org_view
from koers.orgs.capabilities import Role


@require_GET
@org_view("org.view")
def my_tasks(request):
    states = actions.tasks_for(request.membership)
    due = sorted((s for s in states if s.is_due), key=lambda s: (s.due_since, s.task.title))
    done = sorted(
        ((s, actions.due_again(s)) for s in states if not s.is_due),
        key=lambda pair: (pair[1], pair[0].task.title),
    )
    return render(
        request,
        "content/my_tasks.html",
        {
            "due": due,
            "done": done,
            "is_advisor": request.membership.role == Role.ADVISOR,
            "form": TaskDoneForm(),
        },
    )


@require_POST
@org_view("org.view")
def task_done(request, pk: int):
    task = access.get_role_task(request, pk)
    form = TaskDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("note", [])))
    else:
        try:
            actions.complete_task(request.membership, task, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Thank you: “%(title)s” is done for now.") % {"title": task.title}
            )
    return redirect("content:my_tasks", org_slug=request.org.slug)


@require_http_methods(["GET", "POST"])
@org_view("content.manage_rules")
def tasks_manage(request):
    form = RoleTaskForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            task = actions.create_role_task(request.org, by=request.membership, **form.values())
        except ValidationError as error:
            add_errors(form, error)
        except TransitionRefused as error:
            form.add_error(None, actions.refusal_message(error))
        else:
            messages.success(request, _("Role task “%(title)s” added.") % {"title": task.title})
            return redirect("content:tasks_manage", org_slug=request.org.slug)
    return render(
        request,
        "content/tasks_manage.html",
        {"rates": actions.role_task_rates(request.org), "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@org_view("content.manage_rules")
def task_edit(request, pk: int):
    task = access.get_role_task(request, pk, write=True)
    if request.method == "POST":
        form = RoleTaskForm(request.POST)
    else:
        form = RoleTaskForm(initial=RoleTaskForm.initial_for(task))
    if form.is_valid():
        try:
            task = actions.update_role_task(task, by=request.membership, **form.values())
        except ValidationError as error:
            add_errors(form, error)
        except TransitionRefused as error:
            form.add_error(None, actions.refusal_message(error))
        else:
            messages.success(request, _("Role task “%(title)s” saved.") % {"title": task.title})
            return redirect("content:tasks_manage", org_slug=request.org.slug)
    return render(
        request,
        "content/task_form.html",
        {"form": form, "task": task},
        status=400 if request.method == "POST" else 200,
    )
