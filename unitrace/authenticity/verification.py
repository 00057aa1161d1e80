"""The public authenticity check (防伪查询): genuine or unknown, and how often checked.

A recognised label of a scrapped unit is answered "scrapped", never simply genuine, and
a recalled unit's answer carries the recall notice. The label's QR code (``/u/<token>``
and the signed Digital Link) is this same check; the customer may add the region
afterwards (``add_region``), which attaches it to that check instead of counting another.

Anyone may ask, nobody may enumerate: a unit is recognised only with a secret from its
label (see ``codes``). A wrong code and an unknown serial take the same path, write the
same record and get the same answer. Every check is recorded without personal data;
counts per unit reveal cloned labels (one label copied onto many fakes is checked
often, from many places).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from django.core import signing
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from unitrace.authenticity import codes
from unitrace.authenticity.conf import setting
from unitrace.authenticity.diversion import Source, check_diversion
from unitrace.authenticity.inputs import region_key
from unitrace.authenticity.models import Verification
from unitrace.catalog.models import SKU
from unitrace.codes.gs1 import parse_scan
from unitrace.core.display import shown_moment
from unitrace.parties.regions import Region
from unitrace.serials.models import Unit
from unitrace.serials.resolver import PUBLIC_HANDLE
from unitrace.serials.statuses import EventType, Status, refusal

Method = Verification.Method
# a unit's public_token: the random handle in our QR codes
_HANDLE = PUBLIC_HANDLE
_HANDLE_IN_PATH = re.compile(rf"/(?:u|p/activate|p/verify)/({_HANDLE})/?$")
_HANDLE_ONLY = re.compile(rf"^{_HANDLE}$")
_DUMMY_SKU = -1
MAX_SERIAL_CANDIDATES = 20


@dataclass(frozen=True)
class Credentials:
    """What the person presents: one of token, link (scanned text), serial + code."""

    token: str = ""
    link: str = ""
    serial: str = ""
    code: str = ""


@dataclass(frozen=True)
class Client:
    ip: str | None = None
    user_agent: str = ""


@dataclass
class Answer:
    record: Verification | None  # None for a staff preview, which records nothing
    unit: Unit | None = None  # for the caller's own use; never shown to the public
    first_checked_at: datetime | None = None
    last_checked_at: datetime | None = None
    check_number: int = 0
    clone_reasons: list[str] = field(default_factory=list)

    @property
    def genuine(self) -> bool:
        return self.unit is not None

    @property
    def possible_clone(self) -> bool:
        return bool(self.clone_reasons)

    @property
    def standing(self) -> str:
        """What the public must be told besides "genuine": "scrapped", "recalled" or ""."""
        status = self.unit.status if self.unit is not None else ""
        return STANDINGS.get(status, "")

    @property
    def can_activate(self) -> bool:
        unit = self.unit
        if unit is None or unit.activated_at:
            return False
        return refusal(EventType.ACTIVATED, unit.status) is None

    @property
    def can_add_region(self) -> bool:
        """The customer may still say where this check happened (once, optional)."""
        record = self.record
        return record is not None and record.unit_id is not None and not record.region_key

    def public(self) -> dict:
        """The answer as the public sees it: product and counts, nothing personal.

        ``result`` is "genuine", "scrapped" (the manufacturer's serial, but that unit was
        taken out of use: never simply genuine) or "unknown"; ``standing`` adds
        "recalled" to a genuine unit under recall, with the ``notice`` to show.
        """
        if self.unit is None:
            return {"result": "unknown", "message": unknown_message()}
        unit = self.unit
        first = timezone.localtime(self.first_checked_at) if self.first_checked_at else None
        standing = self.standing
        scrapped = standing == "scrapped"
        counted_reasons = [r for r in self.clone_reasons if r != "scrapped"]
        return {
            "result": "scrapped" if scrapped else "genuine",
            "message": scrapped_message()
            if scrapped
            else _("Genuine product: this serial number is registered by the manufacturer."),
            "standing": standing,
            "notice": recall_notice() if standing == "recalled" else "",
            "product": {"model": unit.sku.code, "name": unit.sku.name},
            "serial": unit.serial,
            "first_verified_at": first.isoformat() if first else None,
            "check_number": self.check_number,
            "history": _("First verified on %(date)s, this is check number %(n)d.")
            % {"date": shown_moment(first), "n": self.check_number},
            "activated": bool(unit.activated_at),
            "possible_clone": self.possible_clone,
            "warning": clone_warning() if counted_reasons else "",
        }


STANDINGS = {Status.SCRAPPED: "scrapped", Status.RECALLED: "recalled"}


def scrapped_message() -> str:
    return _(
        "This serial number was issued by the manufacturer, but that unit has been scrapped "
        "(taken out of use). A product carrying this label should not be sold or used as a "
        "working unit: the label may have been reused or copied. Please contact the "
        "manufacturer's customer service."
    )


def recall_notice() -> str:
    return _(
        "This unit is covered by a recall of the manufacturer. Please contact customer "
        "service to arrange the recall service (inspection, repair or replacement)."
    )


def unknown_message() -> str:
    return _(
        "We cannot confirm this product. Check that the serial number and the verification "
        "code are typed exactly as printed on the label. If it still fails, the product may "
        "not be genuine: please contact the manufacturer's customer service."
    )


def clone_warning() -> str:
    return _(
        "Caution: this label has been checked unusually often or from many different places. "
        "It may have been copied onto other products. Buy from authorized sellers and keep "
        "your receipt; customer service can confirm your unit."
    )


def _by_token(token: str) -> Unit | None:
    if not _HANDLE_ONLY.match(token):
        return None
    return Unit.objects.select_related("sku", "distributor").filter(public_token=token).first()


def _by_serial_and_secret(serial: str, given: str, derive) -> Unit | None:
    """The unit among those with ``serial`` whose derived secret matches ``given``.

    Always derives at least once, so an unknown serial costs what a wrong code costs.
    """
    candidates = list(
        Unit.objects.select_related("sku", "distributor").filter(serial=serial)[
            :MAX_SERIAL_CANDIDATES
        ]
    )
    found = None
    for unit in candidates or [None]:
        sku_id = unit.sku_id if unit is not None else _DUMMY_SKU
        if codes.same(derive(sku_id, serial), given) and unit is not None:
            found = unit
    return found


def _by_link(link: str) -> tuple[Unit | None, str, str, str]:
    """A scanned URL or code: our public page (token) or a signed Digital Link."""
    text = link.strip()
    parts = urlsplit(text)
    token_match = _HANDLE_IN_PATH.search(parts.path)
    query = parse_qs(parts.query)
    token = token_match.group(1) if token_match else (query.get("t") or [""])[0]
    if token:
        return _by_token(token), Method.TOKEN, token, ""
    parsed = parse_scan(text)
    if parsed.kind == "plain" or not parsed.serial:
        return None, Method.SERIAL, "", (parsed.serial or "")[:40]
    signature = codes.normalize_code((query.get(codes.SIGNATURE_PARAMETER) or [""])[0])
    sku = SKU.objects.filter(gtin=parsed.gtin).first() if parsed.gtin else None
    unit = None
    if signature:
        sku_id = sku.pk if sku is not None else _DUMMY_SKU
        valid = codes.same(codes.signature_for(sku_id, parsed.serial), signature)
        if valid and sku is not None:
            unit = (
                Unit.objects.select_related("sku", "distributor")
                .filter(sku=sku, serial=parsed.serial)
                .first()
            )
    method = Method.LINK if signature else Method.SERIAL
    return unit, method, signature, parsed.serial[:40]


def resolve(credentials: Credentials) -> tuple[Unit | None, str, str, str]:
    """(unit or None, method, presented secret, serial given) for the credentials."""
    if credentials.token.strip():
        token = credentials.token.strip()
        return _by_token(token), Method.TOKEN, token, ""
    if credentials.link.strip():
        return _by_link(credentials.link)
    serial = credentials.serial.strip()[:40]
    code = codes.normalize_code(credentials.code)
    if not code:
        return None, Method.SERIAL, "", serial
    return _by_serial_and_secret(serial, code, codes.code_for), Method.CODE, code, serial


def _clone_reasons(unit: Unit, now: datetime) -> tuple[dict, list[str]]:
    since = now - timedelta(days=setting("AUTHENTICITY_CLONE_WINDOW_DAYS"))
    recent = Q(checked_at__gte=since)
    stats = Verification.objects.filter(unit=unit).aggregate(
        first=Min("checked_at"),
        last=Max("checked_at"),
        total=Count("id"),
        checks=Count("id", filter=recent),
        networks=Count("network_hash", distinct=True, filter=recent & ~Q(network_hash="")),
        regions=Count("region_key", distinct=True, filter=recent & ~Q(region_key="")),
    )
    reasons = [
        name
        for name, limit in (
            ("checks", setting("AUTHENTICITY_CLONE_MAX_CHECKS")),
            ("regions", setting("AUTHENTICITY_CLONE_MAX_REGIONS")),
            ("networks", setting("AUTHENTICITY_CLONE_MAX_NETWORKS")),
        )
        if stats[name] > limit
    ]
    if unit.status == Status.SCRAPPED:  # the label of a scrapped unit is being reused
        reasons.append("scrapped")
    return stats, reasons


def clone_reasons(unit: Unit, now: datetime) -> list[str]:
    """Why the unit's label looks copied (empty: it does not), as the public check says."""
    return _clone_reasons(unit, now)[1]


def _fill(answer: Answer, unit: Unit, now: datetime) -> Answer:
    stats, answer.clone_reasons = _clone_reasons(unit, now)
    answer.first_checked_at, answer.check_number = stats["first"], stats["total"]
    answer.last_checked_at = stats["last"]
    return answer


def verify(
    credentials: Credentials,
    client: Client | None = None,
    region: Region | None = None,
    *,
    when: datetime | None = None,
    resolved: tuple[Unit | None, str, str, str] | None = None,
) -> Answer:
    """Check a label, record the check, flag cloned labels and diverted units.

    ``resolved`` is what ``resolve(credentials)`` already returned to the caller.
    """
    client = client or Client()
    region = region or Region("")
    now = when or timezone.now()
    unit, method, secret, serial = resolved or resolve(credentials)
    with transaction.atomic():
        record = Verification.objects.create(
            unit=unit,
            checked_at=now,
            method=method,
            outcome=Verification.Outcome.GENUINE if unit else Verification.Outcome.UNKNOWN,
            serial=serial if unit is None else unit.serial[:40],
            code_hash=codes.secret_digest(secret) if secret else "",
            network_hash=codes.network_hash(client.ip),
            province=region.province[:20],
            city=region.city[:30],
            district=region.district[:30],
            region_key=region_key(region),
            user_agent=(client.user_agent or "")[:120],
        )
        answer = Answer(record=record, unit=unit)
        if unit is None:
            return answer
        _fill(answer, unit, now)
        if answer.clone_reasons:
            record.outcome = Verification.Outcome.SUSPECT
            record.save(update_fields=["outcome"])
        if region.province:
            check_diversion(unit, region, Source.VERIFICATION, reference=record, when=now)
    return answer


def preview(unit: Unit, *, when: datetime | None = None) -> Answer:
    """What the label's page shows staff who can open the unit's file: the counts and
    flags, without recording a check (staff scanning a label is no customer's check)."""
    return _fill(Answer(record=None, unit=unit), unit, when or timezone.now())


# --- the region a customer adds after seeing the result ------------------------------------

REGION_PROOF_SALT = "unitrace.authenticity.check-region"
REGION_PROOF_MAX_AGE = 3600  # seconds: the result page, not a link to keep


def region_proof(answer: Answer) -> str:
    """A signed, short-lived handle of the answer's check, for the optional region form.

    Only whoever saw this result holds it: nobody can attach places to other checks.
    """
    if not answer.can_add_region:
        return ""
    return signing.dumps(answer.record.pk, salt=REGION_PROOF_SALT, compress=False)


def check_from_proof(proof: str) -> int | None:
    """The id of the check ``proof`` was issued for, or None if forged or expired."""
    try:
        value = signing.loads(proof or "", salt=REGION_PROOF_SALT, max_age=REGION_PROOF_MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def answer_for_check(check_id: int, *, when: datetime | None = None) -> Answer | None:
    """The answer of an earlier genuine check, recomputed without recording anything."""
    record = (
        Verification.objects.select_related("unit__sku", "unit__distributor")
        .filter(pk=check_id, unit__isnull=False)
        .first()
    )
    if record is None:
        return None
    answer = _fill(Answer(record=record, unit=record.unit), record.unit, when or timezone.now())
    answer.check_number = _ordinal(record)
    return answer


def _ordinal(record: Verification) -> int:
    return Verification.objects.filter(unit_id=record.unit_id, pk__lte=record.pk).count()


def add_region(check_id: int, region: Region, *, when: datetime | None = None) -> Answer | None:
    """Attach the region the customer gave after the result to that check (once).

    The check is not counted again; the clone flags are recomputed with the new place
    and a place outside the distributor's regions raises a diversion alert, exactly as
    if the region had come with the check. None when the check is not a genuine one.
    """
    now = when or timezone.now()
    with transaction.atomic():
        record = (
            Verification.objects.select_for_update(of=("self",))
            .select_related("unit__sku", "unit__distributor")
            .filter(pk=check_id, unit__isnull=False)
            .first()
        )
        if record is None:
            return None
        unit = record.unit
        added = bool(region.province) and not record.region_key
        if added:
            record.province = region.province[:20]
            record.city = region.city[:30]
            record.district = region.district[:30]
            record.region_key = region_key(region)
            record.save(update_fields=["province", "city", "district", "region_key"])
        answer = _fill(Answer(record=record, unit=unit), unit, now)  # with the new place
        answer.check_number = _ordinal(record)
        if added:
            if answer.clone_reasons and record.outcome != Verification.Outcome.SUSPECT:
                record.outcome = Verification.Outcome.SUSPECT
                record.save(update_fields=["outcome"])
            check_diversion(unit, region, Source.VERIFICATION, reference=record, when=now)
    return answer
