"""Unit pages: scan, list, file, import, generate, labels and the public unit page.

Thin views: parse the request, call the same services and selectors as the API,
shape the answer for a template. Every unit query starts from ``units_visible_to``.
"""

from __future__ import annotations

from datetime import datetime, time

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from unitrace.catalog.models import SKU, Batch
from unitrace.core.jobs import submit_job
from unitrace.places.models import Warehouse
from unitrace.serials import labels as label_sheets
from unitrace.serials.api.views import SYNC_GENERATE, SYNC_IMPORT_BYTES
from unitrace.serials.filters import UnitFilterSet
from unitrace.serials.generation import MAX_GENERATE
from unitrace.serials.importing import ImportRefused, error_report, import_serial_list
from unitrace.serials.models import Unit
from unitrace.serials.rules import SerialFormatError, expand_pasted
from unitrace.serials.scan import resolve_scan
from unitrace.serials.selectors import (
    UNIT_RELATED,
    search_units,
    unit_file,
    unit_for_file,
    units_visible_to,
)
from unitrace.serials.statuses import STATUS_GROUPS, Status
from unitrace.warranty.services import warranty_for

PAGE_SIZE = 50
MAX_PASTED = 100_000
GROUP_LABELS = {
    "in_stock": gettext_lazy("in stock (any)"),
    "in_field": gettext_lazy("in the field"),
    "in_transit": gettext_lazy("in transit"),
    "closed": gettext_lazy("closed"),
}


def _status_label(value: str) -> str:
    return Status(value).label if value in Status.values else value


# --- scan and search ---------------------------------------------------------------------


def _summary(unit: Unit) -> dict:
    """What a scan shows about one unit before the clerk opens its file."""
    return {
        "unit": unit,
        "status_label": _status_label(unit.status),
        "warehouse": unit.warehouse if unit.warehouse_id else None,
        "warranty": warranty_for(unit),
    }


def _scan(request) -> tuple[dict, str | None]:
    """Resolve ``?code=``; returns the context and, if asked for, the file to open."""
    code = request.GET.get("code", "")
    match = resolve_scan(code, request.user)
    context = {
        "code": code,
        "match": match,
        "outcome": match.outcome,
        "found": _summary(match.unit) if match.unit else None,
        "candidates": [{"unit": u, "status_label": _status_label(u.status)} for u in match.units],
        "go": request.GET.get("go") == "1",
    }
    target = None
    if match.unit is not None and context["go"]:
        target = reverse("serials:unit_detail", args=[match.unit.pk])
    return context, target


def _home_context(request) -> dict:
    return {"go": request.GET.get("go") == "1", "q": request.GET.get("q", "")}


@login_required
@permission_required("serials.view_unit", raise_exception=True)
def home(request):
    context = _home_context(request)
    if context["q"].strip():
        context["results"] = _search(request, context["q"])
    return render(request, "serials/home.html", context)


@login_required
@permission_required("serials.view_unit", raise_exception=True)
def scan(request):
    """The scan page's result as a full page (the form works without JavaScript)."""
    context, target = _scan(request)
    if target:
        return redirect(target)
    return render(request, "serials/home.html", {**_home_context(request), **context})


@login_required
@permission_required("serials.view_unit", raise_exception=True)
def scan_result(request):
    """The scan result partial that htmx swaps under the scan field."""
    context, target = _scan(request)
    if target and request.htmx:
        return HttpResponseClientRedirect(target)
    if target:
        return redirect(target)
    return render(request, "serials/_scan_result.html", context)


def _search(request, text: str) -> list[dict]:
    return [
        {"unit": u, "status_label": _status_label(u.status)}
        for u in search_units(request.user, text)
    ]


@login_required
@permission_required("serials.view_unit", raise_exception=True)
def unit_search(request):
    """Candidates for a partial serial (htmx partial; a full page without JavaScript)."""
    q = request.GET.get("q", "")
    results = _search(request, q)
    if not request.htmx:
        return render(request, "serials/home.html", {"q": q, "results": results})
    return render(request, "serials/_search_results.html", {"q": q, "results": results})


# --- list and labels ---------------------------------------------------------------------


def _page_links(request, rows: list[Unit], has_more: bool, backwards: bool) -> dict:
    """Keyset links, newest first: no COUNT(*) over millions of rows."""
    params = request.GET.copy()
    for key in ("after", "before"):
        params.pop(key, None)
    links = {"next": None, "previous": None}
    if not rows:
        return links
    more_after = has_more if not backwards else True
    more_before = has_more if backwards else bool(request.GET.get("after"))
    if more_after:
        params["after"] = rows[-1].pk
        links["next"] = "?" + params.urlencode()
        params.pop("after")
    if more_before:
        params["before"] = rows[0].pk
        links["previous"] = "?" + params.urlencode()
    return links


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@permission_required("serials.view_unit", raise_exception=True)
def unit_list(request):
    visible = units_visible_to(request.user).select_related(*UNIT_RELATED)
    filterset = UnitFilterSet(request.GET or None, queryset=visible)
    queryset = filterset.qs if filterset.is_bound else visible
    after = _int_or_none(request.GET.get("after"))
    before = _int_or_none(request.GET.get("before"))
    backwards = before is not None and after is None
    if backwards:
        rows = list(queryset.filter(pk__gt=before).order_by("pk")[: PAGE_SIZE + 1])
        has_more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE][::-1]
    else:
        if after is not None:
            queryset = queryset.filter(pk__lt=after)
        rows = list(queryset.order_by("-pk")[: PAGE_SIZE + 1])
        has_more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
    form = filterset.form
    return render(
        request,
        "serials/unit_list.html",
        {
            "form": form,
            "errors": form.errors if filterset.is_bound else {},
            "values": request.GET,
            "statuses": Status.choices,
            "selected_statuses": request.GET.getlist("status"),
            "groups": [(key, GROUP_LABELS.get(key, key)) for key in STATUS_GROUPS],
            "rows": [{"unit": u, "status_label": _status_label(u.status)} for u in rows],
            "page": _page_links(request, rows, has_more, backwards),
            "page_size": PAGE_SIZE,
            "max_labels": label_sheets.MAX_LABELS,
            "here": request.get_full_path(),
        },
    )


def _ids(values: list[str]) -> list[int]:
    ids: list[int] = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if part.isdigit():
                ids.append(int(part))
    return list(dict.fromkeys(ids))


@login_required
@permission_required("serials.print_labels", raise_exception=True)
@require_http_methods(["GET", "POST"])
def labels(request, fmt: str):
    """A label sheet (PDF or SVG) for the chosen units the user may see."""
    source = request.POST if request.method == "POST" else request.GET
    ids = _ids(source.getlist("ids"))
    problem = None
    if not ids:
        problem = _("Choose at least one unit.")
    elif len(ids) > label_sheets.MAX_LABELS:
        problem = _("At most %(max)d labels at a time; %(n)d were chosen.") % {
            "max": label_sheets.MAX_LABELS,
            "n": len(ids),
        }
    units = []
    if problem is None:
        found = {
            u.pk: u for u in units_visible_to(request.user).select_related("sku").filter(pk__in=ids)
        }
        units = [found[pk] for pk in ids if pk in found]
        if not units:
            raise Http404(_("None of these units exists or is visible to you."))
        try:
            if fmt == "pdf":
                body, content_type = label_sheets.labels_pdf(units), "application/pdf"
            else:
                body, content_type = label_sheets.labels_svg(units), "image/svg+xml"
        except ValueError as exc:
            problem = str(exc)
    if problem is not None:
        back = source.get("next", "")
        if request.method == "POST":
            messages.error(request, problem)
            if not url_has_allowed_host_and_scheme(
                back, {request.get_host()}, require_https=request.is_secure()
            ):
                back = reverse("serials:unit_list")
            return redirect(back)
        return HttpResponse(problem, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="labels-{len(units)}.{fmt}"'
    return response


# --- the unit's file ---------------------------------------------------------------------


def _dt(value):
    """ISO text from ``unit_file`` back to a date-time the template can format."""
    if not value or not isinstance(value, str):
        return value
    return parse_datetime(value) or parse_date(value) or value


def _tree(nodes: list[dict]) -> list[dict]:
    return [
        {
            **node,
            "installed_at": _dt(node["installed_at"]),
            "status_label": _status_label(node["status"]),
            "children": _tree(node["children"]),
        }
        for node in nodes
    ]


def _parse_at(raw: str) -> tuple[datetime | None, str]:
    raw = raw.strip()
    if not raw:
        return None, ""
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            value = datetime.combine(day, time.max) if day else None
    except ValueError:  # well-formed but impossible, e.g. 2026-02-30
        value = None
    if value is None:
        return None, _("'%(value)s' is not a date and time (use YYYY-MM-DD HH:MM)") % {"value": raw}
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value, ""


def _qr_svg(url: str, title: str) -> str:
    qr = segno.make(url, error="m")
    # segno escapes the title; the rest is its own path data
    return mark_safe(qr.svg_inline(scale=4, border=2, omitsize=True, svgclass="qr", title=title))


@login_required
@permission_required("serials.view_unit", raise_exception=True)
def unit_detail(request, pk: int):
    unit = unit_for_file(request.user, pk) if pk < 2**63 else None
    if unit is None:
        raise Http404
    at, at_error = _parse_at(request.GET.get("at", ""))
    data = unit_file(unit, request.user, at)
    events = [
        {
            **event,
            "time": _dt(event["time"]),
            "from_label": _status_label(event["from_status"]) if event["from_status"] else "",
            "to_label": _status_label(event["to_status"]) if event["to_status"] else "",
        }
        for event in reversed(data["events"])
    ]
    dates = {name: _dt(value) for name, value in data["dates"].items()}
    where_used = [{**p, "status_label": _status_label(p["status"])} for p in data["where_used"]]
    return render(
        request,
        "serials/unit_detail.html",
        {
            "unit": unit,
            "file": data,
            "events": events,
            "dates": dates,
            "components": _tree(data["components"]),
            "where_used": where_used,
            "qr_svg": _qr_svg(data["qr_url"], unit.serial),
            "at": at,
            "at_value": timezone.localtime(at).strftime("%Y-%m-%dT%H:%M") if at else "",
            "at_error": at_error,
            "show_events": request.user.has_perm("serials.view_unitevent"),
        },
    )


def public_unit(request, token: str):
    """What a customer sees after scanning the label: the authenticity check itself
    (recorded, rate-limited, clone-flagged; see ``authenticity.views.public``)."""
    from unitrace.authenticity.views.public import unit_label_page

    return unit_label_page(request, token)


# --- import and generate -----------------------------------------------------------------


class CodeChoiceField(forms.ModelChoiceField):
    """Picks a row by its code, typed or scanned, with a clear message when unknown."""

    def __init__(self, queryset, *, datalist: str, unknown: str, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"list": datalist, "autocomplete": "off", "spellcheck": "false"}),
        )
        super().__init__(
            queryset, to_field_name="code", error_messages={"invalid_choice": unknown}, **kwargs
        )


class UnitRefsForm(forms.Form):
    """SKU, batch and warehouse by code, as the API's ``_Refs`` serializer takes them."""

    sku = CodeChoiceField(
        SKU.objects.filter(serialized=True),
        datalist="sku-codes",
        unknown=gettext_lazy("No serialized SKU has the code %(value)s."),
        label=gettext_lazy("Default SKU"),
        help_text=gettext_lazy("Used for rows without a SKU column."),
    )
    batch = forms.CharField(
        label=gettext_lazy("Batch"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Batch number of this SKU (optional)."),
    )
    warehouse = CodeChoiceField(
        Warehouse.objects.filter(active=True),
        datalist="warehouse-codes",
        unknown=gettext_lazy("No active warehouse has the code %(value)s."),
        label=gettext_lazy("Warehouse"),
        help_text=gettext_lazy("Receive the units into this warehouse (optional)."),
    )

    def clean(self):
        data = super().clean()
        code = (data.get("batch") or "").strip()
        data["batch"] = None
        if code:
            sku = data.get("sku")
            if sku is None:
                if "sku" not in self.errors:
                    self.add_error("batch", _("Give the SKU this batch belongs to."))
            else:
                data["batch"] = Batch.objects.filter(sku=sku, code=code).first()
                if data["batch"] is None:
                    self.add_error(
                        "batch",
                        _("Unknown batch '%(batch)s' for SKU %(sku)s.")
                        % {"batch": code, "sku": sku.code},
                    )
        return data


MODE_CHOICES = [
    ("all", gettext_lazy("All or nothing: import only if every row is valid")),
    ("valid-only", gettext_lazy("Valid rows only: import the good rows, report the rest")),
]


class ImportFileForm(UnitRefsForm):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Mode"), choices=MODE_CHOICES, initial="all", widget=forms.RadioSelect
    )
    field_order = ["file", "mode", "sku", "batch", "warehouse"]


class PasteForm(UnitRefsForm):
    serials = forms.CharField(
        label=gettext_lazy("Serials"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        help_text=gettext_lazy(
            "One per line, or separated by spaces or commas; ranges like A0001-A0100 expand."
        ),
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("Mode"), choices=MODE_CHOICES, initial="all", widget=forms.RadioSelect
    )
    field_order = ["serials", "sku", "batch", "warehouse", "mode"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sku"].required = True
        self.fields["sku"].label = _("SKU")
        self.fields["sku"].help_text = ""


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
            content = upload.read()
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
                run_now=len(content) <= SYNC_IMPORT_BYTES,
            )
            return redirect("core:job_detail", pk=job.pk)
    return render(
        request,
        "serials/import.html",
        {"file_form": file_form, "paste_form": paste_form, "pasted": pasted, **_datalists()},
    )


class SKURuleField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SKU) -> str:
        return f"{obj.code} · {obj.name} — {obj.serial_pattern}"


class GenerateForm(UnitRefsForm):
    sku = SKURuleField(
        SKU.objects.filter(serialized=True, active=True).exclude(serial_pattern=""),
        to_field_name="code",
        label=gettext_lazy("SKU and its serial rule"),
        empty_label=gettext_lazy("Choose a SKU"),
    )
    count = forms.IntegerField(
        label=gettext_lazy("How many"),
        min_value=1,
        max_value=MAX_GENERATE,
        initial=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    field_order = ["sku", "count", "batch", "warehouse"]


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
