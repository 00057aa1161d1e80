"""Importing SKUs and batches from a CSV/XLSX file: new codes are created, known ones
updated (a batch is known by its SKU and number).

Every row is checked by the same form as the SKU or batch page (GTIN, serial rule,
bounds, a production date not in the future), so
a file cannot store what a clerk could not type. All or nothing: one refused row and
nothing is written; the report lists every refused row beside the row as written.
The job runs the writes in one transaction and reports progress from inside it, so a
cancel leaves nothing behind either.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unitrace.catalog.forms import BatchForm, SkuForm
from unitrace.catalog.models import SKU, Batch, Category, WarrantyStart
from unitrace.core.audit import save_with_log
from unitrace.core.import_templates import ImportTemplate, TemplateColumn, register_import_template
from unitrace.core.importing import ImportFile, choice_value, yes_no
from unitrace.core.jobs import job_handler
from unitrace.parties.models import Party

JOB_KIND = "catalog.sku_import"
# fmt: off
SKU_ALIASES: dict[str, list[str]] = {
    "code": ["model code", "sku", "型号", "型号编码", "物料编码"],
    "name": ["name", "名称", "产品名称"],
    "category": ["category", "类别", "产品类别"],
    "gtin": ["gtin", "ean", "商品条码"],
    "serialized": ["serialized", "按序列号管理"],
    "serial_pattern": ["serial rule", "序列号规则"],
    "serial_max_length": ["maximum serial length", "序列号最大长度"],
    "warranty_months": ["warranty months", "保修月数"],
    "warranty_start": ["warranty starts at", "保修起算点"],
    "active": ["active", "启用"],
}
# fmt: on
VERBATIM = ("name", "category")  # as people wrote them (full-width brackets stay)

SKU_TEMPLATE = register_import_template(
    ImportTemplate(
        name="skus",
        title=gettext_lazy("SKU import"),
        permissions=("catalog.add_sku", "catalog.change_sku"),
        columns=(
            TemplateColumn(
                "型号编码", True, gettext_lazy("a known code updates that SKU"), "AC-100"
            ),
            TemplateColumn("名称", True, gettext_lazy("the SKU's name"), "空调室内机"),
            TemplateColumn("类别", False, gettext_lazy("an existing category's name"), "空调"),
            TemplateColumn("商品条码", False, gettext_lazy("8, 12, 13 or 14 digits"), ""),
            TemplateColumn("按序列号管理", False, gettext_lazy("是 or 否 (default 是)"), "是"),
            TemplateColumn("序列号规则", False, gettext_lazy("e.g. AC{YY}{MM}{SEQ:6}{CHECK}"), ""),
            TemplateColumn("序列号最大长度", False, gettext_lazy("1 to 40 (default 20)"), "20"),
            TemplateColumn("保修月数", False, gettext_lazy("0 to 600 (default 12)"), "12"),
            TemplateColumn(
                "保修起算点", False, gettext_lazy("出库, 销售, 激活 or 安装 (default 销售)"), "销售"
            ),
            TemplateColumn("启用", False, gettext_lazy("是 or 否 (default 是)"), "是"),
        ),
        stem="skus",
    )
)


def _row_form(values: dict[str, str], categories: dict[str, int], existing: SKU | None):
    errors: list[tuple[str, str]] = []
    data: dict[str, object] = {
        "code": values.get("code", ""),
        "name": values.get("name", ""),
        "gtin": values.get("gtin", ""),
        "serial_pattern": values.get("serial_pattern", ""),
        "serial_max_length": values.get("serial_max_length") or "20",
        "warranty_months": values.get("warranty_months") or "12",
        "warranty_start": choice_value(
            values.get("warranty_start", ""), WarrantyStart.choices, WarrantyStart.SALE
        ),
    }
    for name in ("serialized", "active"):
        flag = yes_no(values.get(name, ""), True)
        if flag is None:
            errors.append((name, _("write 是 or 否")))
        elif flag:
            data[name] = "on"
    category = values.get("category", "").strip()
    if category:
        if category in categories:
            data["category"] = categories[category]
        else:
            errors.append(("category", _("no category '%(name)s'") % {"name": category}))
    return SkuForm(data, instance=existing), errors


def import_skus(data: bytes, filename: str, progress=None) -> dict:
    """Create or update the file's SKUs, all or nothing; ``JobFailed`` with the report."""
    upload = ImportFile(data, filename, SKU_ALIASES, ["code", "name"], verbatim=VERBATIM,
                        progress=progress)  # fmt: skip
    categories = dict(Category.objects.values_list("name", "pk"))
    codes = [v.get("code", "") for _n, v in upload.rows]
    known = {s.code: s for s in SKU.objects.filter(code__in=codes)}
    ready: list[SKU] = []
    for number, values in upload.rows:
        code = values.get("code", "")
        if not upload.first_time(number, (code,), "code", code):
            continue
        form, problems = _row_form(values, categories, known.get(code))
        for name, message in problems:
            upload.refuse(number, name, values.get(name, ""), message)
        if not form.is_valid():
            upload.refuse_errors(number, form.errors, values)
        elif not problems:
            ready.append(form.save(commit=False))
    upload.fail_if_refused()
    created = sum(sku.pk is None for sku in ready)
    upload.write_all(ready, save_with_log)
    return {"rows": len(upload.rows), "skus_created": created, "skus_updated": len(ready) - created}


@job_handler(JOB_KIND)
def run_sku_import(job, progress) -> dict:
    return import_skus(bytes(job.input_data), job.input_name, progress)


BATCH_JOB_KIND = "catalog.batch_import"
# fmt: off
BATCH_ALIASES: dict[str, list[str]] = {
    "code": ["batch", "batch number", "batch code", "批次", "批次号", "批号"],
    "sku": ["sku", "model code", "型号", "型号编码"],
    "production_date": ["production date", "生产日期"],
    "quantity": ["quantity", "qty", "数量"],
    "supplier": ["supplier", "supplier code", "供应商", "供应商编码"],
    "factory": ["factory", "工厂"],
    "line": ["production line", "line", "产线", "生产线"],
}
# fmt: on
BATCH_VERBATIM = ("factory",)

BATCH_TEMPLATE = register_import_template(
    ImportTemplate(
        name="batches",
        title=gettext_lazy("Batch import"),
        permissions=("catalog.add_batch", "catalog.change_batch"),
        columns=(
            TemplateColumn(
                "批次号",
                True,
                gettext_lazy("a known number of that SKU updates the batch"),
                "B2601",
            ),
            TemplateColumn("型号编码", True, gettext_lazy("an existing SKU's code"), "AC-100"),
            TemplateColumn(
                "生产日期",
                False,
                gettext_lazy("2026-01-15 or 2026年1月15日, not in the future"),
                "2026-01-15",
            ),
            TemplateColumn("数量", False, gettext_lazy("a whole number (default 0)"), "500"),
            TemplateColumn("供应商编码", False, gettext_lazy("an existing supplier's code"), ""),
            TemplateColumn("工厂", False, gettext_lazy("free text"), ""),
            TemplateColumn("生产线", False, gettext_lazy("free text"), ""),
        ),
        stem="batches",
    )
)


def _batch_form(values: dict[str, str], sku: SKU | None, supplier: int | None, existing):
    """The batch page's form for one row; columns the file leaves out keep their value."""
    data: dict[str, object] = {
        "sku": sku.pk if sku else "",
        "code": values.get("code", ""),
        "production_date": values.get("production_date", ""),
        "quantity": values.get("quantity") or "0",
        "supplier": supplier or "",
        "factory": values.get("factory", ""),
        "line": values.get("line", ""),
        "qc_status": existing.qc_status if existing else Batch.QC.PENDING,
    }
    if existing is not None:
        for name in ("production_date", "quantity", "factory", "line"):
            if name not in values:  # the column is not in the file: keep what is stored
                data[name] = getattr(existing, name) or ""
        if "supplier" not in values:
            data["supplier"] = existing.supplier_id or ""
    return BatchForm(data, instance=existing)


def import_batches(data: bytes, filename: str, progress=None) -> dict:
    """Create or update the file's batches (by SKU and number), all or nothing."""
    upload = ImportFile(data, filename, BATCH_ALIASES, ["code", "sku"],
                        verbatim=BATCH_VERBATIM, progress=progress)  # fmt: skip
    skus = {s.code: s for s in SKU.objects.filter(code__in={v["sku"] for _n, v in upload.rows})}
    suppliers = dict(
        Party.objects.filter(
            kind=Party.Kind.SUPPLIER, code__in={v.get("supplier", "") for _n, v in upload.rows}
        ).values_list("code", "pk")
    )
    codes = {v["code"] for _n, v in upload.rows}
    known = {
        (b.sku_id, b.code): b
        for b in Batch.objects.filter(sku__in=list(skus.values()), code__in=codes)
    }
    ready: list[Batch] = []
    for number, values in upload.rows:
        code, sku_code = values.get("code", ""), values.get("sku", "")
        if not upload.first_time(number, (sku_code, code), "code", code):
            continue
        sku = skus.get(sku_code)
        problems = False
        if sku is None and sku_code:
            upload.refuse(number, "sku", sku_code, _("no SKU '%(code)s'") % {"code": sku_code})
            problems = True
        supplier_code = values.get("supplier", "")
        supplier = suppliers.get(supplier_code) if supplier_code else None
        if supplier_code and supplier is None:
            upload.refuse(number, "supplier", supplier_code,
                          _("no supplier '%(code)s'") % {"code": supplier_code})  # fmt: skip
            problems = True
        existing = known.get((sku.pk, code)) if sku else None
        form = _batch_form(values, sku, supplier, existing)
        if not form.is_valid():
            errors = {
                k: v for k, v in form.errors.items() if not (problems and k in ("sku", "supplier"))
            }
            upload.refuse_errors(number, errors, values)
        elif not problems:
            ready.append(form.save(commit=False))
    upload.fail_if_refused()
    created = sum(b.pk is None for b in ready)
    upload.write_all(ready, save_with_log)
    return {
        "rows": len(upload.rows),
        "batches_created": created,
        "batches_updated": len(ready) - created,
    }


@job_handler(BATCH_JOB_KIND)
def run_batch_import(job, progress) -> dict:
    return import_batches(bytes(job.input_data), job.input_name, progress)
