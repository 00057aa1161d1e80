"""Limits on uploaded files: size on the wire, and (in ``tabular``) size once unzipped.

``UNITRACE_UPLOAD_MAX_BYTES`` caps one uploaded file. ``CappedUploadHandler`` (first in
``FILE_UPLOAD_HANDLERS``) stops storing a file as soon as it passes the cap and hands on
an empty ``TooLargeUpload`` that still knows its size, so a 150 MB upload is neither
kept in memory nor written to disk, and the form or serializer field refuses it with
``validate_upload`` (a form error on pages, the one error body in the API).
``read_upload`` is the explicit check where a file is read.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from unitrace.core.errors import DomainError
from unitrace.core.tabular import TableTooLarge, check_xlsx_size


def max_upload_bytes() -> int:
    return int(settings.UNITRACE_UPLOAD_MAX_BYTES)


def _too_large_message(size: int) -> str:
    return _(
        "The file is too large (%(size)s); at most %(max)s may be uploaded. Split it into "
        "smaller files."
    ) % {"size": filesizeformat(size), "max": filesizeformat(max_upload_bytes())}


class UploadTooLarge(DomainError):
    code = "file_too_large"
    status = 413


class TooLargeUpload(SimpleUploadedFile):
    """What is left of a file that passed the cap: its name and size, no content."""

    def __init__(self, name: str, content_type: str | None, size: int) -> None:
        super().__init__(name, b"", content_type)
        self.size = size


class CappedUploadHandler(FileUploadHandler):
    """Stops keeping an uploaded file once it passes ``UNITRACE_UPLOAD_MAX_BYTES``."""

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.seen = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.seen += len(raw_data)
        if self.seen > max_upload_bytes():
            return None  # the handlers after this one never see the rest
        return raw_data

    def file_complete(self, file_size: int):
        if self.seen > max_upload_bytes():
            return TooLargeUpload(self.file_name, self.content_type, self.seen)
        return None


def validate_upload(upload) -> None:
    """Field validator: refuses a file larger than the cap, or an XLSX that unzips to
    more than ``tabular.check_xlsx_size`` allows, with a clear message."""
    if upload is None:
        return
    if upload.size is not None and upload.size > max_upload_bytes():
        raise ValidationError(_too_large_message(upload.size), code="file_too_large")
    upload.seek(0)
    if upload.read(4) == b"PK\x03\x04":
        upload.seek(0)
        try:
            check_xlsx_size(upload.file, upload.name)
        except TableTooLarge as exc:
            raise ValidationError(str(exc), code="file_too_large")
    upload.seek(0)


def read_upload(upload) -> bytes:
    """The content of an uploaded file, refused (413) when it is larger than the cap."""
    cap = max_upload_bytes()
    if upload.size is not None and upload.size > cap:
        raise UploadTooLarge(_too_large_message(upload.size), field="file")
    content = upload.read(cap + 1)
    if len(content) > cap:
        raise UploadTooLarge(_too_large_message(len(content)), field="file")
    return content
