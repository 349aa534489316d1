"""File imports: upload → column mapping (suggested) → dry run with the errors per row
→ "import" (a file without errors) or "import the valid rows" → progress, polled.

The work is done by ``listening.imports`` (reading, mapping, the dry run, the job) and
its worker task; these views only walk a person through the steps. A file with errors
imports nothing unless the person chooses to import the valid rows.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from koers.listening.forms import ImportMappingForm, ImportUploadForm
from koers.listening.models import ImportJob, ImportStatus
from koers.orgs.access import get_import_job, org_view

RECENT_JOBS = 20


def _imports():
    from koers.listening import imports

    return imports


def _render_upload(request, form, status=200):
    imports = _imports()
    jobs = ImportJob.objects.filter(organisation=request.org).select_related("source")[:RECENT_JOBS]
    return render(
        request,
        "listening/imports.html",
        {
            "form": form,
            "jobs": jobs,
            "max_mb": round(imports.max_bytes() / 1_048_576),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@org_view("listening.manage")
def import_upload(request):
    """Step 1: upload. The size is checked before the file is read."""
    if request.method == "GET":
        return _render_upload(request, ImportUploadForm())
    imports = _imports()
    upload = request.FILES.get("file")
    form = ImportUploadForm(request.POST, request.FILES)
    if upload is not None:
        # Before the form reads anything of the file.
        try:
            imports.check_size(upload.size)
        except imports.FileRefused as refused:
            form = ImportUploadForm(request.POST)
            form.is_valid()
            form.add_error("file", str(refused))
            return _render_upload(request, form, status=400)
    if not form.is_valid():
        return _render_upload(request, form, status=400)
    try:
        job = imports.stage_upload(request.org, form.cleaned_data["file"], by=request.membership)
    except imports.FileRefused as refused:
        form.add_error("file", str(refused))
        return _render_upload(request, form, status=400)
    name = form.cleaned_data["source_name"]
    url = reverse("listening:import_detail", args=[request.org.slug, job.pk])
    return redirect(f"{url}?{urlencode({'name': name})}" if name else url)


def _fields():
    from koers.listening.imports.mapping import FIELDS, REQUIRED

    return [(name, label, name in REQUIRED) for name, label in FIELDS.items()]


def _mapping_form(job, data=None):
    imports = _imports()
    columns, suggested = imports.suggested_mapping(job)
    return ImportMappingForm(data, columns=columns, fields=_fields(), suggested=suggested)


@never_cache
@require_http_methods(["GET", "POST"])
@org_view("listening.manage")
def import_detail(request, pk):
    """Step 2 (a draft): the column mapping and, after "Check", the dry run. Later:
    the job's progress or outcome."""
    job = get_import_job(request, pk, write=True)
    context = {"job": job, "name": request.POST.get("name") or request.GET.get("name", "")}
    if job.status != ImportStatus.DRAFT:
        return render(request, "listening/import_detail.html", context)
    imports = _imports()
    try:
        form = _mapping_form(job, request.POST if request.method == "POST" else None)
    except imports.FileRefused as refused:
        context["file_problem"] = str(refused)
        return render(request, "listening/import_detail.html", context)
    context["form"] = form
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                context["preview"] = imports.preview_job(job, form.mapping())
            except (imports.MappingRefused, imports.FileRefused) as refused:
                form.add_error(None, str(refused))
                status = 400
        else:
            status = 400
    return render(request, "listening/import_detail.html", context, status=status)


@require_POST
@org_view("listening.manage")
def import_run(request, pk):
    """Step 3: import; with errors in the file only when "the valid rows" was chosen."""
    job = get_import_job(request, pk, write=True)
    if job.status != ImportStatus.DRAFT:
        return redirect("listening:import_detail", org_slug=request.org.slug, pk=job.pk)
    imports = _imports()
    try:
        form = _mapping_form(job, request.POST)
    except imports.FileRefused as refused:
        messages.error(request, str(refused))
        return redirect("listening:imports", org_slug=request.org.slug)
    name = request.POST.get("name", "")
    context = {"job": job, "form": form, "name": name}
    if not form.is_valid():
        return render(request, "listening/import_detail.html", context, status=400)
    try:
        preview = imports.preview_job(job, form.mapping())
    except (imports.MappingRefused, imports.FileRefused) as refused:
        form.add_error(None, str(refused))
        return render(request, "listening/import_detail.html", context, status=400)
    context["preview"] = preview
    valid_rows = request.POST.get("mode") == "valid_rows"
    if preview.has_errors and not valid_rows:
        form.add_error(
            None,
            _(
                "The file has errors, so nothing is imported. Fix the file, or choose to "
                "import the valid rows."
            ),
        )
        return render(request, "listening/import_detail.html", context, status=400)
    if not preview.valid_rows:
        form.add_error(None, _("No row of the file can be imported."))
        return render(request, "listening/import_detail.html", context, status=400)
    source = imports.import_source(request.org, name)
    imports.start_import(job, mapping=form.mapping(), import_valid_rows=valid_rows, source=source)
    messages.success(request, _("“%(file)s” is being imported.") % {"file": job.filename})
    return redirect("listening:import_detail", org_slug=request.org.slug, pk=job.pk)


@never_cache
@require_GET
@org_view("listening.manage")
def import_progress(request, pk):
    """Step 4: the progress, polled by the page while the worker imports."""
    job = get_import_job(request, pk, write=True)
    return render(request, "listening/_import_progress.html", {"job": job})
