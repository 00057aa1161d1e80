"""Background job handlers for bulk registration (import and generation)."""

from __future__ import annotations

from unitrace.catalog.models import SKU, Batch
from unitrace.core.errors import error_report
from unitrace.core.jobs import ERROR_ROWS, JobFailed, JobResult, job_handler
from unitrace.places.models import Warehouse
from unitrace.serials.generation import GenerationError, generate_units
from unitrace.serials.importing import ImportRefused, import_file


def _refs(params: dict) -> dict:
    return {
        "default_sku": SKU.objects.get(pk=params["sku"]) if params.get("sku") else None,
        "default_batch": Batch.objects.get(pk=params["batch"]) if params.get("batch") else None,
        "warehouse": (
            Warehouse.objects.get(pk=params["warehouse"]) if params.get("warehouse") else None
        ),
    }


def estimated_rows(data: bytes, filename: str) -> int:
    """Rows of a CSV/TXT upload by its line count (close enough for a progress bar);
    0 for a workbook, whose rows are only known once it is read."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        return 0
    return max(data.count(b"\n") - 1, 0)


@job_handler("units.import")
def run_import(job, progress) -> dict | JobResult:
    data = bytes(job.input_data)
    if not job.total:  # the API does not count the rows before queueing the job
        progress.set_total(estimated_rows(data, job.input_name))
    try:
        result = import_file(
            data,
            job.input_name,
            mode=job.params.get("mode", "all"),
            ref_id=f"JOB-{job.pk}",
            progress=progress,
            **_refs(job.params),
        )
    except ImportRefused as refused:
        raise JobFailed(
            str(refused),
            report=error_report(refused.result.errors),
            result=refused.result.as_dict(),
        )
    summary = {
        **result.as_dict(),
        "errors": [e.as_dict() for e in result.errors[:ERROR_ROWS]],
        "report": bool(result.errors),
    }
    if not result.errors:
        return summary
    # "Valid rows only" with rows skipped: the job succeeds and keeps all of them as
    # its downloadable report (the result keeps only the first ERROR_ROWS).
    return JobResult(summary, report=error_report(result.errors))


def generation_ref(job_id: int) -> str:
    """The document reference a generation job's registration events carry."""
    return f"JOB-{job_id}"


@job_handler("units.generate")
def run_generate(job, progress) -> dict:
    refs = _refs(job.params)
    try:
        generated = generate_units(
            refs["default_sku"],
            int(job.params["count"]),
            batch=refs["default_batch"],
            warehouse=refs["warehouse"],
            progress=progress,
            ref_id=generation_ref(job.pk),
        )
    except GenerationError as exc:
        raise JobFailed(str(exc))
    return generated.as_dict()
