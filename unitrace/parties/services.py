"""Customers and distributors: creating and editing them, authorized regions, and
finding the customer a sale or activation names.

Every edit is change-logged; phones are normalized (``phones.normalize_phone``) before
the model's validator runs so "138 1234 1234" and "13812341234" are the same number. A
customer is reused only when phone and name both match (``find_or_create_customer``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from unitrace.core.audit import delete_with_log, save_with_log
from unitrace.geo.distance import CoordinateError, check_coordinates
from unitrace.geo.resolve import resolve_address
from unitrace.geo.validate import region_errors
from unitrace.parties.masking import keep_hidden_pii
from unitrace.parties.models import AuthorizedRegion, Party
from unitrace.parties.phones import normalize_phone
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
_NAME_NOISE = re.compile(r"[\s\u3000·]+")
_REGION_SPLIT = re.compile(r"[\s/,，、]+")


CODE_PREFIXES = {
    Party.Kind.CUSTOMER: "C",
    Party.Kind.DISTRIBUTOR: "D",
    Party.Kind.SUPPLIER: "S",
    Party.Kind.SERVICE_PARTNER: "P",
    Party.Kind.MANUFACTURER: "M",
}


def new_code(kind: str) -> str:
    return f"{CODE_PREFIXES.get(kind, 'D')}{uuid.uuid4().hex[:10].upper()}"


def same_name(a: str, b: str) -> bool:
    """Names compared without spaces, middle dots and case: "张 三" is "张三"."""
    return _NAME_NOISE.sub("", a or "").casefold() == _NAME_NOISE.sub("", b or "").casefold()


def save_party(kind: str, data: dict, party: Party | None = None, *, user=None) -> Party:
    """Create or edit a customer or distributor from plain values (change-logged).

    With ``user``, phone and address the user may not see are kept unless a new value
    is typed (``keep_hidden_pii``).
    """
    if kind not in SALES_KINDS:
        raise ValueError(f"not a sales party kind: {kind}")
    return save_any_party(kind, data, party, user=user)


def save_any_party(kind: str, data: dict, party: Party | None = None, *, user=None) -> Party:
    """Create or edit a party of any kind (the master-data pages); as ``save_party``.

    A code given on creation is kept, else one is drawn (``new_code``); a code taken
    by another party is a validation error of the code, also when two clerks create the
    same one at once.
    """
    if kind not in Party.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of party.")})
    data = keep_hidden_pii(party, data, user)
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
    errors = region_errors(party.province, party.city, party.district)
    if errors:
        raise ValidationError(errors)
    locate(party, data)
    try:
        with transaction.atomic():
            return save_with_log(party)
    except IntegrityError:
        raise ValidationError({"code": _("Another party already has this code.")}) from None


ADDRESS_FIELDS = ("province", "city", "district", "address")


def locate(party: Party, data: dict | None = None) -> None:
    """Resolve the party's address to its division code and centroid (``geo``).

    Exact coordinates in ``data`` (``latitude`` and ``longitude``, e.g. from a phone's
    GPS) override the centroid; both None go back to it. A party with only a street
    address gets its 省/市/区 from it when it resolves; an address that does not
    resolve is kept as typed and flagged (``address_resolved`` False, ``address_issue`` says why).
    """
    data = data or {}
    if "latitude" in data or "longitude" in data:
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if latitude in (None, "") and longitude in (None, ""):
            party.set_exact_point(None, None)
        else:
            try:
                if latitude in (None, "") or longitude in (None, ""):
                    missing = "latitude" if latitude in (None, "") else "longitude"
                    raise CoordinateError(_("Give both latitude and longitude."), field=missing)
                party.set_exact_point(*check_coordinates(latitude, longitude))
            except CoordinateError as refused:
                raise ValidationError({refused.field or "latitude": str(refused)}) from None
    resolution = resolve_address(
        party.address, province=party.province, city=party.city, district=party.district
    )
    typed = any(getattr(party, name) for name in ADDRESS_FIELDS)
    party.apply_resolution(resolution, has_address=typed)
    if resolution.resolved and not (party.province or party.city or party.district):
        party.province = resolution.province
        party.city = resolution.city
        party.district = resolution.district


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
    data: dict,
    regions: Iterable[tuple[str, str]] | None,
    party: Party | None = None,
    *,
    user=None,
) -> Party:
    with transaction.atomic():
        party = save_party(Party.Kind.DISTRIBUTOR, data, party, user=user)
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
    """The existing customer with this phone *and* this name, else a new customer.

    Matching rule: a phone number alone does not identify a person (families and
    companies share numbers, numbers are reassigned, digits are mistyped), and reusing
    a record by phone would hand whoever typed the number another person's record. So
    an existing customer is reused only when both the normalized phone and the name
    (``same_name``: ignoring spaces and case) match; otherwise a new customer is
    created, even if another customer already has this phone. Without a phone or a
    name nothing is matched and a new customer is created.

    A reused customer's record is not changed: the region and address given now belong
    to this sale or activation (``record_sell_through(region=...)``, the event's
    region), not to the customer's master data, which staff edit.
    """
    phone = normalize_phone(phone)
    name = (name or "").strip()
    if phone and name:
        for existing in Party.objects.filter(kind=Party.Kind.CUSTOMER, phone=phone).order_by("pk"):
            if same_name(existing.name, name):
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
