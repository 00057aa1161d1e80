"""Label printing: the print page (a batch, a generation job, a filter, chosen units;
size, 1D barcode, PDF or ZPL) and the direct label links of the unit list and file.

A composition because each label prints the unit's signed link and verification code
(``authenticity.labels``); the labels are laid out by ``serials.labels``, the selection
and the background run are ``unitfile.labels``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from unitrace.authenticity import labels as label_sheets
from unitrace.core.pdf_fonts import PdfFontMissing
from unitrace.serials.labels import DEFAULT_TEMPLATE, MAX_LABELS, TEMPLATES, LabelError
from unitrace.serials.selectors import units_visible_to
from unitrace.unitfile import labels as printing

PERMISSION = "serials.print_labels"


def _file_response(printed: printing.LabelFile, *, inline: bool) -> HttpResponse:
    response = HttpResponse(printed.content, content_type=printed.content_type)
    disposition = "inline" if inline and printed.content_type == "application/pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{printed.filename}"'
    return response


def _job_redirect(request, job) -> HttpResponse:
    messages.info(
        request,
        _("%(n)d labels are being drawn in the background; download them from this page.")
        % {"n": job.total},
    )
    return redirect("core:job_detail", pk=job.pk)


def _svg(request, source) -> HttpResponse:
    """The SVG sheet of chosen units (a preview for design tools), at most MAX_LABELS."""
    ids = printing.parse_request(source, "pdf").ids
    found = {
        u.pk: u for u in units_visible_to(request.user).select_related("sku").filter(pk__in=ids)
    }
    units = [found[pk] for pk in ids if pk in found]
    if not units:
        raise Http404(_("None of these units exists or is visible to you."))
    response = HttpResponse(label_sheets.labels_svg(units), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="labels-{len(units)}.svg"'
    return response


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def labels(request, fmt: str):
    """Labels (PDF, ZPL or SVG) for the chosen units the user may see.

    A run above the job threshold is queued and the browser goes to the job's page.
    """
    source = request.POST if request.method == "POST" else request.GET
    try:
        if source.get("source", "ids") == "ids":
            _cap_ids(source)
        if fmt == "svg":
            return _svg(request, source)
        printed = printing.print_labels(request.user, printing.parse_request(source, fmt))
    except (LabelError, PdfFontMissing) as refused:
        if getattr(refused, "code", "") == "not_found":
            raise Http404(str(refused)) from refused
        return _refused(request, source, refused)
    if isinstance(printed, printing.LabelFile):
        return _file_response(printed, inline=True)
    return _job_redirect(request, printed)


def _cap_ids(source) -> None:
    ids = printing.parse_request(source, "pdf").ids
    if len(ids) > MAX_LABELS:
        raise LabelError(
            _(
                "At most %(max)d labels at a time; %(n)d were chosen. "
                "Print a batch, a job or a filter instead."
            )
            % {"max": MAX_LABELS, "n": len(ids)}
        )


def _refused(request, source, refused: Exception) -> HttpResponse:
    status = getattr(refused, "status", 400)
    if request.method == "POST":
        messages.error(request, str(refused))
        back = source.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, {request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("serials:unit_list")
        return redirect(back)
    return HttpResponse(str(refused), status=status, content_type="text/plain; charset=utf-8")


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def print_page(request):
    """The print page: what to print, on which label stock, as PDF or ZPL."""
    values = request.POST if request.method == "POST" else request.GET
    error, status = "", 200
    if request.method == "POST":
        try:
            printed = printing.print_labels(request.user, printing.parse_request(values))
        except (LabelError, PdfFontMissing) as refused:
            error, status = str(refused), getattr(refused, "status", 400)
            if getattr(refused, "code", "") == "not_found":
                status = 404
        else:
            if isinstance(printed, printing.LabelFile):
                return _file_response(printed, inline=False)
            return _job_redirect(request, printed)
    filters = [name for name in printing.FILTER_FIELDS if name != "batch" and values.get(name)]
    context = {
        "values": values,
        "source": values.get("source") or ("filter" if filters else "batch"),
        "templates": [(t.key, t.title, t.sheet) for t in TEMPLATES.values()],
        "template": values.get("template") or DEFAULT_TEMPLATE,
        "fmt": values.get("format") or "pdf",
        "filter_fields": [
            (name, label, values.get(name, ""))
            for name, label in (
                ("sku", _("SKU")),
                ("serial_prefix", _("Serial starts with")),
                ("warehouse", _("Warehouse")),
                ("holder", _("Holder")),
            )
        ],
        "error": error,
        "threshold": printing.job_threshold(),
    }
    return render(request, "unitfile/label_print.html", context, status=status)
