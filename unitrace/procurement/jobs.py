"""Background jobs for large files: an ASN import and receiving from a file."""

from __future__ import annotations

from unitrace.catalog.models import SKU
from unitrace.core.errors import error_report
from unitrace.core.jobs import JobFailed, job_handler
from unitrace.procurement.asn import AsnRefused, import_asn_file
from unitrace.procurement.models import PurchaseOrder, Receipt
from unitrace.procurement.receiving_bulk import BulkRefused, receive_file

ASN_IMPORT = "procurement.asn_import"
RECEIVE_FILE = "procurement.receive_file"


@job_handler(ASN_IMPORT)
def run_asn_import(job, progress) -> dict:
    order = PurchaseOrder.objects.get(pk=job.params["order"])
    try:
        result = import_asn_file(
            order,
            bytes(job.input_data),
            job.input_name,
            mode=job.params.get("mode", "all"),
            progress=progress,
        )
    except AsnRefused as refused:
        report = error_report(refused.result.errors)
        raise JobFailed(str(refused), report=report, result=refused.result.as_dict())
    return result.as_dict()


@job_handler(RECEIVE_FILE)
def run_receive_file(job, progress) -> dict:
    receipt = Receipt.objects.select_related("order", "warehouse").get(pk=job.params["receipt"])
    sku = SKU.objects.get(pk=job.params["sku"]) if job.params.get("sku") else None
    try:
        result = receive_file(
            receipt, bytes(job.input_data), job.input_name, sku=sku, progress=progress
        )
    except BulkRefused as refused:
        # The receiving report's second column has always been the outcome.
        report = error_report(refused.result.errors, column="code")
        raise JobFailed(str(refused), report=report, result=refused.result.as_dict())
    return {"receipt": receipt.number, **result.as_dict()}
