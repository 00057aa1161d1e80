"""Customers and distributors: the sales side of ``parties.Party``.

Every edit is change-logged; phones are normalized before the model's validator runs
so "138 1234 1234" and "13812341234" are the same customer.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from unitrace.core.audit import delete_with_log, save_with_log
from unitrace.parties.models import AuthorizedRegion, Party
from unitrace.parties.regions import short_name

PARTY_FIELDS = (
    "name",
    "is_company",
    "contact",
    "phone",
    "province",
    "city",
    "district",
    "address",
    "active",
)
SALES_KINDS = (Party.Kind.CUSTOMER, Party.Kind.DISTRIBUTOR)
_PHONE_NOISE = re.compile(r"[\s()（）]+")
_REGION_SPLIT = re.compile(r"[\s/,，、]+")


def normalize_phone(phone: str) -> str:
    return _PHONE_NOISE.sub("", phone or "")


def new_code(kind: str) -> str:
    prefix = "C" if kind == Party.Kind.CUSTOMER else "D"
    return f"{prefix}{uuid.uuid4().hex[:10].upper()}"


def save_party(kind: str, data: dict, party: Party | None = None) -> Party:
    """Create or edit a customer or distributor from plain values (change-logged)."""
    if kind not in SALES_KINDS:
        raise ValueError(f"not a sales party kind: {kind}")
    if party is None:
        party = Party(kind=kind, code=(data.get("code") or "").strip() or new_code(kind))
    elif party.kind != kind:
        raise ValidationError({"kind": _("This party is not a %(kind)s.") % {"kind": kind}})
    for name in PARTY_FIELDS:
        if name in data:
            value = data[name]
            if isinstance(value, str):
                value = value.strip()
            setattr(party, name, normalize_phone(value) if name == "phone" else value)
    if not party.name:
        raise ValidationError({"name": _("A name is required.")})
    return save_with_log(party)


def parse_regions(text: str) -> list[tuple[str, str]]:
    """One region per line: "浙江省 杭州市", "浙江省/杭州市" or a whole province "江苏省"."""
    regions: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        parts = [p for p in _REGION_SPLIT.split(line.strip()) if p]
        if not parts:
            continue
        if len(parts) > 2:
            raise ValidationError(
                {
                    "regions": _(
                        "Line %(n)d: '%(line)s' — give a province and optionally one city."
                    )
                    % {"n": number, "line": line.strip()}
                }
            )
        regions.append((parts[0], parts[1] if len(parts) == 2 else ""))
    return regions


def set_regions(party: Party, regions: Iterable[tuple[str, str]]) -> None:
    """Make the distributor's authorized regions exactly ``regions`` (each change logged)."""
    wanted: dict[tuple[str, str], tuple[str, str]] = {}
    for province, city in regions:
        province, city = province.strip(), (city or "").strip()
        if not province:
            raise ValidationError({"regions": _("Every region needs a province.")})
        wanted.setdefault((short_name(province), short_name(city)), (province, city))
    with transaction.atomic():
        for row in list(party.regions.all()):
            key = (short_name(row.province), short_name(row.city))
            if key in wanted:
                wanted.pop(key)
            else:
                delete_with_log(row)
        for province, city in wanted.values():
            save_with_log(AuthorizedRegion(party=party, province=province, city=city))


def save_distributor(
    data: dict, regions: Iterable[tuple[str, str]] | None, party: Party | None = None
) -> Party:
    with transaction.atomic():
        party = save_party(Party.Kind.DISTRIBUTOR, data, party)
        if regions is not None:
            set_regions(party, regions)
    return party


def find_or_create_customer(
    name: str,
    phone: str = "",
    *,
    province: str = "",
    city: str = "",
    district: str = "",
    address: str = "",
    is_company: bool = False,
) -> Party:
    """The end customer with this phone, or a new one: sell-through never duplicates."""
    phone = normalize_phone(phone)
    if phone:
        existing = (
            Party.objects.filter(kind=Party.Kind.CUSTOMER, phone=phone).order_by("pk").first()
        )
        if existing is not None:
            return existing
    return save_party(
        Party.Kind.CUSTOMER,
        {
            "name": name,
            "phone": phone,
            "province": province,
            "city": city,
            "district": district,
            "address": address,
            "is_company": is_company,
        },
    )
