"""Repair requests from outside (the customer's repair page, integrations): photos,
retries and the answer, around the one ``open_work_order``.

Photos are read and re-encoded before anything is written: every one must be a real
image (JPEG, PNG, WebP, GIF or HEIC, decoded with ``pillow-heif``) under the size
limits, and each is stored as a JPEG without its EXIF block (phones put the GPS
position and the device there). One bad photo refuses the whole request, naming it;
a request that fails after files were written removes them again, so nothing of it
is kept.

An integration may send an ``Idempotency-Key``: the key row is written first, in the
work order's transaction, under a unique (caller, key) constraint. A retry after the
first committed finds the row and gets the stored answer; a retry racing the first
waits on the constraint, finds the row once the first commits, and gets the same
answer; the same key with another request is refused.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from unitrace.core.errors import DomainError
from unitrace.service import phone_codes
from unitrace.service.models import (
    IdempotencyKey,
    PhoneCode,
    WorkOrder,
    WorkOrderAttachment,
    WorkOrderFlag,
)
from unitrace.service.workorders import Intake, open_work_order

register_heif_opener()

MAX_PHOTOS = 6
FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "HEIF", "MPO"}
LONG_EDGE = 2048  # pixels of a stored photo's longer side
MAX_PIXELS = 50_000_000  # a larger picture is refused before it is decoded
JPEG_QUALITY = 85


def max_photo_bytes() -> int:
    return int(getattr(settings, "UNITRACE_PHOTO_MAX_BYTES", 12 * 1024 * 1024))


class IdempotencyConflict(DomainError):
    """The key was first used with another request."""

    code = "idempotency_key_reused"
    status = 422
    default_message = gettext_lazy(
        "This Idempotency-Key was already used with a different request; use a new key "
        "for a new request."
    )


@dataclass(frozen=True)
class Upload:
    """A photo as it arrived: the name the sender gave, its bytes, its size on the wire."""

    name: str
    data: bytes
    size: int | None = None  # a capped upload knows its size but kept no bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Photo:
    name: str
    jpeg: bytes
    width: int
    height: int


def _label(position: int, name: str) -> str:
    return (
        _("Photo %(n)d (%(name)s)") % {"n": position, "name": name[:60]}
        if name
        else _("Photo %(n)d") % {"n": position}
    )


def prepare_photo(upload: Upload, position: int) -> Photo:
    """Decode, check and re-encode one photo as an EXIF-free JPEG; refused by name."""
    label = _label(position, upload.name)
    size = upload.size if upload.size is not None else len(upload.data)
    if size > max_photo_bytes():
        raise ValidationError(
            {
                "photos": _("%(photo)s is too large (%(size)s); at most %(max)s.")
                % {
                    "photo": label,
                    "size": filesizeformat(size),
                    "max": filesizeformat(max_photo_bytes()),
                }
            }
        )
    not_image = _("%(photo)s is not a picture we can read (JPEG, PNG, WebP or HEIC).") % {
        "photo": label
    }
    if not upload.data:
        raise ValidationError({"photos": not_image})
    try:
        with Image.open(io.BytesIO(upload.data)) as image:
            if image.format not in FORMATS:
                raise ValidationError({"photos": not_image})
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    {
                        "photos": _("%(photo)s has too many pixels (%(w)d × %(h)d).")
                        % {"photo": label, "w": width, "h": height}
                    }
                )
            image.draft("RGB", (LONG_EDGE, LONG_EDGE))  # JPEG: decode at a smaller scale
            image.load()
            picture = ImageOps.exif_transpose(image)  # upright before EXIF is dropped
            picture = picture.convert("RGB")
            picture.thumbnail((LONG_EDGE, LONG_EDGE))
            out = io.BytesIO()
            picture.save(out, "JPEG", quality=JPEG_QUALITY, optimize=False)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({"photos": not_image}) from None
    return Photo(upload.name[:200], out.getvalue(), picture.width, picture.height)


def prepare_photos(uploads: list[Upload]) -> list[Photo]:
    """Every photo checked before anything is stored; the first bad one refuses all."""
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(
            {
                "photos": _("At most %(max)d photos; %(n)d were sent.")
                % {"max": MAX_PHOTOS, "n": len(uploads)}
            }
        )
    return [prepare_photo(upload, position) for position, upload in enumerate(uploads, 1)]


def fingerprint(fields: dict, uploads: list[Upload]) -> str:
    """What makes two requests "the same": the fields as parsed and the photos' bytes."""
    canonical = json.dumps(
        {"fields": fields, "photos": [u.digest for u in uploads]},
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Idempotency:
    caller: object  # the API user
    key: str
    fingerprint: str


@dataclass
class Receipt:
    """The answer to a repair request; ``replayed`` when a retry got the first answer."""

    body: dict
    work_order_id: int | None
    replayed: bool = False

    @property
    def work_order(self) -> WorkOrder:
        return WorkOrder.objects.get(pk=self.work_order_id)

    @property
    def progress_path(self) -> str:
        return urlsplit(self.body["progress_url"]).path


def progress_path(work_order: WorkOrder) -> str:
    return f"/r/{work_order.public_token}/"


def progress_url(work_order: WorkOrder) -> str:
    return f"{settings.PUBLIC_BASE_URL}{progress_path(work_order)}"


def receipt_body(work_order: WorkOrder, flags: list[str], photos: int) -> dict:
    """What an integration is told: the ticket, where to follow it, cover and flags."""
    entitlement = work_order.entitlement or {}
    return {
        "number": work_order.number,
        "progress_url": progress_url(work_order),
        "state": work_order.state,
        "channel": work_order.channel,
        "serial": work_order.unit.serial if work_order.unit_id else work_order.serial_given,
        "unit_identified": work_order.unit_id is not None,
        "opened_at": work_order.opened_at.isoformat(),
        "entitlement": {
            "covered": entitlement.get("covered"),
            "state": entitlement.get("state"),
            "reason": str(entitlement.get("reason") or ""),
            "end": entitlement.get("end"),
        },
        "flags": flags,
        "address_resolved": work_order.address_resolved,
        "adcode": work_order.adcode,
        "photos": photos,
    }


def _replay(idempotency: Idempotency) -> Receipt | None:
    row = (
        IdempotencyKey.objects.filter(caller=idempotency.caller, key=idempotency.key)
        .only("fingerprint", "response", "work_order_id")
        .first()
    )
    if row is None:
        return None
    if row.fingerprint != idempotency.fingerprint:
        raise IdempotencyConflict(field="Idempotency-Key")
    return Receipt(row.response, row.work_order_id, replayed=True)


def submit(
    data: Intake,
    *,
    channel: str,
    photos: list[Photo] = (),
    user=None,
    when: datetime | None = None,
    idempotency: Idempotency | None = None,
    phone_code: PhoneCode | None = None,
    allow_duplicate: bool = False,
) -> Receipt:
    """Open the work order with its photos, all or nothing; see the module docstring."""
    if idempotency is not None:
        earlier = _replay(idempotency)
        if earlier is not None:
            return earlier
    when = when or timezone.now()
    written: list[WorkOrderAttachment] = []
    try:
        with transaction.atomic():
            key_row = None
            if idempotency is not None:
                key_row = IdempotencyKey.objects.create(
                    caller=idempotency.caller,
                    key=idempotency.key,
                    fingerprint=idempotency.fingerprint,
                )
            if phone_code is not None:
                phone_codes.consume(phone_code, when)
            work_order = open_work_order(
                data, channel=channel, user=user, when=when, allow_duplicate=allow_duplicate
            )
            actor = work_order.created_by
            for photo in photos:
                attachment = WorkOrderAttachment(
                    work_order=work_order,
                    original_name=photo.name,
                    content_type="image/jpeg",
                    size=len(photo.jpeg),
                    width=photo.width,
                    height=photo.height,
                    uploaded_by=actor,
                )
                attachment.file.save("photo.jpg", ContentFile(photo.jpeg), save=False)
                written.append(attachment)
            if written:
                WorkOrderAttachment.objects.bulk_create(written)
            flags = (
                sorted(
                    WorkOrderFlag.objects.filter(work_order=work_order).values_list(
                        "code", flat=True
                    )
                )
                if work_order.flag_count
                else []
            )
            body = receipt_body(work_order, flags, len(photos))
            if key_row is not None:
                key_row.work_order = work_order
                key_row.response = body
                key_row.save(update_fields=["work_order", "response"])
    except IntegrityError:
        _remove(written)
        if idempotency is not None:
            earlier = _replay(idempotency)  # a parallel retry committed first
            if earlier is not None:
                return earlier
        raise
    except BaseException:
        _remove(written)
        raise
    return Receipt(body, work_order.pk)


def _remove(attachments: list[WorkOrderAttachment]) -> None:
    """Delete the files of a request that did not commit: nothing of it stays."""
    for attachment in attachments:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
