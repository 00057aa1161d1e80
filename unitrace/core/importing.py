"""What every master-data import does the same way: read, refuse row by row, then write.

The SKU, batch, warehouse and party imports share one shape. The file is read once
(``core.tabular``); every row is checked as the page's form would check it; each refusal
becomes a ``RowError`` of the row, the column and the value. One refused row and nothing
is written: the job fails with a report that repeats each refused row as the user wrote
it, so they can fix the file where it is wrong. Only a clean file is written, in one
transaction, with progress reported from inside it (a cancel rolls it all back).

Keeping this in one place means the four imports cannot drift apart in how they treat
duplicates, form errors, unreadable files or a code taken meanwhile by someone else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unitrace.core.errors import RowError, error_report
from unitrace.core.jobs import JobFailed, submit_job
from unitrace.core.tabular import Table, TableError, original_rows, read_table, runs_in_request
from unitrace.core.uploads import read_upload, validate_upload

PROGRESS_EVERY = 200
YES = {"yes", "y", "true", "1", "是", "对", "√"}
NO = {"no", "n", "false", "0", "否", "不", "×"}

T = TypeVar("T")


def yes_no(text: str, default: bool) -> bool | None:
    """是/否 (or yes/no, 1/0, √/×) as a flag; empty is ``default``, anything else None."""
    value = text.strip().casefold()
    if not value:
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    return None


def choice_value(text: str, choices: Iterable[tuple[str, Any]], default: str = "") -> str:
    """A choice by its stored value (``sale``), its Chinese name (销售) or its name as
    the interface shows it; empty is ``default``. An unknown text comes back unchanged
    so the form refuses it with its own message."""
    value = text.strip()
    if not value:
        return default
    for key, label in choices:
        with translation.override("zh-hans"):  # the template's words, whatever the UI's
            chinese = str(label)
        if value.casefold() in {str(key).casefold(), str(label).casefold(), chinese}:
            return str(key)
    return value


class ImportFile:
    """One uploaded file being checked: its rows and the refusals collected so far."""

    def __init__(
        self,
        data: bytes,
        filename: str,
        aliases: dict[str, list[str]],
        required: list[str],
        *,
        verbatim: Iterable[str] = (),
        progress=None,
    ) -> None:
        self.data, self.filename = data, filename
        self.aliases, self.required = aliases, required
        self.progress = progress
        try:
            self.table: Table = read_table(data, filename, aliases, required, tuple(verbatim))
        except TableError as exc:
            raise JobFailed(str(exc)) from None
        if progress is not None:
            progress.set_total(len(self.table.rows))
        self.refused: list[RowError] = []
        self._seen: dict[tuple, int] = {}

    @property
    def rows(self) -> list[tuple[int, dict[str, str]]]:
        return self.table.rows

    def refuse(self, number: int, field: str, value: str, message: str) -> None:
        self.refused.append(RowError(number, field=field, value=value, message=str(message)))

    def refuse_errors(self, number: int, errors: dict, values: dict[str, str]) -> None:
        """A form's or a ``ValidationError``'s messages, each against its column."""
        for name, texts in errors.items():
            if isinstance(texts, str):
                texts = [texts]
            for message in texts:
                value = str(values.get(name, "")) if name not in ("__all__", None) else ""
                self.refuse(number, name or "__all__", value, message)

    def refuse_validation(self, number: int, error: ValidationError, values: dict) -> None:
        if hasattr(error, "error_dict"):
            self.refuse_errors(number, error.message_dict, values)
        else:
            self.refuse_errors(number, {"__all__": error.messages}, values)

    def first_time(self, number: int, key: tuple, field: str, value: str) -> bool:
        """False (and the row refused) when ``key`` was already on an earlier row."""
        if key in self._seen:
            self.refuse(
                number,
                field,
                value,
                _("duplicate of row %(row)d in this file") % {"row": self._seen[key]},
            )
            return False
        self._seen[key] = number
        return True

    def refused_rows(self) -> set[int]:
        return {e.row for e in self.refused if e.row is not None}

    def failure(self) -> JobFailed:
        """The job's failure with the report of every refused row beside the row."""
        numbers = self.refused_rows()
        return JobFailed(
            _("%(n)d rows were refused; nothing was imported.") % {"n": len(numbers)},
            report=error_report(
                sorted(self.refused, key=lambda e: e.row or 0),
                original=original_rows(
                    self.data, self.filename, numbers, self.aliases, self.required
                ),
            ),
            result={"rows": len(self.rows), "error_count": len(self.refused)},
        )

    def fail_if_refused(self) -> None:
        if self.refused:
            raise self.failure()

    def tick(self, done: int) -> None:
        if self.progress is not None and done % PROGRESS_EVERY == 0:
            self.progress(done)

    def write_all(self, items: Iterable[T], save: Callable[[T], object]) -> int:
        """Save every item in one transaction; a clash with a row written meanwhile by
        someone else fails the whole job with a clear message instead of a crash."""
        done = 0
        try:
            with transaction.atomic():
                for done, item in enumerate(items, 1):
                    save(item)
                    self.tick(done)
        except (IntegrityError, ValidationError) as exc:
            detail = "; ".join(exc.messages) if isinstance(exc, ValidationError) else ""
            raise JobFailed(
                _(
                    "Nothing was imported: a row clashed with data saved meanwhile "
                    "(%(detail)s). Import the file again."
                )
                % {"detail": detail or _("a code already taken")}
            ) from None
        return done

    def write_checked(
        self,
        items: Iterable[T],
        save: Callable[[T], object],
        *,
        number: Callable[[T], int],
        values: Callable[[T], dict],
    ) -> int:
        """Save every item in one transaction, where the save itself is the last check
        (a service that validates as it writes): each refusal is collected against its
        row, and any refusal, also one collected before, rolls back the whole file with
        the report."""
        done = 0
        try:
            with transaction.atomic():
                for done, item in enumerate(items, 1):
                    try:
                        with transaction.atomic():
                            save(item)
                    except ValidationError as exc:
                        self.refuse_validation(number(item), exc, values(item))
                    self.tick(done)
                self.fail_if_refused()
        except IntegrityError:
            raise JobFailed(
                _(
                    "Nothing was imported: a row clashed with data saved meanwhile "
                    "(%(detail)s). Import the file again."
                )
                % {"detail": _("a code already taken")}
            ) from None
        return done


class ImportUploadForm(forms.Form):
    """The file field of every list page's import box."""

    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        validators=[validate_upload],
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )


def start_import(request, kind: str, back: str):
    """The upload view's work: the file becomes a job of ``kind`` (run inside the
    request when it is small) and the user lands on the job page; a refused upload
    goes back to the list page ``back`` with the reason."""
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    upload = form.cleaned_data["file"]
    content = read_upload(upload)
    job = submit_job(
        kind,
        user=request.user,
        input_name=upload.name,
        input_data=content,
        run_now=runs_in_request(content, upload.name),
    )
    return redirect("core:job_detail", pk=job.pk)
