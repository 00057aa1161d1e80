"""Importing warehouses and their bins from a CSV/XLSX file.

One row per warehouse (code, name, level, parent code, region) and/or per bin (the
warehouse's code and the bin's code: a row with only those two adds a bin). A known
code updates that warehouse; cells left empty keep what is stored.

A parent may be defined further down the same file, so the file is read in two
passes: first every row is checked on its own by the warehouse page's form, then the
parents are resolved against the file and the database together and every chain is
walked, so a loop (A under B, B under A, in the file or through a stored warehouse) is
refused with the row that closes it. The warehouses are then written parents first,
each through ``hierarchy.save_warehouse``, which takes the row locks and checks the loop
again against what others changed meanwhile. All or nothing, like every import.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unitrace.core.import_templates import ImportTemplate, TemplateColumn, register_import_template
from unitrace.core.importing import ImportFile, choice_value, yes_no
from unitrace.core.jobs import job_handler
from unitrace.geo.validate import region_errors
from unitrace.parties.importing import division_name
from unitrace.places.forms import WarehouseForm
from unitrace.places.hierarchy import save_warehouse
from unitrace.places.models import Bin, Warehouse
from unitrace.places.services import add_bin

JOB_KIND = "places.warehouse_import"
# fmt: off
WAREHOUSE_ALIASES: dict[str, list[str]] = {
    "code": ["code", "warehouse", "warehouse code", "仓库", "仓库编码", "仓库代码"],
    "name": ["name", "warehouse name", "名称", "仓库名称"],
    "level": ["level", "级别", "仓库级别"],
    "parent": ["parent", "parent code", "上级", "上级仓库", "上级仓库编码"],
    "region": ["region", "地区", "所在地区"],
    "active": ["active", "启用"],
    "bin": ["bin", "bin code", "库位", "库位编码"],
}
# fmt: on
VERBATIM = ("name", "region")
_REGION_SPLIT = re.compile(r"[\s/,，、]+")
WAREHOUSE_FIELDS = ("name", "level", "region", "parent", "active")

WAREHOUSE_TEMPLATE = register_import_template(
    ImportTemplate(
        name="warehouses",
        title=gettext_lazy("Warehouse and bin import"),
        permissions=("places.add_warehouse", "places.change_warehouse", "places.add_bin"),
        columns=(
            TemplateColumn(
                "仓库编码", True, gettext_lazy("a known code updates that warehouse"), "WH-HZ"
            ),
            TemplateColumn("仓库名称", False, gettext_lazy("needed for a new warehouse"), "杭州仓"),
            TemplateColumn(
                "级别",
                False,
                gettext_lazy("总部, 区域, 服务中心, 工程师服务车 or 工厂; needed for a new one"),
                "区域",
            ),
            TemplateColumn(
                "上级仓库编码",
                False,
                gettext_lazy("an existing warehouse or one further down this file"),
                "WH-HQ",
            ),
            TemplateColumn(
                "地区",
                False,
                gettext_lazy("province and city, by name or division code"),
                "浙江省 杭州市",
            ),
            TemplateColumn("启用", False, gettext_lazy("是 or 否 (default 是)"), "是"),
            TemplateColumn(
                "库位编码",
                False,
                gettext_lazy("adds this bin to the row's warehouse; a row may hold only a bin"),
                "A-01-01",
            ),
        ),
        stem="warehouses",
    )
)


def _region(text: str) -> tuple[str, str] | None:
    """ "浙江省 杭州市", "浙江省/杭州市", "浙江省" or a division code such as 330100."""
    parts = [p for p in _REGION_SPLIT.split(text.strip()) if p]
    if len(parts) == 1 and parts[0].isdigit():
        return division_name(parts[0])
    if len(parts) > 2:
        return None
    province, city = [*parts, "", ""][:2]
    return province, city


def _form(upload: ImportFile, number: int, values: dict[str, str], existing):
    """The warehouse page's form for one row, the parent left to the second pass."""
    data: dict[str, object] = {
        "code": values.get("code", ""),
        "name": values.get("name", ""),
        "level": choice_value(values.get("level", ""), Warehouse.Level.choices),
        "parent": "",
        "province": "",
        "city": "",
        "active": "on",
    }
    if existing is not None:
        data.update(province=existing.province, city=existing.city)
        data["active"] = "on" if existing.active else ""
        for name in ("name", "level"):
            data[name] = data[name] or getattr(existing, name)
    if values.get("active"):
        flag = yes_no(values["active"], True)
        if flag is None:
            upload.refuse(number, "active", values["active"], _("write 是 or 否"))
        data["active"] = "on" if flag else ""
    if values.get("region"):
        region = _region(values["region"])
        errors = region_errors(*region) if region else {"region": _("write 省 市")}
        if errors:
            upload.refuse(number, "region", values["region"], "; ".join(errors.values()))
        elif region:
            data["province"], data["city"] = region
    return WarehouseForm(data, instance=existing)


def _loop(code: str, parents: dict[str, str | None]) -> list[str] | None:
    """The chain from ``code`` back to itself if its parent makes a loop, else None."""
    chain, seen = [code], {code}
    current = parents.get(code)
    while current:
        chain.append(current)
        if current == code:
            return chain
        if current in seen:
            return None  # a loop above that does not pass through this one
        seen.add(current)
        current = parents.get(current)
    return None


def import_warehouses(data: bytes, filename: str, progress=None) -> dict:
    """Create or update the file's warehouses and add its bins, all or nothing."""
    upload = ImportFile(data, filename, WAREHOUSE_ALIASES, ["code"], verbatim=VERBATIM,
                        progress=progress)  # fmt: skip
    # every warehouse: a loop can run through any of them (hierarchies are small)
    stored = {w.code: w for w in Warehouse.objects.all()}
    parents: dict[str, str | None] = dict(Warehouse.objects.values_list("code", "parent__code"))
    # first pass: every row on its own
    places: dict[str, tuple[int, Warehouse, str | None]] = {}
    bins: list[tuple[int, str, str]] = []
    for number, values in upload.rows:
        code = values.get("code", "")
        defines = any(values.get(name) for name in WAREHOUSE_FIELDS) or not values.get("bin")
        if defines and upload.first_time(number, ("warehouse", code), "code", code):
            existing = stored.get(code)
            form = _form(upload, number, values, existing)
            if form.is_valid():
                parent = values.get("parent") or parents.get(code)  # empty keeps it
                places[code] = (number, form.save(commit=False), parent)
            else:
                upload.refuse_errors(number, form.errors, values)
        bin_code = values.get("bin", "")
        if bin_code and upload.first_time(number, ("bin", code, bin_code), "bin", bin_code):
            try:
                Bin(code=bin_code).clean_fields(exclude=["warehouse"])
            except ValidationError as exc:
                upload.refuse_errors(number, {"bin": exc.message_dict.get("code", [])}, values)
            else:
                bins.append((number, code, bin_code))
    # second pass: parents and bins resolved against the file and the database
    for code, (number, _w, parent) in places.items():
        parents[code] = parent
        if parent and parent not in places and parent not in stored:
            upload.refuse(number, "parent", parent, _("no warehouse '%(code)s'") % {"code": parent})
    for code, (number, _w, parent) in places.items():
        chain = _loop(code, parents)
        if chain:
            message = _(
                "%(code)s cannot be placed under %(parent)s: the hierarchy would loop (%(chain)s)"
            ) % {"code": code, "parent": parent, "chain": " → ".join(chain)}
            upload.refuse(number, "parent", parent or "", message)
    for number, code, _b in bins:
        if code not in places and code not in stored:
            upload.refuse(number, "code", code, _("no warehouse '%(code)s'") % {"code": code})
    upload.fail_if_refused()
    order = _parents_first(places)
    created = sum(places[code][1].pk is None for code in order)
    saved: dict[str, Warehouse] = {}
    new_bins = [
        (code, bin_code)
        for _n, code, bin_code in bins
        if code not in stored or not stored[code].bins.filter(code=bin_code).exists()
    ]

    def save(item: tuple[str, str | None]) -> None:
        code, bin_code = item
        if bin_code is None:
            _number, warehouse, parent = places[code]
            warehouse.parent = (saved.get(parent) or stored.get(parent)) if parent else None
            saved[code] = save_warehouse(warehouse)
        else:
            add_bin(Bin(warehouse=saved.get(code) or stored[code], code=bin_code))

    # one transaction for both: warehouses parents first, then the bins
    upload.write_all([(code, None) for code in order] + new_bins, save)
    return {
        "rows": len(upload.rows),
        "warehouses_created": created,
        "warehouses_updated": len(order) - created,
        "bins_created": len(new_bins),
    }


def _parents_first(places: dict[str, tuple[int, Warehouse, str | None]]) -> list[str]:
    """The file's warehouse codes ordered so that a parent in the file comes before its
    children (the file holds no loop by now), else in file order."""
    order: list[str] = []
    placed: set[str] = set()
    for code in places:
        pending: list[str] = []
        current: str | None = code
        while current in places and current not in placed:  # up to the first placed
            placed.add(current)
            pending.append(current)
            current = places[current][2]
        order.extend(reversed(pending))
    return order


@job_handler(JOB_KIND)
def run_warehouse_import(job, progress) -> dict:
    return import_warehouses(bytes(job.input_data), job.input_name, progress)
