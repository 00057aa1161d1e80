"""Importing customers, suppliers and distributors from a CSV/XLSX file.

A known code updates that party, a new or empty code creates one (an empty code is
drawn as on the page). Each row goes through the page's own write, ``save_any_party``:
the phone is normalized and validated, the province and city must name real divisions
(given by name or by their GB/T 2260 code), a code cannot belong to two parties. All or
nothing: every row is tried inside one transaction and one refused row rolls it all
back, with a report that repeats each refused row.

Phone, address and contact person are personal data: only a user with
``parties.view_pii`` may import them, since a file is as good as typing them in. Empty
cells keep the stored value, so a file of codes and names never wipes a phone.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unitrace.core.import_templates import ImportTemplate, TemplateColumn, register_import_template
from unitrace.core.importing import ImportFile, choice_value, yes_no
from unitrace.core.jobs import job_handler
from unitrace.parties.forms import PartyForm
from unitrace.parties.masking import PII_FIELDS, can_see_pii
from unitrace.parties.models import Party
from unitrace.parties.services import save_any_party

JOB_KIND = "parties.party_import"
IMPORT_KINDS = (Party.Kind.CUSTOMER, Party.Kind.SUPPLIER, Party.Kind.DISTRIBUTOR)
# fmt: off
PARTY_ALIASES: dict[str, list[str]] = {
    "kind": ["kind", "type", "类型", "类别", "往来单位类型"],
    "code": ["code", "party code", "编码", "编号", "客户编码", "单位编码"],
    "name": ["name", "名称", "单位名称", "客户名称"],
    "is_company": ["company", "是否单位", "单位"],
    "contact": ["contact", "contact person", "联系人"],
    "phone": ["phone", "telephone", "mobile", "电话", "联系电话", "手机"],
    "province": ["province", "省", "省份"],
    "city": ["city", "市", "城市"],
    "address": ["address", "street address", "地址", "详细地址"],
    "active": ["active", "启用"],
}
# fmt: on
VERBATIM = ("name", "contact", "address", "province", "city")

PARTY_TEMPLATE = register_import_template(
    ImportTemplate(
        name="parties",
        title=gettext_lazy("Party import"),
        permissions=("parties.add_party", "parties.change_party"),
        columns=(
            TemplateColumn("类型", True, gettext_lazy("客户, 供应商 or 经销商"), "客户"),
            TemplateColumn(
                "编码",
                False,
                gettext_lazy("a known code updates that party; empty draws a new code"),
                "C0001",
            ),
            TemplateColumn("名称", True, gettext_lazy("the party's name"), "杭州某某贸易有限公司"),
            TemplateColumn("是否单位", False, gettext_lazy("是 or 否 (default 是)"), "是"),
            TemplateColumn(
                "联系人",
                False,
                gettext_lazy("personal data: needs the permission to see it"),
                "张三",
            ),
            TemplateColumn(
                "电话",
                False,
                gettext_lazy("mobile or landline; personal data: needs the permission to see it"),
                "13812345678",
            ),
            TemplateColumn(
                "省份",
                False,
                gettext_lazy("name or division code, e.g. 浙江省 or 330000"),
                "浙江省",
            ),
            TemplateColumn(
                "城市",
                False,
                gettext_lazy("name or division code, e.g. 杭州市 or 330100"),
                "杭州市",
            ),
            TemplateColumn(
                "地址", False, gettext_lazy("personal data: needs the permission to see it"), ""
            ),
            TemplateColumn("启用", False, gettext_lazy("是 or 否 (default 是)"), "是"),
        ),
        stem="parties",
    )
)


def division_name(code: str) -> tuple[str, str] | None:
    """The province and city a GB/T 2260 code (2, 4 or 6 digits) names, or None.

    A municipality's district code gives the district as its city, as people write
    北京市 东城区; a province code gives no city."""
    from unitrace.geo.divisions import CITY, index

    table = index()
    division = table.get(code)
    if division is None:
        return None
    chain = table.chain(division.code)
    if len(chain) == 1:
        return chain[0].name, ""
    city = next((d for d in chain if d.level == CITY), chain[1])
    return chain[0].name, city.name


def _division(upload: ImportFile, number: int, values: dict[str, str], name: str) -> str:
    """A province or city cell as a name; a code that names nothing is refused."""
    text = values.get(name, "")
    if not text.isdigit():
        return text
    found = division_name(text)
    if found is None:
        upload.refuse(number, name, text, _("'%(code)s' is not a division code") % {"code": text})
        return ""
    return found[0] if name == "province" or not found[1] else found[1]


def _row_data(upload: ImportFile, number: int, values: dict[str, str], pii: bool) -> dict | None:
    """The row's values for ``save_any_party`` (only the cells that are filled in), or
    None when the row is refused."""
    before = len(upload.refused)
    data: dict[str, object] = {}
    for name in ("code", "name", "contact", "phone", "address"):
        if values.get(name):
            data[name] = values[name]
    for name in ("province", "city"):
        if values.get(name):
            data[name] = _division(upload, number, values, name)
    for name in ("is_company", "active"):
        if values.get(name):
            flag = yes_no(values[name], True)
            if flag is None:
                upload.refuse(number, name, values[name], _("write 是 or 否"))
            data[name] = flag
    if not pii:
        for name in PII_FIELDS:
            if name in data:
                upload.refuse(
                    number,
                    name,
                    values[name],
                    _("Only users allowed to see personal data may import it; leave it empty."),
                )
    return data if len(upload.refused) == before else None


def import_parties(data: bytes, filename: str, user, progress=None) -> dict:
    """Create or update the file's parties as ``user``, all or nothing."""
    upload = ImportFile(data, filename, PARTY_ALIASES, ["kind", "name"], verbatim=VERBATIM,
                        progress=progress)  # fmt: skip
    pii = can_see_pii(user)
    codes = {v.get("code", "") for _n, v in upload.rows} - {""}
    known = {p.code: p for p in Party.objects.filter(code__in=codes)}
    checked: list[tuple[int, dict, str, dict, Party | None]] = []
    for number, values in upload.rows:
        code = values.get("code", "")
        if code and not upload.first_time(number, (code,), "code", code):
            continue
        kind = choice_value(values.get("kind", ""), [(k, k.label) for k in IMPORT_KINDS])
        if kind not in IMPORT_KINDS:
            upload.refuse(number, "kind", values.get("kind", ""),
                          _("write 客户, 供应商 or 经销商"))  # fmt: skip
            continue
        existing = known.get(code)
        row = _row_data(upload, number, values, pii)
        if row is None:
            continue
        # the page's form checks each field's length and type before the service's rules
        form = PartyForm(_form_data(kind, row, existing), instance=existing, user=user)
        if not form.is_valid():
            upload.refuse_errors(number, form.errors, values)
            continue
        checked.append((number, values, kind, row, existing))
    # the rows that passed the form are tried even when others were refused, so the
    # report has every problem of the file at once; any refusal rolls it all back

    def save(item: tuple[int, dict, str, dict, Party | None]) -> Party:
        _number, _values, kind, row, existing = item
        return save_any_party(kind, row, existing, user=user)

    saved = upload.write_checked(checked, save, number=lambda item: item[0],
                                 values=lambda item: item[1])  # fmt: skip
    created = sum(item[4] is None for item in checked)
    return {
        "rows": len(upload.rows),
        "parties_created": created,
        "parties_updated": saved - created,
    }


def _form_data(kind: str, row: dict, existing: Party | None) -> dict:
    """The form's data: the row's cells over what is stored (empty cells keep it)."""
    data: dict[str, object] = {"kind": kind, "is_company": "on", "active": "on"}
    if existing is not None:
        for name in ("code", "name", "contact", "phone", "province", "city", "address"):
            data[name] = getattr(existing, name)
        data["is_company"] = "on" if existing.is_company else ""
        data["active"] = "on" if existing.active else ""
    for name, value in row.items():
        if isinstance(value, bool):
            data[name] = "on" if value else ""
        else:
            data[name] = value
    return data


@job_handler(JOB_KIND)
def run_party_import(job, progress) -> dict:
    return import_parties(bytes(job.input_data), job.input_name, job.created_by, progress)
