"""The photo picker of the forms that open work orders (the customer's repair page and
the agent's 新建工单), and the step from uploaded files to the intake's ``Upload``."""

from __future__ import annotations

from django import forms

from unitrace.core.uploads import TooLargeUpload
from unitrace.service.intake import Upload


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.Field):
    """The chosen files as a list; the intake service checks each one."""

    widget = MultiplePhotoInput

    def to_python(self, data) -> list:
        if not data:
            return []
        return list(data) if isinstance(data, list | tuple) else [data]


def uploads_from(files: list) -> list[Upload]:
    """The files as the intake reads them; one past the upload cap keeps only its size,
    so the intake refuses it by name without having held its bytes."""
    uploads = []
    for file in files:
        if isinstance(file, TooLargeUpload):
            uploads.append(Upload(file.name or "", b"", size=file.size))
        else:
            uploads.append(Upload(file.name or "", file.read()))
    return uploads
