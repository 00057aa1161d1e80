"""Registration pages: import a file, paste a list, generate serials by the SKU's rule.

Large imports and generations run as background jobs (``core.jobs``) with the same
handlers and thresholds as the API.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from unitrace.catalog.models import SKU
from unitrace.codes.pasted import expand_pasted
from unitrace.codes.serial_text import SerialFormatError
from unitrace.core.errors import error_report
from unitrace.core.jobs import submit_job
from unitrace.core.tabular import runs_in_request
from unitrace.core.uploads import read_upload
from unitrace.places.models import Warehouse
from unitrace.serials.api.views import SYNC_GENERATE
from unitrace.serials.forms import GenerateForm, ImportFileForm, PasteForm
from unitrace.serials.importing import ImportRefused, import_serial_list

MAX_PASTED = 100_000


def _datalists() -> dict:
    return {
        "sku_codes": SKU.objects.filter(serialized=True, active=True).values_list("code", "name")[
            :500
        ],
        "warehouse_codes": Warehouse.objects.filter(active=True).values_list("code", "name")[:500],
    }


def _register_pasted(request, form: PasteForm) -> dict:
    """Expand and register a pasted list; the outcome the page shows under the form."""
    v = form.cleaned_data
    try:
        serials = expand_pasted(v["serials"], max_count=MAX_PASTED)
    except SerialFormatError as exc:
        form.add_error("serials", exc.message)
        return {}
    try:
        result = import_serial_list(
            serials,
            mode=v["mode"],
            default_sku=v["sku"],
            default_batch=v["batch"],
            warehouse=v["warehouse"],
            ref_type="list",
        )
    except ImportRefused as refused:
        return {
            "ok": False,
            "message": str(refused),
            "result": refused.result.as_dict(),
            "rows": refused.result.errors[:200],
            "report": error_report(refused.result.errors),
        }
    messages.success(
        request,
        _("%(n)d units of %(sku)s registered.") % {"n": result.created, "sku": v["sku"].code},
    )
    return {
        "ok": True,
        "result": result.as_dict(),
        "rows": result.errors[:200],
        "report": error_report(result.errors) if result.errors else "",
    }


@login_required
@permission_required("serials.add_unit", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_units(request):
    file_form = ImportFileForm()
    paste_form = PasteForm(prefix="list")
    pasted = {}
    if request.method == "POST" and request.POST.get("action") == "list":
        paste_form = PasteForm(request.POST, prefix="list")
        if paste_form.is_valid():
            pasted = _register_pasted(request, paste_form)
            if pasted.get("ok") and not pasted["rows"]:
                paste_form = PasteForm(prefix="list")
    elif request.method == "POST":
        file_form = ImportFileForm(request.POST, request.FILES)
        if file_form.is_valid():
            v = file_form.cleaned_data
            upload = v["file"]
            content = read_upload(upload)
            is_text = not upload.name.lower().endswith((".xlsx", ".xlsm"))
            job = submit_job(
                "units.import",
                user=request.user,
                input_name=upload.name,
                input_data=content,
                # a line count is close enough to show a moving progress bar
                total=max(content.count(b"\n") - 1, 0) if is_text else 0,
                params={
                    "mode": v["mode"],
                    "sku": v["sku"].pk if v["sku"] else None,
                    "batch": v["batch"].pk if v["batch"] else None,
                    "warehouse": v["warehouse"].pk if v["warehouse"] else None,
                },
                run_now=runs_in_request(content, upload.name),
            )
            return redirect("core:job_detail", pk=job.pk)
    return render(
        request,
        "serials/import.html",
        {"file_form": file_form, "paste_form": paste_form, "pasted": pasted, **_datalists()},
    )


@login_required
@permission_required("serials.add_unit", raise_exception=True)
@require_http_methods(["GET", "POST"])
def generate(request):
    form = GenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        v = form.cleaned_data
        job = submit_job(
            "units.generate",
            user=request.user,
            total=v["count"],
            params={
                "sku": v["sku"].pk,
                "count": v["count"],
                "batch": v["batch"].pk if v["batch"] else None,
                "warehouse": v["warehouse"].pk if v["warehouse"] else None,
            },
            run_now=v["count"] <= SYNC_GENERATE,
        )
        return redirect("core:job_detail", pk=job.pk)
    return render(request, "serials/generate.html", {"form": form, **_datalists()})
