"""The one error model: every refusal a service raises, and every row a check refuses.

A service says "no" by raising a ``DomainError`` (or one of its subclasses in the apps):
a stable machine ``code`` clients can branch on, a human ``message`` (translated when it
is shown, so a lazy string stays lazy until then), optionally the ``field`` at fault and
the ``rows`` of a list or a file that were refused. Pages show the message and the rows;
the API renders every refusal in one body (``unitrace.core.api.exception_handler``):

    {"code": "...", "detail": "...", "field": null, "rows": [RowError.as_dict(), ...]}

Importers, receiving and stocktake uploads, deliveries, returns and jobs all report a
refused row as the one ``RowError`` shape, so a clerk's report and an API client read the
same columns whatever produced them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from unitrace.core.sheets import csv_text

Message = str | Promise


@dataclass(frozen=True)
class RowError:
    """One refused row: where it is, what was given and why it was refused.

    ``row`` is what the user sees: the Excel row of an upload, the position in a pasted
    or scanned list; ``None`` for a unit that was not given as a list (a ledger refusal in
    a bulk operation). ``field`` names the column or input at fault ("serial", "sku",
    "file", ...), ``value`` is the text given, ``code`` a stable reason clients can count
    by (for a receipt, the scan outcome: "duplicate", "unknown", ...).
    """

    row: int | None
    field: str = ""
    code: str = "invalid"
    message: Message = ""
    value: str = ""

    @property
    def outcome(self) -> str:
        """Receiving's name for the code: the scan outcome the row was refused with."""
        return self.code

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "field": self.field,
            "code": str(self.code),
            "message": str(self.message),
            "value": self.value,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RowError:
        """A row kept as a dict (a job's result, a report read back); missing keys empty."""
        return cls(
            data.get("row"),
            field=str(data.get("field", "")),
            code=str(data.get("code") or "invalid"),
            message=str(data.get("message", "")),
            value=str(data.get("value", "")),
        )


class DomainError(Exception):
    """A refusal by the rules of the business; nothing was written.

    Subclasses set ``code`` (the default reason) and ``status`` (the HTTP status the API
    answers with: 400 for input that is refused, 409 for a state that does not allow the
    step, 404/403 where the refusal means "not found"/"not allowed", 500 for a guard only
    a bug can trip); an instance may override the code. ``default_message`` is used when
    none is given.
    """

    code: str = "refused"
    status: int = 400
    default_message: ClassVar[Message] = gettext_lazy("The request was refused.")

    def __init__(
        self,
        message: Message | None = None,
        *,
        code: str | None = None,
        field: str | None = None,
        rows: Iterable[RowError] | None = None,
    ) -> None:
        message = self.default_message if message is None else message
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field
        self.rows = list(rows or [])

    def __str__(self) -> str:
        return str(self.message)

    @property
    def detail(self) -> str:
        """The sentence the API answers with (``str(exc)``, which may add context)."""
        return str(self)

    def meta(self) -> dict[str, Any]:
        """Figures a client needs besides the rows (e.g. an import's counts); none here."""
        return {}

    def as_body(self) -> dict[str, Any]:
        """The API's one error body for this refusal."""
        return error_body(
            self.code, self.detail, field=self.field, rows=self.rows, meta=self.meta()
        )


def error_body(
    code: str,
    detail: Message,
    *,
    field: str | None = None,
    rows: Iterable[RowError] = (),
    meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """``{"code", "detail", "field", "rows"}`` (plus ``meta`` when there is any)."""
    body: dict[str, Any] = {
        "code": code,
        "detail": str(detail),
        "field": field,
        "rows": [r.as_dict() for r in rows],
    }
    if meta:
        body["meta"] = meta
    return body


def report_header() -> list[str]:
    """The four columns every error report starts with (translated)."""
    return [_("row"), _("column"), _("value"), _("error")]


def original_header(header: Iterable[str]) -> list[str]:
    """The headers of the repeated original row, marked so they cannot be taken for the
    report's own columns (a file may well have a column called "error")."""
    return [_("original: %(header)s") % {"header": h or "—"} for h in header]


def error_report(errors: Iterable[RowError], *, column: str = "field", original: Any = None) -> str:
    """CSV a clerk opens in Excel to fix the file: row, column, value, what is wrong,
    then the original row as it was in the file (when ``original`` is given).

    ``column`` is the attribute shown in the second column: the field at fault, or for a
    receipt the outcome (``"code"``), as the receiving report has always shown.
    ``original`` is a ``core.tabular.OriginalRows`` (header and rows by number): the
    clerk sees the whole row beside the message, without going back to the upload.
    """
    header = report_header()
    if original is None:
        return csv_text(
            header, ([e.row, getattr(e, column), e.value, str(e.message)] for e in errors)
        )
    return csv_text(
        [*header, *original_header(original.header)],
        (
            [e.row, getattr(e, column), e.value, str(e.message), *original.rows.get(e.row, [])]
            for e in errors
        ),
    )
