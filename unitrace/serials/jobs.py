"""Background job handlers for bulk registration (import and generation)."""

from __future__ import annotations

from unitrace.catalog.models import SKU, Batch
from unitrace.core.jobs import JobFailed, job_handler
from unitrace.inventory.models import Warehouse
from unitrace.serials.generation import GenerationError, generate_units
from unitrace.serials.importing import ImportRefused, error_report, import_file


def _refs(params: dict) -> dict:
    return {
        "default_sku": SKU.objects.get(pk=params["sku"]) if params.get("sku") else None,
        "default_batch": Batch.objects.get(pk=params["batch"]) if params.get("batch") else None,
        "warehouse": (
            Warehouse.objects.get(pk=params["warehouse"]) if params.get("warehouse") else None
        ),
    }


@job_handler("units.import")
def run_import(job, progress) -> dict:
    try:
        result = import_file(
            bytes(job.input_data),
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
    return {
        **result.as_dict(),
        "errors": [e.as_dict() for e in result.errors[:1000]],
        "report": bool(result.errors),
    }


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
        )
    except GenerationError as exc:
        raise JobFailed(str(exc))
    return generated.as_dict()
