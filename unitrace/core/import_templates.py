"""Import templates: the empty workbook a clerk downloads, fills in and uploads.

Each import declares its template once (``register_import_template``) with the columns
its reader accepts. The template's first sheet is the one to fill in: only the header,
written with the Chinese header texts the importers match (``core.tabular`` aliases), so
an unfilled example row can never be imported by mistake. The second sheet explains each
column (required or not, what goes in, an example). Both sheets go through the one
writer of downloaded tables (``core.sheets``).

The unit, ASN and receiving imports read the columns of ``UNIT_IMPORT_ALIASES`` (core),
so their templates are declared here; master-data apps declare their own.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unitrace.core.sheets import safe_row

Text = str | Promise


@dataclass(frozen=True)
class TemplateColumn:
    header: str  # as written in the template: a header text the importer accepts
    required: bool
    note: Text  # what goes in, for the person filling it in
    example: str = ""


@dataclass(frozen=True)
class ImportTemplate:
    name: str  # the URL's key
    title: Callable[[], str] | Text  # shown on the instructions sheet
    permissions: tuple[str, ...]  # needed to download it: those of the import itself
    columns: tuple[TemplateColumn, ...]
    stem: str  # the file name's start


_TEMPLATES: dict[str, ImportTemplate] = {}


def register_import_template(template: ImportTemplate) -> ImportTemplate:
    _TEMPLATES[template.name] = template
    return template


def import_template(name: str) -> ImportTemplate | None:
    return _TEMPLATES.get(name)


def template_names() -> list[str]:
    return sorted(_TEMPLATES)


def template_bytes(template: ImportTemplate) -> bytes:
    """The workbook: the sheet to fill in (header only), then the instructions."""
    from openpyxl import Workbook

    out = io.BytesIO()
    book = Workbook(write_only=True)
    data = book.create_sheet(title=_("Data"))
    data.append(safe_row(c.header for c in template.columns))
    help_sheet = book.create_sheet(title=_("Instructions"))
    help_sheet.append([str(template.title)])
    help_sheet.append(
        [
            _(
                "Fill in the first sheet; keep its header row. Dates as 2026-01-15 or "
                "2026年1月15日; format serial columns as text so Excel keeps every digit."
            )
        ]
    )
    help_sheet.append([])
    help_sheet.append([_("Column"), _("Required"), _("What goes in"), _("Example")])
    for column in template.columns:
        help_sheet.append(
            safe_row(
                [
                    column.header,
                    _("yes") if column.required else _("no"),
                    str(column.note),
                    column.example,
                ]
            )
        )
    book.save(out)
    return out.getvalue()


# fmt: off
_SKU = TemplateColumn("型号", False, gettext_lazy(
    "SKU code; may be left out when the import page sets a default SKU"), "AC-100")
_SERIAL = TemplateColumn("序列号", True, gettext_lazy(
    "the unit's serial, at most 20 characters"), "AC2601000001W")
_BATCH = TemplateColumn("批次", False, gettext_lazy("batch number of that SKU"), "B2601")
_SUPPLIER_SERIAL = TemplateColumn("供应商序列号", False, gettext_lazy(
    "the supplier's own serial, when it differs"), "")
_PRODUCTION_DATE = TemplateColumn("生产日期", False, gettext_lazy(
    "production date, not in the future"), "2026-01-15")
_NOTES = TemplateColumn("备注", False, gettext_lazy("free text"), "")
# fmt: on

UNITS = register_import_template(
    ImportTemplate(
        name="units",
        title=gettext_lazy("Unit import"),
        permissions=("serials.add_unit",),
        columns=(_SKU, _SERIAL, _BATCH, _SUPPLIER_SERIAL, _PRODUCTION_DATE, _NOTES),
        stem="units",
    )
)
ASN = register_import_template(
    ImportTemplate(
        name="asn",
        title=gettext_lazy("Supplier serial list (ASN)"),
        permissions=("procurement.add_expectedserial",),
        columns=(
            TemplateColumn(
                "型号", False, gettext_lazy("SKU code; needed when the order has several lines")
            ),
            _SERIAL,
            _SUPPLIER_SERIAL,
            _BATCH,
            _PRODUCTION_DATE,
        ),
        stem="asn",
    )
)
RECEIVING = register_import_template(
    ImportTemplate(
        name="receiving",
        title=gettext_lazy("Receiving from a file"),
        permissions=("procurement.receive_purchaseorder",),
        columns=(
            TemplateColumn(
                "型号", False, gettext_lazy("SKU code; needed when the order has several lines")
            ),
            _SERIAL,
        ),
        stem="receiving",
    )
)
