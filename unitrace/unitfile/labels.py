"""Printing labels for a selection of units: chosen ones, a batch, a generation job or
every unit matching the unit list's filters.

Every selection is read through ``units_visible_to`` for the user who prints (a
distributor's login prints only its own units) and needs ``serials.print_labels``. A
run of up to ``UNITRACE_LABEL_JOB_UNITS`` labels (``MAX_LABELS`` unless set) is drawn
in the request; a larger one is a ``labels`` job, which selects the units again for its
owner *at job time* (a permission or scope taken away meanwhile is taken away from the
run too), keeps the file with the exports' private storage and is downloaded by its
owner alone from the job page.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.authenticity import labels as label_sheets
from unitrace.core.audit import log_export
from unitrace.core.exports import register_file_job, store_job_file
from unitrace.core.jobs import JobFailed, Progress, job_handler, submit_job
from unitrace.core.models import Job
from unitrace.core.pdf_fonts import PdfFontMissing
from unitrace.core.selectors import jobs_visible_to
from unitrace.serials.filters import UnitFilterSet
from unitrace.serials.jobs import generation_ref
from unitrace.serials.labels import (
    DEFAULT_TEMPLATE,
    FORMATS,
    MAX_LABELS,
    LabelError,
    template_for,
)
from unitrace.serials.models import Unit, UnitEvent
from unitrace.serials.selectors import units_visible_to

JOB_KIND = register_file_job("labels")
PERMISSION = "serials.print_labels"
MAX_JOB_LABELS = 200_000  # one run's labels: about 8,300 A4 pages
SOURCES = ("ids", "batch", "job", "filter")
FILTER_FIELDS = ("sku", "batch", "status", "group", "holder", "warehouse", "serial_prefix")
CONTENT_TYPES = {"pdf": "application/pdf", "zpl": "application/octet-stream"}


def job_threshold() -> int:
    """Labels above which a run is a background job."""
    return int(getattr(settings, "UNITRACE_LABEL_JOB_UNITS", MAX_LABELS))


@dataclass(frozen=True)
class LabelRequest:
    """What to print and how, as read from a form, a query string or a job's params."""

    source: str
    ids: tuple[int, ...] = ()
    batch: str = ""
    sku: str = ""
    job: int | None = None
    filters: tuple[tuple[str, str], ...] = ()
    template: str = DEFAULT_TEMPLATE
    fmt: str = "pdf"
    barcode: bool = False
    dpmm: int = 8

    def as_params(self) -> dict[str, Any]:
        """The request as a job keeps it (JSON)."""
        return {
            "source": self.source,
            "ids": list(self.ids),
            "batch": self.batch,
            "sku": self.sku,
            "job": self.job,
            "filters": [list(pair) for pair in self.filters],
            "template": self.template,
            "format": self.fmt,
            "barcode": self.barcode,
            "dpmm": self.dpmm,
        }

    @property
    def summary(self) -> dict[str, Any]:
        """What the audit entry records about the selection."""
        data: dict[str, Any] = {"source": self.source, "template": self.template}
        if self.source == "ids":
            data["units"] = len(self.ids)
        elif self.source == "batch":
            data.update(batch=self.batch, sku=self.sku)
        elif self.source == "job":
            data["generation_job"] = self.job
        else:
            data["filters"] = dict(self.filters)
        return data


def _ids(values: list[str]) -> tuple[int, ...]:
    ids: list[int] = []
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            if part.isdigit():
                ids.append(int(part))
    return tuple(dict.fromkeys(ids))


def parse_request(data, fmt: str | None = None) -> LabelRequest:
    """A ``LabelRequest`` from a QueryDict (or a job's params); refused with the field.

    Without ``source``, chosen ``ids`` are assumed (the unit list's form).
    """

    def get(name: str) -> str:
        value = data.get(name, "")
        return "" if value is None else str(value).strip()

    def getlist(name: str) -> list[str]:
        return data.getlist(name) if hasattr(data, "getlist") else list(data.get(name) or [])

    source = get("source") or "ids"
    if source not in SOURCES:
        raise LabelError(_("Choose what to print."), field="source")
    fmt = fmt or get("format") or "pdf"
    if fmt not in FORMATS:
        raise LabelError(_("Print as PDF or ZPL."), field="format")
    template = template_for(get("template") or DEFAULT_TEMPLATE).key
    if fmt == "zpl" and template_for(template).sheet:
        raise LabelError(_("ZPL is for thermal rolls; choose a roll label size."), field="template")
    dpmm = get("dpmm") or "8"
    if dpmm not in ("8", "12"):
        raise LabelError(_("The printer resolution is 8 or 12 dots per mm."), field="dpmm")
    options = {
        "template": template,
        "fmt": fmt,
        "barcode": get("barcode").lower() in {"1", "on", "true", "yes"},
        "dpmm": int(dpmm),
    }
    if source == "ids":
        ids = _ids(getlist("ids"))
        if not ids:
            raise LabelError(_("Choose at least one unit."), field="ids")
        return LabelRequest("ids", ids=ids, **options)
    if source == "batch":
        batch = get("batch")
        if not batch:
            raise LabelError(_("Enter a batch number."), field="batch")
        return LabelRequest("batch", batch=batch, sku=get("sku"), **options)
    if source == "job":
        job = get("job").removeprefix("#")
        if not job.isdigit():
            raise LabelError(_("Enter the number of a serial generation job."), field="job")
        return LabelRequest("job", job=int(job), **options)
    raw = data.get("filters")
    if isinstance(raw, list):  # a job's params
        pairs = [(str(k), str(v)) for k, v in raw if k in FILTER_FIELDS and str(v).strip()]
    else:
        pairs = [(name, value.strip()) for name in FILTER_FIELDS for value in getlist(name)]
        pairs = [(name, value) for name, value in pairs if value]
    if not pairs:
        raise LabelError(
            _("Give at least one filter; printing every unit at once is refused."),
            field="filter",
        )
    return LabelRequest("filter", filters=tuple(pairs), **options)


def _filtered(queryset: QuerySet[Unit], pairs: tuple[tuple[str, str], ...]) -> QuerySet[Unit]:
    data = QueryDict(mutable=True)
    for name, value in pairs:
        data.appendlist(name, value)
    filterset = UnitFilterSet(data, queryset=queryset)
    if not filterset.is_valid():
        problems = "; ".join(
            f"{name}: {' '.join(str(e) for e in errors)}"
            for name, errors in filterset.errors.items()
        )
        raise LabelError(_("The filter is not valid: %(problems)s") % {"problems": problems})
    return filterset.qs


def select_units(user, request: LabelRequest) -> QuerySet[Unit]:
    """The units of ``request`` that ``user`` may print, in print order.

    Refused (``LabelError``) when the user lacks the permission, names a generation job
    they cannot see or the selection is empty for them: what is invisible to a user
    is indistinguishable from what does not exist.
    """
    if not user.has_perm(PERMISSION):
        raise LabelError(_("You may not print labels."), code="forbidden")
    units = units_visible_to(user).select_related("sku")
    if request.source == "ids":
        units = units.filter(pk__in=request.ids)
    elif request.source == "batch":
        units = units.filter(batch__code=request.batch)
        if request.sku:
            units = units.filter(sku__code=request.sku)
    elif request.source == "job":
        job = jobs_visible_to(user).filter(pk=request.job, kind="units.generate").first()
        if job is None:
            raise LabelError(
                _("There is no serial generation job #%(job)s for you.") % {"job": request.job},
                field="job",
            )
        registered = UnitEvent.objects.filter(
            ref_type="generate", ref_id=generation_ref(job.pk)
        ).values("unit_id")
        units = units.filter(pk__in=registered)
    else:
        units = _filtered(units, request.filters)
    return units.order_by("serial", "pk") if request.source != "ids" else units


def _ordered(units: QuerySet[Unit], request: LabelRequest):
    """The units as printed: chosen ones in the order chosen, others by serial."""
    if request.source != "ids":
        return units.iterator(chunk_size=2000)
    found = {u.pk: u for u in units}
    return [found[pk] for pk in request.ids if pk in found]


@dataclass
class LabelFile:
    content: bytes
    content_type: str
    filename: str


def _filename(request: LabelRequest, count: int) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return f"labels-{request.template}-{count}-{stamp}.{request.fmt}"


def _render(units, request: LabelRequest, **kwargs: Any) -> bytes:
    options = {"barcode": request.barcode, **kwargs}
    if request.fmt == "zpl":
        return label_sheets.labels_zpl(units, request.template, dpmm=request.dpmm, **options)
    return label_sheets.labels_pdf(units, request.template, **options)


def print_labels(user, request: LabelRequest) -> LabelFile | Job:
    """The file now (a small run) or the queued ``labels`` job (a large one)."""
    units = select_units(user, request)
    count = units.count()
    if not count:
        raise LabelError(_("None of these units exists or is visible to you."), code="not_found")
    if count > MAX_JOB_LABELS:
        raise LabelError(
            _("At most %(max)d labels in one run; this selection has %(n)d.")
            % {"max": MAX_JOB_LABELS, "n": count}
        )
    if count > job_threshold():
        return submit_job(JOB_KIND, user=user, total=count, params=request.as_params())
    content = _render(_ordered(units, request), request)
    log_export("serials.Unit", rows=count, fmt=f"labels-{request.fmt}", filters=request.summary)
    return LabelFile(content, CONTENT_TYPES[request.fmt], _filename(request, count))


@job_handler(JOB_KIND)
def run_labels(job: Job, progress: Progress) -> dict:
    """Draw the run for its owner as they may see the units now."""
    user = job.created_by
    if user is None or not user.is_active:
        raise JobFailed(_("These labels can no longer be printed."))
    try:
        request = parse_request(job.params, job.params.get("format"))
        units = select_units(user, request)
        count = units.count()
        if not count:
            raise LabelError(_("None of these units exists or is visible to you."))
        progress.set_total(count)
        with tempfile.TemporaryFile() as out:
            _render(_ordered(units, request), request, out=out, progress=progress)
            progress(count)
            stored = store_job_file(job, out, request.fmt)
    except (LabelError, PdfFontMissing) as refused:  # said on the job page, not as a bug
        raise JobFailed(str(refused)) from refused
    return {
        "labels": count,
        "items": count,
        "format": f"labels-{request.fmt}",
        "content_type": CONTENT_TYPES[request.fmt],
        "what": "serials.Unit",
        "file": stored,
        "filename": _filename(request, count),
        "filters": request.summary,
    }
